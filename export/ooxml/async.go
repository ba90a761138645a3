package ooxml

import (
	"io"
	"sync"
)

// AsyncWriter hands what is written to it to another goroutine, which
// writes it on (compressing it, say), so that producing the bytes and
// compressing them use two cores. Close waits for every byte to be written
// and returns the first error.
type AsyncWriter struct {
	w    io.Writer
	full chan []byte
	free chan []byte
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

const asyncWriteChunk = 1 << 20

func NewAsyncWriter(w io.Writer) *AsyncWriter {
	a := &AsyncWriter{w: w, full: make(chan []byte, 4), free: make(chan []byte, 4)}
	for range 4 {
		a.free <- make([]byte, 0, asyncWriteChunk)
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		for b := range a.full {
			if a.error() == nil {
				if _, err := a.w.Write(b); err != nil {
					a.mu.Lock()
					a.err = err
					a.mu.Unlock()
				}
			}
			a.free <- b[:0]
		}
	}()
	return a
}

func (a *AsyncWriter) error() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

func (a *AsyncWriter) Write(p []byte) (int, error) {
	if err := a.error(); err != nil {
		return 0, err
	}
	n := len(p)
	for len(p) > 0 {
		b := <-a.free
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
	a.wg.Wait()
	return a.err
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
