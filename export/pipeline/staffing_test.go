package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// A workbook's own staffing sheet is worked out while its budget is read
// on (readInput's staff): the run's outcome is the one of working it out
// first, before any line, as ingest's Options.Staffing does. A staffing
// sheet that cannot be used fails the input with the same message, even
// when a budget cell fails too.
func TestOwnStaffingAsIfFirst(t *testing.T) {
	budget := func(amount any) ingesttest.Sheet {
		return ingesttest.Sheet{Name: "Revenue", Rows: [][]any{
			{"Business Unit", "Cost Centre", "Nominal", "Description", "Budget 2026/27"},
			{"Housing", "HM101", "5000", "Salaries", 60000},
			{"Housing", "HM101", "6100", "Printing", amount},
		}}
	}
	staffing := func(fte, grade, salary any) ingesttest.Sheet {
		return ingesttest.Sheet{Name: "Staffing", Rows: [][]any{
			{"Cost Centre", "Post Title", "Grade", "FTE", "Salary"},
			{"HM101", "Housing Officer", "", 1, 34000},
			{"HM101", "Tenancy Sustainment Officer", grade, fte, salary},
		}}
	}
	fw, err := LoadFramework("")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		sheets []ingesttest.Sheet
		fails  string // in the message, "" if the input is read
	}{
		{"usable", []ingesttest.Sheet{budget(1200), staffing(0.6, "", 20000)}, ""},
		{"usable, budget cell wrong", []ingesttest.Sheet{budget("TBC"), staffing(0.6, "", 20000)}, "TBC"},
		{"FTE wrong", []ingesttest.Sheet{budget(1200), staffing("TBC", "", 20000)}, "cannot be used"},
		{"FTE and a budget cell wrong", []ingesttest.Sheet{budget("n/a"), staffing("TBC", "", 20000)}, "cannot be used"},
		{"no such grade", []ingesttest.Sheet{budget(1200), staffing(0.6, "Z99", "")}, "cannot be used"},
		{"no such grade, budget cell wrong", []ingesttest.Sheet{budget("n/a"), staffing(0.6, "Z99", "")}, "cannot be used"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "budget.xlsx")
			if err := ingesttest.WriteXLSX(path, c.sheets...); err != nil {
				t.Fatal(err)
			}
			// Worked out first, on the reader's goroutine, before any line.
			_, first := ingest.StreamBudget(path, ingest.Options{Staffing: func(b *ingest.Book) error {
				_, err := ownStaffing(fw, b)
				return err
			}}, func(*ingest.Table, *ingest.CostLine) error { return nil })
			res, err := Run(context.Background(), Config{Inputs: []string{path}, Framework: fw}, quiet{})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if len(res.Run.Failed) > 0 {
				got = res.Run.Failed[0]
			}
			switch {
			case c.fails == "" && (first != nil || got != ""):
				t.Fatalf("read first: %v; in the run: %q; want both read", first, got)
			case c.fails != "" && (first == nil || !strings.Contains(first.Error(), c.fails)):
				t.Fatalf("read first: %v; want an error saying %q", first, c.fails)
			case c.fails != "" && got != first.Error():
				t.Fatalf("the run failed the input with\n%s\nwhere working its staffing out first fails it with\n%s", got, first)
			case c.fails == "" && (len(res.Run.Inputs) != 1 || res.Run.Inputs[0].Staff == nil):
				t.Fatalf("the input was not apportioned by its staffing sheet: %+v", res.Run.Inputs)
			}
		})
	}
}
