package export

import (
	"slices"
	"sort"

	"github.com/purpose-hq/purpose/ingest"
)

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
