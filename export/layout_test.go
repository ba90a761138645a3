package export

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The report sheets can be read as laid out: no number too wide for its
// column (Excel shows ####), no text cut off by a filled cell beside it,
// and no wrapped text taller than its row (it would overprint the next).
func TestReportSheetsFit(t *testing.T) {
	fw := defaultFramework(t)
	for _, path := range []string{"../samples/budget.xlsx", "../cmd/purpose/testdata/ledger-subtotals/ledger.xlsx"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}
			in := readForTest(t, fw, path)
			run := &Run{Framework: fw, Inputs: []Input{in}}
			var buf bytes.Buffer
			if err := WriteAnnotated(&buf, t.TempDir(), run, in); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			wrapped := 0
			for _, sheet := range []string{"Summary", "Review", "Reconciliation"} {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for i, row := range rows {
					r := i + 1
					for j, shown := range row {
						if shown == "" {
							continue
						}
						col, _ := excelize.ColumnNumberToName(j + 1)
						ref := col + strconv.Itoa(r)
						width, _ := f.GetColWidth(sheet, col)
						need := float64(utf8.RuneCountInString(shown)) // a character is about one unit
						raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
						typ, _ := f.GetCellType(sheet, ref)
						_, isNumber := strconv.ParseFloat(raw, 64)
						number := isNumber == nil && typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString
						styleID, _ := f.GetCellStyle(sheet, ref)
						st, _ := f.GetStyle(styleID)
						wrap := st != nil && st.Alignment != nil && st.Alignment.WrapText
						switch {
						case need <= width:
						case number:
							t.Errorf("%s!%s %q is %.0f wide, its column %.0f: Excel shows ####", sheet, ref, shown, need, width)
						case wrap:
							wrapped++
							lines := math.Ceil(need / width)
							height, _ := f.GetRowHeight(sheet, r)
							if height < lines*14 {
								t.Errorf("%s!%s %q wraps to %.0f lines in a row %.0f high: it overprints the next row", sheet, ref, shown, lines, height)
							}
						case j+1 < len(row) && row[j+1] != "":
							t.Errorf("%s!%s %q is %.0f wide, its column %.0f, and %s holds %q: it is cut off", sheet, ref, shown, need, width, sheet, row[j+1])
						}
					}
				}
			}
			// The added columns' headings fit their columns too (a heading
			// that wraps in a one-line header row is cut off).
			for _, tb := range in.Book.Tables {
				first := annotationColumn(tb)
				for j := range annotationHeaders {
					col, _ := excelize.ColumnNumberToName(first + j)
					width, _ := f.GetColWidth(tb.Source.Sheet, col)
					head, _ := f.GetCellValue(tb.Source.Sheet, col+strconv.Itoa(tb.Source.Row))
					if need := float64(utf8.RuneCountInString(head)) + 1; need > width {
						t.Errorf("%s!%s%d %q is %.0f wide, its column %.0f", tb.Source.Sheet, col, tb.Source.Row, head, need, width)
					}
				}
			}
			if filepath.Base(path) == "ledger.xlsx" && wrapped == 0 {
				t.Error("no long text wrapped: the subtotal that disagrees should have a long why")
			}
		})
	}
}
