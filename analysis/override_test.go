package analysis

import (
	"errors"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

func TestOverride(t *testing.T) {
	fw := defaultFramework(t)
	for _, c := range []struct {
		outcome, share string
		want           []Part
		err            string
	}{
		{"Money and debt advice", "", []Part{{"money_advice", 10000, Specialist}}, ""},
		{"money_advice", "50%", []Part{{"money_advice", 5000, Specialist}}, ""},
		{"  MONEY AND  debt advice ", "0.25", []Part{{"money_advice", 2500, Specialist}}, ""},
		{"Tenancy sustainment", "60", []Part{{"tenancy_sustainment", 6000, Embedded}}, ""},
		{"core", "", nil, ""},
		{"Core", "40%", nil, ""},
		{"Money and debt advice", "0%", nil, ""},
		{"Happiness", "", nil, `"Happiness" is not an outcome of the framework`},
		{"unmapped", "", nil, "is not an outcome"},
		{"income", "", nil, "is not an outcome"},
		{"Money and debt advice", "120%", nil, "outside 0% to 100%"},
		{"Money and debt advice", "-5", nil, "outside 0% to 100%"},
		{"Money and debt advice", "half", nil, "is not a percentage"},
		{"Money and debt advice", "33.333%", nil, "finer than a hundredth"},
	} {
		r, err := fw.Override(c.outcome, c.share, "a note")
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q %q: error %v, want %q", c.outcome, c.share, err, c.err)
			}
		case err != nil:
			t.Errorf("%q %q: %v", c.outcome, c.share, err)
		case r.ID != RuleOverride || r.Note != "a note" || len(r.Parts) != len(c.want) || len(c.want) > 0 && r.Parts[0] != c.want[0]:
			t.Errorf("%q %q: %+v, want parts %+v", c.outcome, c.share, r, c.want)
		}
	}
	for text, want := range map[string]bool{"core": true, "Money and debt advice": true, "Money and debt advice 60%": true,
		"unmapped": false, "Money and debt advice 60%; core 40%": false, "Tenancy sustainment 20%; core 80%": false, "": false} {
		if _, _, ok := fw.OverrideOutcome(text); ok != want {
			t.Errorf("OverrideOutcome(%q) = %v, want %v", text, ok, want)
		}
	}
}

// An override that cannot be read names the cell that is wrong: the Share
// override's when the share is, else the Outcome override's.
func TestReviewOverrideNamesTheCell(t *testing.T) {
	fw := defaultFramework(t)
	src := ingest.Source{File: "b.xlsx", Sheet: "Budget", Row: 7}
	review := func(outcome, share string) *ingest.LineReview {
		rv := &ingest.LineReview{}
		if outcome != "" {
			rv.Cells = append(rv.Cells, ingest.ReviewCell{Header: ingest.OutcomeOverrideHeader, Col: 15, Row: 7, Value: outcome})
		}
		if share != "" {
			rv.Cells = append(rv.Cells, ingest.ReviewCell{Header: ingest.ShareOverrideHeader, Col: 16, Row: 7, Value: share})
		}
		return rv
	}
	for _, c := range []struct {
		outcome, share, cell string
	}{
		{"Money and debt advice", "half", "P7"},
		{"Money and debt advice", "150%", "P7"},
		{"Happiness", "", "O7"},
		{"Happiness", "50%", "O7"},
	} {
		_, err := fw.ReviewOverride(review(c.outcome, c.share), src)
		var ce ingest.CellError
		if !errors.As(err, &ce) || ce.Cell != c.cell || ce.Source.File != "b.xlsx" || ce.Source.Sheet != "Budget" {
			t.Errorf("%q %q: %#v, want a cell error at %s", c.outcome, c.share, err, c.cell)
		}
	}
	if r, err := fw.ReviewOverride(review("", "50%"), src); r != nil || err != nil {
		t.Errorf("a share with no outcome: %v, %v; want nothing", r, err)
	}
	if r, err := fw.ReviewOverride(review("core", ""), src); err != nil || r == nil || r.ID != RuleOverride {
		t.Errorf("core: %+v, %v", r, err)
	}
}
