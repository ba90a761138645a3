package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds real-world workbooks nobody here wrote, odd and broken
// ones included (see its SOURCES.md). It sits beside the repository.
const corpusDir = "../../../shared/corpus/realworld"

// TestCorpusSurvives runs the whole tool over every real-world file, one
// run per file: each must end in outputs or in a message that names the
// file, never a panic, and a readable one must reconcile.
func TestCorpusSurvives(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: reads every corpus file")
	}
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	readable := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".tsv") {
			continue
		}
		path := filepath.Join(corpusDir, name)
		out := t.TempDir()
		r := runCLI(t, "run", "-q", "--keep-going", "--out", out, path)
		switch r.exit {
		case 0:
			readable++
			checkReconciles(t, out)
			checkCellsSurvive(t, path, out)
		case 1, 2:
			if !strings.Contains(r.stderr, name) {
				t.Errorf("%s: the message does not name the file: %s", name, r.stderr)
			}
			if strings.Contains(r.stderr, "internal error") {
				t.Errorf("%s: %s", name, r.stderr)
			}
		}
	}
	if readable == 0 {
		t.Error("no corpus file was read; the corpus should hold a few budget-like tables")
	}
	t.Logf("%d of %d corpus files had a table to read", readable, len(entries))
}

// checkCellsSurvive proves the fast paths kept every original cell: excelize
// reads the original and the annotated copy, and every cell of the first is
// in the second, the same.
func checkCellsSurvive(t *testing.T, original, out string) {
	t.Helper()
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if !strings.Contains(e.Name(), ".annotated.") {
			continue
		}
		orig, ann := readWorkbookCells(t, original), readWorkbookCells(t, filepath.Join(out, e.Name()))
		for _, sheet := range orig.sheets {
			for ref, want := range orig.cells[sheet] {
				if got := ann.cells[sheet][ref]; got != want {
					t.Errorf("%s sheet %q %s: annotated copy has %s, original %s", filepath.Base(original), sheet, ref, orNone(got), want)
				}
			}
		}
	}
}
