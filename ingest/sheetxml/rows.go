package sheetxml

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"unicode/utf8"
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
type Rows struct {
	s       *scanner
	closeFn func() error
	sst     *sharedStrings
	cleanup runtime.Cleanup

	state int // 0 before <sheetData>, 1 inside, 2 done
	row   int
	// seen has a bit for each row number read: a row given twice is a
	// damaged file, and would otherwise be read (and counted) twice.
	seen  []uint64
	cells []Cell
	spans []cellSpan
	arena []byte
	err   error

	inflated *limitReader // counts the part's bytes read so far
	size     int64        // the part's inflated size, as its zip entry says
}

// Progress reports how far through its sheet the reader is: bytes of the
// sheet's XML inflated so far, and in all (as the zip entry states it; 0 if
// unknown). It may be called from another goroutine.
func (r *Rows) Progress() (done, total int64) {
	if r.inflated == nil {
		return 0, r.size
	}
	return r.inflated.read.Load(), r.size
}

// cellSpan locates a cell's strings in the row arena; -1 starts mean none.
type cellSpan struct {
	v0, v1 int
	f0, f1 int
	r0, r1 int
}

func newRows(s *scanner, closeFn func() error, sst *sharedStrings) *Rows {
	r := &Rows{s: s, closeFn: closeFn, sst: sst}
	// A caller that drops the iterator without Close must not leak the
	// read-ahead goroutine.
	r.cleanup = runtime.AddCleanup(r, func(c func() error) { _ = c() }, closeFn)
	return r
}

// Next advances to the next <row> in the sheet's XML and reports whether
// there is one. It returns false at the end of the sheet data or on error
// (see Err).
func (r *Rows) Next() bool {
	if r.state == 2 || r.err != nil {
		return false
	}
	s := r.s
	if r.state == 0 {
		if !r.seekSheetData() {
			return false
		}
	}
	for {
		if err := s.next(); err != nil {
			return r.fail(err)
		}
		switch s.kind {
		case tokStart:
			if string(s.name) == "row" {
				if err := r.readRow(); err != nil {
					return r.fail(err)
				}
				return true
			}
			if err := s.skipElement(); err != nil {
				return r.fail(err)
			}
		case tokEnd:
			if string(s.name) != "sheetData" {
				return r.fail(s.errAt(s.tokOff, fmt.Sprintf("unexpected </%s> in <sheetData>", s.name)))
			}
			r.finish()
			return false
		case tokEOF:
			return r.fail(s.errAt(s.tokOff, "unexpected end of part inside <sheetData>"))
		}
	}
}

func (r *Rows) seekSheetData() bool {
	s := r.s
	for {
		if err := s.next(); err != nil {
			return r.fail(err)
		}
		switch s.kind {
		case tokEOF:
			r.finish() // no sheet data: an empty sheet
			return false
		case tokStart:
			if string(s.name) == "sheetData" {
				if s.selfClose {
					r.finish()
					return false
				}
				r.state = 1
				return true
			}
		}
	}
}

func (r *Rows) fail(err error) bool {
	r.err = err
	r.release()
	return false
}

func (r *Rows) finish() {
	r.state = 2
	r.release()
}

func (r *Rows) release() {
	if r.closeFn != nil {
		_ = r.closeFn()
		r.closeFn = nil
		r.cleanup.Stop()
	}
	r.cells, r.spans, r.arena = r.cells[:0], r.spans[:0], nil
}

// Row returns the 1-based number of the current row: its r attribute, or
// the previous row's number + 1 when r is absent.
func (r *Rows) Row() int { return r.row }

// Cells returns the cells of the current row in column order. The slice is
// reused by the next call to Next; the strings in it stay valid.
func (r *Rows) Cells() []Cell { return r.cells }

// Err returns the error that stopped the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close releases the part. It is safe to call more than once.
func (r *Rows) Close() error {
	if r.state != 2 && r.err == nil {
		r.state = 2
	}
	r.release()
	return nil
}

func (r *Rows) readRow() error {
	s := r.s
	num := r.row + 1
	if v, ok := s.getAttr("r"); ok && len(bytes.TrimSpace(v)) > 0 {
		n, ok := parseUint(bytes.TrimSpace(v))
		if !ok || n < 1 || n > MaxRows {
			return s.errAt(s.tokOff, fmt.Sprintf("invalid row number %q", v))
		}
		num = n
	} else if num > MaxRows {
		return s.errAt(s.tokOff, "row number past the sheet's last row")
	}
	w := num >> 6
	if w >= len(r.seen) {
		r.seen = append(r.seen, make([]uint64, w+1-len(r.seen))...)
	}
	if r.seen[w]&(1<<(num&63)) != 0 {
		return s.errAt(s.tokOff, fmt.Sprintf("row %d is given twice (the file is damaged: open it in Excel and save it again)", num))
	}
	r.seen[w] |= 1 << (num & 63)
	r.row = num
	r.cells, r.spans, r.arena = r.cells[:0], r.spans[:0], r.arena[:0]
	if !s.selfClose {
		for {
			if err := s.next(); err != nil {
				return err
			}
			switch s.kind {
			case tokStart:
				if string(s.name) == "c" {
					if err := r.readCell(); err != nil {
						return err
					}
					continue
				}
				if err := s.skipElement(); err != nil {
					return err
				}
				continue
			case tokEnd:
				if string(s.name) != "row" {
					return s.errAt(s.tokOff, fmt.Sprintf("unexpected </%s> in <row>", s.name))
				}
			case tokEOF:
				return s.errAt(s.tokOff, "unexpected end of part inside <row>")
			default:
				continue
			}
			break
		}
	}
	// One string for the row's text; cells slice into it.
	str := string(r.arena)
	sorted := true
	start := s.tokOff // the row's end tag
	for i := range r.cells {
		c, sp := &r.cells[i], &r.spans[i]
		if sp.v0 >= 0 {
			c.Value = str[sp.v0:sp.v1]
		}
		if sp.f0 >= 0 {
			c.Formula = str[sp.f0:sp.f1]
		}
		if sp.r0 >= 0 {
			c.FormulaRef = str[sp.r0:sp.r1]
		}
		if i > 0 && c.Col <= r.cells[i-1].Col {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(r.cells, func(a, b Cell) int { return a.Col - b.Col })
		for i := 1; i < len(r.cells); i++ {
			if r.cells[i].Col == r.cells[i-1].Col {
				return s.errAt(start, fmt.Sprintf("cell %s%d is given twice (the file is damaged: open it in Excel and save it again)", columnName(r.cells[i].Col), num))
			}
		}
	}
	return nil
}

// columnName is a column's letters: 1 is "A", 28 is "AB".
func columnName(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

func (r *Rows) readCell() error {
	s := r.s
	col := 1
	if n := len(r.cells); n > 0 {
		col = r.cells[n-1].Col + 1
	}
	c := Cell{Col: col}
	start := s.tokOff
	for i := range s.attrs {
		name, val := s.attr(i)
		switch string(name) {
		case "r":
			n, ok := parseCellCol(val)
			if !ok {
				return s.errAt(s.tokOff, fmt.Sprintf("invalid cell reference %q", val))
			}
			c.Col = n
		case "s":
			c.Style, _ = parseUint(val)
		case "t":
			c.Type = internType(val)
		}
	}
	if c.Col > MaxColumns {
		return s.errAt(s.tokOff, "cell past the sheet's last column")
	}
	sp := cellSpan{v0: -1, f0: -1, r0: -1}
	var isSpan [2]int
	hasV, hasIS := false, false
	if !s.selfClose && r.fastValue(&sp) {
		hasV = true
	} else if !s.selfClose && c.Type == "inlineStr" && r.fastInline(&isSpan) {
		hasIS = true
	} else if !s.selfClose {
		var err error
	children:
		for {
			if err = s.next(); err != nil {
				return err
			}
			switch s.kind {
			case tokStart:
				switch string(s.name) {
				case "v":
					hasV = true
					sp.v0 = len(r.arena)
					r.arena, err = s.collectText(r.arena)
					sp.v1 = len(r.arena)
				case "f":
					c.HasFormula = true
					c.FormulaType, c.Shared, c.SharedIndex, sp.r0 = "", false, 0, -1
					for i := range s.attrs {
						name, val := s.attr(i)
						switch string(name) {
						case "t":
							c.FormulaType = internFormulaType(val)
							c.Shared = c.FormulaType == "shared"
						case "si":
							c.SharedIndex, _ = parseUint(bytes.TrimSpace(val))
						case "ref":
							sp.r0 = len(r.arena)
							r.arena, err = appendUnescaped(r.arena, val)
							sp.r1 = len(r.arena)
							if err != nil {
								return s.errAt(s.tokOff, err.Error())
							}
						}
					}
					sp.f0 = len(r.arena)
					r.arena, err = s.collectText(r.arena)
					sp.f1 = len(r.arena)
				case "is":
					hasIS = true
					isSpan[0] = len(r.arena)
					r.arena, err = s.appendRichText(r.arena)
					if t := r.arena[isSpan[0]:]; bytes.Contains(t, []byte("_x")) {
						d := decodeEscapes(string(t))
						r.arena = append(r.arena[:isSpan[0]], d...)
					}
					isSpan[1] = len(r.arena)
				default:
					err = s.skipElement()
				}
				if err == errTextTooLong {
					return r.tooLong(start, c.Col)
				}
				if err != nil {
					return err
				}
			case tokEnd:
				if string(s.name) != "c" {
					return s.errAt(s.tokOff, fmt.Sprintf("unexpected </%s> in <c>", s.name))
				}
				break children
			case tokEOF:
				return s.errAt(s.tokOff, "unexpected end of part inside <c>")
			}
		}
	}
	for _, span := range [][2]int{{sp.v0, sp.v1}, {sp.f0, sp.f1}, isSpan} {
		if n := span[1] - span[0]; span[0] >= 0 && n > MaxCellChars && utf8.RuneCount(r.arena[span[0]:span[1]]) > MaxCellChars {
			return r.tooLong(start, c.Col)
		}
	}
	switch c.Type {
	case "s":
		c.HasValue = hasV
		if hasV {
			raw := bytes.TrimSpace(r.arena[sp.v0:sp.v1])
			if len(raw) > 0 {
				i, ok := parseUint(raw)
				v, found := "", false
				if ok {
					v, found = r.sst.get(i)
				}
				if !found {
					return s.errAt(start, fmt.Sprintf("shared string index %q out of range (table has %d)", raw, r.sst.len()))
				}
				c.Value = v
			}
			sp.v0 = -1
		}
	case "inlineStr":
		if hasIS {
			c.HasValue = true
			sp.v0, sp.v1 = isSpan[0], isSpan[1]
		} else {
			c.HasValue = hasV
		}
	case "str":
		c.HasValue = hasV
	default:
		// An empty <v> is no value: a formula saved without its result.
		c.HasValue = hasV && sp.v1 > sp.v0 && (!isSpace(r.arena[sp.v0]) || len(bytes.TrimSpace(r.arena[sp.v0:sp.v1])) > 0)
	}
	r.cells = append(r.cells, c)
	r.spans = append(r.spans, sp)
	return nil
}

// tooLong is the error for a cell whose text is past what Excel holds.
func (r *Rows) tooLong(off int64, col int) error {
	return r.s.errAt(off, fmt.Sprintf("cell %s%d holds more than %d characters, more than Excel allows in a cell", columnName(col), r.row, MaxCellChars))
}

// fastValue consumes "<v>text</v></c>" if that is exactly what follows the
// current <c> start tag and is all in the buffer — the shape of nearly
// every cell Excel writes — storing the text in the arena. Anything else
// (a prefix, whitespace, a formula, the buffer ending) leaves the scanner
// untouched for the general path.
func (r *Rows) fastValue(sp *cellSpan) bool {
	b := r.s.buf[r.s.pos:r.s.end]
	if len(b) < 3 || b[0] != '<' || b[1] != 'v' || b[2] != '>' {
		return false
	}
	start, end, ok := r.fastText(3, "</v></c>", false)
	if ok {
		sp.v0, sp.v1 = start, end
	}
	return ok
}

// fastInline consumes "<is><t>text</t></is></c>" (the t may say
// xml:space="preserve") if that is exactly what follows the current <c>
// start tag and is all in the buffer: the shape of nearly every inline
// string cell. It leaves the text, unescaped, in the arena.
func (r *Rows) fastInline(span *[2]int) bool {
	b := r.s.buf[r.s.pos:r.s.end]
	var open int
	switch {
	case bytes.HasPrefix(b, []byte("<is><t>")):
		open = len("<is><t>")
	case bytes.HasPrefix(b, []byte(`<is><t xml:space="preserve">`)):
		open = len(`<is><t xml:space="preserve">`)
	default:
		return false
	}
	start, end, ok := r.fastText(open, "</t></is></c>", true)
	if ok {
		span[0], span[1] = start, end
	}
	return ok
}

// fastText consumes, from the read position, open bytes of markup, text
// without markup, and tail, if all of it is in the buffer, leaving the
// text unescaped in the arena at [start, end). With bstr, text holding
// an _xHHHH_ escape is left to the general path, which decodes it.
func (r *Rows) fastText(open int, tail string, bstr bool) (start, end int, ok bool) {
	s := r.s
	b := s.buf[s.pos:s.end]
	i := bytes.IndexByte(b[open:], '<')
	if i < 0 {
		return 0, 0, false
	}
	rest := b[open+i:]
	if len(rest) < len(tail) || string(rest[:len(tail)]) != tail {
		return 0, 0, false
	}
	text := b[open : open+i]
	if len(text) > MaxCellChars {
		return 0, 0, false // the general path measures it
	}
	if bstr && bytes.Contains(text, []byte("_x")) {
		return 0, 0, false
	}
	start = len(r.arena)
	arena, err := appendUnescaped(r.arena, text)
	if err != nil {
		r.arena = arena[:start]
		return 0, 0, false // the general path reports it
	}
	r.arena = arena
	s.pos += open + i + len(tail)
	return start, len(r.arena), true
}

// parseUint parses decimal digits; ok is false for anything else or on
// overflow past 1<<40.
func parseUint(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > 1<<40 {
			return 0, false
		}
	}
	return n, true
}

// parseCellCol returns the column of a cell reference such as "B7" or
// "$AB$12". The row part must be a valid row number; its value is
// otherwise ignored, as in excelize: a cell belongs to the row that
// contains it.
func parseCellCol(b []byte) (int, bool) {
	col, _, ok := ParseCellRef(b)
	return col, ok
}

func internType(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case "n":
		return "n"
	case "s":
		return "s"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	v, err := unescapeAttr(b)
	if err != nil {
		return string(b)
	}
	return v
}

func internFormulaType(b []byte) string {
	switch string(b) {
	case "normal":
		return "normal"
	case "shared":
		return "shared"
	case "array":
		return "array"
	case "dataTable":
		return "dataTable"
	}
	return string(b)
}
