package layout

import "testing"

// A number format shows money when it shows digits and no percentage,
// date, time, exponent or text alone; quoted text, [colours] and escaped
// characters do not count. (An amount column shown as dates is refused as
// it is read, so its format never reaches the money cells; it is no money
// format either.)
func TestMoneyLike(t *testing.T) {
	for _, c := range []struct {
		code string
		want bool
	}{
		{`#,##0.00`, true},
		{`"£"#,##0.00;[Red]-"£"#,##0.00`, true},
		{`#,##0.00;[Red](#,##0.00)`, true},
		{`_-[$£-809]* #,##0.00_-;-[$£-809]* #,##0.00_-`, true},
		{`0`, true},
		{`dd/mm/yyyy`, false},
		{`0.0%`, false},
		{`0.00E+00`, false},
		{`h:mm`, false},
		{`@`, false},
		{`"days"`, false},
		{`"unclosed`, false},
		{`[Red`, false},
		{`"%"0.00`, true},
	} {
		if got := moneyLike(c.code); got != c.want {
			t.Errorf("moneyLike(%q) = %v, want %v", c.code, got, c.want)
		}
	}
}
