package export

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// AllocationColumns are allocations.csv's columns. Columns are only ever
// added at the end, so that readers of earlier runs' files keep working.
var AllocationColumns = []string{"file", "sheet", "row", "business_unit", "cost_centre", "nominal", "description", "line_amount",
	"outcome", "theme", "mode", "share", "amount", "rule", "cost_centre_name", "nominal_name", "payee", "line_type", "note"}

// WriteAllocationsHeader writes allocations.csv's header row.
func WriteAllocationsHeader(w io.Writer) error {
	_, err := io.WriteString(w, strings.Join(AllocationColumns, ",")+"\n")
	return err
}

// lineDescription is the most specific description a line has.
func lineDescription(l *ingest.CostLine) string {
	switch {
	case l.Description != "":
		return l.Description
	case l.NominalName != "":
		return l.NominalName
	case l.LineType != "":
		return l.LineType
	}
	return l.CostCentreName
}

// allocationWriter writes allocations.csv rows as lines arrive: one row per
// (line, outcome), money as plain decimals from pence, shares as exact
// fractions. It writes the CSV itself, quoting as encoding/csv does: a
// million lines never have to be held at once, and what every row of a rule
// says of its outcomes (outcome, theme, mode, share, rule) is written out
// once per rule, not once per row.
type allocationWriter struct {
	w    io.Writer
	buf  []byte
	head []byte // the current line's fields up to its outcome
	tail []byte // the current line's fields after the rule, and the line end
	// file and sheet are the last line's, and fileSheet their CSV.
	file, sheet string
	fileSheet   []byte
	parts       map[matchKey]*allocationText
	// raw writes text fields as read, not neutralised (--csv-raw).
	raw bool
}

// matchKey is what decides a line's outcomes, themes, modes and shares.
type matchKey struct {
	rule   *analysis.Rule
	status analysis.Status
}

// allocationText is the CSV of a match's allocations but for the amounts:
// parts[i] is allocation i's outcome, theme, mode and share, each followed
// by a comma; rule is the comma and rule id that follow the amount.
type allocationText struct {
	parts [][]byte
	rule  []byte
	rules [][]byte // per allocation, for a line apportioned by staff time
}

func newAllocationWriter(w io.Writer, raw bool) *allocationWriter {
	return &allocationWriter{w: w, buf: make([]byte, 0, 1<<16), parts: map[matchKey]*allocationText{}, raw: raw}
}

// SetCSVRaw has the CSVs' text fields written as read (--csv-raw), not
// neutralised where a spreadsheet program would read them as formulas
// (see appendTextField). It applies from the next Begin.
func (c *Collector) SetCSVRaw(raw bool) { c.csvRaw = raw }

// write writes a line's rows; staff, when the line was apportioned by
// staff time, names each part's rule.
func (a *allocationWriter) write(fw *analysis.Framework, l *ingest.CostLine, m analysis.Match, allocs []analysis.Allocation, staff []analysis.StaffAllocation) error {
	if len(allocs) == 0 {
		return nil
	}
	if l.Source.File != a.file || l.Source.Sheet != a.sheet || a.fileSheet == nil {
		a.file, a.sheet = l.Source.File, l.Source.Sheet // the path as given, as run.json has it
		a.fileSheet = appendTextField(a.fileSheet[:0], a.file, a.raw)
		a.fileSheet = append(a.fileSheet, ',')
		a.fileSheet = appendTextField(a.fileSheet, a.sheet, a.raw)
		a.fileSheet = append(a.fileSheet, ',')
	}
	h := append(a.head[:0], a.fileSheet...)
	h = strconv.AppendInt(h, int64(l.Source.Row), 10)
	for _, f := range [...]string{l.BusinessUnit, l.CostCentre, l.Nominal, lineDescription(l)} {
		h = append(h, ',')
		h = appendTextField(h, f, a.raw)
	}
	h = append(h, ',')
	h = ingest.AppendPence(h, l.Amount)
	h = append(h, ',')
	a.head = h
	tl := a.tail[:0]
	for _, f := range [...]string{l.CostCentreName, l.NominalName, l.Payee, l.LineType} {
		tl = append(tl, ',')
		tl = appendTextField(tl, f, a.raw)
	}
	tl = append(tl, ',')
	if m.Rule != nil && m.Rule.ID == analysis.RuleOverride {
		tl = appendTextField(tl, m.Rule.Note, a.raw) // the reviewer's note
	}
	tl = append(tl, '\n')
	a.tail = tl
	text := a.text(fw, m, allocs, staff)
	b := a.buf
	for i, al := range allocs {
		b = append(b, h...)
		b = append(b, text.parts[i]...)
		b = ingest.AppendPence(b, al.Amount)
		if text.rules != nil {
			b = append(b, text.rules[i]...)
		} else {
			b = append(b, text.rule...)
		}
		b = append(b, tl...)
	}
	a.buf = b
	if len(b) >= 1<<16 {
		return a.flushBuf()
	}
	return nil
}

// text is what the rows of a match say but for the amounts, worked out the
// first time the match is seen.
func (a *allocationWriter) text(fw *analysis.Framework, m analysis.Match, allocs []analysis.Allocation, staff []analysis.StaffAllocation) *allocationText {
	k := matchKey{m.Rule, m.Status}
	if t, ok := a.parts[k]; ok && len(t.parts) == len(allocs) {
		return t
	}
	t := &allocationText{}
	for _, s := range staff {
		t.rules = append(t.rules, appendTextField([]byte{','}, s.Rule, a.raw))
	}
	for _, al := range allocs {
		var p []byte
		for _, f := range [...]string{al.Outcome, fw.Theme(al.Outcome), string(al.Mode)} {
			p = appendTextField(p, f, a.raw)
			p = append(p, ',')
		}
		p = appendCSVField(p, analysis.FractionString(al.Share))
		p = append(p, ',')
		t.parts = append(t.parts, p)
	}
	t.rule = appendTextField([]byte{','}, m.RuleID(), a.raw)
	a.parts[k] = t
	return t
}

func (a *allocationWriter) flushBuf() error {
	_, err := a.w.Write(a.buf)
	a.buf = a.buf[:0]
	return err
}

func (a *allocationWriter) flush() error { return a.flushBuf() }

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
