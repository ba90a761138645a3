package main

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// corpusDir holds real-world workbooks nobody here wrote, odd and broken
// ones included (see its SOURCES.md); ledgersDir real spend and budget
// files published by UK public bodies. They sit beside the repository.
const (
	corpusDir  = "../../../shared/corpus/realworld"
	ledgersDir = "../../../shared/corpus/ledgers"
)

// TestCorpusSurvives runs the whole tool over every real-world file and
// every published ledger, one run per file: each must end in outputs or in a message that names the
// file, never a panic, never a changed input, never longer than
// corpusFileLimit; a readable one must reconcile. It prints a tally:
// processed, recognised as a budget, refused by reason, and every refusal
// on one line naming the file.
func TestCorpusSurvives(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: reads every corpus file")
	}
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	var paths []string
	for _, e := range entries {
		paths = append(paths, filepath.Join(corpusDir, e.Name()))
	}
	if ledgers, err := os.ReadDir(ledgersDir); err == nil {
		for _, e := range ledgers {
			paths = append(paths, filepath.Join(ledgersDir, e.Name()))
		}
	}
	start := time.Now()
	processed, readable := 0, 0
	reasons := map[string]int{}
	var refusals []string
	for _, path := range paths {
		name := filepath.Base(path)
		if info, err := os.Stat(path); err != nil || info.IsDir() || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".tsv") {
			continue
		}
		processed++
		before := fileSHA256(t, path)
		out := t.TempDir()
		began := time.Now()
		r, panicked := runCLICatching(t, "run", "-q", "--keep-going", "--out", out, path)
		took := time.Since(began)
		if panicked != nil {
			t.Errorf("%s: panic: %v", name, panicked)
			continue
		}
		if took > corpusFileLimit {
			t.Errorf("%s: took %v, more than %v", name, took.Round(time.Millisecond), corpusFileLimit)
		}
		if after := fileSHA256(t, path); after != before {
			t.Errorf("%s: the input was modified (sha256 %s, was %s)", name, after, before)
		}
		switch r.exit {
		case 0:
			readable++
			checkReconciles(t, out)
			if !strings.EqualFold(filepath.Ext(path), ".csv") { // a CSV's sheet is made from its records
				checkCellsSurvive(t, path, out)
			}
		case 1, 2:
			if !strings.Contains(r.stderr, name) {
				t.Errorf("%s: the message does not name the file: %s", name, r.stderr)
			}
			if strings.Contains(r.stderr, "internal error") {
				t.Errorf("%s: %s", name, r.stderr)
			}
			reason := refusalReason(r.stderr, path)
			reasons[reason]++
			refusals = append(refusals, fmt.Sprintf("refused %s: %s", name, reason))
		default:
			t.Errorf("%s: exit %d", name, r.exit)
		}
	}
	if readable == 0 {
		t.Error("no corpus file was read; the corpus should hold a few budget-like tables")
	}
	var tally strings.Builder
	fmt.Fprintf(&tally, "corpus: %d files processed in %v: %d recognised as a budget, %d refused\n", processed, time.Since(start).Round(time.Millisecond), readable, processed-readable)
	keys := slices.Sorted(maps.Keys(reasons))
	slices.SortStableFunc(keys, func(a, b string) int { return reasons[b] - reasons[a] })
	for _, k := range keys {
		fmt.Fprintf(&tally, "  %4d  %s\n", reasons[k], k)
	}
	for _, line := range refusals {
		tally.WriteString(line + "\n")
	}
	t.Log("\n" + tally.String())
}

// corpusFileLimit is the longest one corpus file may take.
const corpusFileLimit = 60 * time.Second

// runCLICatching is runCLI, a panic on the caller's goroutine returned.
func runCLICatching(t *testing.T, args ...string) (r cliResult, panicked any) {
	t.Helper()
	defer func() { panicked = recover() }()
	return runCLI(t, args...), nil
}

// refusalReason is why a run refused a file, on one line: the first line
// of its message without the program's and the file's names, and without
// what follows the first colon after them (the sheet, cell or detail).
func refusalReason(stderr, path string) string {
	var line string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "purpose: ") && !strings.HasPrefix(l, "purpose: note: ") && !strings.HasPrefix(l, "purpose: warning: ") {
			line = strings.TrimPrefix(l, "purpose: ")
			break
		}
	}
	line = strings.TrimPrefix(strings.ReplaceAll(line, path, ""), ": ")
	line = strings.TrimPrefix(line, "warning: ")
	for _, sep := range []string{" (", "; ", ": "} {
		if i := strings.Index(line, sep); i > 0 && !strings.HasPrefix(line, "sheet ") {
			line = line[:i]
		}
	}
	if strings.HasPrefix(line, "sheet ") {
		if _, rest, ok := strings.Cut(line, ": "); ok {
			line = "sheet …: " + rest
		}
	}
	return strings.TrimSuffix(line, ":")
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
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
