package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Reading the same file twice says the same of it: which lines, which rows
// were excluded, and what each total was checked against. (The Scottish
// budget's totals once took their heading from a map, in any order.)
func TestReadingIsDeterministic(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "corpus", "ledgers", "scotgov__scottish-budget-2024-25-level-4.xlsx")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no corpus file %s", path)
	}
	describe := func() string {
		b, err := ReadBudget(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tb := range b.Tables {
			for _, e := range tb.Excluded {
				out = append(out, fmt.Sprintf("%v %s %d %s", e.Source, e.Reason, e.Expected, e.Check))
			}
		}
		for _, l := range b.Lines() {
			out = append(out, fmt.Sprintf("%v %d", l.Source, l.Amount))
		}
		out = append(out, b.Warnings...)
		return strings.Join(out, "\n")
	}
	first := describe()
	for range 8 {
		if got := describe(); got != first {
			a, b := strings.Split(first, "\n"), strings.Split(got, "\n")
			i := 0
			for i < min(len(a), len(b)) && a[i] == b[i] {
				i++
			}
			// One may be a prefix of the other: its item i is then none.
			item := func(s []string) string {
				if i < len(s) {
					return s[i]
				}
				return "(no more items)"
			}
			t.Fatalf("a second read differs at item %d:\n  %s\n  %s", i, item(a), item(b))
		}
	}
}
