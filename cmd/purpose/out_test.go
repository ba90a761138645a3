package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// --out holds one run's outputs: a run into a folder where an earlier run
// wrote other inputs' workbooks removes them (as that run's run.json lists
// them) in the same commit, says so, and touches nothing else.
func TestOutHoldsOneRunsOutputs(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	book := func(name string) string {
		p := filepath.Join(dir, name)
		s := ingesttest.Sheet{Name: "Budget", Rows: [][]any{ingesttest.BudgetHeader, {"H", "HM1", "", "5000", "", "Tenancy sustainment officer", 1000}}}
		if err := ingesttest.WriteXLSX(p, s); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first, second := book("north.xlsx"), book("south.xlsx")
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if r := runCLI(t, "run", "-q", "--out", out, first); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	r := runCLI(t, "run", "-q", "--out", out, second)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	var names []string
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"allocations.csv", "notes.txt", "run.json", "south.annotated.xlsx", "summary.csv"}; !slices.Equal(names, want) {
		t.Errorf("--out holds %q, want %q", names, want)
	}
	if !strings.Contains(r.stdout, "Removed from the earlier run there: north.annotated.xlsx") {
		t.Errorf("the run does not say what it removed:\n%s", r.stdout)
	}
}
