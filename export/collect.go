package export

import (
	"encoding/csv"
	"io"
	"strconv"

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
}

// NewCollector starts a collector.
func NewCollector(fw *analysis.Framework) *Collector {
	c := &Collector{fw: fw, matcher: fw.NewMatcher(), overall: analysis.NewSummariser(fw), ruleIndex: map[*analysis.Rule]int32{}}
	for i, r := range fw.Rules {
		c.ruleIndex[r] = int32(i)
	}
	return c
}

// WriteAllocationsHeader writes allocations.csv's header row.
func WriteAllocationsHeader(w io.Writer) error {
	_, err := io.WriteString(w, "file,sheet,row,business_unit,cost_centre,nominal,description,line_amount,outcome,theme,mode,share,amount,rule\n")
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
	c.marks.add(lineMark{row: int32(l.Source.Row), rule: rule, status: codeOf(m.Status), amount: l.Amount})
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
// fractions. It writes with encoding/csv rather than gocsv, which marshals
// whole slices: a million lines never have to be held at once.
type allocationWriter struct {
	w      *csv.Writer
	record []string
}

func newAllocationWriter(w io.Writer) *allocationWriter {
	return &allocationWriter{w: csv.NewWriter(w), record: make([]string, 14)}
}

func (a *allocationWriter) write(fw *analysis.Framework, l *ingest.CostLine, m analysis.Match, allocs []analysis.Allocation) error {
	r := a.record
	r[0] = l.Source.File // the path as given, as run.json has it
	r[1] = l.Source.Sheet
	r[2] = strconv.Itoa(l.Source.Row)
	r[3] = l.BusinessUnit
	r[4] = l.CostCentre
	r[5] = l.Nominal
	r[6] = lineDescription(l)
	r[7] = ingest.FormatPence(l.Amount)
	r[13] = m.RuleID()
	for _, al := range allocs {
		r[8] = al.Outcome
		r[9] = fw.Theme(al.Outcome)
		r[10] = string(al.Mode)
		r[11] = analysis.FractionString(al.Share)
		r[12] = ingest.FormatPence(al.Amount)
		if err := a.w.Write(r); err != nil {
			return err
		}
	}
	return nil
}

func (a *allocationWriter) flush() error {
	a.w.Flush()
	return a.w.Error()
}
