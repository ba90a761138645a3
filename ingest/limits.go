package ingest

// The limits that keep a hostile or broken file from exhausting the
// machine: each is far above what a real budget or framework needs, and
// passing one is an error that names the file, the part or row, and the
// limit (README, "Limits").

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// Variables, not constants, so that tests can lower them and keep their
// files small.
var (
	// maxWholePart is the most any part read whole may inflate to: every
	// part of a workbook excelize opens (a framework workbook, the
	// annotated workbook's shell, a budget whose formulas it calculates),
	// and every part of a budget but its worksheets, which stream.
	maxWholePart int64 = sheetxml.DefaultMaxPart
	// maxWorkbookBytes is the most all the parts of a workbook excelize
	// opens may inflate to together.
	maxWorkbookBytes int64 = 256 << 20
	// maxXMLDepth is how deep elements may nest in a part excelize reads
	// (its XML decoder keeps a stack as deep as the part is nested).
	maxXMLDepth = sheetxml.MaxDepth
)

// MaxFrameworkRows is the most rows a framework table may have, and so the
// most rules: real frameworks have tens to a few hundred.
const MaxFrameworkRows = 100_000

// maxFrameworkRows is MaxFrameworkRows, lowered by tests.
var maxFrameworkRows = MaxFrameworkRows

// MaxListedProblems is how many problems a framework's error lists; the
// rest are counted.
const MaxListedProblems = 50

// ListProblems joins problems one to a line, the first MaxListedProblems
// of them, and says how many more there are.
func ListProblems(problems []string, more int) string {
	if len(problems) > MaxListedProblems {
		more += len(problems) - MaxListedProblems
		problems = problems[:MaxListedProblems]
	}
	s := strings.Join(problems, "\n  ")
	if more > 0 {
		word := "problems"
		if more == 1 {
			word = "problem"
		}
		s += fmt.Sprintf("\n  and %d more %s", more, word)
	}
	return s
}

// checkParts refuses, before excelize opens it, a workbook with a part
// excelize would read whole that is larger than maxWholePart (by its zip
// header, then by the bytes as they inflate) or nested deeper than
// maxXMLDepth, or whose parts add up to more than maxWorkbookBytes.
// excelize reads every part of a workbook it opens into memory (a large
// one through a temporary file, then into memory when it is used or
// saved), and decodes its XML with a stack as deep as the nesting.
func checkParts(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	var total uint64
	for _, zf := range zr.File {
		if zf.UncompressedSize64 > uint64(maxWholePart) {
			return fmt.Errorf("%s: %w", path, &sheetxml.PartTooLargeError{Part: zf.Name, Limit: maxWholePart, Size: int64(min(zf.UncompressedSize64, 1<<62))})
		}
		total += zf.UncompressedSize64
		if total > uint64(maxWorkbookBytes) {
			return fmt.Errorf("%s: its parts inflate to more than the %s limit for a workbook read whole", path, sheetxml.FormatBytes(maxWorkbookBytes))
		}
	}
	for _, zf := range zr.File {
		if strings.HasSuffix(zf.Name, "/") {
			continue
		}
		if err := sheetxml.CheckPart(zf, maxWholePart, maxXMLDepth); err != nil {
			return partError(path, err)
		}
	}
	return nil
}

// partError says what is wrong with a part in words, naming the file.
func partError(path string, err error) error {
	if e := partTooLargeOrMalformed(path, "", err); e != nil {
		return e
	}
	return fmt.Errorf("%s: %w", path, err)
}

// partTooLargeOrMalformed words a part too large or malformed, naming the
// file, with what before "part" ("" or "the shared strings "); nil for any
// other error.
func partTooLargeOrMalformed(path, what string, err error) error {
	var pe *sheetxml.PartTooLargeError
	var se *sheetxml.SyntaxError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("%s: %s%w", path, what, pe)
	case errors.As(err, &se):
		return fmt.Errorf("%s: %spart %s is malformed at byte %d: %s", path, what, se.Part, se.Offset, se.Msg)
	}
	return nil
}

// excelizeOptions are the options of every workbook excelize opens: its
// own limits, behind checkParts's, so that a part is never inflated to a
// temporary file and then read whole.
func excelizeOptions() excelize.Options {
	return excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxWorkbookBytes,
		UnzipXMLSizeLimit: maxWholePart,
	}
}

// sharedStringsError says a workbook's shared string table cannot be read,
// naming the file, the part and where, instead of leaving every sheet to
// be skipped as holding no table.
func sharedStringsError(path, part string, err error) error {
	if e := partTooLargeOrMalformed(path, "the shared strings ", err); e != nil {
		return e
	}
	if errors.Is(err, sheetxml.ErrMalformed) {
		return fmt.Errorf("%s: the shared strings part %s is malformed: %s", path, part, strings.TrimPrefix(err.Error(), sheetxml.ErrMalformed.Error()+": "))
	}
	return fmt.Errorf("%s: the shared strings part %s cannot be read: %w", path, part, err)
}

// frameworkSheetRows reads a framework sheet's rows as excelize's GetRows
// does (a row's index is its number less one), refusing a sheet with more
// than MaxFrameworkRows rows that hold anything before it reads them all.
func frameworkSheetRows(f *excelize.File, sheet string) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	n, filled := 0, 0
	for rows.Next() {
		n++
		row, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		if len(row) == 0 {
			continue
		}
		if filled++; filled > maxFrameworkRows+1 { // and its header
			return nil, fmt.Errorf("more than %d rows (at row %d): a framework table may have at most %d", maxFrameworkRows, n, maxFrameworkRows)
		}
		for len(out) < n-1 {
			out = append(out, nil)
		}
		out = append(out, row)
	}
	return out, rows.Error()
}

// csvColumnsError refuses a CSV record with more fields than a sheet has
// columns: its annotated workbook could not hold it.
func csvColumnsError(row, fields int) error {
	return fmt.Errorf("row %d has %d columns, more than the %d (to column %s) a sheet holds", row, fields, sheetxml.MaxColumns, ColumnLetter(sheetxml.MaxColumns))
}

// readFrameworkFile reads a framework table's file, refusing one larger
// than maxWholePart before reading it.
func readFrameworkFile(fsys fs.FS, name, shown string) ([]byte, error) {
	if info, err := fs.Stat(fsys, name); err == nil && info.Size() > maxWholePart {
		return nil, fmt.Errorf("%s: is %s, more than the %s a framework table's file may be", shown, sheetxml.FormatBytes(info.Size()), sheetxml.FormatBytes(maxWholePart))
	}
	return fs.ReadFile(fsys, name)
}

// keyColumnBlank is the problem of a table whose key column (an outcome's
// code, a rule's id) is blank on every one of two or more rows: its
// columns are not where its header row says, and every row would
// otherwise be reported as having no code. "" when there is none.
func keyColumnBlank(where, table string, headerRow int, headings, header []string, body [][]string, cols []tableColumn) string {
	key := map[string]string{"outcomes": "code", "rules": "id", "staff rules": "id"}[table]
	k := -1
	for j, h := range header {
		if h == key && key != "" {
			k = j
		}
	}
	if k < 0 || len(body) < 2 {
		return ""
	}
	for _, row := range body {
		if k < len(row) && strings.TrimSpace(row[k]) != "" {
			return ""
		}
	}
	var found []string
	for j, h := range headings {
		if strings.TrimSpace(h) != "" {
			found = append(found, fmt.Sprintf("%s %q", ColumnLetter(j+1), strings.TrimSpace(h)))
		}
	}
	return fmt.Sprintf("%s: the %s column (column %s) is blank on every row: the rows are not under the headings of the header row (row %d: %s); the %s table's columns are %s",
		where, key, ColumnLetter(k+1), headerRow, strings.Join(found, ", "), table, columnList(cols))
}
