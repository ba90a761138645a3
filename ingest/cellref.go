package ingest

import (
	"fmt"
	"strings"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// ColumnLetter turns a 1-based column number into its letters: 1 → A, 28 → AB.
func ColumnLetter(col int) string { return sheetxml.ColumnLetter(col) }

// CellRef is the A1 reference of a cell.
func CellRef(col, row int) string { return fmt.Sprintf("%s%d", ColumnLetter(col), row) }

// columnNumber reads column letters ("AB" → 28).
func columnNumber(s string) (int, error) {
	s = strings.ToUpper(s)
	if s == "" || len(s) > 3 {
		return 0, fmt.Errorf("%q is not a column", s)
	}
	n := 0
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return 0, fmt.Errorf("%q is not a column", s)
		}
		n = n*26 + int(r-'A'+1)
	}
	if n > 16384 {
		return 0, fmt.Errorf("%q is beyond the last column", s)
	}
	return n, nil
}
