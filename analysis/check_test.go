package analysis

import (
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

func TestCheckFrameworkContradictions(t *testing.T) {
	outcomes := []ingest.OutcomeRow{outcome(2, "money_advice", "Money advice", "Financial inclusion"), outcome(3, "youth", "Youth", "Young people")}
	cases := []struct {
		name          string
		rules         []ingest.RuleRow
		problem, note string // "" when none is wanted
	}{
		{"different keywords", []ingest.RuleRow{
			rec(2, "id", "A", "keywords", "debt advice", "outcome", "money_advice", "mode", "specialist"),
			rec(3, "id", "B", "keywords", "youth club", "outcome", "youth", "mode", "specialist")}, "", ""},
		{"a shared keyword, other outcomes", []ingest.RuleRow{
			rec(2, "id", "A", "keywords", "debt advice;advice", "outcome", "money_advice", "mode", "specialist"),
			rec(3, "id", "B", "keywords", "Advice", "outcome", "youth", "mode", "specialist")},
			`rules.csv: row 3: rule B contradicts rule A (row 2) at equal precedence: both match keywords "advice"`, ""},
		{"same keyword, other share", []ingest.RuleRow{
			rec(2, "id", "A", "keywords", "advice", "outcome", "money_advice", "mode", "specialist"),
			rec(3, "id", "B", "keywords", "advice", "outcome", "money_advice", "share", "50%", "mode", "specialist")},
			"rule B contradicts rule A", ""},
		{"same keyword, one narrowed by cost centre", []ingest.RuleRow{
			rec(2, "id", "A", "keywords", "advice", "outcome", "money_advice", "mode", "specialist"),
			rec(3, "id", "B", "cost_centre", "CI*", "keywords", "advice", "outcome", "youth", "mode", "specialist")}, "", ""},
		{"a repeat", []ingest.RuleRow{
			rec(2, "id", "A", "nominal", "5001", "outcome", "money_advice", "share", "100%", "mode", "specialist"),
			rec(3, "id", "B", "nominal", "5001;5002", "outcome", "money_advice", "mode", "specialist")},
			"", `rules.csv: row 3: rule B repeats rule A (row 2) for nominal "5001"`},
		{"split rules compared whole", []ingest.RuleRow{
			rec(2, "id", "A", "keywords", "advice", "outcome", "money_advice", "share", "60%", "mode", "specialist"),
			rec(3, "id", "A", "outcome", "youth", "share", "40%", "mode", "specialist"),
			rec(4, "id", "B", "keywords", "advice", "outcome", "youth", "share", "40%", "mode", "specialist"),
			rec(5, "id", "B", "outcome", "money_advice", "share", "60%", "mode", "specialist")},
			"", "rule B repeats rule A"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fw, problems, notes, _ := CheckFramework(&ingest.FrameworkTables{Name: "test", Outcomes: outcomes, Rules: c.rules})
			if fw == nil {
				t.Fatalf("the framework did not compile: %v", problems)
			}
			for _, x := range []struct {
				got  []string
				want string
			}{{problems, c.problem}, {notes, c.note}} {
				if x.want == "" && len(x.got) > 0 || x.want != "" && (len(x.got) != 1 || !strings.Contains(x.got[0], x.want)) {
					t.Errorf("got %q, want one with %q", x.got, x.want)
				}
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "A", "keywords", "debt advice", "outcome", "money_advice", "mode", "specialist"),
		rec(3, "id", "B", "keywords", "advice", "outcome", "youth", "mode", "specialist"),
		rec(4, "id", "C", "keywords", "zebra", "outcome", "youth", "mode", "specialist"))
	c := fw.NewCoverage()
	for i, l := range []ingest.CostLine{
		{Description: "Debt advice", Amount: 100},
		{Description: "Stationery", Amount: 250},
		{Description: "Refund", Amount: -40}, // a credit: income, not unmatched
	} {
		l.Source = ingest.Source{File: "b.csv", Row: i + 2}
		c.Add(&l)
	}
	problems, notes := c.Problems()
	want := []string{"b.csv: row 3: no rule matches this line (£2.50: Stationery)"}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	// A rule no line matches is a note: a framework serves more budgets
	// than the one it is tried on.
	if len(notes) != 2 || !strings.Contains(notes[0], "rule B matches 1 line but decides none") || notes[1] != "rules.csv: row 4: rule C matches none of the 3 lines" {
		t.Errorf("notes: %q", notes)
	}
}
