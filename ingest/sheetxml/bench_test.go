package sheetxml

import (
	"archive/zip"
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchRows is the size of the generated benchmark sheet;
// SHEETXML_BENCH_ROWS overrides it (e.g. 1000000 with -benchtime 1x).
func benchRows(b *testing.B) int {
	if v := os.Getenv("SHEETXML_BENCH_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("SHEETXML_BENCH_ROWS=%q", v)
		}
		return n
	}
	return 100_000
}

var columnNames = [...]string{"A", "B", "C", "D", "E", "F", "G", "H"}

// writeBenchWorkbook writes a one-sheet ledger-like workbook: per row a
// shared-string account (from 500), an integer, a 2-decimal amount, an
// inline-string memo, a shared string unique to the row, a styled date
// serial, a formula with its cached value and a boolean. It returns the
// inflated size of the sheet part.
func writeBenchWorkbook(tb testing.TB, path string, rows int) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			tb.Fatal(err)
		}
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Ledger" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)
	put("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`)

	// Shared strings: 500 account names, then one string per row.
	const accounts = 500
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		tb.Fatal(err)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, 2*rows, accounts+rows)
	for i := 0; i < accounts; i++ {
		fmt.Fprintf(bw, `<si><t>Account %04d &amp; Co</t></si>`, i)
	}
	for i := 0; i < rows; i++ {
		fmt.Fprintf(bw, `<si><t>Invoice INV-%08d</t></si>`, i)
	}
	bw.WriteString(`</sst>`)
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}

	w, err = zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		tb.Fatal(err)
	}
	cw := &countWriter{w: w}
	bw = bufio.NewWriterSize(cw, 1<<16)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:H` + strconv.Itoa(rows) + `"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`)
	for i := 0; i < rows; i++ {
		r := strconv.Itoa(i + 1)
		fmt.Fprintf(bw, `<row r="%s" spans="1:8">`, r)
		fmt.Fprintf(bw, `<c r="A%s" t="s"><v>%d</v></c>`, r, i%accounts)
		fmt.Fprintf(bw, `<c r="B%s"><v>%d</v></c>`, r, i*7)
		fmt.Fprintf(bw, `<c r="C%s"><v>%d.%02d</v></c>`, r, i%10000, i%100)
		fmt.Fprintf(bw, `<c r="D%s" t="inlineStr"><is><t>memo %d</t></is></c>`, r, i)
		fmt.Fprintf(bw, `<c r="E%s" t="s"><v>%d</v></c>`, r, accounts+i)
		fmt.Fprintf(bw, `<c r="F%s" s="1"><v>%d</v></c>`, r, 40000+i%3000)
		fmt.Fprintf(bw, `<c r="G%s"><f>B%s*C%s</f><v>%d</v></c>`, r, r, r, i*7*(i%10000))
		fmt.Fprintf(bw, `<c r="H%s" t="b"><v>%d</v></c>`, r, i%2)
		bw.WriteString(`</row>`)
	}
	bw.WriteString(`</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return cw.n
}

type countWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func benchWorkbook(b *testing.B) (path string, rows int, sheetBytes int64) {
	b.Helper()
	rows = benchRows(b)
	path = filepath.Join(b.TempDir(), "bench.xlsx")
	sheetBytes = writeBenchWorkbook(b, path, rows)
	if fi, err := os.Stat(path); err == nil {
		b.Logf("generated %d rows: xlsx %.1f MB, sheet XML %.1f MB", rows, float64(fi.Size())/1e6, float64(sheetBytes)/1e6)
	}
	return path, rows, sheetBytes
}

// BenchmarkRows reads every cell of the generated sheet (Open included,
// shared strings included).
func BenchmarkRows(b *testing.B) {
	path, rows, sheetBytes := benchWorkbook(b)
	b.SetBytes(sheetBytes)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w, err := Open(path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		it, err := w.Rows("Ledger")
		if err != nil {
			b.Fatal(err)
		}
		n, cells := 0, 0
		for it.Next() {
			n++
			cells += len(it.Cells())
		}
		if err := it.Err(); err != nil {
			b.Fatal(err)
		}
		it.Close()
		w.Close()
		if n != rows || cells != 8*rows {
			b.Fatalf("read %d rows, %d cells; want %d, %d", n, cells, rows, 8*rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkExcelizeRows reads the same file with excelize's streaming
// reader, for comparison.
func BenchmarkExcelizeRows(b *testing.B) {
	path, rows, sheetBytes := benchWorkbook(b)
	b.SetBytes(sheetBytes)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		it, err := f.Rows("Ledger")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for it.Next() {
			if _, err := it.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			n++
		}
		it.Close()
		f.Close()
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
