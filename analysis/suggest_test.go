package analysis

import (
	"slices"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

func TestSuggest(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "A", "keywords", "youth club", "outcome", "youth", "mode", "specialist"),
		rec(3, "id", "B", "cost_centre", "HM1", "outcome", "core", "mode", "core"))
	line := func(row int, cc, nominal, desc string, pence int64) ingest.CostLine {
		return ingest.CostLine{Source: ingest.Source{File: "b.xlsx", Sheet: "Budget", Row: row}, CostCentre: cc, Nominal: nominal, Description: desc, Amount: pence}
	}
	lines := []SuggestLine{
		// Overridden to money advice: three say "debt", in two cost centres.
		{Line: line(2, "HM1", "6100", "Debt counselling contract", 50000), Outcome: "money_advice"},
		{Line: line(3, "HM1", "6200", "Debt workshops", 20000), Outcome: "money_advice"},
		{Line: line(4, "CI2", "6300", "Debt helpline", 10000), Outcome: "money_advice"},
		// Core lines of HM1 that mention no debt stay as they are.
		{Line: line(5, "HM1", "6100", "Cleaning contract", 90000)},
		// Overridden to what the rule gives already: nothing to suggest.
		{Line: line(6, "CI2", "7000", "Youth club", 3000), Outcome: "youth"},
		// No rule matches these: one nominal in common.
		{Line: line(7, "ZZ9", "8100", "Sundries", 700)},
		{Line: line(8, "ZZ8", "8100", "Misc", 300)},
		// A line overridden with a share.
		{Line: line(9, "CI2", "6400", "Tenancy ready course", 4000), Outcome: "youth", Share: 2500},
	}
	got := Suggest(fw, lines)
	want := []struct {
		id, costCentre, nominal, keywords, outcome, share, mode string
		lines                                                   int
		pence                                                   int64
	}{
		{"NEW-S01", "", "", "debt", "money_advice", "", "embedded", 3, 80000},
		{"NEW-S02", "", "6400", "", "youth", "25%", "specialist", 1, 4000},
		{"NEW-U01", "", "8100", "", "", "", "", 2, 1000},
	}
	if len(got) != len(want) {
		for _, s := range got {
			t.Logf("%+v", s.Rule)
		}
		t.Fatalf("%d suggestions, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i].Rule
		if r.ID != w.id || r.CostCentre != w.costCentre || r.Nominal != w.nominal || r.Keywords != w.keywords || r.Outcome != w.outcome || r.Share != w.share || r.Mode != w.mode || got[i].Lines != w.lines || got[i].Pence != w.pence {
			t.Errorf("suggestion %d: %+v (%d lines, %d pence), want %+v", i, r, got[i].Lines, got[i].Pence, w)
		}
	}
}

// Pay lines apportioned by staff time are decided by their posts, not by
// rules: none is suggested for them for want of a rule; and a rule for
// other lines must not take them, as it would once their posts no longer
// decide them (another year's establishment, a run without one).
func TestSuggestLeavesStaffedLines(t *testing.T) {
	fw := testFramework(t, rec(2, "id", "A", "keywords", "youth club", "outcome", "youth", "mode", "specialist"))
	line := func(row int, cc, nominal, desc string, pence int64) ingest.CostLine {
		return ingest.CostLine{Source: ingest.Source{File: "b.xlsx", Sheet: "Budget", Row: row}, CostCentre: cc, Nominal: nominal, Description: desc, Amount: pence}
	}
	lines := []SuggestLine{
		{Line: line(2, "CX1", "5000", "Salaries (2 FTE)", 900000), Staffed: true},
		{Line: line(3, "CX1", "5010", "Employer's NI (2 FTE)", 90000), Staffed: true},
		{Line: line(4, "CX1", "7900", "Contingency", 5000)},
		{Line: line(5, "CX1", "7910", "Miscellaneous", 2000)},
		// An adviser's override on a staffed line is theirs to keep: a rule
		// for it may be suggested, but not one taking the other pay lines.
		{Line: line(6, "CX2", "5000", "Money advisers (2 FTE)", 800000), Staffed: true, Outcome: "money_advice"},
	}
	got := Suggest(fw, lines)
	for _, s := range got {
		var took []int
		for _, src := range s.Sources {
			took = append(took, src.Row)
		}
		switch {
		case s.Rule.Outcome == "" && !slices.Equal(took, []int{4, 5}) && !slices.Equal(took, []int{4}) && !slices.Equal(took, []int{5}):
			t.Errorf("suggested %+v for rows %v; want rules for the unmatched rows 4 and 5 only", s.Rule, took)
		case s.Rule.Outcome != "" && !slices.Equal(took, []int{6}):
			t.Errorf("suggested %+v for rows %v; want the overridden row 6 only", s.Rule, took)
		}
	}
	// Pasted into the framework, no suggested rule takes a staffed line
	// but its own.
	for _, s := range got {
		r := s.Rule
		if r.Outcome == "" {
			r.Outcome, r.Mode = "youth", "specialist" // as the adviser would choose
		}
		with := testFramework(t, r)
		for i := range lines {
			l := &lines[i]
			if l.Staffed && !slices.Contains(s.Sources, l.Line.Source) && with.BestRule(&l.Line) != nil {
				t.Errorf("suggested %+v, which takes the staffed row %d too", s.Rule, l.Line.Source.Row)
			}
		}
	}
	pence := int64(0)
	for _, s := range got {
		pence += s.Pence
	}
	if pence != 807000 {
		for _, s := range got {
			t.Logf("%+v: %d lines, %d pence", s.Rule, s.Lines, s.Pence)
		}
		t.Errorf("suggestions cover %d pence; want 807000 (rows 4, 5 and 6)", pence)
	}
}
