// Package ingest turns the files a finance team already has into typed records.
//
// In: budget workbooks (.xlsx, .xlsm) and CSV exports as ledger systems write
// them: title rows above the header, subtotal rows, amounts typed as text,
// several sheets. Out: [CostLine] records in integer pence, each carrying the
// [Source] it came from, plus a [Report] of every row that was not a cost line
// and why. Header detection lives in header.go; there is one reader per format
// (xlsx.go, csv.go). The package also reads the tables of an outcomes
// framework ([ReadFramework]) without interpreting them.
package ingest

import "fmt"

// Source says where a record came from: file (as given), sheet (empty for
// CSV) and 1-based row number.
type Source struct {
	File  string
	Sheet string
	Row   int
}

func (s Source) String() string {
	if s.Sheet == "" {
		return fmt.Sprintf("%s: row %d", s.File, s.Row)
	}
	return fmt.Sprintf("%s: sheet %q row %d", s.File, s.Sheet, s.Row)
}

// CostLine is one budget line. Amount is in pence; income lines keep the sign
// they had in the file.
type CostLine struct {
	Source         Source
	BusinessUnit   string
	CostCentre     string
	CostCentreName string
	Nominal        string
	NominalName    string
	Description    string
	// Payee is the supplier or beneficiary a payment went to, where the
	// file has such a column. It is kept and shown, never read as a
	// description; rules match it only through their payee criterion.
	Payee string
	// LineType is the text of any further columns that say what a line is
	// (an expense type, a category, a service area) that are not the cost
	// centre name, nominal description or description, joined with " | ".
	// Rule keywords match it as they match the descriptions.
	LineType string
	Amount   int64 // pence
	// Unreadable is set (with --keep-going) when the amount cell held text that
	// is not an amount; Amount is then 0 and the line must not be totalled.
	Unreadable string
}
