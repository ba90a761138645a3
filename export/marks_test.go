package export

import "testing"

func TestMarkListAcrossChunks(t *testing.T) {
	var l markList
	n := 2*(1<<14) + 7 // past two chunks
	// Rows written backwards, as a workbook may store them.
	for i := range n {
		l.add(lineMark{row: int32(3 * (n - i)), social: int64(i)})
	}
	if l.len() != n {
		t.Fatalf("len %d, want %d", l.len(), n)
	}
	l.sortByRow()
	for i := 1; i < n; i++ {
		if l.at(i-1).row >= l.at(i).row {
			t.Fatalf("not sorted at %d: %d then %d", i, l.at(i-1).row, l.at(i).row)
		}
	}
	m, ok := l.find(int32(3 * 5))
	if !ok || m.social != int64(n-5) {
		t.Errorf("find(15) = %+v, %v; want social %d", m, ok, n-5)
	}
	if _, ok := l.find(16); ok {
		t.Error("find(16) found a row that has no mark")
	}
	if l.len() != n {
		t.Errorf("sorting changed the count: %d", l.len())
	}
}
