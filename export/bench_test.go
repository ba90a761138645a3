package export

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/purpose-hq/purpose/export/ooxml"
)

func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("PURPOSE_BENCH_LINES")); err == nil && n > 0 {
		return n
	}
	return 100000
}

// BenchmarkCopySheet streams a generated sheet through the copier, adding
// seven cells to every row, as the annotated workbook does.
func BenchmarkCopySheet(b *testing.B) {
	n := benchRows()
	var sheet bytes.Buffer
	sheet.WriteString(`<worksheet><dimension ref="A1"/><sheetData>`)
	for r := 1; r <= n; r++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>3</v></c><c r="C%d"><v>1234.5</v></c></row>`, r, r, r%50, r, r)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	cell := annotationCell{text: "Tenancy sustainment", style: 3}
	num := annotationCell{number: "1234.5", style: 4}
	ref := []byte("D1")
	strs := ooxml.NewStringIndex(10)
	b.SetBytes(int64(sheet.Len()))
	for b.Loop() {
		err := ooxml.CopySheet(io.Discard, bytes.NewReader(sheet.Bytes()), ooxml.SheetEdit{
			Dimension: "A1:J" + strconv.Itoa(n),
			AddCells: func(row int, prefix string, buf []byte) []byte {
				for range 5 {
					buf = cell.appendXML(buf, prefix, ref, strs)
				}
				return num.appendXML(num.appendXML(buf, prefix, ref, nil), prefix, ref, nil)
			},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
