package analysis

import (
	"strings"
	"testing"
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
