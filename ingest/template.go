package ingest

// Templates: the blank workbooks `purpose template` writes carry a couple
// of example rows, marked in a cell that reads "EXAMPLE" or starts
// "EXAMPLE:" (capitals, as the template writes them). Such a row is not a
// line, a post or a framework row: it is left out, and a budget's or a
// staffing table's is listed in the Reconciliation as an example row, so a
// filled-in template runs as it is, examples and all.

import "strings"

// ReasonExample marks a template's example row (see ExampleMarker).
const ReasonExample = "example row"

// ExampleMarker starts the cell that marks a template's example row:
// "EXAMPLE: Tenancy sustainment officer".
const ExampleMarker = "EXAMPLE"

// IsExampleText reports whether a cell marks its row as an example: it
// reads "EXAMPLE", or starts "EXAMPLE:", in capitals. A supplier named
// "EXAMPLE SUPPLIES LTD" is not an example.
func IsExampleText(s string) bool {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, ExampleMarker)
	return ok && (rest == "" || rest[0] == ':')
}

// IsExampleRecord reports whether any of a row's texts marks it as an example.
func IsExampleRecord(row []string) bool {
	for _, v := range row {
		if IsExampleText(v) {
			return true
		}
	}
	return false
}

// isExampleRow is IsExampleRecord for a sheet's or CSV file's row.
func isExampleRow(r rowCells) bool {
	for _, c := range r.Cells {
		if IsExampleText(c.Value) {
			return true
		}
	}
	return false
}
