package ooxml

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// blockDeflater deflates what is written to it as pigz does: in blocks of
// deflateBlock bytes, each compressed on its own, on a goroutine of its
// own, and ended with a sync flush (an empty stored block, which ends on a
// byte boundary and is not the final block), the last one closed. Written
// one after another, in order, the blocks are one deflate stream, which
// any inflater reads; the zip writer above it counts the sizes and the CRC
// of what is written. At most two blocks a core are in flight, each 1 MiB
// in and up to about as much out, so memory stays near 4 MiB a core.
type blockDeflater struct {
	out   io.Writer
	cur   *deflateJob   // the block being filled
	queue []*deflateJob // compressing or compressed, not yet written, in order
	ahead int           // how many may be in the queue
	err   error
}

// deflateBlock is the size of a block. Matches do not reach back into the
// block before, which costs less than a tenth of a percent in size at
// 1 MiB.
const deflateBlock = 1 << 20

type deflateJob struct {
	in   []byte
	out  bytes.Buffer
	last bool
	done chan struct{}
	err  error
}

var (
	deflateJobs    = sync.Pool{New: func() any { return &deflateJob{in: make([]byte, 0, deflateBlock)} }}
	deflateWriters = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		return w
	}}
)

func newBlockDeflater(out io.Writer) *blockDeflater {
	return &blockDeflater{out: out, ahead: 2 * runtime.GOMAXPROCS(0)}
}

func (d *blockDeflater) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && d.err == nil {
		if d.cur == nil {
			d.cur = deflateJobs.Get().(*deflateJob)
		}
		k := min(len(p), deflateBlock-len(d.cur.in))
		d.cur.in = append(d.cur.in, p[:k]...)
		p = p[k:]
		if len(d.cur.in) == deflateBlock {
			d.send(false)
		}
	}
	if d.err != nil {
		return n - len(p), d.err
	}
	return n, nil
}

// Close compresses the last block, final, and writes every block out.
func (d *blockDeflater) Close() error {
	if d.err == nil {
		if d.cur == nil {
			d.cur = deflateJobs.Get().(*deflateJob)
		}
		d.send(true)
	}
	for len(d.queue) > 0 && d.err == nil {
		d.writeOldest()
	}
	for _, j := range d.queue { // after an error: wait, so no goroutine outlives Close
		<-j.done
	}
	d.queue = nil
	return d.err
}

// send starts compressing the block being filled, first writing out the
// oldest block if enough are in flight.
func (d *blockDeflater) send(last bool) {
	j := d.cur
	d.cur = nil
	j.last, j.done, j.err = last, make(chan struct{}), nil
	j.out.Reset()
	go j.compress()
	d.queue = append(d.queue, j)
	for len(d.queue) > d.ahead && d.err == nil {
		d.writeOldest()
	}
}

func (d *blockDeflater) writeOldest() {
	j := d.queue[0]
	<-j.done
	d.queue = d.queue[1:]
	if d.err = j.err; d.err == nil {
		_, d.err = d.out.Write(j.out.Bytes())
	}
	j.in = j.in[:0]
	deflateJobs.Put(j)
}

func (j *deflateJob) compress() {
	defer close(j.done)
	w := deflateWriters.Get().(*flate.Writer)
	defer deflateWriters.Put(w)
	w.Reset(&j.out)
	if _, j.err = w.Write(j.in); j.err != nil {
		return
	}
	if j.last {
		j.err = w.Close()
	} else {
		j.err = w.Flush()
	}
}
