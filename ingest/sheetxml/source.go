package sheetxml

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// limitReader fails with ErrTooLarge once more than max bytes have been
// read: the zip-bomb guard, which does not trust the sizes in the zip
// headers.
type limitReader struct {
	r    io.Reader
	n    int64
	max  int64
	part string
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
	return n, err
}

func (l *limitReader) tooLarge() error {
	return fmt.Errorf("%w: part %s inflates to more than %d bytes (Limits.MaxUnzipped)", ErrTooLarge, l.part, l.max)
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
	// asyncMin is the inflated size from which a part is read ahead on a
	// goroutine; smaller parts are read inline.
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
// optionally read ahead on a goroutine, and transcode to UTF-8. The
// returned close function releases everything and is safe to call twice.
// With a tee, every byte inflated is also written to it, as it is inflated;
// raw reads the part before transcoding, so the rest of it can be drained
// through the tee.
func openPart(zf *zip.File, name string, maxUnzipped int64, tee Tee) (r io.Reader, closeFn func() error, lr *limitReader, raw io.Reader, err error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("sheetxml: %s: %w", name, err)
	}
	lr = &limitReader{r: rc, max: maxUnzipped, part: name}
	var src io.Reader = lr
	if tee != nil {
		src = io.TeeReader(lr, tee)
	}
	release := rc.Close
	if zf.UncompressedSize64 >= asyncMin {
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
		return nil, nil, nil, nil, err
	}
	return dec, closeOnce, lr, src, nil
}

// A Tee is given a worksheet's XML as it is inflated, before any
// transcoding, and told how reading it ended: End(nil) once it has had the
// whole part. It must not block: it is written to on the goroutine that
// inflates the part, and End is called on the one reading the rows.
type Tee interface {
	io.Writer
	End(err error)
}

// ErrNotWhole ends a Tee whose rows were closed before the end of the
// sheet, or whose part is not UTF-8 (its bytes are not what was read).
var ErrNotWhole = errors.New("sheetxml: the sheet was not read whole as UTF-8")

// ReadAhead reads src on its own goroutine, a few chunks ahead of the
// caller, so that inflating a part and working on what comes out of it use
// two cores. Close stops it and calls closeSrc.
func ReadAhead(src io.Reader, closeSrc func() error) io.ReadCloser {
	return newAsyncReader(src, closeSrc)
}
