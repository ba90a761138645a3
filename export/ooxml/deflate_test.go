package ooxml

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// sheetLike is n bytes of XML-like text, repetitive as sheet XML is, with
// some noise so that blocks do not compress to nothing.
func sheetLike(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for row := 1; b.Len() < n; row++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c></row>`, row, row, rng.IntN(1e6), row, rng.IntN(50))
	}
	return b.Bytes()[:n]
}

// The blocks, written one after another, are one deflate stream that the
// standard library inflates to what was written, whatever the size and
// however the writes fall against the blocks' edges.
func TestBlockDeflaterIsOneStream(t *testing.T) {
	data := sheetLike(3*deflateBlock + deflateBlock/2)
	for _, tc := range []struct {
		name  string
		size  int
		write int // bytes a Write; 0 writes all at once
	}{
		{"empty", 0, 0},
		{"one byte", 1, 0},
		{"one block less a byte", deflateBlock - 1, 0},
		{"one block", deflateBlock, 0},
		{"one block and a byte", deflateBlock + 1, 0},
		{"three and a half blocks at once", len(data), 0},
		{"three and a half blocks in odd writes", len(data), 65521},
		{"two blocks in writes of a block", 2 * deflateBlock, deflateBlock},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			d := newBlockDeflater(&out)
			in := data[:tc.size]
			for p := in; len(p) > 0; {
				k := len(p)
				if tc.write > 0 {
					k = min(k, tc.write)
				}
				if n, err := d.Write(p[:k]); n != k || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				p = p[k:]
			}
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(flate.NewReader(&out))
			if err != nil {
				t.Fatalf("inflating: %v", err)
			}
			if !bytes.Equal(got, in) {
				t.Fatalf("inflated %d bytes, not the %d written", len(got), len(in))
			}
		})
	}
}

// The blocks compress about as well as one deflate of the whole.
func TestBlockDeflaterCompresses(t *testing.T) {
	data := sheetLike(4 * deflateBlock)
	var whole, blocks bytes.Buffer
	fw, _ := flate.NewWriter(&whole, flate.BestSpeed)
	fw.Write(data)
	fw.Close()
	d := newBlockDeflater(&blocks)
	d.Write(data)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if blocks.Len() > whole.Len()*11/10 {
		t.Errorf("blocks deflate to %d bytes, more than a tenth over the %d of one deflate", blocks.Len(), whole.Len())
	}
}

// A zip entry written through NewZipWriter reads back, its CRC checked, with
// the standard library's zip reader.
func TestZipWriterEntriesReadBack(t *testing.T) {
	data := sheetLike(2*deflateBlock + 12345)
	var buf bytes.Buffer
	zw := NewZipWriter(&buf)
	for _, name := range []string{"big.xml", "small.xml", "empty.xml"} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		switch name {
		case "big.xml":
			w.Write(data)
		case "small.xml":
			w.Write(data[:100])
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"big.xml": data, "small.xml": data[:100], "empty.xml": {}}
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r) // fails on a wrong CRC or size
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		if !bytes.Equal(got, want[zf.Name]) {
			t.Errorf("%s: read %d bytes, want %d", zf.Name, len(got), len(want[zf.Name]))
		}
	}
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("disk full")
	}
	f.after--
	return len(p), nil
}

// A failing destination fails the writes after it and Close.
func TestBlockDeflaterFails(t *testing.T) {
	data := sheetLike(deflateBlock)
	d := newBlockDeflater(&failingWriter{after: 1})
	var err error
	for range 3 * d.ahead {
		if _, err = d.Write(data); err != nil {
			break
		}
	}
	if err == nil {
		t.Errorf("Write after the destination failed: no error")
	}
	if err := d.Close(); err == nil || err.Error() != "disk full" {
		t.Errorf("Close = %v, want disk full", err)
	}
}
