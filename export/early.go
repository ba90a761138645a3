package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// A budget sheet's annotated copy is written while the sheet is read, from
// the same inflated XML (ingest tees it): the copier runs a little behind
// the reader, adding to each row what the collector decided of it. Three
// things are known only once the table has been read, and are settled
// here before then:
//
//   - where the added columns go (right of the table's widest row): guessed
//     from the sheet's <dimension> and header, and checked at the end;
//   - the used range written to <dimension>, and the columns' widths: the
//     sheet's head, up to its rows, is kept as it came and written at the
//     end, deflated on its own ahead of the rows;
//   - what a subtotal's check says: its cell refers to a shared string
//     kept for it, whose text is written into the table when the workbook
//     is put together.
//
// Anything else that would make the early copy differ from the one the
// table, once read, calls for (rows out of order, a sheet that is not
// UTF-8, a workbook without a shared string table) drops it, and the sheet
// is copied after reading as before: the early copy is only ever a faster
// way to the same workbook.

// earlyInput is an input's early copies.
type earlyInput struct {
	dir      string // where the copies are written
	original string
	strs     *stringIndex // the original's shared strings, then the added ones
	looks    func() (annotationLooks, error)
	fw       *analysis.Framework

	zip   *earlyZip
	parts map[string]string // sheet name → part, in the original

	mu     sync.Mutex
	queues map[string]*xmlQueue // by sheet, as ingest opens them
	sheets map[*ingest.Table]*earlySheet
	last   *earlySheet
	cur    *earlySheet // the table the collector is on
	curT   *ingest.Table
}

// earlyResult is a finished early copy of a table's sheet: an entry of the
// input's early zip, its head as guessed and then its rows, deflated.
type earlyResult struct {
	part string // its part name, as the original has it
	fh   *zip.FileHeader
	// The rows' deflate stream is at bodyStart in the early zip, bodyLen
	// bytes long; bodyCRC and bodySize are those of the XML in it.
	bodyStart, bodyLen int64
	bodyCRC            uint32
	bodySize           int64
	// reserved maps excluded rows (index into Table.Excluded) to the
	// shared string each subtotal's check text goes in.
	reserved map[int]int
	refs     int // shared string references the copy makes
	// origHead is the original sheet's XML up to its rows, guessHead the
	// head written before them; direct says the guess was right, so the
	// entry stands as it is. head is the deflated head the table calls for
	// (the guess, deflated, when it was right), to go before the rows when
	// they are copied into another workbook.
	origHead, guessHead, head []byte
	direct                    bool
}

var (
	errEarlyDropped    = errors.New("early copy dropped")
	errEarlyOutOfOrder = errors.New("rows out of order")
)

// newEarlyInput prepares early copies of an input's budget sheets, written
// into dir.
func newEarlyInput(dir, original string, fw *analysis.Framework) *earlyInput {
	return &earlyInput{dir: dir, original: original, fw: fw,
		queues: map[string]*xmlQueue{}, sheets: map[*ingest.Table]*earlySheet{}}
}

// prepare starts, on the first sheet, what every copy needs: the string
// table the added texts go into, and the styles the added cells use, worked
// out as excelize will when the workbook is put together (on a goroutine,
// while the reading starts).
func (e *earlyInput) prepare(base int) {
	if e.strs != nil {
		return
	}
	e.strs = newStringIndex(base)
	e.parts = sheetParts(e.original)
	var looks annotationLooks
	var lerr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		looks, lerr = shellLooks(e.dir, e.original)
	}()
	e.looks = func() (annotationLooks, error) {
		<-done
		return looks, lerr
	}
}

// sheetParts maps a workbook's worksheets to their parts' names, as its
// zip spells them.
func sheetParts(path string) map[string]string {
	out := map[string]string{}
	parts, err := worksheetParts(path) // normalised part → sheet
	if err != nil {
		return out
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return out
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if sheet, ok := parts[partName(zf.Name)]; ok {
			out[sheet] = zf.Name
		}
	}
	return out
}

// shellLooks finds the style ids the annotation cells will have: the
// shell excelize opens is the original without its worksheets, so its
// styles, and the ids excelize gives the added ones, are the same.
func shellLooks(dir, original string) (annotationLooks, error) {
	tmp, err := os.MkdirTemp(dir, ".purpose-")
	if err != nil {
		return annotationLooks{}, err
	}
	defer os.RemoveAll(tmp)
	shell := tmp + string(os.PathSeparator) + "shell.xlsx"
	if _, err := writeShell(shell, original, nil, nil); err != nil {
		return annotationLooks{}, err
	}
	f, err := ingest.OpenWorkbook(shell)
	if err != nil {
		return annotationLooks{}, err
	}
	defer f.Close()
	return annotationStyles(newStyles(f), false)
}

// tee gives ingest the queue a sheet's XML goes into. A workbook without a
// shared string table (sharedStrings < 0) will be given one for the added
// texts.
func (e *earlyInput) tee(sheet string, sharedStrings int) sheetxml.Tee {
	e.prepare(max(sharedStrings, 0))
	q := newXMLQueue()
	e.mu.Lock()
	e.queues[sheet] = q
	e.mu.Unlock()
	return q
}

// sheet is the early copy of table t, started on the first word of it.
func (e *earlyInput) sheet(t *ingest.Table) *earlySheet {
	if t == e.curT {
		return e.cur
	}
	s := e.sheets[t]
	if s == nil {
		e.mu.Lock()
		q := e.queues[t.Source.Sheet]
		delete(e.queues, t.Source.Sheet)
		e.mu.Unlock()
		if q != nil {
			s = e.start(t, q)
			e.sheets[t] = s
		}
	}
	e.cur, e.curT = s, t
	return s
}

// line, excluded and end pass on what the collector decided.
func (e *earlyInput) line(t *ingest.Table, m lineMark, unreadable string) {
	if s := e.sheet(t); s != nil {
		s.add(decision{row: m.row, line: true, mark: m, unreadable: unreadable})
	}
}

func (e *earlyInput) excluded(t *ingest.Table, i int, x ingest.Excluded) {
	if s := e.sheet(t); s != nil {
		s.add(decision{row: int32(x.Source.Row), excluded: int32(i), reason: x.Reason})
	}
}

func (e *earlyInput) end(t *ingest.Table) {
	if s := e.sheet(t); s != nil {
		s.finish(t.LastRow)
	}
	e.cur, e.curT = nil, nil
}

// wait waits for every copy, and keeps those that came out as their
// tables call for.
func (e *earlyInput) wait(tables []*ingest.Table) map[*ingest.Table]*earlyResult {
	e.abandonQueues()
	if e.looks != nil {
		e.looks() // its shell is written in e.dir, which may go next
	}
	out := map[*ingest.Table]*earlyResult{}
	for t, s := range e.sheets {
		if !slices.Contains(tables, t) {
			s.abort() // a table the input did not keep
		}
		<-s.done
		if s.err == nil && !slices.Contains(tables, t) {
			s.err = errEarlyDropped
		}
		if s.err == nil {
			s.err = s.check(t)
		}
		if s.err == nil {
			s.err = s.res.finishHead(t)
		}
		if s.err != nil {
			e.strs.refs -= s.res.refs
			if s.res.fh != nil && e.zip != nil {
				e.zip.broken = true // its entry is in the zip, and must not be
			}
			continue
		}
		if !s.res.direct && e.zip != nil {
			e.zip.broken = true
		}
		out[t] = &s.res
	}
	return out
}

// abandonQueues drops the XML of sheets no table came of.
func (e *earlyInput) abandonQueues() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, q := range e.queues {
		q.drop()
		delete(e.queues, name)
	}
}

// discard stops every copy and removes what they wrote.
func (e *earlyInput) discard() {
	e.abandonQueues()
	if e.looks != nil {
		e.looks()
	}
	for _, s := range e.sheets {
		s.abort()
		<-s.done
	}
	if e.zip != nil {
		e.zip.discard()
	}
}

// decision is what became of a row: a line, or an excluded row.
type decision struct {
	row        int32
	line       bool
	mark       lineMark
	unreadable string
	excluded   int32 // index into Table.Excluded, when not a line
	reason     string
}

const decisionBatch = 256

// earlySheet copies one table's sheet on its own goroutine.
type earlySheet struct {
	in        *earlyInput
	t         *ingest.Table // only its fixed fields are read while it is read
	q         *xmlQueue
	batch     []decision // being filled by the collector
	decisions chan []decision
	stop      chan struct{}
	stopOnce  sync.Once
	lastRow   int // the table's, set before decisions is closed
	done      chan struct{}
	err       error // why the copy cannot be used
	bad       error // set by the copier on a row it cannot place
	res       earlyResult

	// The copier's guess, checked against the table once read.
	first int // the first added column
}

func (e *earlyInput) start(t *ingest.Table, q *xmlQueue) *earlySheet {
	s := &earlySheet{in: e, t: t, q: q, decisions: make(chan []decision, 4), stop: make(chan struct{}), done: make(chan struct{}),
		res: earlyResult{reserved: map[int]int{}}}
	prev := e.last
	e.last = s
	go s.run(prev)
	return s
}

func (s *earlySheet) add(d decision) {
	s.batch = append(s.batch, d)
	if len(s.batch) == decisionBatch {
		s.send()
	}
}

func (s *earlySheet) send() {
	if len(s.batch) == 0 {
		return
	}
	select {
	case s.decisions <- s.batch:
	case <-s.stop:
	}
	s.batch = make([]decision, 0, decisionBatch)
}

func (s *earlySheet) finish(lastRow int) {
	s.send()
	s.lastRow = lastRow
	close(s.decisions)
}

func (s *earlySheet) abort() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.q.drop()
}

// run writes the copy: the sheet's XML from the queue through copySheet,
// deflated into a file in the output folder.
func (s *earlySheet) run(prev *earlySheet) {
	defer close(s.done)
	// Whatever happens, the collector must not wait on a copier that has
	// stopped reading decisions.
	defer s.abort()
	if prev != nil {
		<-prev.done // one copy at a time: they share the string table
	}
	s.err = s.write()
	if s.err == nil {
		s.err = s.bad
	}
}

func (s *earlySheet) write() error {
	looks, err := s.in.looks()
	if err != nil {
		return err
	}
	z, err := s.in.openZip()
	if err != nil {
		return err
	}
	s.res.part = s.in.parts[s.t.Source.Sheet]
	if s.res.part == "" {
		return fmt.Errorf("%w: sheet %q has no part", errEarlyDropped, s.t.Source.Sheet)
	}
	var ew io.Writer // the entry
	var hz []byte    // the head, deflated
	crc := crc32.NewIEEE()
	var fw *flate.Writer
	var sum, body *countWriter
	var aw *asyncWriter
	// The sheet's head (up to <sheetData>) as the copy writes it, with the
	// added columns' widths and a used range guessed from the original's,
	// goes first; at the end it is checked against the table, and the
	// original's head is kept to write it again if the guess was wrong.
	head := &bytes.Buffer{}
	out := &switchWriter{w: head}
	in := &headRecorder{r: s.q}
	edit := s.edit(looks)
	edit.SheetData = func(end int64) error {
		if end > int64(len(in.rec)) {
			return fmt.Errorf("%w: the sheet's head is longer than %d bytes", errEarlyDropped, maxHead)
		}
		s.res.origHead = in.rec[:end:end]
		in.rec, in.done = nil, true
		s.res.guessHead = head.Bytes()
		if hz, err = deflateFlushed(head.Bytes()); err != nil {
			return err
		}
		s.res.head = hz
		s.res.fh = rawHeader(s.res.part)
		s.res.fh.Flags |= 0x8 // sizes in a data descriptor, after the data
		if ew, err = z.zw.CreateRaw(s.res.fh); err != nil {
			return err
		}
		if _, err := ew.Write(hz); err != nil {
			return err
		}
		if err := z.zw.Flush(); err != nil {
			return err
		}
		s.res.bodyStart = z.cw.n
		body = &countWriter{w: ew}
		if fw, err = flate.NewWriter(body, flate.BestSpeed); err != nil {
			return err
		}
		sum = &countWriter{w: io.MultiWriter(fw, crc)}
		aw = newAsyncWriter(sum)
		out.w = aw
		return nil
	}
	refsBefore := s.in.strs.refs
	err = copySheet(out, in, edit)
	if aw != nil {
		if cerr := aw.Close(); err == nil {
			err = cerr
		}
	}
	s.res.refs = s.in.strs.refs - refsBefore
	if err != nil {
		return err
	}
	if fw == nil {
		return fmt.Errorf("%w: the sheet has no <sheetData>", errEarlyDropped)
	}
	if err := fw.Close(); err != nil {
		return err
	}
	if err := z.zw.Flush(); err != nil {
		return err
	}
	s.res.bodyLen, s.res.bodyCRC, s.res.bodySize = body.n, crc.Sum32(), sum.n
	// The entry's sizes and CRC, for its data descriptor (written when the
	// next entry starts) and the central directory.
	setSizes(s.res.fh, crc32Combine(crc32.ChecksumIEEE(s.res.guessHead), s.res.bodyCRC, s.res.bodySize),
		int64(len(s.res.guessHead))+s.res.bodySize, int64(len(hz))+s.res.bodyLen)
	return nil
}

// rawHeader is the header CreateHeader would make for a deflated part,
// which CreateRaw takes as it is.
func rawHeader(name string) *zip.FileHeader {
	return &zip.FileHeader{Name: name, Method: zip.Deflate, CreatorVersion: 20, ReaderVersion: 20}
}

func setSizes(fh *zip.FileHeader, crc uint32, size, csize int64) {
	fh.CRC32 = crc
	fh.UncompressedSize64, fh.CompressedSize64 = uint64(size), uint64(csize)
	fh.UncompressedSize, fh.CompressedSize = uint32(min(size, 0xFFFFFFFF)), uint32(min(csize, 0xFFFFFFFF))
}

// deflateFlushed deflates b as a stream that ends on a byte boundary
// without ending the data, so another stream can follow it.
func deflateFlushed(b []byte) ([]byte, error) {
	var z bytes.Buffer
	fw, err := flate.NewWriter(&z, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(b); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil {
		return nil, err
	}
	return z.Bytes(), nil
}

// earlyZip is the workbook an input's budget sheets are annotated into as
// they are read: a zip whose first entries are those sheets. When every
// one came out as its table calls for, the rest of the workbook is added
// to it and it becomes the output; otherwise its sheets are copied out of
// it into a new workbook.
type earlyZip struct {
	path   string
	f      *os.File
	sa     *SyncAhead
	bw     *bufio.Writer
	cw     *countWriter // bytes into the file, buffered or not
	zw     *zip.Writer
	broken bool // holds an entry the workbook must not have
	// ctx, once set, stops the writing when done (an interrupt while the
	// workbook is finished).
	ctx context.Context
}

// zipSink is what the zip writes to: the file's buffer, unless the run
// has been interrupted.
type zipSink struct{ z *earlyZip }

func (s zipSink) Write(p []byte) (int, error) {
	if s.z.ctx != nil {
		if err := s.z.ctx.Err(); err != nil {
			return 0, err
		}
	}
	return s.z.bw.Write(p)
}

func (e *earlyInput) openZip() (*earlyZip, error) {
	if e.zip != nil {
		return e.zip, nil
	}
	f, err := os.CreateTemp(e.dir, ".purpose-workbook-*")
	if err != nil {
		return nil, err
	}
	z := &earlyZip{path: f.Name(), f: f, sa: NewSyncAhead(f)}
	z.bw = bufio.NewWriterSize(z.sa, 1<<20)
	z.cw = &countWriter{w: zipSink{z}}
	z.zw = newZipWriter(z.cw)
	e.zip = z
	return z, nil
}

// finish completes the zip and puts it on disk.
func (z *earlyZip) finish() error {
	if err := z.zw.Close(); err != nil {
		return err
	}
	if err := z.bw.Flush(); err != nil {
		return err
	}
	if err := z.sa.Sync(); err != nil {
		return err
	}
	return z.f.Close()
}

// flush puts everything written so far in the file.
func (z *earlyZip) flush() error {
	if err := z.zw.Flush(); err != nil {
		return err
	}
	return z.bw.Flush()
}

// discard closes and removes the zip, when it is not the output or once
// its sheets have been copied out of it.
func (z *earlyZip) discard() {
	z.sa.Wait() // no fsync left running on a removed file
	z.f.Close()
	os.Remove(z.path)
}

// maxHead bounds the part of a sheet before its rows kept for the end.
const maxHead = 1 << 20

// headRecorder keeps what is read through it, up to maxHead bytes, until
// done.
type headRecorder struct {
	r    io.Reader
	rec  []byte
	done bool
}

func (h *headRecorder) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if !h.done && len(h.rec) < maxHead {
		h.rec = append(h.rec, p[:min(n, maxHead-len(h.rec))]...)
	}
	return n, err
}

type switchWriter struct{ w io.Writer }

func (s *switchWriter) Write(p []byte) (int, error) { return s.w.Write(p) }

// finishHead works out the sheet's head as the table once read calls for.
// If it is the head the copy guessed, the entry stands; otherwise the head
// is deflated on its own, to go before the rows' deflate stream (a flushed
// stream may be followed by another) when they are copied into the
// workbook, with the CRCs combined.
func (r *earlyResult) finishHead(t *ingest.Table) error {
	var head bytes.Buffer
	if err := copySheet(&head, bytes.NewReader(r.origHead), sheetHeadEdit(t)); err != nil {
		return err
	}
	if bytes.Equal(head.Bytes(), r.guessHead) {
		r.direct = true
		return nil
	}
	z, err := deflateFlushed(head.Bytes())
	if err != nil {
		return err
	}
	r.head = z
	r.fh = rawHeader(r.part)
	setSizes(r.fh, crc32Combine(crc32.ChecksumIEEE(head.Bytes()), r.bodyCRC, r.bodySize), int64(head.Len())+r.bodySize, int64(len(z))+r.bodyLen)
	return nil
}

// crc32Combine is the CRC-32 of a followed by b, from theirs and b's
// length (zlib's crc32_combine).
func crc32Combine(crcA, crcB uint32, lenB int64) uint32 {
	if lenB <= 0 {
		return crcA
	}
	var even, odd [32]uint32
	odd[0] = crc32.IEEE // the operator for one zero bit
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {
		gf2Square(&even, &odd)
		if lenB&1 != 0 {
			crcA = gf2Times(&even, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
		gf2Square(&odd, &even)
		if lenB&1 != 0 {
			crcA = gf2Times(&odd, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
	}
	return crcA ^ crcB
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// edit is annotationEdit for a table still being read.
func (s *earlySheet) edit(looks annotationLooks) sheetEdit {
	t, strs := s.t, s.in.strs
	header := t.Source.Row
	var a *annotator
	guess := func(dimCol int) {
		if a != nil {
			return
		}
		switch {
		case t.AnnotationCol > 0:
			s.first = t.AnnotationCol
		default:
			s.first = max(t.HeaderLastCol, dimCol) + 1
		}
		a = newAnnotator(s.in.fw, looks, strs, s.first, t.Thousands)
	}
	var batch []decision
	pos, prevRow, ended := 0, 0, false
	// next returns the decision for row, if it has one, waiting for the
	// collector to get that far.
	next := func(row int) (decision, bool) {
		for {
			if pos < len(batch) {
				d := batch[pos]
				switch {
				case int(d.row) < row:
					// A row the copier never met: the XML's rows are out of
					// order or repeated.
					s.bad = errEarlyOutOfOrder
					pos++
					continue
				case int(d.row) == row:
					pos++
					return d, true
				}
				return decision{}, false
			}
			if ended {
				return decision{}, false
			}
			select {
			case b, ok := <-s.decisions:
				if !ok {
					ended = true
					continue
				}
				batch, pos = b, 0
			case <-s.stop:
				ended = true
			}
		}
	}
	var cells []annotationCell
	return sheetEdit{
		DimensionFunc: func(ref string) string {
			col, _ := dimensionEnd(ref)
			guess(col)
			// A guess, checked at the end: right when the original's used
			// range covers every cell read.
			return usedRange(ref, s.first+len(annotationHeaders)-1, 0, 0)
		},
		ColsFunc: func() []colWidth {
			guess(0)
			return annotationWidths(s.first)
		},
		Unselect: true,
		DropFrom: t.AnnotationCol,
		AddCells: func(row int, prefix string, buf []byte) []byte {
			guess(0)
			if row <= prevRow && row >= header {
				s.bad = errEarlyOutOfOrder
			}
			prevRow = max(prevRow, row)
			switch {
			case row == header:
				return a.header(buf, row, prefix)
			case row > header:
				d, ok := next(row)
				switch {
				case ok && d.line:
					return a.line(buf, row, prefix, d.mark, d.unreadable)
				case ok:
					cells = excludedCells(cells[:0], ingest.Excluded{Reason: d.reason}, looks)
					if d.reason == ingest.ReasonSubtotal {
						// Its check is settled at the table's end.
						i := strs.reserve()
						s.res.reserved[int(d.excluded)] = i
						cells[0] = annotationCell{sst: i + 1, style: cells[0].style}
					}
				case t.AnnotationCol > 0 && (!ended || row <= s.lastRow):
					cells = blankCells(cells[:0], len(annotationHeaders))
				default:
					return buf
				}
				return a.write(buf, row, prefix, cells)
			}
			return buf
		},
	}
}

// check compares the copy's guess with the table as read.
func (s *earlySheet) check(t *ingest.Table) error {
	if s.first != annotationColumn(t) {
		return fmt.Errorf("%w: the added columns start at %d, not %d", errEarlyDropped, annotationColumn(t), s.first)
	}
	return nil
}

// dimensionEnd is the bottom right of a <dimension ref>: "A1:I100" → 9, 100.
func dimensionEnd(ref string) (col, row int) {
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	c, ok := refColumn([]byte(strings.ToUpper(ref)))
	if !ok {
		return 0, 0
	}
	for _, ch := range ref {
		switch {
		case ch >= '0' && ch <= '9':
			row = row*10 + int(ch-'0')
		case ch >= 'A' && ch <= 'Z', ch >= 'a' && ch <= 'z', ch == '$':
		default:
			return 0, 0
		}
	}
	return c, row
}

// copyEarly puts an early copy in a workbook: its head, then its rows'
// deflate stream copied out of the early zip.
func copyEarly(zw *zip.Writer, name string, zipPath string, r *earlyResult) error {
	f, err := os.Open(zipPath)
	if err != nil {
		return err
	}
	defer f.Close()
	fh := *r.fh
	fh.Name = name
	fh.Flags &^= 0x8 // its sizes go before it
	w, err := zw.CreateRaw(&fh)
	if err != nil {
		return err
	}
	if _, err := w.Write(r.head); err != nil {
		return err
	}
	_, err = io.Copy(w, io.NewSectionReader(f, r.bodyStart, r.bodyLen))
	return err
}

// xmlQueue is a Tee that holds a sheet's XML until its copier reads it.
// Writes never wait; a queue nobody reads past maxQueued is dropped, and
// its copier fails, rather than holding a whole sheet in memory.
type xmlQueue struct {
	mu      sync.Mutex
	cond    sync.Cond
	chunks  [][]byte
	spare   [][]byte // chunks read, for reuse
	head    []byte   // the chunk being read
	held    []byte   // head's whole chunk
	queued  int
	ended   bool
	err     error
	dropped bool
}

const (
	queueChunk = 256 << 10
	maxQueued  = 64 << 20
)

func newXMLQueue() *xmlQueue {
	q := &xmlQueue{}
	q.cond.L = &q.mu
	return q
}

func (q *xmlQueue) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.dropped || q.ended {
		return len(p), nil
	}
	if q.queued+len(p) > maxQueued {
		q.chunks, q.queued, q.dropped = nil, 0, true
		q.cond.Broadcast()
		return len(p), nil
	}
	n := len(p)
	for len(p) > 0 {
		if k := len(q.chunks); k == 0 || len(q.chunks[k-1]) == cap(q.chunks[k-1]) {
			var c []byte
			if n := len(q.spare); n > 0 {
				c, q.spare = q.spare[n-1][:0], q.spare[:n-1]
			} else {
				c = make([]byte, 0, queueChunk)
			}
			q.chunks = append(q.chunks, c)
		}
		last := &q.chunks[len(q.chunks)-1]
		m := min(len(p), cap(*last)-len(*last))
		*last = append(*last, p[:m]...)
		p = p[m:]
	}
	q.queued += n
	q.cond.Broadcast()
	return n, nil
}

func (q *xmlQueue) End(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.ended {
		q.ended, q.err = true, err
	}
	q.cond.Broadcast()
}

func (q *xmlQueue) drop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.chunks, q.queued, q.dropped = nil, 0, true
	q.cond.Broadcast()
}

func (q *xmlQueue) Read(p []byte) (int, error) {
	if len(q.head) == 0 {
		q.mu.Lock()
		if q.held != nil {
			if len(q.spare) < 8 {
				q.spare = append(q.spare, q.held)
			}
			q.held = nil
		}
		for len(q.chunks) == 0 && !q.ended && !q.dropped {
			q.cond.Wait()
		}
		switch {
		case q.dropped:
			q.mu.Unlock()
			return 0, errEarlyDropped
		case len(q.chunks) > 0:
			q.head, q.held = q.chunks[0], q.chunks[0]
			q.chunks = q.chunks[1:]
			q.queued -= len(q.head)
		case q.err != nil:
			err := q.err
			q.mu.Unlock()
			return 0, err
		default:
			q.mu.Unlock()
			return 0, io.EOF
		}
		q.mu.Unlock()
	}
	n := copy(p, q.head)
	q.head = q.head[n:]
	return n, nil
}
