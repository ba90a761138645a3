package export

import (
	"errors"
	"io"

	"github.com/samber/lo"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// MaxReviewLines is how many lines to review an input keeps in full for the
// Review sheet; the rest are counted, and all are in allocations.csv.
const MaxReviewLines = 10000

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
	ruleIndex := lo.SliceToMap(lo.Range(len(fw.Rules)), func(i int) (*analysis.Rule, int32) { return fw.Rules[i], int32(i) })
	return &Collector{fw: fw, matcher: fw.NewMatcher(), overall: analysis.NewSummariser(fw), ruleIndex: ruleIndex}
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
