package sheetxml

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// batchSheet is a sheet of n rows, row r holding r%37 cells (every third
// row none, every 50th row more cells than a batch holds), each cell's
// value naming its row and column, so that a row handed over with another
// row's cells shows.
func batchSheet(n int) (doc string, want []string) {
	var b strings.Builder
	for r := 1; r <= n; r++ {
		cells := r % 37
		if r%3 == 0 {
			cells = 0
		}
		if r%50 == 0 {
			cells = batchCells + 7
		}
		fmt.Fprintf(&b, `<row r="%d">`, r)
		var row []string
		for c := 1; c <= cells; c++ {
			v := fmt.Sprintf("%d.%d", r, c)
			fmt.Fprintf(&b, `<c r="%s%d" t="str"><v>%s</v></c>`, ColumnLetter(c), r, v)
			row = append(row, v)
		}
		b.WriteString(`</row>`)
		want = append(want, fmt.Sprintf("%d:%s", r, strings.Join(row, ",")))
	}
	return sheetDoc(b.String()), want
}

// Rows are handed over in order, each with its own cells, across the
// batches they are scanned in, and their strings stay valid after the
// batch they came in is reused.
func TestRowsAcrossBatches(t *testing.T) {
	doc, want := batchSheet(5*batchRows + 3)
	w, err := Open(writeZip(t, onePackage(doc, "")), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	var kept []string // the first cell of every row, kept past its batch
	for rows.Next() {
		var row []string
		for _, c := range rows.Cells() {
			row = append(row, c.Value)
		}
		if len(row) > 0 {
			kept = append(kept, row[0])
		}
		got = append(got, fmt.Sprintf("%d:%s", rows.Row(), strings.Join(row, ",")))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: read %.60q, want %.60q", i+1, got[i], want[i])
		}
	}
	i := 0
	for _, line := range want {
		if _, cells, _ := strings.Cut(line, ":"); cells != "" {
			if first, _, _ := strings.Cut(cells, ","); kept[i] != first {
				t.Fatalf("a kept value changed: %q, want %q", kept[i], first)
			}
			i++
		}
	}
}

// An error part way through comes after every row before it, as it did
// when rows were scanned on the caller's goroutine.
func TestRowsErrorAfterEarlierRows(t *testing.T) {
	doc, _ := batchSheet(3 * batchRows)
	bad := 2*batchRows + 5
	doc = strings.Replace(doc, fmt.Sprintf(`<row r="%d">`, bad), fmt.Sprintf(`<row r="%d">`, bad-1), 1)
	w, err := Open(writeZip(t, onePackage(doc, "")), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	last := 0
	for rows.Next() {
		last = rows.Row()
	}
	if last != bad-1 {
		t.Errorf("the last row read is %d, want %d, the one before the damage", last, bad-1)
	}
	if err := rows.Err(); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("row %d is given twice", bad-1)) {
		t.Errorf("err = %v, want row %d given twice", err, bad-1)
	}
	if rows.Next() {
		t.Errorf("Next after the error: true")
	}
}

// Closing early, or dropping the iterator without Close, stops the
// goroutine that scans the sheet.
func TestRowsGoroutineStops(t *testing.T) {
	doc, _ := batchSheet(20 * batchRows)
	w, err := Open(writeZip(t, onePackage(doc, "")), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	before := runtime.NumGoroutine()
	for _, close := range []bool{true, false} {
		func() {
			rows, err := w.Rows("Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			if !rows.Next() {
				t.Fatal(rows.Err())
			}
			if close {
				rows.Close()
				if rows.Next() {
					t.Errorf("Next after Close: true")
				}
			}
		}()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			t.Errorf("closed %v: %d goroutines, %d before", close, n, before)
		}
	}
}
