package csvout

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// appendCSVField appends a field as encoding/csv's Writer writes it with a
// comma separator and "\n" line ends: quoted when it holds a comma, a quote,
// a line break, or begins with a space, or is \. (which PostgreSQL's COPY
// reads as an end of data).
func appendCSVField(b []byte, f string) []byte {
	if !csvNeedsQuotes(f) {
		return append(b, f...)
	}
	return appendQuoted(b, f)
}

// appendQuoted appends f quoted, its quotes doubled.
func appendQuoted(b []byte, f string) []byte {
	b = append(b, '"')
	for {
		i := strings.IndexByte(f, '"')
		if i < 0 {
			break
		}
		b = append(b, f[:i+1]...)
		b = append(b, '"')
		f = f[i+1:]
	}
	b = append(b, f...)
	return append(b, '"')
}

// csvSpecial marks the bytes that have a field quoted wherever they are:
// a table look-up a byte, as strings.ContainsAny builds its set anew each
// call (a tenth of a second at a million lines).
var csvSpecial = [256]bool{',': true, '"': true, '\r': true, '\n': true}

func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		if csvSpecial[f[i]] {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

// formulaStart marks the first bytes of a field a spreadsheet program may
// read as a formula: = + - @, tab and CR (which Excel drops before it
// looks), and the bytes that may begin leading white space before one (an
// ASCII space or line break, or the first byte of a longer character,
// which formulaLike looks at closer). One look-up a field keeps the
// per-line writer as fast as before for ordinary text.
var formulaStart = func() (t [256]bool) {
	for _, c := range []byte("=+-@\t\r\n\v\f ") {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	return t
}()

// formulaLike reports whether a spreadsheet program opening the CSV could
// read f as a formula: it begins with = + - @, a tab or a CR, or does so
// after leading white space. A plain number (-12.50, +3, 1,234) is no
// formula and is left as it is.
func formulaLike(f string) bool {
	g := strings.TrimLeftFunc(f, unicode.IsSpace)
	if g == "" {
		return false
	}
	if len(g) != len(f) && (f[0] == '\t' || f[0] == '\r') {
		return true
	}
	switch g[0] {
	case '=', '@':
		return true
	case '+', '-':
		return len(g) != len(f) || !plainNumber(g[1:])
	}
	return false
}

// plainNumber reports whether s is digits, with dots and commas between
// them: a number, never a formula.
func plainNumber(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// appendTextField appends a text field (never a money, share or FTE
// field, whose minus signs are numbers): unless raw, one a spreadsheet
// program would read as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)) is
// neutralised as OWASP recommends for CSV injection: a ' before it, and
// the field quoted, so that it opens as the text it was.
func appendTextField(b []byte, f string, raw bool) []byte {
	if raw || f == "" || !formulaStart[f[0]] || !formulaLike(f) {
		return appendCSVField(b, f)
	}
	return appendQuoted(b, "'"+f)
}

// numericColumns are the CSVs' columns that hold numbers (money, shares,
// FTE, row numbers): written as they are, a minus sign and all. Every
// other column is text, neutralised unless raw (appendTextField), so that
// a column added later is safe unless named here.
var numericColumns = map[string]bool{"row": true, "line_amount": true, "amount": true, "share": true,
	"total": true, "social": true, "post_fte": true, "post_cost": true, "fte": true}

// Writer writes CSV as encoding/csv's Writer does (comma, "\n"), its
// text fields through appendTextField: the first row written is the
// header, which says which columns are numbers. It is a gocsv.CSVWriter.
type Writer struct {
	w    *bufio.Writer
	buf  []byte
	text []bool // by column, from the header
	raw  bool
	err  error
}

// NewWriter writes CSV to w, its text fields as read when raw (--csv-raw).
func NewWriter(w io.Writer, raw bool) *Writer {
	return &Writer{w: bufio.NewWriter(w), raw: raw}
}

func (c *Writer) Write(row []string) error {
	if c.err != nil {
		return c.err
	}
	header := c.text == nil
	if header {
		c.text = make([]bool, len(row))
		for i, name := range row {
			c.text[i] = !numericColumns[name]
		}
	}
	b := c.buf[:0]
	for i, f := range row {
		if i > 0 {
			b = append(b, ',')
		}
		if header || (i < len(c.text) && !c.text[i]) {
			b = appendCSVField(b, f)
		} else {
			b = appendTextField(b, f, c.raw)
		}
	}
	b = append(b, '\n')
	c.buf = b
	_, c.err = c.w.Write(b)
	return c.err
}

func (c *Writer) Flush() {
	if c.err == nil {
		c.err = c.w.Flush()
	}
}

func (c *Writer) Error() error { return c.err }
