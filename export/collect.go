package export

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// MaxReviewLines is how many lines to review an input keeps in full for the
// Review sheet; the rest are counted, and all are in allocations.csv.
const MaxReviewLines = 10000

// lineMark is what the annotated workbook needs of a line: its row, the
// rule that mapped it (an index into the framework's rules, or -1) and its
// status and amount.
type lineMark struct {
	row    int32
	rule   int32
	amount int64
	status statusCode
}

// statusCode is an analysis.Status in a byte, so that a million marks
// hold no pointers for the garbage collector to scan or to guard on copy.
type statusCode uint8

var statuses = []analysis.Status{analysis.StatusMapped, analysis.StatusUnmapped, analysis.StatusIncome, analysis.StatusUnreadable}

func codeOf(s analysis.Status) statusCode {
	for i, x := range statuses {
		if x == s {
			return statusCode(i)
		}
	}
	panic("export: unknown status " + string(s))
}

func (c statusCode) status() analysis.Status { return statuses[c] }

// match is the mark's match again, its rule found in the framework.
func (m lineMark) match(fw *analysis.Framework) analysis.Match {
	out := analysis.Match{Status: m.status.status()}
	if m.rule >= 0 {
		out.Rule = fw.Rules[m.rule]
	}
	return out
}

// Collector takes a run's lines one at a time, as ingest reads them: it
// matches each, writes its allocations, adds it to the summaries, and keeps
// only what the reports need, so memory does not grow with the lines.
type Collector struct {
	fw        *analysis.Framework
	matcher   *analysis.Matcher
	table     *ingest.Table // the table marks is for
	marks     *markList
	allocs    []analysis.Allocation // reused for each line
	alloc     *allocationWriter
	ruleIndex map[*analysis.Rule]int32
	overall   *analysis.Summariser
	sum       *analysis.Summariser
	in        Input
	absTotal  int64 // every line's pence, regardless of sign: while it fits, no sum can wrap
}

// NewCollector starts a collector.
func NewCollector(fw *analysis.Framework) *Collector {
	c := &Collector{fw: fw, matcher: fw.NewMatcher(), overall: analysis.NewSummariser(fw), ruleIndex: map[*analysis.Rule]int32{}}
	for i, r := range fw.Rules {
		c.ruleIndex[r] = int32(i)
	}
	return c
}

// AllocationColumns are allocations.csv's columns. Columns are only ever
// added at the end, so that readers of earlier runs' files keep working.
var AllocationColumns = []string{"file", "sheet", "row", "business_unit", "cost_centre", "nominal", "description", "line_amount",
	"outcome", "theme", "mode", "share", "amount", "rule", "cost_centre_name", "nominal_name", "payee", "line_type"}

// WriteAllocationsHeader writes allocations.csv's header row.
func WriteAllocationsHeader(w io.Writer) error {
	_, err := io.WriteString(w, strings.Join(AllocationColumns, ",")+"\n")
	return err
}

// Begin starts an input whose allocations.csv rows go to w (nil for none).
func (c *Collector) Begin(w io.Writer) {
	c.alloc = nil
	if w != nil {
		c.alloc = newAllocationWriter(w)
	}
	c.sum = analysis.NewSummariser(c.fw)
	c.in = Input{marks: map[*ingest.Table]*markList{}, unreadable: map[*ingest.Table]map[int32]string{}}
}

// Line takes one line of the current input; it is an ingest.Visit.
func (c *Collector) Line(t *ingest.Table, l *ingest.CostLine) error {
	if c.absTotal += max(l.Amount, -l.Amount); c.absTotal < 0 { // lines are at most ingest.MaxLinePence
		return errors.New("the lines read, in all inputs, add up to a total too large to hold; check the amounts")
	}
	m := c.matcher.Match(l)
	c.allocs = analysis.AllocateInto(c.allocs, l.Amount, m)
	allocs := c.allocs
	c.sum.Add(l, m, allocs)
	in := &c.in
	in.Counts.Lines++
	rule := int32(-1)
	if m.Rule != nil {
		rule = c.ruleIndex[m.Rule]
	}
	if t != c.table {
		c.flushMarks()
		c.table, c.marks = t, in.marks[t]
		if c.marks == nil {
			c.marks = &markList{}
			in.marks[t] = c.marks
		}
	}
	mark := lineMark{row: int32(l.Source.Row), rule: rule, status: codeOf(m.Status), amount: l.Amount}
	c.marks.add(mark)
	for _, a := range allocs {
		in.Allocated += a.Amount
	}
	switch m.Status {
	case analysis.StatusUnmapped:
		in.Counts.Unmapped++
		in.Counts.UnmappedAmount += l.Amount
	case analysis.StatusUnreadable:
		in.Counts.Unreadable++
		if in.unreadable[t] == nil {
			in.unreadable[t] = map[int32]string{}
		}
		in.unreadable[t][int32(l.Source.Row)] = l.Unreadable
	case analysis.StatusIncome:
		in.Counts.Income++
	}
	if m.Status == analysis.StatusUnmapped || m.Status == analysis.StatusUnreadable {
		in.Counts.Review++
		if len(in.Review) < MaxReviewLines {
			in.Review = append(in.Review, ReviewLine{Line: *l, Status: m.Status})
		}
	}
	if c.alloc != nil {
		return c.alloc.write(c.fw, l, m, allocs)
	}
	return nil
}

// flushMarks files the current table's marks with the input.
func (c *Collector) flushMarks() {
	c.table, c.marks = nil, nil
}

// End finishes the current input, adding it to the run's overall summary.
func (c *Collector) End(b *ingest.Book) (Input, error) {
	c.flushMarks()
	in := c.in
	in.Book = b
	in.Summary = c.sum.Summary()
	c.overall.Merge(c.sum)
	for _, ms := range in.marks {
		// Rows come in sheet order; a workbook that wrote them out of order
		// is put right here, so the writer can walk them with a cursor.
		ms.sortByRow()
	}
	var err error
	if c.alloc != nil {
		err = c.alloc.flush()
	}
	c.in = Input{}
	return in, err
}

// Discard drops the current input: it could not be read whole, and what
// was seen of it must count for nothing.
func (c *Collector) Discard() {
	c.in, c.sum, c.alloc = Input{}, nil, nil
	c.table, c.marks = nil, nil
}

// Overall is the summary of every input ended so far.
func (c *Collector) Overall() analysis.Summary { return c.overall.Summary() }

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
}

func newAllocationWriter(w io.Writer) *allocationWriter {
	return &allocationWriter{w: w, buf: make([]byte, 0, 1<<16), parts: map[matchKey]*allocationText{}}
}

func (a *allocationWriter) write(fw *analysis.Framework, l *ingest.CostLine, m analysis.Match, allocs []analysis.Allocation) error {
	if len(allocs) == 0 {
		return nil
	}
	if l.Source.File != a.file || l.Source.Sheet != a.sheet || a.fileSheet == nil {
		a.file, a.sheet = l.Source.File, l.Source.Sheet // the path as given, as run.json has it
		a.fileSheet = appendCSVField(a.fileSheet[:0], a.file)
		a.fileSheet = append(a.fileSheet, ',')
		a.fileSheet = appendCSVField(a.fileSheet, a.sheet)
		a.fileSheet = append(a.fileSheet, ',')
	}
	h := append(a.head[:0], a.fileSheet...)
	h = strconv.AppendInt(h, int64(l.Source.Row), 10)
	for _, f := range [...]string{l.BusinessUnit, l.CostCentre, l.Nominal, lineDescription(l)} {
		h = append(h, ',')
		h = appendCSVField(h, f)
	}
	h = append(h, ',')
	h = ingest.AppendPence(h, l.Amount)
	h = append(h, ',')
	a.head = h
	tl := a.tail[:0]
	for _, f := range [...]string{l.CostCentreName, l.NominalName, l.Payee, l.LineType} {
		tl = append(tl, ',')
		tl = appendCSVField(tl, f)
	}
	tl = append(tl, '\n')
	a.tail = tl
	text := a.text(fw, m, allocs)
	b := a.buf
	for i, al := range allocs {
		b = append(b, h...)
		b = append(b, text.parts[i]...)
		b = ingest.AppendPence(b, al.Amount)
		b = append(b, text.rule...)
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
func (a *allocationWriter) text(fw *analysis.Framework, m analysis.Match, allocs []analysis.Allocation) *allocationText {
	k := matchKey{m.Rule, m.Status}
	if t, ok := a.parts[k]; ok && len(t.parts) == len(allocs) {
		return t
	}
	t := &allocationText{}
	for _, al := range allocs {
		var p []byte
		for _, f := range [...]string{al.Outcome, fw.Theme(al.Outcome), string(al.Mode), analysis.FractionString(al.Share)} {
			p = appendCSVField(p, f)
			p = append(p, ',')
		}
		t.parts = append(t.parts, p)
	}
	t.rule = appendCSVField([]byte{','}, m.RuleID())
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

func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	if strings.ContainsAny(f, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}
