package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIsExampleText(t *testing.T) {
	for s, want := range map[string]bool{
		"EXAMPLE":                       true,
		" EXAMPLE: Debt advice":         true,
		"EXAMPLE:P0001":                 true,
		"Example: debt advice":          false, // a person's words, not the template's mark
		"EXAMPLE SUPPLIES LTD":          false,
		"EXAMPLES":                      false,
		"Debt advice EXAMPLE: contract": false,
		"":                              false,
	} {
		if got := IsExampleText(s); got != want {
			t.Errorf("IsExampleText(%q) = %v, want %v", s, got, want)
		}
	}
}

// A template's example rows are not lines, wherever the mark is, and are
// listed as example rows; a supplier named EXAMPLE SUPPLIES LTD is a line.
func TestExampleRowsAreNotLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "budget.csv")
	data := "Business unit,Cost centre,Description,Supplier,Amount\n" +
		"Housing,HM1,EXAMPLE: Tenancy officers,,100.00\n" +
		"EXAMPLE,HM1,Repairs,,200.00\n" +
		"Housing,HM1,Repairs,EXAMPLE SUPPLIES LTD,300.00\n" +
		"Housing,HM1,Stationery,,4.56\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBudget(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, l := range b.Lines() {
		total += l.Amount
	}
	if len(b.Lines()) != 2 || total != 30456 {
		t.Errorf("%d lines adding to %s, want 2 adding to 304.56", len(b.Lines()), FormatPence(total))
	}
	var examples []int
	for _, e := range b.Tables[0].Excluded {
		if e.Reason == ReasonExample {
			examples = append(examples, e.Source.Row)
		}
	}
	if len(examples) != 2 || examples[0] != 2 || examples[1] != 3 {
		t.Errorf("example rows excluded: %v, want [2 3]", examples)
	}
}
