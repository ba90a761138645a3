package export

import (
	"slices"
	"sort"
)

// markChunk is how many marks a chunk of a markList holds: 16,384 marks,
// 384 KiB.
const markChunk = 1 << 14

// markList holds a table's marks in fixed chunks. A slice grown one mark
// at a time would be copied again and again as it grew (a million marks
// cost more in copying than in matching); chunks are never moved.
type markList struct {
	chunks [][]lineMark
	n      int
}

func (l *markList) add(m lineMark) {
	if l.n%markChunk == 0 {
		l.chunks = append(l.chunks, make([]lineMark, 0, markChunk))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, m)
	l.n++
}

func (l *markList) len() int { return l.n }

func (l *markList) at(i int) lineMark { return l.chunks[i/markChunk][i%markChunk] }

// sortByRow puts the marks in row order, for a workbook that wrote its
// rows out of order; they are usually in order already.
func (l *markList) sortByRow() {
	sorted := true
	for i := 1; i < l.n && sorted; i++ {
		sorted = l.at(i-1).row <= l.at(i).row
	}
	if sorted {
		return
	}
	all := slices.Concat(l.chunks...)
	slices.SortStableFunc(all, func(a, b lineMark) int { return int(a.row - b.row) })
	*l = markList{}
	for _, m := range all {
		l.add(m)
	}
}

// find returns the mark of a row, if the row has one; the marks must be
// sorted.
func (l *markList) find(row int32) (lineMark, bool) {
	i := sort.Search(l.n, func(i int) bool { return l.at(i).row >= row })
	if i < l.n && l.at(i).row == row {
		return l.at(i), true
	}
	return lineMark{}, false
}
