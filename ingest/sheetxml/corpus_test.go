package sheetxml

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The real-world corpus lives beside the repository (shared/ next to the
// checkout). SHEETXML_CORPUS overrides the location.
func corpusDir() string {
	if d := os.Getenv("SHEETXML_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus", "realworld")
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	dir := corpusDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not found at %s", dir)
	}
	var files []string
	for _, pat := range []string{"*.xlsx", "*.xlsm", "*.xltx"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Skipf("no workbooks in %s", dir)
	}
	return files
}

type cellKey struct{ row, col int }

func (k cellKey) String() string {
	n, err := excelize.CoordinatesToCellName(k.col, k.row)
	if err != nil {
		return fmt.Sprintf("R%dC%d", k.row, k.col)
	}
	return n
}

// corpusExceptions lists files on which this package and excelize are
// known to disagree, with the reason; the differences are logged, not
// failed. Every entry was checked by hand against the file's XML.
var corpusExceptions = map[string]string{}

// readMine reads every non-empty value and every formula of a sheet.
func readMine(w *Workbook, sheet string) (vals map[cellKey]string, formulas map[cellKey]Cell, err error) {
	rows, err := w.Rows(sheet)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	vals, formulas = map[cellKey]string{}, map[cellKey]Cell{}
	for rows.Next() {
		for _, c := range rows.Cells() {
			k := cellKey{rows.Row(), c.Col}
			if c.Value != "" {
				vals[k] = c.Value
			}
			if c.HasFormula {
				formulas[k] = c
			}
		}
	}
	return vals, formulas, rows.Err()
}

// readExcelize reads the same through excelize's streaming reader, with
// its dense rows reduced to the non-empty values.
func readExcelize(f *excelize.File, sheet string) (map[cellKey]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := map[cellKey]string{}
	row := 0
	for rows.Next() {
		row++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return vals, err
		}
		for i, v := range cols {
			if v != "" {
				vals[cellKey{row, i + 1}] = v
			}
		}
	}
	return vals, rows.Error()
}

func diffMaps(mine, theirs map[cellKey]string) []string {
	var d []string
	for k, v := range theirs {
		if m, ok := mine[k]; !ok {
			d = append(d, fmt.Sprintf("%s: excelize %q, sheetxml nothing", k, v))
		} else if m != v {
			d = append(d, fmt.Sprintf("%s: excelize %q, sheetxml %q", k, v, m))
		}
	}
	for k, v := range mine {
		if _, ok := theirs[k]; !ok {
			d = append(d, fmt.Sprintf("%s: excelize nothing, sheetxml %q", k, v))
		}
	}
	sort.Strings(d)
	return d
}

// corpusStats counts what the comparison covered.
type corpusStats struct{ sheets, values, formulas int }

// compareWithExcelize returns the differences found in one file (nil if
// it agrees), and a note on how far the comparison went.
func compareWithExcelize(path string, st *corpusStats) (diffs []string, note string) {
	var mineErr error
	w, mineErr := Open(path, Limits{})
	if w != nil {
		defer w.Close()
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		// excelize cannot read it; this package must only fail cleanly
		// or read it, which it just did without panicking.
		if w != nil {
			for _, sh := range w.Sheets() {
				if _, _, err := readMine(w, sh.Name); err != nil {
					note += fmt.Sprintf(" sheet %q: %v;", sh.Name, err)
				}
			}
		}
		return nil, fmt.Sprintf("excelize fails (%v); sheetxml: open err=%v%s", err, mineErr, note)
	}
	defer f.Close()
	if mineErr != nil {
		n := 0
		for _, sh := range f.GetSheetList() {
			if vals, err := readExcelize(f, sh); err == nil {
				n += len(vals)
			}
		}
		if n == 0 {
			return nil, fmt.Sprintf("sheetxml fails (%v); excelize opens it but reads no cells", mineErr)
		}
		return []string{fmt.Sprintf("sheetxml Open: %v (excelize reads %d cells)", mineErr, n)}, ""
	}

	var mineNames []string
	kinds := map[string]string{}
	for _, sh := range w.Sheets() {
		mineNames = append(mineNames, sh.Name)
		kinds[sh.Name] = sh.Kind
	}
	if got, want := strings.Join(mineNames, "|"), strings.Join(f.GetSheetList(), "|"); got != want {
		diffs = append(diffs, fmt.Sprintf("sheet list: sheetxml %q, excelize %q", got, want))
	}
	if props, err := f.GetWorkbookProps(); err == nil {
		if want := props.Date1904 != nil && *props.Date1904; w.Date1904() != want {
			diffs = append(diffs, fmt.Sprintf("Date1904: sheetxml %v, excelize %v", w.Date1904(), want))
		}
	}
	for _, sh := range w.Sheets() {
		if vis, err := f.GetSheetVisible(sh.Name); err == nil && vis != (sh.State == "visible") {
			diffs = append(diffs, fmt.Sprintf("sheet %q: state %q, excelize visible=%v", sh.Name, sh.State, vis))
		}
	}
	checkFormulas := false
	if fi, err := os.Stat(path); err == nil && fi.Size() < 200<<10 {
		checkFormulas = true
	}
	cells, nformulas := 0, 0
	for _, sheet := range f.GetSheetList() {
		theirs, xerr := readExcelize(f, sheet)
		mine, formulas, merr := readMine(w, sheet)
		switch {
		case errors.Is(merr, ErrNotWorksheet):
			if len(theirs) > 0 {
				diffs = append(diffs, fmt.Sprintf("sheet %q: sheetxml says %v but excelize reads %d cells", sheet, merr, len(theirs)))
			}
			continue
		case xerr != nil && merr != nil:
			note += fmt.Sprintf(" sheet %q: both fail (excelize: %v; sheetxml: %v);", sheet, xerr, merr)
			continue
		case xerr != nil:
			diffs = append(diffs, fmt.Sprintf("sheet %q: excelize fails (%v), sheetxml reads %d values", sheet, xerr, len(mine)))
			continue
		case merr != nil:
			diffs = append(diffs, fmt.Sprintf("sheet %q: sheetxml fails (%v), excelize reads %d values", sheet, merr, len(theirs)))
			continue
		}
		for _, d := range diffMaps(mine, theirs) {
			diffs = append(diffs, fmt.Sprintf("sheet %q %s", sheet, d))
		}
		cells += len(mine)
		if !checkFormulas {
			continue
		}
		for k, c := range formulas {
			if c.Shared && c.Formula == "" {
				continue // a shared formula's child: excelize expands it, we do not
			}
			want, err := f.GetCellFormula(sheet, k.String())
			if err != nil {
				diffs = append(diffs, fmt.Sprintf("sheet %q %s: GetCellFormula: %v", sheet, k, err))
				continue
			}
			nformulas++
			got := c.Formula
			if c.Shared {
				// excelize re-serialises a shared formula's master through
				// its tokenizer, which drops the spaces between tokens.
				want, got = stripFormulaSpace(want), stripFormulaSpace(got)
			}
			if want != got {
				diffs = append(diffs, fmt.Sprintf("sheet %q %s: formula: excelize %q, sheetxml %q", sheet, k, want, c.Formula))
			}
		}
	}
	st.sheets += len(f.GetSheetList())
	st.values += cells
	st.formulas += nformulas
	return diffs, fmt.Sprintf("%d sheets, %d values, %d formulas", len(f.GetSheetList()), cells, nformulas)
}

// stripFormulaSpace removes whitespace outside string literals.
func stripFormulaSpace(f string) string {
	var b strings.Builder
	inStr := false
	for _, r := range f {
		if r == '"' {
			inStr = !inStr
		}
		if !inStr && (r == ' ' || r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestCorpusAgreesWithExcelize reads every workbook of the real-world
// corpus with both readers and compares them cell for cell.
func TestCorpusAgreesWithExcelize(t *testing.T) {
	files := corpusFiles(t)
	if testing.Short() {
		var sub []string
		for i, f := range files {
			if i%5 == 0 {
				sub = append(sub, f)
			}
		}
		files = sub
	}
	var compared, agreed, excused, excelizeFails int
	var total corpusStats
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			type result struct {
				diffs []string
				note  string
				panic any
				st    corpusStats
			}
			done := make(chan result, 1)
			go func() {
				var r result
				defer func() {
					if p := recover(); p != nil {
						r.panic = p
					}
					done <- r
				}()
				var st corpusStats
				r.diffs, r.note = compareWithExcelize(path, &st)
				r.st = st
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(2 * time.Minute):
				t.Fatalf("%s: no result after 2 minutes", name)
			}
			if r.panic != nil {
				// excelize is known to panic on some hostile files; a
				// panic is only ours if Open/Rows alone panics.
				if p := panicsAlone(path); p != nil {
					t.Fatalf("sheetxml panics: %v", p)
				}
				t.Logf("excelize panicked (%v); sheetxml reads it without panic", r.panic)
				return
			}
			if strings.HasPrefix(r.note, "excelize fails") || strings.HasPrefix(r.note, "sheetxml fails") {
				excelizeFails++
				t.Log(r.note)
				return
			}
			compared++
			total.sheets += r.st.sheets
			total.values += r.st.values
			total.formulas += r.st.formulas
			if len(r.diffs) == 0 {
				agreed++
				t.Logf("agrees: %s", r.note)
				return
			}
			if len(r.diffs) > 20 {
				r.diffs = append(r.diffs[:20], fmt.Sprintf("... and %d more", len(r.diffs)-20))
			}
			msg := strings.Join(r.diffs, "\n\t")
			if reason, ok := corpusExceptions[name]; ok {
				excused++
				t.Logf("known difference (%s):\n\t%s", reason, msg)
				return
			}
			t.Errorf("%d differences from excelize:\n\t%s", len(r.diffs), msg)
		})
	}
	t.Logf("compared %d files (%d sheets, %d non-empty values, %d formulas) with excelize: %d agree, %d known exceptions; %d files excelize or sheetxml cannot open",
		compared, total.sheets, total.values, total.formulas, agreed, excused, excelizeFails)
}

// panicsAlone reads a file with this package only and returns any panic.
func panicsAlone(path string) (p any) {
	defer func() { p = recover() }()
	w, err := Open(path, Limits{})
	if err != nil {
		return nil
	}
	defer w.Close()
	for _, sh := range w.Sheets() {
		_, _, _ = readMine(w, sh.Name)
	}
	return nil
}
