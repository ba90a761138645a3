package ooxml

import (
	"io"
	"strings"
	"testing"
)

// countingWriter counts what is written.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// spaces reads as n spaces without holding them.
type spaces struct{ n int }

func (s *spaces) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), s.n)
	for i := range p[:k] {
		p[i] = ' '
	}
	s.n -= k
	return k, nil
}

// TestCopySheetLongTextBetweenRows: whitespace between two rows is copied
// as it comes, the buffer no larger than it started (the scaled-down
// sheet with 128 MiB of whitespace between two rows, whose copy held it
// all and peaked at 512 MiB).
func TestCopySheetLongTextBetweenRows(t *testing.T) {
	const pad = 16 << 20
	head := `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`
	tail := `<row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>`
	src := io.MultiReader(strings.NewReader(head), &spaces{n: pad}, strings.NewReader(tail))
	var out countingWriter
	c := &copier{src: src, w: &out, e: SheetEdit{AddCells: func(row int, prefix string, buf []byte) []byte { return buf }}, buf: make([]byte, 0, 1<<20)}
	if err := c.run(); err != nil {
		t.Fatal(err)
	}
	if want := int64(len(head) + pad + len(tail)); out.n != want {
		t.Errorf("wrote %d bytes, want %d", out.n, want)
	}
	if cap(c.buf) > 2<<20 {
		t.Errorf("the buffer grew to %d bytes for %d bytes of whitespace", cap(c.buf), pad)
	}
}
