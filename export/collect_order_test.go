package export

import (
	"io"
	"slices"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// A table's marks come out of End in row order, however its rows came (a
// workbook may write them out of order, and tables may take turns), so
// that the writer can walk them with a cursor.
func TestCollectorEndsWithMarksInRowOrder(t *testing.T) {
	cases := []struct {
		name  string
		lines []struct{ table, row int } // in the order read
	}{
		{"in order", []struct{ table, row int }{{0, 2}, {0, 3}, {0, 4}, {1, 2}, {1, 3}}},
		{"out of order", []struct{ table, row int }{{0, 5}, {0, 3}, {0, 4}, {1, 2}, {1, 3}}},
		{"taking turns, in order", []struct{ table, row int }{{0, 2}, {1, 2}, {0, 3}, {1, 7}, {0, 4}}},
		{"taking turns, one out of order", []struct{ table, row int }{{0, 2}, {1, 9}, {0, 3}, {1, 7}, {0, 4}}},
		{"out of order after a turn", []struct{ table, row int }{{0, 6}, {1, 2}, {0, 3}, {1, 3}}},
	}
	fw := defaultFramework(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			col := NewCollector(fw)
			col.Begin(io.Discard)
			tables := []*ingest.Table{{}, {}}
			want := map[*ingest.Table][]int32{}
			for _, x := range c.lines {
				l := ingest.CostLine{Source: ingest.Source{File: "a.xlsx", Row: x.row}, Description: "Works", Amount: 100}
				if err := col.Line(tables[x.table], &l); err != nil {
					t.Fatal(err)
				}
				want[tables[x.table]] = append(want[tables[x.table]], int32(x.row))
			}
			in, err := col.End(&ingest.Book{})
			if err != nil {
				t.Fatal(err)
			}
			for i, tb := range tables {
				var got []int32
				for j := range in.marks[tb].len() {
					got = append(got, in.marks[tb].at(j).row)
				}
				slices.Sort(want[tb])
				if !slices.Equal(got, want[tb]) {
					t.Errorf("table %d: marks for rows %v, want %v", i, got, want[tb])
				}
			}
		})
	}
}
