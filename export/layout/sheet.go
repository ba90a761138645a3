package layout

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/samber/lo"
	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// Cell is one cell of a report sheet: a string or a float64, and its
// look.
type Cell struct {
	Value any
	Style Look
	spill bool // text that may run on across empty cells to its right
}

// Sheet writes rows of styled cells to one sheet and keeps the first
// error, so the layout code reads as a layout.
type Sheet struct {
	File *excelize.File
	Name string // the sheet's
	Err  error  // the first error
	// LastRow and LastCol bound the cells given a value: the used range.
	LastRow, LastCol int
	st               *Styles
	// base are the columns' widths as laid out, need what their cells
	// need; wraps are the cells whose text wraps, to make their rows tall
	// enough (see Fit).
	base  []float64
	need  map[int]float64
	wraps []wrapped
}

// NewSheet writes to the sheet called name of f, in the looks of st.
func NewSheet(f *excelize.File, st *Styles, name string) *Sheet {
	return &Sheet{File: f, st: st, Name: name}
}

// wrapped is a cell whose text wraps in its column.
type wrapped struct {
	col, row int
	width    float64 // its text's, on one line
}

// maxFitWidth bounds how wide a column is made to fit its cells.
const maxFitWidth = 60

// spills are the looks of text that runs on across empty cells to its
// right (titles, notes), which no column is widened for.
var spills = map[Look]bool{LookTitle: true, LookSubtitle: true, LookSection: true, LookHeadline: true, LookMuted: true, LookNote: true}

// cellWidth is about how wide a cell's content shows, in column width
// units (a character of the default font is about one).
func (b *Sheet) cellWidth(c Cell) float64 {
	var n float64
	switch v := c.Value.(type) {
	case string:
		n = float64(utf8.RuneCountInString(v)) * 1.05
	case float64:
		switch {
		case c.Style.Money:
			n = float64(len(ingest.FormatMoney(int64(math.Round(v*100))))) + 1
		case c.Style.Format == FormatPercent:
			n = 7
		default:
			n = float64(len(strconv.FormatFloat(v, 'f', -1, 64)))
		}
	}
	if c.Style.Bold {
		n *= 1.1
	}
	if c.Style.Size > 11 {
		n *= c.Style.Size / 11
	}
	return n + 2
}

// Fit sets the columns' widths, each as laid out or as wide as its cells
// need (to maxFitWidth), and makes each row with wrapped text tall enough
// for it.
func (b *Sheet) Fit() error {
	widths := map[int]float64{}
	for i, w := range b.base {
		widths[i+1] = w
	}
	for col, w := range b.need {
		widths[col] = max(widths[col], min(w, maxFitWidth))
	}
	for col := 1; col <= max(b.LastCol, len(b.base)); col++ {
		w, ok := widths[col]
		if !ok {
			continue
		}
		if b.Err == nil {
			name := ingest.ColumnLetter(col)
			b.Err = b.File.SetColWidth(b.Name, name, name, w)
		}
	}
	lines := map[int]float64{}
	for _, c := range b.wraps {
		w, ok := widths[c.col]
		if !ok {
			w = 8.43 // Excel's default
		}
		lines[c.row] = max(lines[c.row], math.Ceil(c.width/max(w-2, 1)))
	}
	for row, n := range lines {
		if n > 1 && b.Err == nil {
			b.Err = b.File.SetRowHeight(b.Name, row, 15*n)
		}
	}
	return b.Err
}

// Set writes a cell: its value, and its look's style; the column is
// widened for it, or its row made taller if it wraps (see Fit).
func (b *Sheet) Set(col, row int, c Cell) {
	if b.Err != nil {
		return
	}
	ref := ingest.CellRef(col, row)
	if c.Value != nil && c.Value != "" {
		b.LastRow, b.LastCol = max(b.LastRow, row), max(b.LastCol, col)
		switch w := b.cellWidth(c); {
		case c.spill || spills[c.Style]:
		case c.Style.Wrap && c.Style.Fill == "": // text that wraps, not a heading
			b.wraps = append(b.wraps, wrapped{col, row, w})
		default:
			if b.need == nil {
				b.need = map[int]float64{}
			}
			b.need[col] = max(b.need[col], w)
		}
	}
	if text, ok := c.Value.(string); ok && text != "" {
		b.Err = SetText(b.File, b.Name, ref, text)
	} else if c.Value != nil && c.Value != "" {
		b.Err = b.File.SetCellValue(b.Name, ref, c.Value)
	}
	if b.Err == nil && c.Style != (Look{}) {
		var id int
		if id, b.Err = b.st.ID(c.Style); b.Err == nil {
			b.Err = b.File.SetCellStyle(b.Name, ref, ref, id)
		}
	}
}

// SetText writes text into a cell of a report sheet. Text that cannot be
// read as a number (what excelize checks) goes in the cell itself:
// excelize then never reads the workbook's shared string table, which for
// a large ledger is slow to read and to write back (50 ms of a
// million-line ledger's run, when the Lists sheet read it).
func SetText(f *excelize.File, sheet, ref, text string) error {
	if _, err := strconv.ParseFloat(text, 64); err != nil {
		return f.SetCellDefault(sheet, ref, text)
	}
	return f.SetCellStr(sheet, ref, text)
}

// Row writes cells into row from column A.
func (b *Sheet) Row(row int, cells ...Cell) {
	for i, c := range cells {
		b.Set(i+1, row, c)
	}
}

// Widths lays out the columns' widths; Fit widens them for their cells.
func (b *Sheet) Widths(ws ...float64) { b.base = ws }

// Link makes a cell a link to a place in the workbook ("'Budget'!A12").
func (b *Sheet) Link(col, row int, target string) {
	if b.Err == nil {
		b.Err = b.File.SetCellHyperLink(b.Name, ingest.CellRef(col, row), target, "Location")
	}
}

// Looks used on the report sheets.
var (
	LookTitle    = Look{Bold: true, Size: 16, Colour: ColourTitle}
	LookSubtitle = Look{Italic: true, Colour: ColourMuted}
	LookSection  = Look{Bold: true, Size: 12, Colour: ColourTitle}
	LookHead     = Look{Bold: true, Fill: ColourHeader, Colour: "FFFFFF", Wrap: true}
	LookHeadNum  = Look{Bold: true, Fill: ColourHeader, Colour: "FFFFFF", Wrap: true, Right: true}
	LookHeadline = Look{Bold: true, Size: 14}
	LookNote     = Look{Colour: "404040"}
	LookMoney    = Look{Money: true}
	LookPct      = Look{Format: FormatPercent}
	LookBold     = Look{Bold: true, Border: true}
	LookBoldM    = Look{Bold: true, Border: true, Money: true}
	LookBoldP    = Look{Bold: true, Border: true, Format: FormatPercent}
	LookMuted    = Look{Italic: true, Colour: ColourMuted}
	LookGood     = Look{Bold: true, Fill: ColourSocial}
	LookBad      = Look{Bold: true, Fill: ColourUnreadable}
)

// Text is a text cell.
func Text(s string, k Look) Cell { return Cell{Value: s, Style: k} }

// Long is text that may run on across the empty cells to its right.
func Long(s string, k Look) Cell { return Cell{Value: s, Style: k, spill: true} }

// Money is an amount of pence as a number of pounds.
func Money(p int64, k Look) Cell { return Cell{Value: float64(p) / 100, Style: k} }

// Share is a ratio as a number cell, or "n/a" when its total is zero.
func Share(r analysis.Ratio, k Look) Cell {
	if !r.Defined() {
		return Cell{Value: "n/a", Style: Look{Italic: true, Colour: ColourMuted, Border: k.Border}}
	}
	return Cell{Value: r.Float(), Style: k}
}

// UniqueSheetName returns name, or name with " (purpose)" and a number if
// the workbook already has a sheet so called.
func UniqueSheetName(f *excelize.File, name string) string {
	taken := map[string]bool{}
	for _, s := range f.GetSheetList() {
		taken[strings.ToLower(s)] = true
	}
	try := name
	for i := 2; taken[strings.ToLower(try)]; i++ {
		try = fmt.Sprintf("%s (purpose %d)", name, i)
		if i == 2 {
			try = name + " (purpose)"
		}
	}
	return try
}

// QuoteSheet quotes a sheet name for a formula or a link.
func QuoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// PrintOnePageWide sets a sheet to print landscape on A4, one page wide.
func PrintOnePageWide(f *excelize.File, sheet string) error {
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: lo.ToPtr(true)}); err != nil {
		return err
	}
	a4, landscape, one, any := 9, "landscape", 1, 0
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &any})
}
