// Package ingesttest writes small input files for tests: workbooks laid out
// as ledger systems export them, and CSV files in the encodings they use.
// Fixtures are made by this code, so a test says what its input is.
package ingesttest

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// Formula is a formula cell. Cached is the value a spreadsheet saved with
// it; NoCache leaves it out, as some exporters and generators do.
type Formula struct {
	Expr    string
	Cached  any
	NoCache bool
}

// Blank is an empty cell that carries formatting (a border), as ledger
// exports leave to the right of their tables.
type Blank struct{}

// Sheet is one worksheet: rows of cells (string, float64, int, Formula,
// Blank or nil), from row 1.
type Sheet struct {
	Name   string
	Hidden bool
	Rows   [][]any
}

// WriteXLSX writes a workbook with the given sheets.
func WriteXLSX(path string, sheets ...Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	border, err := f.NewStyle(&excelize.Style{Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		// The stream writer is the excelize writer that stores a formula
		// together with its cached value.
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			return err
		}
		for r, row := range s.Rows {
			cells := make([]any, len(row))
			for c, v := range row {
				switch v := v.(type) {
				case Formula:
					cell := excelize.Cell{Formula: v.Expr}
					if !v.NoCache {
						cell.Value = v.Cached
					}
					cells[c] = cell
				case int:
					cells[c] = float64(v)
				case Blank:
					cells[c] = excelize.Cell{StyleID: border}
				default:
					cells[c] = v
				}
			}
			if err := sw.SetRow(fmt.Sprintf("A%d", r+1), cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	for _, s := range sheets {
		if s.Hidden {
			if err := f.SetSheetVisible(s.Name, false); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

// Encodings WriteCSV can write.
const (
	UTF8        = "utf-8"
	UTF8BOM     = "utf-8-bom"
	Windows1252 = "windows-1252"
	UTF16LE     = "utf-16le"
)

// WriteCSV writes rows as CSV in an encoding, with a delimiter and CRLF
// line ends, quoting fields that need it.
func WriteCSV(path, encoding string, delim rune, rows [][]string) error {
	var b strings.Builder
	for _, row := range rows {
		for i, v := range row {
			if i > 0 {
				b.WriteRune(delim)
			}
			if strings.ContainsAny(v, string(delim)+"\"\r\n") {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			b.WriteString(v)
		}
		b.WriteString("\r\n")
	}
	text := b.String()
	var data []byte
	switch encoding {
	case UTF8:
		data = []byte(text)
	case UTF8BOM:
		data = append([]byte{0xEF, 0xBB, 0xBF}, text...)
	case Windows1252:
		enc, err := charmap.Windows1252.NewEncoder().String(text)
		if err != nil {
			return err
		}
		data = []byte(enc)
	case UTF16LE:
		var buf bytes.Buffer
		buf.Write([]byte{0xFF, 0xFE})
		for _, u := range utf16.Encode([]rune(text)) {
			buf.WriteByte(byte(u))
			buf.WriteByte(byte(u >> 8))
		}
		data = buf.Bytes()
	default:
		return fmt.Errorf("unknown encoding %q", encoding)
	}
	return os.WriteFile(path, data, 0o644)
}

// BudgetHeader is a typical ledger export's header row.
var BudgetHeader = []any{"Directorate", "Cost Centre", "Cost Centre Name", "Nominal", "Nominal Description", "Description", "Budget 2026/27 £"}

// TitleRows are what ledger exports put above the header.
func TitleRows(title string) [][]any {
	return [][]any{{title}, {"Revenue budget 2026/27 (test fixture, fictional)"}, {"Run date 14/02/2026"}, {}}
}
