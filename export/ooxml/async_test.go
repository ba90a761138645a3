package ooxml

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// failAfter fails every write once n bytes have been written.
type failAfter struct{ n int }

var errDiskFull = errors.New("the disk is full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n < len(p) {
		return 0, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}

func TestAsyncWriter(t *testing.T) {
	chunk := bytes.Repeat([]byte("<row/>"), 100000)
	var out bytes.Buffer
	a := NewAsyncWriter(&out)
	for range 20 {
		if _, err := a.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil || out.Len() != 20*len(chunk) {
		t.Fatalf("wrote %d of %d bytes, err %v", out.Len(), 20*len(chunk), err)
	}

	// A failing writer: every Write after it fails, and Close, with its
	// error; none waits for ever.
	a = NewAsyncWriter(&failAfter{n: 3 << 20})
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = a.Write(chunk)
	}
	if cerr := a.Close(); !errors.Is(err, errDiskFull) || !errors.Is(cerr, errDiskFull) {
		t.Fatalf("write error %v, close error %v; want %v", err, cerr, errDiskFull)
	}
	var _ io.Writer = a
}
