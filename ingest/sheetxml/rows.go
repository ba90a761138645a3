package sheetxml

import (
	"io"
	"runtime"
	"sync"
)

// Excel's grid.
const (
	MaxRows    = 1048576
	MaxColumns = 16384
)

// Cell is one <c> element of a row.
type Cell struct {
	Col int // 1-based column: from r="B7", or the previous cell's column + 1 when r is absent

	// Type is the t attribute as written: "" (number), "n", "s", "str",
	// "inlineStr", "b", "e" or "d".
	Type string
	// Value is the raw value: for "s" the shared string's text, for
	// "inlineStr" the <is> text (all <t> runs, rich text included), else
	// the <v> text with XML escapes decoded. Numbers, booleans ("0"/"1"),
	// dates and errors are not interpreted. Empty when there is no value.
	Value string
	// HasValue reports whether the cell has a saved value: a <v> element
	// with something in it, or <is> for an inline string. An empty or
	// blank <v> (openpyxl saves every formula as <f>…</f><v></v>) is no
	// value, except on a string result (t="str"), where "" is the value.
	HasValue bool

	// Formula is the text of <f>, unescaped. A shared formula's master
	// carries the text; the cells that share it have Formula "" with
	// Shared set and the same SharedIndex (the formula is not expanded).
	Formula     string
	HasFormula  bool
	FormulaType string // t attribute of <f>: "" (normal), "shared", "array", "dataTable"
	FormulaRef  string // ref attribute of <f>: the range of a shared master or array formula
	Shared      bool   // FormulaType == "shared"
	SharedIndex int    // si attribute of a shared formula

	Style int // s attribute (index into cellXfs), 0 if absent
}

// Rows iterates over the rows of one worksheet, streaming its XML. Only
// rows present in the XML are visited; gaps are not filled in. Call Close
// when done (reaching the end or an error also releases the part).
//
// The XML is inflated and scanned on a goroutine of its own, a few batches
// of rows ahead of the caller, so that reading a sheet and working on its
// rows use two cores; Next hands the rows over from the batches in order.
type Rows struct {
	sh      *rowsShared
	cleanup runtime.Cleanup

	cur   *rowBatch // the batch being handed over; nil before the first
	i     int       // the current row's index in cur
	row   int
	cells []Cell
	err   error
	done  bool

	inflated *limitReader // counts the part's bytes read so far
	size     int64        // the part's inflated size, as its zip entry says
}

// rowsShared is what Rows and its scanning goroutine share. The goroutine
// never refers to the Rows itself, so a Rows dropped without Close is
// collected, and its cleanup stops the goroutine.
type rowsShared struct {
	full, free chan *rowBatch
	stop       chan struct{} // closed by Close: the scanner stops
	exited     chan struct{} // closed once the scanner has released the part
	once       sync.Once
	err        error // why scanning stopped, set before full is closed; nil at the end
}

func (sh *rowsShared) halt() { sh.once.Do(func() { close(sh.stop) }) }

// rowBatch holds consecutive rows: row i is number rows[i], its cells
// cells[ends[i-1]:ends[i]].
type rowBatch struct {
	rows, ends []int
	cells      []Cell
}

// A batch ends after batchRows rows or once it holds batchCells cells;
// batchesAhead batches are scanned ahead of the caller at most: enough
// that neither side waits on the other's uneven pace (inflating goes in
// bursts, a deflate block at a time). Sixteen rather than four took a
// million-line ledger's run from 2.52 s to 2.47 s, for 2 MiB.
const (
	batchRows    = 128
	batchCells   = 2048
	batchesAhead = 16
)

// Progress reports how far through its sheet the reader is: bytes of the
// sheet's XML inflated so far, and in all (as the zip entry states it; 0 if
// unknown). It may be called from another goroutine.
func (r *Rows) Progress() (done, total int64) {
	if r.inflated == nil {
		return 0, r.size
	}
	return r.inflated.read.Load(), r.size
}

func newRows(s *scanner, closeFn func() error, sst *sharedStrings) *Rows {
	sh := &rowsShared{
		full:   make(chan *rowBatch, batchesAhead),
		free:   make(chan *rowBatch, batchesAhead+1),
		stop:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range cap(sh.free) {
		sh.free <- &rowBatch{}
	}
	go scanRows(&rowScanner{s: s, sst: sst}, sh, closeFn)
	r := &Rows{sh: sh}
	// A caller that drops the iterator without Close must not leak the
	// scanning goroutine.
	r.cleanup = runtime.AddCleanup(r, (*rowsShared).halt, sh)
	return r
}

// scanRows scans the sheet into batches until its end, an error or
// halt, then releases the part.
func scanRows(p *rowScanner, sh *rowsShared, closeFn func() error) {
	defer close(sh.exited)
	defer func() { _ = closeFn() }()
	defer close(sh.full)
	for {
		var b *rowBatch
		select {
		case b = <-sh.free:
		case <-sh.stop:
			return
		}
		err := p.fill(b)
		if len(b.rows) > 0 {
			select {
			case sh.full <- b:
			case <-sh.stop:
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				sh.err = err
			}
			return
		}
	}
}

// Next advances to the next <row> in the sheet's XML and reports whether
// there is one. It returns false at the end of the sheet data or on error
// (see Err).
func (r *Rows) Next() bool {
	if r.done {
		return false
	}
	if r.cur != nil && r.i+1 < len(r.cur.rows) {
		r.i++
	} else {
		if r.cur != nil {
			r.sh.free <- r.cur
			r.cur = nil
		}
		b, ok := <-r.sh.full
		if !ok {
			<-r.sh.exited // the part is released before Next reports the end
			r.err = r.sh.err
			r.finish()
			return false
		}
		r.cur, r.i = b, 0
	}
	start := 0
	if r.i > 0 {
		start = r.cur.ends[r.i-1]
	}
	r.row, r.cells = r.cur.rows[r.i], r.cur.cells[start:r.cur.ends[r.i]]
	return true
}

func (r *Rows) finish() {
	r.done = true
	r.cells = nil
	r.cur = nil
}

// Row returns the 1-based number of the current row: its r attribute, or
// the previous row's number + 1 when r is absent.
func (r *Rows) Row() int { return r.row }

// Cells returns the cells of the current row in column order. The slice is
// reused by the next call to Next; the strings in it stay valid.
func (r *Rows) Cells() []Cell { return r.cells }

// Err returns the error that stopped the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close stops the scanning and releases the part. It is safe to call more
// than once.
func (r *Rows) Close() error {
	r.sh.halt()
	<-r.sh.exited
	r.cleanup.Stop()
	if !r.done {
		r.finish()
	}
	return nil
}
