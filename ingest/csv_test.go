package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A quote never closed is refused naming the file once, and its line.
func TestUnclosedQuoteNamesTheFileOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "62-unclosed-quote.csv")
	if err := os.WriteFile(p, []byte("Cost Centre,Description,Amount\nHM01,Salaries,100\nHM01,\"Postage,50\nHM01,Cleaning,25\nCI01,Grant,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadBudget(p, Options{})
	if err == nil || strings.Count(err.Error(), p) != 1 || !strings.Contains(err.Error(), p+": line 3: a quote opens a field") {
		t.Fatalf("err = %v; want the file named once, then line 3", err)
	}
}

// A table with no lines at all says so, rather than reading as a budget
// of nothing.
func TestATableWithNoLinesSaysSo(t *testing.T) {
	for name, text := range map[string]string{
		"header only":       "Cost Centre,Description,Amount\n",
		"header and a note": "Cost Centre,Description,Amount\n,Figures to follow,\n",
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "budget.csv")
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := ReadBudget(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if w := strings.Join(b.Warnings, "\n"); !strings.Contains(w, "the table under the header on row 1 has no lines") {
				t.Errorf("warnings %q; want the empty table named", w)
			}
		})
	}
}
