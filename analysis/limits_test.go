package analysis

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// TestFrameworkLimits: a framework of very many rules is refused with the
// limit named; one with very many bad rows lists the first problems and
// counts the rest (the scaled-down 1M-rule and 1M-bad-row frameworks); an
// outcomes table whose code column is blank on every row says the columns
// are wrong, once, instead of "outcome has no code" on every row.
func TestFrameworkLimits(t *testing.T) {
	outcomes := []ingest.OutcomeRow{outcome(2, "youth", "Youth", "Young people")}
	manyRules := func(n int, bad bool) []ingest.RuleRow {
		rules := make([]ingest.RuleRow, n)
		for i := range rules {
			o := "youth"
			if bad {
				o = "nope"
			}
			rules[i] = rec(i+2, "id", fmt.Sprintf("R%d", i), "keywords", fmt.Sprintf("club %d", i), "outcome", o, "mode", "specialist")
		}
		return rules
	}
	blankCodes := []ingest.OutcomeRow{outcome(2, "", "Youth", "Young people"), outcome(3, "", "Older", "Old people"), outcome(4, "", "Money", "Money")}
	for _, tc := range []struct {
		name     string
		tables   ingest.FrameworkTables
		want     []string
		notWant  string
		maxLines int
		count    int
	}{
		{"too many rules", ingest.FrameworkTables{Name: "big", Outcomes: outcomes, Rules: manyRules(MaxRules+1, false)},
			[]string{"100001 rows", "more than the 100000 a framework may have"}, "", 1, 1},
		{"many bad rows", ingest.FrameworkTables{Name: "bad", Outcomes: outcomes, Rules: manyRules(2000, true)},
			[]string{`row 2: rule R0: outcome "nope" is not in the outcomes table`, "and 1950 more problems"}, "rule R50:", ingest.MaxListedProblems + 1, 2000},
		{"blank code column", ingest.FrameworkTables{Name: "cols", Outcomes: blankCodes, Rules: manyRules(1, false)},
			[]string{"rows 2 to 4: no outcome has a code", "columns are code, name, theme"}, "outcome has no code", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewFramework(&tc.tables)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not say %q:\n%.2000s", w, msg)
				}
			}
			if tc.notWant != "" && strings.Contains(msg, tc.notWant) {
				t.Errorf("error says %q:\n%.2000s", tc.notWant, msg)
			}
			if lines := strings.Count(msg, "\n") + 1; tc.maxLines > 0 && lines > tc.maxLines {
				t.Errorf("%d lines, want at most %d", lines, tc.maxLines)
			}
			var fe *FrameworkError
			if tc.count > 0 && (!errors.As(err, &fe) || fe.Count() != tc.count) {
				t.Errorf("Count() = %v, want %d", fe, tc.count)
			}
		})
	}
}
