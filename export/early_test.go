package export

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/ingesttest"
	"github.com/purpose-hq/purpose/ingest/sheetxml"
	"github.com/purpose-hq/purpose/templates"
)

// readForTest reads an input through a collector, annotating its budget
// sheets as they are read when early is set, in order, as the command does
// (but on one goroutine).
func readForTest(t *testing.T, fw *analysis.Framework, path string, early bool) Input {
	t.Helper()
	c := NewCollector(fw)
	c.Begin(nil)
	opt := ingest.Options{Excluded: c.Excluded, TableEnd: c.TableEnd, KeepGoing: true}
	if early {
		opt.SheetXML = c.AnnotateAsRead(t.TempDir(), path)
	}
	b, err := ingest.StreamBudget(path, opt, c.Line)
	if err != nil {
		c.Discard()
		t.Fatal(err)
	}
	in, err := c.End(b)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// sheetCells renders every cell of every sheet of a workbook, shared
// strings resolved, with its style: what a reader sees.
func sheetCells(t *testing.T, path string) map[string][]string {
	t.Helper()
	wb, err := sheetxml.Open(path, sheetxml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	out := map[string][]string{}
	for _, s := range wb.Sheets() {
		rows, err := wb.Rows(s.Name)
		if err != nil {
			continue // a chart sheet
		}
		for rows.Next() {
			for _, c := range rows.Cells() {
				out[s.Name] = append(out[s.Name], fmt.Sprintf("%s%d %q s%d f%q", ingest.ColumnLetter(c.Col), rows.Row(), c.Value, c.Style, c.Formula))
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		rows.Close()
	}
	return out
}

// A budget sheet annotated as it is read must come out as the one
// annotated from the original once the table is known: every cell's value
// and style the same.
func TestAnnotatedAsReadIsTheSame(t *testing.T) {
	ft, err := ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	if err != nil {
		t.Fatal(err)
	}
	fw, err := analysis.NewFramework(ft)
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{"../samples/budget.xlsx"}
	more, _ := filepath.Glob("../cmd/purpose/testdata/*/*.xlsx")
	inputs = append(inputs, more...)
	// Whether each is annotated as read; the rest may fall back, as long as
	// they come out the same. bordered.xlsx's rows reach further right than
	// its header and its <dimension> (which says A1) tell, so the added
	// columns' place is known only at the end.
	wantEarly := map[string]bool{"budget.xlsx": true, "ledger.xlsx": true, "directorates.xlsx": true, "bordered.xlsx": false, "formulas.xlsx": true}
	// Generated ledgers: shared strings, inline strings (the workbook is
	// given a shared string table), and rows out of order in the XML (read
	// as they come; the early copy cannot place them, and is dropped).
	dir := t.TempDir()
	for _, l := range []struct {
		name  string
		opt   ingesttest.LedgerOptions
		early bool
	}{
		{"ledger-shared.xlsx", ingesttest.LedgerOptions{Lines: 3000, Staffing: true, Seed: 7}, true},
		{"ledger-inline.xlsx", ingesttest.LedgerOptions{Lines: 3000, InlineStrings: true, Seed: 8}, true},
	} {
		p := filepath.Join(dir, l.name)
		if err := ingesttest.WriteLedger(p, l.opt); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
		wantEarly[l.name] = l.early
	}
	swapped := filepath.Join(dir, "ledger-swapped.xlsx")
	swapRows(t, filepath.Join(dir, "ledger-shared.xlsx"), swapped, 20, 21)
	inputs = append(inputs, swapped)
	wantEarly["ledger-swapped.xlsx"] = false

	for _, path := range inputs {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			out := sameEitherWay(t, fw, path, wantEarly)
			if filepath.Base(path) == "budget.xlsx" && strings.HasPrefix(path, "../samples") {
				// Annotating the annotated workbook again replaces the
				// added columns, as read too.
				again := filepath.Join(t.TempDir(), "budget.annotated.xlsx")
				if err := os.Rename(out, again); err != nil {
					t.Fatal(err)
				}
				sameEitherWay(t, fw, again, map[string]bool{"budget.annotated.xlsx": true})
			}
		})
	}
}

// wantDirect names the inputs whose budget sheets come out annotated as
// read into their own workbook, it needing only the rest added: their
// <dimension> covers every cell read.
// The sample, saved with its view selected (tabSelected) as Excel saves
// the active sheet, is one.
var wantDirect = map[string]bool{"../samples/budget.xlsx": true, "ledger-shared.xlsx": true, "ledger-inline.xlsx": true, "budget.annotated.xlsx": true}

// sameEitherWay annotates an input as read and from the original, checks
// the two come out the same, and returns the one annotated as read.
func sameEitherWay(t *testing.T, fw *analysis.Framework, path string, wantEarly map[string]bool) string {
	t.Helper()
	if _, err := ingest.StreamBudget(path, ingest.Options{KeepGoing: true}, nil); err != nil {
		t.Skipf("not readable: %v", err)
	}
	run := &Run{Framework: fw}
	written := map[bool]string{}
	for _, early := range []bool{false, true} {
		in := readForTest(t, fw, path, early)
		if want, ok := wantEarly[filepath.Base(path)]; early && ok {
			if got := len(in.early) == len(in.Book.Tables); got != want {
				t.Errorf("%s: %d of %d tables annotated as read; want all: %v", path, len(in.early), len(in.Book.Tables), want)
			}
		}
		if !early && len(in.early) != 0 {
			t.Fatal("annotated as read without being asked to")
		}
		run.Inputs = []Input{in}
		var buf bytes.Buffer
		if err := WriteAnnotated(&buf, t.TempDir(), run, in); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), fmt.Sprintf("early-%v.xlsx", early))
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		written[early] = out
		if early {
			// And straight into the workbook its sheets were annotated
			// into, when they came out as their tables call for.
			done, err := finishEarly(context.Background(), t.TempDir(), run, in)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := wantDirect[path]
			if !ok {
				want = wantDirect[filepath.Base(path)]
			}
			if done != want {
				t.Errorf("%s: finished the early workbook: %v, want %v", path, done, want)
			}
			if done {
				written[true] = in.earlyZip.path
			}
		}
	}
	// The sheets' heads (used range, views, widths) too, byte for byte.
	lateHeads, earlyHeads := sheetHeads(t, written[false]), sheetHeads(t, written[true])
	for part, h := range lateHeads {
		if earlyHeads[part] != h {
			t.Errorf("%s: %s's head differs:\nannotated as read %s\nfrom the original %s", path, part, earlyHeads[part], h)
		}
	}
	late, early := sheetCells(t, written[false]), sheetCells(t, written[true])
	for sheet, cells := range late {
		if got := early[sheet]; strings.Join(got, "\n") != strings.Join(cells, "\n") {
			for i := range min(len(got), len(cells)) {
				if got[i] != cells[i] {
					t.Fatalf("%s: sheet %q differs at cell %d: annotated as read %s, from the original %s", path, sheet, i, got[i], cells[i])
				}
			}
			t.Fatalf("%s: sheet %q: %d cells annotated as read, %d from the original", path, sheet, len(got), len(cells))
		}
	}
	if len(early) != len(late) {
		t.Errorf("%s: %d sheets annotated as read, %d from the original", path, len(early), len(late))
	}
	return written[true]
}

// swapRows copies a workbook with two rows of its first sheet swapped in
// the XML (their numbers kept).
func swapRows(t *testing.T, from, to string, a, b int) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			row := func(n int) []byte {
				i := bytes.Index(data, []byte(fmt.Sprintf(`<row r="%d"`, n)))
				j := bytes.Index(data[i:], []byte("</row>"))
				if i < 0 || j < 0 {
					t.Fatalf("no row %d", n)
				}
				return slices.Clone(data[i : i+j+len("</row>")])
			}
			ra, rb := row(a), row(b)
			data = bytes.Replace(data, append(slices.Clone(ra), rb...), append(slices.Clone(rb), ra...), 1)
			if !bytes.Contains(data, append(slices.Clone(rb), ra...)) {
				t.Fatalf("rows %d and %d are not next to each other", a, b)
			}
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sheetHeads are a workbook's worksheets' XML up to their rows, by part.
func sheetHeads(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(io.LimitReader(r, 1<<20))
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		if i := bytes.Index(b, []byte("<sheetData")); i >= 0 {
			b = b[:i]
		}
		out[zf.Name] = string(b)
	}
	return out
}
