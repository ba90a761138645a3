package sheetxml

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// BenchmarkRowScanner scans the generated sheet's XML, already inflated
// in memory, into batches of rows on the benchmark's goroutine: the
// scanner's own work, without inflating or handing batches over.
func BenchmarkRowScanner(b *testing.B) {
	path, rows, sheetBytes := benchWorkbook(b)
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	w, err := Open(path, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	sst, err := w.sharedStrings()
	if err != nil {
		b.Fatal(err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			doc, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.SetBytes(sheetBytes)
	b.ReportAllocs()
	b.ResetTimer()
	var batch rowBatch
	for b.Loop() {
		p := &rowScanner{s: newScanner(bytes.NewReader(doc), "sheet1.xml", int64(len(doc))), sst: sst}
		n, cells := 0, 0
		for {
			err := p.fill(&batch)
			n, cells = n+len(batch.rows), cells+len(batch.cells)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if n != rows || cells != 8*rows {
			b.Fatalf("read %d rows, %d cells; want %d, %d", n, cells, rows, 8*rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
