package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// unzipSizeLimit is the most a worksheet, which streams, may inflate to: a
// zip bomb becomes a clear error, not an exhausted machine. Every other
// part is held to maxWholePart (limits.go).
const unzipSizeLimit = 4 << 30

// oleMagic starts every OLE compound file: password-protected .xlsx files
// and legacy .xls workbooks both look like this.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// OpenWorkbook opens a workbook with the project's limits, turning the
// conditions a user can act on into clear errors.
func OpenWorkbook(path string) (*excelize.File, error) {
	if err := checkZip(path); err != nil {
		return nil, err
	}
	if err := checkParts(path); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelizeOptions())
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

// openWorkbook opens a workbook to stream with the project's limits, and
// reads its shared strings, so that a damaged table is named now, and its
// date styles. The caller closes the workbook.
func openWorkbook(path string) (*sheetxml.Workbook, styleKinds, error) {
	if err := checkZip(path); err != nil {
		return nil, styleKinds{}, err
	}
	wb, err := sheetxml.Open(path, sheetxml.Limits{MaxUnzipped: unzipSizeLimit, MaxPartBytes: maxWholePart})
	if err != nil {
		return nil, styleKinds{}, fmt.Errorf("%s: could not be opened: %w", path, err)
	}
	if _, _, err := wb.SharedStrings(); err != nil {
		err = sharedStringsError(path, wb.SharedStringsPart(), err)
		wb.Close()
		return nil, styleKinds{}, err
	}
	kinds, err := readStyleKinds(path, wb)
	if err != nil {
		wb.Close()
		return nil, styleKinds{}, err
	}
	return wb, kinds, nil
}

func readXLSX(book *Book, opt Options, visit Visit) error {
	wb, kinds, err := openWorkbook(book.Path)
	if err != nil {
		return err
	}
	defer wb.Close()
	var names []string
	for _, s := range wb.Sheets() {
		names = append(names, s.Name)
	}
	for _, want := range opt.Sheets {
		if !slices.ContainsFunc(names, func(s string) bool { return strings.EqualFold(s, want) }) {
			return fmt.Errorf("%s: there is no sheet %q (sheets: %s)", book.Path, want, quoteList(names))
		}
	}
	// A formula saved without its value is calculated by excelize, opened
	// only if one turns up.
	var calcFile *excelize.File
	defer func() {
		if calcFile != nil {
			calcFile.Close()
		}
	}()
	calc := func(sheet string) func(string) (string, error) {
		return func(ref string) (string, error) {
			if calcFile == nil {
				f, err := OpenWorkbook(book.Path)
				if err != nil {
					return "", err
				}
				calcFile = f
			}
			return calcFile.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		}
	}

	// First, which sheets are to be read; then read them. Knowing how many
	// tables there are decides what a table with no business unit column
	// reports its lines under: its sheet's name when there are several.
	var chosen []sheetxml.Sheet
	for _, s := range wb.Sheets() {
		switch {
		case len(opt.Sheets) > 0 && !slices.ContainsFunc(opt.Sheets, func(n string) bool { return strings.EqualFold(n, s.Name) }):
			book.Skipped = append(book.Skipped, SkippedSheet{s.Name, "not chosen with --sheet"})
		case s.State != "visible" && len(opt.Sheets) == 0:
			if !MayBeReportSheet(s.Name) {
				book.Skipped = append(book.Skipped, SkippedSheet{s.Name, "hidden"}) // not the Lists an earlier run hid
			}
		default:
			chosen = append(chosen, s)
		}
	}
	// A staffing establishment beside budget tables repeats their pay: it
	// is left out, unless it is the only table there is.
	var tables, spend []string
	staffing := map[string]string{} // sheet → why it is a staffing table
	// An earlier run's Summary, Review or Reconciliation, known by its A1:
	// not read as a table (a sheet whose first rows cannot be read is not
	// one, and readTable names its error).
	report := map[string]bool{}
	for _, s := range chosen {
		rows, err := wb.Rows(s.Name)
		if err != nil {
			continue
		}
		head, err := readHead(&sheetRows{rows: rows}, opt.HeaderRow)
		rows.Close()
		if err == nil && isReportSheet(s.Name, head) {
			report[s.Name] = true
		} else if err == nil {
			if h, ok := detectHeader(head, opt.HeaderRow, opt.AmountColumn); ok {
				tables = append(tables, s.Name)
				if yes, why := isStaffingTable(head, h); yes {
					staffing[s.Name] = why
				} else {
					spend = append(spend, s.Name)
				}
			}
		}
	}
	if len(spend) > 0 {
		tables = spend
	} else {
		clear(staffing)
	}
	// Several tables and no business unit column: their sheets' names
	// stand for business units only when they are not months, periods or
	// names any workbook has ("Sheet1", "Data").
	sheetUnits := len(tables) > 1 && !slices.ContainsFunc(tables, func(name string) bool { return periodSheet(name) || genericSheet(name) })
	if len(tables) > 1 && slices.ContainsFunc(tables, periodSheet) {
		book.periodSheets = slices.DeleteFunc(slices.Clone(tables), func(name string) bool { return !periodSheet(name) })
		book.otherSheets = slices.DeleteFunc(slices.Clone(tables), periodSheet)
	}

	// Staffing sheets and pay scales first, so that a caller has the posts
	// before the lines whose pay they apportion.
	for _, s := range chosen {
		if why, ok := staffing[s.Name]; ok {
			book.Skipped = append(book.Skipped, SkippedSheet{s.Name, "staffing establishment, not spend (" + why + "): read as posts, whose time apportions the budget's pay lines, not added to them"})
			// Read as staffing instead (see staffing.go).
			if rows, err := wb.Rows(s.Name); err == nil {
				st, errs, err := readStaffTable(Source{File: book.Path, Sheet: s.Name}, &sheetRows{rows: rows, kinds: kinds})
				rows.Close()
				if err != nil {
					return fmt.Errorf("%s: sheet %q: %w", book.Path, s.Name, err)
				}
				if st != nil {
					// The budget reads without it: its cells' errors
					// stay with it, for a caller that uses it.
					st.Errors = errs
					book.Staffing = append(book.Staffing, st)
				}
			}
		} else if slices.Contains(spend, s.Name) {
			// Posts below the budget on its own sheet (see staffbelow.go).
			st, errs, err := staffingBelow(wb, s, Source{File: book.Path, Sheet: s.Name}, kinds, tableOptions{HeaderRow: opt.HeaderRow, AmountColumn: opt.AmountColumn, calc: calc(s.Name)})
			if err != nil {
				return fmt.Errorf("%s: sheet %q: %w", book.Path, s.Name, err)
			}
			if st != nil {
				st.Errors = errs
				book.Staffing = append(book.Staffing, st)
			}
		} else if IsPayScaleSheet(s.Name) && len(opt.Sheets) == 0 {
			if rows, err := wb.Rows(s.Name); err == nil {
				ps, errs, err := readPayScales(Source{File: book.Path, Sheet: s.Name}, &sheetRows{rows: rows, kinds: kinds})
				rows.Close()
				if err == nil && len(errs) == 0 {
					book.PayScales = append(book.PayScales, ps...)
				}
			}
		}
	}
	if opt.Staffing != nil {
		if err := opt.Staffing(book); err != nil {
			return err
		}
	}

	var cellErrs []CellError
	for _, s := range chosen {
		if _, ok := staffing[s.Name]; ok {
			continue
		}
		if report[s.Name] {
			// The Review sheet's decisions are an adviser's.
			if ReportBase(s.Name) == "Review" {
				if rows, err := wb.Rows(s.Name); err == nil {
					ds, errs, err := readDecisions(Source{File: book.Path, Sheet: s.Name}, &sheetRows{rows: rows, kinds: kinds})
					rows.Close()
					if err != nil {
						return fmt.Errorf("%s: sheet %q: %w", book.Path, s.Name, err)
					}
					book.Decisions = append(book.Decisions, ds...)
					cellErrs = append(cellErrs, errs...)
				}
			}
			continue
		}
		rows, err := wb.Rows(s.Name)
		if err != nil {
			book.Skipped = append(book.Skipped, SkippedSheet{s.Name, "not a worksheet"})
			continue
		}
		bu := ""
		if sheetUnits {
			bu = s.Name
		}
		opt.Progress.watch(rows.Progress)
		t, errs, err := readTable(Source{File: book.Path, Sheet: s.Name}, &sheetRows{rows: rows, kinds: kinds}, tableOptions{
			progress:  opt.Progress,
			HeaderRow: opt.HeaderRow, AmountColumn: opt.AmountColumn, KeepGoing: opt.KeepGoing,
			calc:         calc(s.Name),
			visit:        visit,
			businessUnit: bu,
			noTable:      func(reason string) { book.noTable = append(book.noTable, fmt.Sprintf("sheet %q: %s", s.Name, reason)) },
		})
		rows.Close()
		if err != nil {
			return fmt.Errorf("%s: sheet %q: %w", book.Path, s.Name, err)
		}
		if t == nil {
			book.Skipped = append(book.Skipped, SkippedSheet{s.Name, "no budget table"})
			continue
		}
		cellErrs = append(cellErrs, errs...)
		t.sheetUnit = bu != "" && t.Columns[FieldBusinessUnit] == 0
		book.Tables = append(book.Tables, t)
	}
	if len(cellErrs) > 0 {
		return &InputError{File: book.Path, Cells: cellErrs}
	}
	if err := checkOverlap(book, opt); err != nil {
		return err // a sheet restates others (see overlap.go)
	}
	// Skipped sheets in workbook order, however they were found.
	slices.SortStableFunc(book.Skipped, func(a, b SkippedSheet) int {
		return slices.Index(names, a.Name) - slices.Index(names, b.Name)
	})
	book.finishTables()
	return nil
}

// checkZip turns the commonest wrong files into messages a person can act
// on before any zip reading starts.
func checkZip(path string) error {
	head := make([]byte, 8)
	if fh, err := os.Open(path); err == nil {
		n, _ := fh.Read(head)
		fh.Close()
		head = head[:n]
	}
	if bytes.Equal(head, oleMagic) {
		return fmt.Errorf("%s: %w (or it is an old .xls file renamed; save it as .xlsx)", path, ErrPassword)
	}
	if !bytes.HasPrefix(head, []byte("PK")) {
		return fmt.Errorf("%s: is not an Excel workbook (an .xlsx file is a zip archive; this one is not: save it from Excel as .xlsx)", path)
	}
	return nil
}

// sheetRows adapts sheetxml's row reader to rowSource.
type sheetRows struct {
	rows  *sheetxml.Rows
	row   rowCells
	kinds styleKinds
}

func (r *sheetRows) Next() bool {
	for r.rows.Next() {
		r.row = rowCells{Row: r.rows.Row(), Cells: r.row.Cells[:0]}
		for _, c := range r.rows.Cells() {
			r.row.LastCol = max(r.row.LastCol, c.Col)
			if c.Value == "" && !c.HasFormula {
				continue
			}
			r.row.Cells = append(r.row.Cells, cell{Col: c.Col, Value: c.Value, Formula: c.Formula, HasFormula: c.HasFormula, HasValue: c.HasValue, Kind: r.kinds.of(c.Type, c.Style)})
		}
		// A row of empty cells (formatting only) is skipped: nothing is
		// added to it, so where its cells end does not matter.
		if len(r.row.Cells) > 0 {
			return true
		}
	}
	return false
}

func (r *sheetRows) Row() rowCells { return r.row }
func (r *sheetRows) Err() error    { return r.rows.Err() }
func (r *sheetRows) Close() error  { return r.rows.Close() }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// quoteSome quotes the first n names and counts the rest.
func quoteSome(names []string, n int) string {
	if len(names) <= n {
		return quoteList(names)
	}
	return fmt.Sprintf("%s and %d more", quoteList(names[:n]), len(names)-n)
}

var (
	periodName  = regexp.MustCompile(`^((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*( ?\d{2}|\d{4})?( \d{2,4})?|(month|mth|m|period|per|p|week|wk|w|quarter|qtr|q) ?\d{1,2}( [a-z0-9 ]*)?|(fy ?)?(19|20)\d\d( \d{2,4})?|\d{1,2})$`)
	genericName = regexp.MustCompile(`^(sheet ?\d*|data|budget|budgets|export|report|table|page ?\d*|detail|details|lines|ledger|transactions|spend|payments|summary|totals?|ytd|year to date|full year|annual|all)$`)
)

// periodsTotal names a sheet that adds up periods ("Q1 Total", "P12 YTD").
var periodsTotal = regexp.MustCompile(`\b(total|totals|ytd|year to date|full year|annual|summary|cumulative)\b`)

// periodSheet reports whether a sheet is named for a month or period:
// "Apr", "April 2026", "Apr-26", "Month 1", "P01", "Q2", "2025".
func periodSheet(name string) bool {
	n := normaliseHeader(name)
	return periodName.MatchString(n) && !periodsTotal.MatchString(n)
}

// genericSheet reports whether a sheet's name says nothing of a business
// unit: "Sheet1", "Data", "Summary".
func genericSheet(name string) bool {
	return genericName.MatchString(normaliseHeader(name))
}
