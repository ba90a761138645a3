package csvout

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// The allocations writer quotes fields itself; what it writes must be what
// encoding/csv would.
func TestAppendCSVFieldAsEncodingCSV(t *testing.T) {
	fields := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " leading", "\tleading",
		"\u00a0nbsp", `\.`, `\.x`, "trailing ", "£1,234.56", `""`, "\"", ",", "caf\u00e9", "\xff\xfe"}
	for _, f := range fields {
		f2 := f + "," + f // and a field holding two of them
		for _, f := range []string{f, f2} {
			var want bytes.Buffer
			w := csv.NewWriter(&want)
			if err := w.Write([]string{f, "x"}); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			got := append(appendCSVField(nil, f), ",x\n"...)
			if string(got) != want.String() {
				t.Errorf("field %q: wrote %q, encoding/csv writes %q", f, got, want.String())
			}
		}
	}
}

func FuzzAppendCSVField(f *testing.F) {
	f.Add("a,\"b\"\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write([]string{s}); err != nil {
			t.Skip()
		}
		w.Flush()
		if got := string(appendCSVField(nil, s)) + "\n"; got != want.String() {
			t.Errorf("field %q: wrote %q, encoding/csv writes %q", s, got, want.String())
		}
	})
}
