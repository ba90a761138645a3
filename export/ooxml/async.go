package ooxml

import (
	"context"
	"io"

	"golang.org/x/sync/errgroup"
)

// AsyncWriter hands what is written to it to another goroutine, which
// writes it on (deflating it, say), so that producing the bytes and
// compressing them use two cores. Close waits for every byte to be written
// and returns the first error; after an error, Write fails.
type AsyncWriter struct {
	full, free chan []byte
	g          *errgroup.Group
	ctx        context.Context // done once the writing goroutine fails
}

const asyncWriteChunk = 1 << 20

// NewAsyncWriter starts writing to w on a goroutine.
func NewAsyncWriter(w io.Writer) *AsyncWriter {
	g, ctx := errgroup.WithContext(context.Background())
	a := &AsyncWriter{full: make(chan []byte, 4), free: make(chan []byte, 4), g: g, ctx: ctx}
	for range cap(a.free) {
		a.free <- make([]byte, 0, asyncWriteChunk)
	}
	g.Go(func() error {
		for b := range a.full {
			if _, err := w.Write(b); err != nil {
				return err
			}
			a.free <- b[:0]
		}
		return nil
	})
	return a
}

func (a *AsyncWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		var b []byte
		select {
		case b = <-a.free:
		case <-a.ctx.Done():
			return n - len(p), a.g.Wait()
		}
		k := min(len(p), asyncWriteChunk)
		b = append(b, p[:k]...)
		p = p[k:]
		a.full <- b
	}
	return n, nil
}

// Close flushes and stops the writer.
func (a *AsyncWriter) Close() error {
	close(a.full)
	return a.g.Wait()
}

// Produce runs write on a goroutine of its own and returns what it writes
// as a reader, so that making XML (from a CSV's records, say) and copying
// it use two cores. The reader ends with write's error; closing it early
// stops write at its next write.
func Produce(write func(w io.Writer) error) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw)) }()
	return pr
}
