package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Size limits for reading workbooks: a zip bomb becomes a clear error, not
// an exhausted machine.
const (
	unzipSizeLimit    = 4 << 30
	unzipXMLSizeLimit = 256 << 20
)

// oleMagic starts every OLE compound file: password-protected .xlsx files
// and legacy .xls workbooks both look like this.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// OpenWorkbook opens a workbook with the project's limits, turning the
// conditions a user can act on into clear errors.
func OpenWorkbook(path string) (*excelize.File, error) {
	head := make([]byte, 8)
	if fh, err := os.Open(path); err == nil {
		n, _ := fh.Read(head)
		fh.Close()
		head = head[:n]
	}
	if bytes.Equal(head, oleMagic) {
		return nil, fmt.Errorf("%s: %w (or it is an old .xls file renamed; save it as .xlsx)", path, ErrPassword)
	}
	if !bytes.HasPrefix(head, []byte("PK")) {
		return nil, fmt.Errorf("%s: is not an Excel workbook (.xlsx files are zip archives; this one is not)", path)
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    unzipSizeLimit,
		UnzipXMLSizeLimit: unzipXMLSizeLimit,
	})
	if err != nil {
		switch {
		case errors.Is(err, excelize.ErrWorkbookPassword), errors.Is(err, excelize.ErrUnsupportedEncryptMechanism):
			return nil, fmt.Errorf("%s: %w", path, ErrPassword)
		case errors.Is(err, excelize.ErrWorkbookFileFormat):
			return nil, fmt.Errorf("%s: is not a workbook excelize can read (%v); open it in Excel and save it as .xlsx", path, err)
		}
		return nil, fmt.Errorf("%s: could not be opened: %w", path, err)
	}
	return f, nil
}

func readXLSX(book *Book, opt Options) error {
	f, err := OpenWorkbook(book.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	for _, want := range opt.Sheets {
		if !slices.ContainsFunc(sheets, func(s string) bool { return strings.EqualFold(s, want) }) {
			return fmt.Errorf("%s: there is no sheet %q (sheets: %s)", book.Path, want, quoteList(sheets))
		}
	}
	var cellErrs []CellError
	for _, sheet := range sheets {
		if len(opt.Sheets) > 0 && !slices.ContainsFunc(opt.Sheets, func(s string) bool { return strings.EqualFold(s, sheet) }) {
			book.Skipped = append(book.Skipped, SkippedSheet{sheet, "not chosen with --sheet"})
			continue
		}
		if IsReportSheet(f, sheet) {
			continue // an earlier run's Summary, Review or Reconciliation
		}
		if visible, _ := f.GetSheetVisible(sheet); !visible && len(opt.Sheets) == 0 {
			book.Skipped = append(book.Skipped, SkippedSheet{sheet, "hidden"})
			continue
		}
		src := Source{File: book.Path, Sheet: sheet}
		rows, err := newExcelizeRows(f, sheet)
		if err != nil {
			book.Skipped = append(book.Skipped, SkippedSheet{sheet, "not a worksheet"})
			continue
		}
		t, errs, err := readTable(src, rows, tableOptions{
			HeaderRow: opt.HeaderRow, AmountColumn: opt.AmountColumn, KeepGoing: opt.KeepGoing,
			calc: func(ref string) (string, error) {
				return f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
			},
		})
		rows.Close()
		if err != nil {
			return fmt.Errorf("%s: sheet %q: %w", book.Path, sheet, err)
		}
		if t == nil {
			book.Skipped = append(book.Skipped, SkippedSheet{sheet, "no budget table"})
			continue
		}
		cellErrs = append(cellErrs, errs...)
		book.Tables = append(book.Tables, t)
	}
	if len(cellErrs) > 0 {
		return &InputError{File: book.Path, Cells: cellErrs}
	}
	book.finishTables()
	return nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// excelizeRows adapts excelize's streaming row reader to rowSource.
type excelizeRows struct {
	f     *excelize.File
	sheet string
	rows  *excelize.Rows
	row   rowCells
	n     int
	err   error
}

func newExcelizeRows(f *excelize.File, sheet string) (*excelizeRows, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	return &excelizeRows{f: f, sheet: sheet, rows: rows}, nil
}

func (r *excelizeRows) Next() bool {
	for r.rows.Next() {
		r.n++
		cols, err := r.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			r.err = err
			return false
		}
		r.row = rowCells{Row: r.n, Cells: r.row.Cells[:0]}
		for i, v := range cols {
			ref := CellRef(i+1, r.n)
			formula, _ := r.f.GetCellFormula(r.sheet, ref)
			if v == "" && formula == "" {
				continue
			}
			r.row.Cells = append(r.row.Cells, cell{Col: i + 1, Value: v, Formula: formula, HasFormula: formula != "", HasValue: v != ""})
		}
		if len(r.row.Cells) == 0 {
			continue
		}
		return true
	}
	r.err = r.rows.Error()
	return false
}

func (r *excelizeRows) Row() rowCells { return r.row }
func (r *excelizeRows) Err() error    { return r.err }
func (r *excelizeRows) Close() error  { return r.rows.Close() }

// AnnotationHeaders head the columns purpose adds beside a budget table. A
// table whose header ends with them was annotated before: those columns are
// not read as data, and a new annotation writes over them.
var AnnotationHeaders = []string{"Outcome", "Theme", "Mode", "Social share", "Social £", "Rule", "Status"}

// ReportTitles are the A1 titles of the sheets purpose adds to an annotated
// workbook, by the sheet's base name. A sheet so named (or named so with a
// " (purpose…)" suffix) whose A1 holds its title is one of ours: a run on an
// annotated workbook skips it, and a new annotation replaces it.
var ReportTitles = map[string]string{
	"Summary":        "Social purpose in our spend",
	"Review":         "Lines to review",
	"Reconciliation": "Reconciliation",
}

// IsReportSheet reports whether a sheet was added by purpose.
func IsReportSheet(f *excelize.File, sheet string) bool {
	base, _, _ := strings.Cut(sheet, " (purpose")
	title, ok := ReportTitles[base]
	if !ok {
		return false
	}
	a1, err := f.GetCellValue(sheet, "A1")
	return err == nil && a1 == title
}
