package sheetxml

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// rowScanner reads a worksheet's rows from its XML, on the goroutine that
// fills Rows' batches.
type rowScanner struct {
	s   *scanner
	sst *sharedStrings

	state int // 0 before <sheetData>, 1 inside, 2 done
	row   int
	// seen has a bit for each row number read: a row given twice is a
	// damaged file, and would otherwise be read (and counted) twice.
	seen []uint64
	// cells are the batch's; the row being read starts at rowStart.
	cells    []Cell
	rowStart int
	spans    []cellSpan // the row's cells' strings in arena
	arena    []byte
}

// cellSpan locates a cell's strings in the row arena; -1 starts mean none.
type cellSpan struct {
	v0, v1 int
	f0, f1 int
	r0, r1 int
}

// fill reads rows into b until it is full. It returns io.EOF after the
// last row, or the error that stopped it; the rows before stay in b.
func (r *rowScanner) fill(b *rowBatch) error {
	b.rows, b.ends = b.rows[:0], b.ends[:0]
	r.cells = b.cells[:0]
	defer func() { b.cells = r.cells }()
	for len(b.rows) < batchRows && len(r.cells) < batchCells {
		if err := r.next(); err != nil {
			if n := len(b.ends); n > 0 {
				r.cells = r.cells[:b.ends[n-1]]
			} else {
				r.cells = r.cells[:0]
			}
			return err
		}
		b.rows, b.ends = append(b.rows, r.row), append(b.ends, len(r.cells))
	}
	return nil
}

// next reads the next <row> of the sheet data, returning io.EOF at its end.
func (r *rowScanner) next() error {
	if r.state == 2 {
		return io.EOF
	}
	s := r.s
	if r.state == 0 {
		if err := r.seekSheetData(); err != nil {
			return err
		}
	}
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokStart:
			if string(s.name) == "row" {
				return r.readRow()
			}
			if err := s.skipElement(); err != nil {
				return err
			}
		case tokEnd:
			if string(s.name) != "sheetData" {
				return s.errAt(s.tokOff, fmt.Sprintf("unexpected </%s> in <sheetData>", s.name))
			}
			r.state = 2
			return io.EOF
		case tokEOF:
			return s.errAt(s.tokOff, "unexpected end of part inside <sheetData>")
		}
	}
}

func (r *rowScanner) seekSheetData() error {
	s := r.s
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokEOF:
			r.state = 2 // no sheet data: an empty sheet
			return io.EOF
		case tokStart:
			if string(s.name) == "sheetData" {
				if s.selfClose {
					r.state = 2
					return io.EOF
				}
				r.state = 1
				return nil
			}
		}
	}
}

func (r *rowScanner) readRow() error {
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
	r.rowStart = len(r.cells)
	r.spans, r.arena = r.spans[:0], r.arena[:0]
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
	cells := r.cells[r.rowStart:]
	sorted := true
	start := s.tokOff // the row's end tag
	for i := range cells {
		c, sp := &cells[i], &r.spans[i]
		if sp.v0 >= 0 {
			c.Value = str[sp.v0:sp.v1]
		}
		if sp.f0 >= 0 {
			c.Formula = str[sp.f0:sp.f1]
		}
		if sp.r0 >= 0 {
			c.FormulaRef = str[sp.r0:sp.r1]
		}
		if i > 0 && c.Col <= cells[i-1].Col {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(cells, func(a, b Cell) int { return a.Col - b.Col })
		for i := 1; i < len(cells); i++ {
			if cells[i].Col == cells[i-1].Col {
				return s.errAt(start, fmt.Sprintf("cell %s%d is given twice (the file is damaged: open it in Excel and save it again)", ColumnLetter(cells[i].Col), num))
			}
		}
	}
	return nil
}

// ColumnLetter is a 1-based column number's letters: 1 is "A", 28 is "AB".
func ColumnLetter(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

func (r *rowScanner) readCell() error {
	s := r.s
	col := 1
	if n := len(r.cells); n > r.rowStart {
		col = r.cells[n-1].Col + 1
	}
	c := Cell{Col: col}
	start := s.tokOff
	for i := range s.attrs {
		name, val := s.attr(i)
		switch string(name) {
		case "r":
			n, row, ok := ParseCellRef(val)
			if !ok {
				return s.errAt(s.tokOff, fmt.Sprintf("invalid cell reference %q", val))
			}
			if row != r.row {
				// Read as the row's, its value would move to another row.
				return s.errAt(s.tokOff, fmt.Sprintf("cell %s is inside row %d (the file is damaged: open it in Excel and save it again)", val, r.row))
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
	for _, span := range [3][2]int{{sp.v0, sp.v1}, {sp.f0, sp.f1}, isSpan} {
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
func (r *rowScanner) tooLong(off int64, col int) error {
	return r.s.errAt(off, fmt.Sprintf("cell %s%d holds more than %d characters, more than Excel allows in a cell", ColumnLetter(col), r.row, MaxCellChars))
}

// fastValue consumes "<v>text</v></c>" if that is exactly what follows the
// current <c> start tag and is all in the buffer — the shape of nearly
// every cell Excel writes — storing the text in the arena. Anything else
// (a prefix, whitespace, a formula, the buffer ending) leaves the scanner
// untouched for the general path.
func (r *rowScanner) fastValue(sp *cellSpan) bool {
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
func (r *rowScanner) fastInline(span *[2]int) bool {
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
func (r *rowScanner) fastText(open int, tail string, bstr bool) (start, end int, ok bool) {
	s := r.s
	b := s.buf[s.pos:s.end]
	// One pass to the '<' that ends the text, noting what needs decoding:
	// the text is mostly a few characters (a number, a string's index),
	// for which this is quicker than searching for each byte in turn.
	t := b[open:]
	i, seen := 0, byte(0)
	for ; i < len(t); i++ {
		k := textClass[t[i]]
		if k == classLT {
			break
		}
		seen |= k
	}
	if i == len(t) {
		return 0, 0, false
	}
	rest := t[i:]
	if len(rest) < len(tail) || string(rest[:len(tail)]) != tail {
		return 0, 0, false
	}
	text := t[:i]
	if len(text) > MaxCellChars {
		return 0, 0, false // the general path measures it
	}
	if bstr && seen&classUnderscore != 0 && bytes.Contains(text, []byte("_x")) {
		return 0, 0, false
	}
	start = len(r.arena)
	if seen&classEscape == 0 {
		r.arena = append(r.arena, text...)
	} else {
		arena, err := appendUnescaped(r.arena, text)
		if err != nil {
			r.arena = arena[:start]
			return 0, 0, false // the general path reports it
		}
		r.arena = arena
	}
	s.pos += open + i + len(tail)
	return start, len(r.arena), true
}

// textClass sorts the bytes fastText looks for: the '<' that ends text,
// what appendUnescaped decodes ('&', '\r'), and '_', which may start an
// _xHHHH_ escape.
var textClass = func() (c [256]byte) {
	c['<'] = classLT
	c['&'], c['\r'] = classEscape, classEscape
	c['_'] = classUnderscore
	return c
}()

const (
	classLT = 1 << iota
	classEscape
	classUnderscore
)

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
