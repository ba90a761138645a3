package csvout

import (
	"io"
	"strconv"
	"strings"

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

// AllocationWriter writes allocations.csv rows as lines arrive: one row per
// (line, outcome), money as plain decimals from pence, shares as exact
// fractions. It writes the CSV itself, quoting as encoding/csv does: a
// million lines never have to be held at once, and what every row of a rule
// says of its outcomes (outcome, theme, mode, share, rule) is written out
// once per rule, not once per row.
type AllocationWriter struct {
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

// NewAllocationWriter writes allocations.csv's rows to w, its text
// fields as read when raw (--csv-raw), else neutralised where a
// spreadsheet program would read them as formulas (see appendTextField).
func NewAllocationWriter(w io.Writer, raw bool) *AllocationWriter {
	return &AllocationWriter{w: w, buf: make([]byte, 0, 1<<16), parts: map[matchKey]*allocationText{}, raw: raw}
}

// Write writes a line's rows; staff, when the line was apportioned by
// staff time, names each part's rule.
func (a *AllocationWriter) Write(fw *analysis.Framework, l *ingest.CostLine, m analysis.Match, allocs []analysis.Allocation, staff []analysis.StaffAllocation) error {
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
	for _, f := range [...]string{l.BusinessUnit, l.CostCentre, l.Nominal, l.Described()} {
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
func (a *AllocationWriter) text(fw *analysis.Framework, m analysis.Match, allocs []analysis.Allocation, staff []analysis.StaffAllocation) *allocationText {
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

func (a *AllocationWriter) flushBuf() error {
	_, err := a.w.Write(a.buf)
	a.buf = a.buf[:0]
	return err
}

// Flush writes the rows not yet written.
func (a *AllocationWriter) Flush() error { return a.flushBuf() }
