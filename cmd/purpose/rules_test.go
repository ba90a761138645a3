package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// A rule taken out of the framework, the sample run without it, its lines
// overridden in the annotated workbook as an adviser would (a column
// "Outcome override" typed beside the table): rules suggest gives back a
// rule that maps those lines as the removed one did, and no other line
// otherwise.
func TestRulesSuggestReproducesARemovedRule(t *testing.T) {
	abs := mustAbs(t, sample)
	book, err := ingest.ReadBudget(abs, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, full, err := loadFrameworkTables("")
	if err != nil {
		t.Fatal(err)
	}
	for _, removed := range []string{"R230", "R420", "R710"} {
		t.Run(removed, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			writeFramework(t, "reduced", func(lines []string) []string {
				var out []string
				for _, l := range lines {
					if !strings.HasPrefix(l, removed+",") {
						out = append(out, l)
					}
				}
				return out
			})
			reducedTables, err := ingest.ReadFramework("reduced")
			if err != nil {
				t.Fatal(err)
			}
			reduced, err := analysis.NewFramework(reducedTables)
			if err != nil {
				t.Fatal(err)
			}
			// The lines the removed rule decided, and what it gave them.
			rows := map[int]analysis.Part{}
			for i := range book.Lines() {
				l := &book.Lines()[i]
				if r := full.BestRule(l); r != nil && r.ID == removed {
					if len(r.Parts) != 1 {
						t.Fatalf("%s splits a line: pick a one-part rule", removed)
					}
					rows[l.Source.Row] = r.Parts[0]
				}
			}
			if len(rows) < 2 {
				t.Fatalf("%s decides %d sample lines; the test needs several", removed, len(rows))
			}
			if r := runCLI(t, "run", "-q", "-o", "out", "--framework", "reduced", abs); r.exit != 0 {
				t.Fatalf("run: %+v", r)
			}
			// The adviser's overrides, beside the tool's columns.
			annotated := filepath.Join("out", "budget.annotated.xlsx")
			f, err := excelize.OpenFile(annotated)
			if err != nil {
				t.Fatal(err)
			}
			sheet := book.Tables[0].Source.Sheet
			header := book.Tables[0].Source.Row
			// The override columns the run added, found by their headings.
			heads := headerColumns(t, f, sheet, header)
			outcomeCol, shareCol := heads[ingest.OutcomeOverrideHeader], heads[ingest.ShareOverrideHeader]
			for row, p := range rows {
				f.SetCellStr(sheet, fmt.Sprintf("%s%d", outcomeCol, row), p.Outcome)
				if p.Share != 10000 {
					f.SetCellFloat(sheet, fmt.Sprintf("%s%d", shareCol, row), float64(p.Share)/10000, 4, 64)
				}
			}
			if err := f.Save(); err != nil {
				t.Fatal(err)
			}
			f.Close()

			r := runCLI(t, "rules", "suggest", "--framework", "reduced", "-o", "suggested.csv", annotated)
			if r.exit != 0 {
				t.Fatalf("rules suggest: %+v", r)
			}
			data, err := os.ReadFile("suggested.csv")
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			// The suggestions from overrides, pasted above the reduced rules.
			var pasted []string
			for _, rec := range recs[1:] {
				if strings.HasPrefix(rec[0], "NEW-S") {
					pasted = append(pasted, csvLine(rec))
				}
			}
			// Overrides the reduced framework already agrees with need no rule.
			needed := 0
			for i := range book.Lines() {
				l := &book.Lines()[i]
				if want, ok := rows[l.Source.Row]; ok {
					if m := reduced.MatchLine(l); m.Rule == nil || len(m.Rule.Parts) != 1 || m.Rule.Parts[0] != want {
						needed++
					}
				}
			}
			if (len(pasted) == 0) != (needed == 0) {
				t.Fatalf("%d rules suggested from the overrides, %d lines need one:\n%s\n%s", len(pasted), needed, data, r.stderr)
			}
			writeFramework(t, "suggested", func(lines []string) []string {
				var out []string
				for _, l := range lines {
					if !strings.HasPrefix(l, removed+",") {
						out = append(out, l)
					}
				}
				return insertAfterHeader(pasted...)(out)
			})
			tables, err := ingest.ReadFramework("suggested")
			if err != nil {
				t.Fatal(err)
			}
			suggested, err := analysis.NewFramework(tables)
			if err != nil {
				t.Fatalf("the suggested rules do not load: %v\n%s", err, data)
			}
			for i := range book.Lines() {
				l := &book.Lines()[i]
				got := suggested.MatchLine(l)
				if want, ok := rows[l.Source.Row]; ok {
					if got.Rule == nil || len(got.Rule.Parts) != 1 || got.Rule.Parts[0] != want {
						t.Errorf("row %d (%s): mapped by %s, want %+v as %s gave", l.Source.Row, l.Description, describe(got), want, removed)
					}
					continue
				}
				if before := reduced.MatchLine(l); before.RuleID() != got.RuleID() || before.Status != got.Status {
					t.Errorf("row %d (%s): now %s, was %s: a suggested rule took a line no one overrode", l.Source.Row, l.Description, describe(got), describe(before))
				}
			}
			if t.Failed() {
				t.Logf("suggested:\n%s", data)
			}
		})
	}
}

func describe(m analysis.Match) string {
	if m.Rule == nil {
		return string(m.Status)
	}
	return fmt.Sprintf("%s %+v", m.Rule.ID, m.Rule.Parts)
}

// csvLine writes a record as one CSV line.
func csvLine(rec []string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(rec)
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}

// An override naming an outcome the framework lacks is refused, naming
// the cell.
func TestRulesSuggestUnknownOutcome(t *testing.T) {
	abs := mustAbs(t, sample)
	dir := t.TempDir()
	t.Chdir(dir)
	if r := runCLI(t, "run", "-q", "-o", "out", abs); r.exit != 0 {
		t.Fatalf("run: %+v", r)
	}
	annotated := filepath.Join("out", "budget.annotated.xlsx")
	f, err := excelize.OpenFile(annotated)
	if err != nil {
		t.Fatal(err)
	}
	col := headerColumns(t, f, "Budget 2026-27", 5)[ingest.OutcomeOverrideHeader]
	f.SetCellStr("Budget 2026-27", col+"9", "money advise")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r := runCLI(t, "rules", "suggest", annotated)
	if want := `sheet "Budget 2026-27" cell ` + col + `9: "money advise" is not an outcome of the framework`; r.exit != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("want %q: %+v", want, r)
	}
}

// On the sample's annotated workbook, whose pay lines were apportioned by
// its staffing sheet, rules are suggested for the lines the run found no
// rule for, no more: the same count and the same pence as run.json's.
func TestRulesSuggestCoversTheRunsUnmappedLines(t *testing.T) {
	out := t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", out, mustAbs(t, sample)); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	var manifest struct {
		Totals struct {
			Unmapped int64 `json:"unmapped_pence"`
		} `json:"totals"`
		Counts struct {
			Unmapped int `json:"unmapped_lines"`
		} `json:"counts"`
	}
	data, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	if manifest.Counts.Unmapped == 0 {
		t.Fatal("the sample has no unmapped lines to test with")
	}
	r := runCLI(t, "rules", "suggest", filepath.Join(out, "budget.annotated.xlsx"))
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	if !strings.Contains(r.stderr, "apportioned by staff time") {
		t.Errorf("the apportioned lines are not said:\n%s", r.stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	lines, pence := 0, int64(0)
	for _, rec := range recs[1:] {
		var n int
		var pounds string
		if _, err := fmt.Sscanf(rec[len(rec)-1], "Suggested for lines no rule matches: %d lines, %s", &n, &pounds); err != nil {
			if _, err := fmt.Sscanf(rec[len(rec)-1], "Suggested for lines no rule matches: %d line, %s", &n, &pounds); err != nil {
				t.Fatalf("note %q: %v", rec[len(rec)-1], err)
			}
		}
		p, err := ingest.ParsePence(strings.TrimSuffix(pounds, "("))
		if err != nil {
			t.Fatalf("note %q: %v", rec[len(rec)-1], err)
		}
		lines, pence = lines+n, pence+p
	}
	if lines != manifest.Counts.Unmapped || pence != manifest.Totals.Unmapped {
		t.Errorf("suggested for %d lines, %d pence; the run left %d lines, %d pence unmapped\n%s", lines, pence, manifest.Counts.Unmapped, manifest.Totals.Unmapped, r.stdout)
	}

	// A workbook no run annotated cannot say which lines were apportioned.
	if r := runCLI(t, "rules", "suggest", mustAbs(t, sample)); r.exit == 0 || !strings.Contains(r.stderr, "none of the columns a run adds") {
		t.Errorf("rules suggest on the sample itself: exit %d\n%s", r.exit, r.stderr)
	}
}
