package export

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/samber/lo"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/csvout"
	"github.com/purpose-hq/purpose/ingest"
)

// MaxReviewLines is how many lines to review an input keeps in full for the
// Review sheet; the rest are counted, and all are in allocations.csv.
const MaxReviewLines = 10000

// Collector takes a run's lines one at a time, as ingest reads them: it
// matches each, writes its allocations, adds it to the summaries, and keeps
// only what the reports need, so memory does not grow with the lines.
type Collector struct {
	fw      *analysis.Framework
	matcher *analysis.Matcher
	table   *ingest.Table // the table marks is for
	marks   *markList
	// unordered are the current input's marks that came out of row order
	// (a workbook that wrote its rows so), which End sorts.
	unordered map[*markList]bool
	allocs    []analysis.Allocation // reused for each line
	alloc     *csvout.AllocationWriter
	ruleIndex map[*analysis.Rule]int32
	// total adds up every input ended but the last, which last keeps
	// apart so that it can be forgotten (Forget).
	total, last *analysis.Summariser
	sum         *analysis.Summariser
	in          Input
	absTotal    int64 // every line's pence, regardless of sign: while it fits, no sum can wrap
	absBefore   int64 // absTotal before the last input
	// staff apportions the current input's pay lines by staff time (nil
	// for none), and pay adds up its pay lines, for the staffing's pay
	// reconciliation once the input is read whole.
	staff *Staffing
	pay   *analysis.PayBudget
	// lastStaff is the establishment the last input's pay was added to,
	// and lastBudget its pay budget before, for Forget to put back.
	lastStaff  *Staffing
	lastBudget *analysis.PayBudget
	// extraRules are the rules made in the run that the annotated workbook
	// shows: for pay lines apportioned by staff time, one per cost centre,
	// and for lines an adviser overrode, one per override; numbered after
	// the framework's rules (extraIndex).
	extraRules []*analysis.Rule
	extraIndex map[*analysis.Rule]int32
	// staffRules are those of extraRules made for pay lines, whose
	// outcomes End copies.
	staffRules []*analysis.Rule
	// overrides are the override rules made so far, by what was typed.
	overrides map[[3]string]*analysis.Rule
	// ruleByID finds the framework's rules by id, for a workbook sent
	// back after review (see review.go); wroteCache is what purpose wrote
	// of a line by its rule, for the same.
	ruleByID   map[string]*analysis.Rule
	wroteCache map[wroteKey][]annotationCell
	csvRaw     bool // allocations.csv's text as read (SetCSVRaw)
}

// NewCollector starts a collector.
func NewCollector(fw *analysis.Framework) *Collector {
	ruleIndex := lo.SliceToMap(lo.Range(len(fw.Rules)), func(i int) (*analysis.Rule, int32) { return fw.Rules[i], int32(i) })
	return &Collector{fw: fw, matcher: fw.NewMatcher(), ruleIndex: ruleIndex, total: analysis.NewSummariser(fw), extraIndex: map[*analysis.Rule]int32{}, overrides: map[[3]string]*analysis.Rule{}}
}

// UseStaff has the next inputs' pay lines apportioned by s's posts (nil:
// by the line rules).
//
// Called between Begin and the input's first line (as a workbook's own
// staffing sheet is read before its budget sheets), it applies to that
// input too.
func (c *Collector) UseStaff(s *Staffing) {
	c.staff = s
	c.in.Staff = s
	c.pay = nil
	if s != nil {
		c.pay = c.fw.NewPayBudget()
	}
}

// SetCSVRaw has the CSVs' text fields written as read (--csv-raw), not
// neutralised where a spreadsheet program would read them as formulas
// (see package csvout). It applies from the next Begin.
func (c *Collector) SetCSVRaw(raw bool) { c.csvRaw = raw }

// Begin starts an input whose allocations.csv rows go to w (nil for none).
func (c *Collector) Begin(w io.Writer) {
	c.alloc = nil
	if w != nil {
		c.alloc = csvout.NewAllocationWriter(w, c.csvRaw)
	}
	c.sum = analysis.NewSummariser(c.fw)
	c.absBefore = c.absTotal
	c.in = Input{marks: map[*ingest.Table]*markList{}, unreadable: map[*ingest.Table]map[int32]string{}, Staff: c.staff}
	c.unordered = map[*markList]bool{}
	c.pay = nil
	if c.staff != nil {
		c.pay = c.fw.NewPayBudget()
	}
}

// Line takes one line of the current input; it is an ingest.Visit.
func (c *Collector) Line(t *ingest.Table, l *ingest.CostLine) error {
	if c.absTotal += max(l.Amount, -l.Amount); c.absTotal < 0 { // lines are at most ingest.MaxLinePence
		return errors.New("the lines read, in all inputs, add up to a total too large to hold; check the amounts")
	}
	m := c.matcher.Match(l)
	var staff []analysis.StaffAllocation
	var staffRule *analysis.Rule
	if c.staff != nil {
		c.pay.Add(l)
		staff, staffRule = c.staff.alloc.Allocate(l, m)
	}
	overridden := false
	if l.Review != nil {
		// A workbook sent back after review: an adviser's override goes
		// above every rule, the staff time's too.
		var err error
		if m, overridden, err = c.reviewLine(t, l, m, staffRule); err != nil {
			return err
		}
		if overridden {
			staff, staffRule = nil, nil
		}
	}
	rule := int32(-1)
	if staffRule != nil {
		// Pay apportioned by the time of its cost centre's posts: mapped,
		// whatever the line rules said, and counted once.
		made := len(c.extraRules)
		if rule = c.extraRuleIndex(staffRule); len(c.extraRules) > made {
			c.staffRules = append(c.staffRules, staffRule)
		}
		m = analysis.Match{Status: analysis.StatusMapped, Rule: staffRule}
		c.allocs = c.allocs[:0]
		for _, p := range staff {
			c.allocs = append(c.allocs, p.Allocation)
		}
	} else {
		c.allocs = analysis.AllocateInto(c.allocs, l.Amount, m)
		switch {
		case overridden:
			rule = c.extraRuleIndex(m.Rule)
		case m.Rule != nil:
			rule = c.ruleIndex[m.Rule]
		}
	}
	allocs := c.allocs
	c.sum.Add(l, m, allocs)
	in := &c.in
	in.Counts.Lines++
	if t != c.table {
		c.flushMarks()
		c.table, c.marks = t, in.marks[t]
		if c.marks == nil {
			c.marks = &markList{}
			in.marks[t] = c.marks
		}
	}
	mark := lineMark{row: int32(l.Source.Row), rule: rule, status: codeOf(m.Status), staff: staffRule != nil}
	for _, a := range allocs {
		in.Allocated += a.Amount
		if a.Mode.Social() {
			mark.social += a.Amount
		}
	}
	if c.marks.len() > 0 && c.marks.Last().row > mark.row {
		c.unordered[c.marks] = true
	}
	c.marks.add(mark)
	if staffRule != nil {
		in.StaffLines++
		in.StaffAmount += l.Amount
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
		return c.alloc.Write(c.fw, l, m, allocs, staff)
	}
	return nil
}

// extraRuleIndex is the index of a rule made in the run (the pay lines of
// a cost centre apportioned by staff time, an override), given the first
// time it is met.
func (c *Collector) extraRuleIndex(r *analysis.Rule) int32 {
	if i, ok := c.extraIndex[r]; ok {
		return i
	}
	i := int32(len(c.fw.Rules) + len(c.extraRules))
	c.extraRules = append(c.extraRules, r)
	c.extraIndex[r] = i
	return i
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
	if len(c.extraRules) > 0 {
		// The framework the annotated workbook describes lines by: its
		// rules, then the rules made so far.
		fw := *c.fw
		fw.Rules = append(slices.Clip(c.fw.Rules), c.extraRules...)
		in.framework = &fw
	}
	c.lastStaff, c.lastBudget = c.staff, nil
	if c.staff != nil {
		c.lastBudget = c.staff.budget.Clone()
		c.staff.budget.Merge(c.pay)
		c.staff.inputs++
	}
	in.Summary = c.sum.Summary()
	if c.last != nil {
		c.total.Merge(c.last)
	}
	c.last = c.sum
	// The rules made for this input are its framework's (above); the next
	// input makes its own, so that they do not pile up over many inputs.
	c.extraRules, c.extraIndex, c.overrides = nil, map[*analysis.Rule]int32{}, map[[3]string]*analysis.Rule{}
	// The rules shown for its pay lines are its own establishment's (or
	// --staffing's, when no workbook is written before the end): their
	// outcomes may be a time survey's headings, cut from the workbook,
	// and are copied, so that the input released (Input.Release) holds on
	// to none of its text.
	for _, r := range c.staffRules {
		for j := range r.Parts {
			r.Parts[j].Outcome = strings.Clone(r.Parts[j].Outcome)
		}
	}
	c.staffRules = nil
	c.wroteCache = nil // its staff rules were this input's
	for ms := range c.unordered {
		// Rows come in sheet order; a workbook that wrote them out of order
		// is put right here, so the writer can walk them with a cursor.
		// (Checking a million marks that are in order took 11 ms.)
		ms.sortByRow()
	}
	c.unordered = nil
	var err error
	if c.alloc != nil {
		err = c.alloc.Flush()
	}
	c.in = Input{}
	return in, err
}

// Forget drops the input just ended, to be read again: nothing of it
// counts.
func (c *Collector) Forget() {
	c.last = nil
	c.absTotal = c.absBefore
	if s := c.lastStaff; s != nil {
		// Nor does its pay, or its count, in the establishment's pay
		// reconciliation.
		s.budget = c.lastBudget
		s.inputs--
		c.lastStaff, c.lastBudget = nil, nil
	}
}

// Discard drops the current input: it could not be read whole, and what
// was seen of it must count for nothing.
func (c *Collector) Discard() {
	c.absTotal = c.absBefore
	c.in, c.sum, c.alloc, c.pay = Input{}, nil, nil, nil
	c.table, c.marks, c.unordered = nil, nil, nil
}

// Overall is the summary of every input ended so far.
func (c *Collector) Overall() analysis.Summary {
	all := analysis.NewSummariser(c.fw)
	all.Merge(c.total)
	if c.last != nil {
		all.Merge(c.last)
	}
	return all.Summary()
}
