package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSniffCSV: whatever a CSV file starts with, the dialect sniffer does
// not panic and names an encoding it knows; a delimiter a CSV reader
// cannot split on (a quote or a line end, from a "sep=" line) is refused
// before any record is read; and the records read with the dialect come
// out without a panic.
func FuzzSniffCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "sep=;\na;b\n", "sep=\"\na\"b\n", "a\tb\r1\t2\r", "\xff\xfea\x00;\x00b\x00"} {
		f.Add([]byte(s))
	}
	seeds, _ := filepath.Glob(filepath.Join("..", "cmd", "purpose", "testdata", "*", "*.csv"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil && len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := sniffCSV(data)
		if err != nil {
			return
		}
		switch d.Encoding {
		case "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Windows-1252":
		default:
			t.Fatalf("encoding %q", d.Encoding)
		}
		recs, err := newCSVRecords(d, d.decoder(bytes.NewReader(data)))
		switch d.Delimiter {
		case '"', '\n', '\r', 0:
			if err == nil {
				t.Fatalf("delimiter %q cannot split a CSV, and was not refused", d.Delimiter)
			}
		}
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			if _, _, err := recs.next("fuzz.csv"); err != nil {
				return
			}
		}
	})
}
