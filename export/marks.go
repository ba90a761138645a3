package export

import (
	"slices"
	"sort"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// lineMark is what the annotated workbook needs of a line: its row, the
// rule that mapped it (an index into the framework's rules, or -1), its
// status, and the pence of it on social outcomes, summed from its
// allocations as they were made (a pay line apportioned by staff time,
// staff, from its posts'), so that writing the workbook works out nothing
// again.
type lineMark struct {
	row    int32
	rule   int32
	social int64
	status statusCode
	staff  bool
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

// markList holds a table's marks, a million of them without copying.
type markList struct {
	ingest.Chunks[lineMark]
}

func (l *markList) add(m lineMark) { l.Add(m) }

func (l *markList) len() int { return l.Len() }

func (l *markList) at(i int) lineMark { return l.At(i) }

// sortByRow puts the marks in row order, for a workbook that wrote its
// rows out of order; they are usually in order already.
func (l *markList) sortByRow() {
	sorted := true
	for i := 1; i < l.len() && sorted; i++ {
		sorted = l.at(i-1).row <= l.at(i).row
	}
	if sorted {
		return
	}
	all := l.All()
	slices.SortStableFunc(all, func(a, b lineMark) int { return int(a.row - b.row) })
	*l = markList{}
	for _, m := range all {
		l.add(m)
	}
}

// find returns the mark of a row, if the row has one; the marks must be
// sorted.
func (l *markList) find(row int32) (lineMark, bool) {
	i := sort.Search(l.len(), func(i int) bool { return l.at(i).row >= row })
	if i < l.len() && l.at(i).row == row {
		return l.at(i), true
	}
	return lineMark{}, false
}
