package sheetxml

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// limitReader fails with ErrTooLarge once more than max bytes have been
// read: the zip-bomb guard, which does not trust the sizes in the zip
// headers.
type limitReader struct {
	r    io.Reader
	n    int64
	max  int64
	part string
	zf   *zip.File
	// read mirrors n for other goroutines (progress reports).
	read atomic.Int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, l.tooLarge()
	}
	if rem := l.max - l.n + 1; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	l.read.Store(l.n)
	if l.n > l.max {
		return n, l.tooLarge()
	}
	if err != nil && err != io.EOF && l.zf != nil && errors.Is(err, zip.ErrFormat) {
		return n, headerLied(l.part, l.zf)
	}
	return n, err
}

func (l *limitReader) tooLarge() error {
	return &PartTooLargeError{Part: l.part, Limit: l.max}
}

// asyncReader inflates a part on its own goroutine, a few chunks ahead of
// the consumer, so that decompression and scanning use two cores.
type asyncReader struct {
	full chan []byte
	free chan []byte
	done chan struct{}
	wg   sync.WaitGroup
	err  error // set by the producer before it closes full
	cur  []byte
	held []byte // chunk being consumed, returned to free when drained
	once sync.Once
}

const (
	asyncChunk  = 256 << 10
	asyncChunks = 4
	// asyncMin is the inflated size from which a part other than a
	// worksheet is read ahead on a goroutine; smaller parts are read
	// inline. A worksheet is inflated on the goroutine that scans it
	// (see Rows).
	asyncMin = 1 << 20
)

func newAsyncReader(src io.Reader, closeSrc func() error) *asyncReader {
	a := &asyncReader{
		full: make(chan []byte, asyncChunks),
		free: make(chan []byte, asyncChunks),
		done: make(chan struct{}),
	}
	for i := 0; i < asyncChunks; i++ {
		a.free <- make([]byte, asyncChunk)
	}
	a.wg.Add(1)
	go a.run(src, closeSrc)
	return a
}

func (a *asyncReader) run(src io.Reader, closeSrc func() error) {
	defer a.wg.Done()
	defer close(a.full)
	defer func() { _ = closeSrc() }()
	for {
		var b []byte
		select {
		case b = <-a.free:
		case <-a.done:
			return
		}
		n, err := io.ReadFull(src, b[:cap(b)])
		if n > 0 {
			select {
			case a.full <- b[:n]:
			case <-a.done:
				return
			}
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			a.err = err
			return
		}
	}
}

func (a *asyncReader) Read(p []byte) (int, error) {
	if len(a.cur) == 0 {
		if a.held != nil {
			a.free <- a.held[:cap(a.held)]
			a.held = nil
		}
		b, ok := <-a.full
		if !ok {
			if a.err == nil {
				return 0, io.ErrClosedPipe // Close was called
			}
			return 0, a.err
		}
		a.cur, a.held = b, b
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops the producer and waits for it, so no goroutine outlives it.
func (a *asyncReader) Close() error {
	a.once.Do(func() {
		close(a.done)
		a.wg.Wait()
	})
	return nil
}

// openPart opens a part for streaming: inflate, enforce maxUnzipped,
// with readAhead inflate a part of asyncMin bytes or more on a goroutine
// ahead of the caller, and transcode to UTF-8. The returned close function
// releases everything and is safe to call twice.
func openPart(zf *zip.File, name string, maxUnzipped int64, readAhead bool) (r io.Reader, closeFn func() error, lr *limitReader, err error) {
	if err := checkHeaderSize(zf, name, maxUnzipped); err != nil {
		return nil, nil, nil, err
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("sheetxml: %s: %w", name, err)
	}
	lr = &limitReader{r: rc, max: maxUnzipped, part: name, zf: zf}
	var src io.Reader = lr
	release := rc.Close
	if readAhead && zf.UncompressedSize64 >= asyncMin {
		a := newAsyncReader(src, rc.Close)
		src, release = a, a.Close
	}
	var closed bool
	closeOnce := func() error {
		if closed {
			return nil
		}
		closed = true
		return release()
	}
	dec, err := decodeReader(src, name)
	if err != nil {
		_ = closeOnce()
		return nil, nil, nil, err
	}
	return dec, closeOnce, lr, nil
}

// ReadAhead reads src on its own goroutine, a few chunks ahead of the
// caller, so that inflating a part and working on what comes out of it use
// two cores. Close stops it and calls closeSrc.
func ReadAhead(src io.Reader, closeSrc func() error) io.ReadCloser {
	return newAsyncReader(src, closeSrc)
}

// Inflater inflates a zip entry's bytes with klauspost/compress, a third
// faster than compress/flate. Register it with a zip.Reader's
// RegisterDecompressor.
func Inflater(r io.Reader) io.ReadCloser { return flate.NewReader(r) }
