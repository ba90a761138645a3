// Package ingest turns the files a finance team already has into typed records.
//
// In: budget workbooks (.xlsx, .xlsm) and CSV exports as ledger systems write
// them: title rows above the header, subtotal rows, amounts typed as text,
// several sheets. Out: [CostLine] records in integer pence, each carrying the
// [Source] it came from, handed one at a time to a [Visit] by [StreamBudget]
// (or kept, by [ReadBudget]), and a [Book]: its tables ([Table]), each with
// the rows that were not cost lines and why ([Excluded]), and the sheets
// skipped. Header detection lives in header.go; there is one reader per
// format (xlsx.go, csv.go), and sheet XML is read by ingest/sheetxml. The
// package also reads the tables of an outcomes framework ([ReadFramework])
// without interpreting them.
package ingest

import (
	"cmp"
	"fmt"
)

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
	// Review is what the columns purpose added say of the line, in a
	// workbook it annotated before (an adviser's overrides among them);
	// nil for any other input.
	Review *LineReview
}

// Described is the most specific description a line has: its
// description, else its nominal's name, its line type, its cost centre's
// name. (Its payee is who was paid, not what for.)
func (l *CostLine) Described() string {
	return cmp.Or(l.Description, l.NominalName, l.LineType, l.CostCentreName)
}

// FTEUnit is one full-time equivalent in the units Post and Holder keep
// FTE in: billionths, so that 0.5333333333 (20 hours of 37.5, as Excel
// stores it) costs what the spreadsheet says to the penny.
const FTEUnit = 1_000_000_000

// ShareUnit is 100% in the units a time split or an on-cost rate is kept
// in: millionths (285000 is 28.5%).
const ShareUnit = 1_000_000

// Post is one post of a staffing establishment. An HR export with one row
// per person gives several rows to a post (same post id): each is a
// Holder, and the post's FTE is theirs added up. Amounts are in pence; the
// cost of a post is analysis's to work out (FTE × salary plus on-costs, or
// the cost the table gives).
type Post struct {
	Source         Source // the post's first row
	PostID         string
	JobTitle       string
	Team           string
	BusinessUnit   string
	CostCentre     string
	CostCentreName string
	Grade          string
	SpinalPoint    string
	FTE            int64 // in FTEUnit; the holders' FTE added up
	Holders        []Holder
	// Splits are the post's own time-split columns (a time survey), as
	// the table heads them; the headings are matched to outcomes by
	// analysis. Blank cells are not listed.
	Splits []TimeSplit
	// Review holds the override columns of a staffing table purpose
	// annotated before, on the post's first row; nil for any other.
	Review *LineReview
}

// Vacant reports whether every holder of the post is a vacancy.
func (p *Post) Vacant() bool {
	for _, h := range p.Holders {
		if !h.Vacant {
			return false
		}
	}
	return len(p.Holders) > 0
}

// VacantFTE is the FTE of the post's vacant holders.
func (p *Post) VacantFTE() int64 {
	var n int64
	for _, h := range p.Holders {
		if h.Vacant {
			n += h.FTE
		}
	}
	return n
}

// Holder is one row of a post: a person, or a vacancy. Each money field
// has a Has flag, so a blank cell is never read as £0.
type Holder struct {
	Source Source
	Name   string
	FTE    int64 // in FTEUnit
	Vacant bool
	Grade  string
	// SpinalPoint and Grade are read from the row (a post list with no
	// salaries takes the salary from a pay scale by them).
	SpinalPoint string
	// Salary is the full-time annual salary; the row costs FTE × Salary.
	Salary    int64
	HasSalary bool
	// Pay is the row's pay already for its FTE ("Salary cost"), without
	// on-costs.
	Pay    int64
	HasPay bool
	// OnCost is on-costs as an amount (employer's NI, pension…, added up
	// when given in several columns); OnCostRate as a share of pay, in
	// ShareUnit. Both may be given; both are added.
	OnCost        int64
	HasOnCost     bool
	OnCostRate    int64
	HasOnCostRate bool
	// Cost is the row's whole cost as the table gives it ("Budget
	// 2026/27" in a staffing sheet of a budget workbook): pay and on-costs.
	Cost    int64
	HasCost bool
}

// TimeSplit is a share of a post's time given by a column headed by an
// outcome ("% Tenancy sustainment", "Time: Money advice").
type TimeSplit struct {
	Heading string // the column's heading, as written
	Outcome string // the heading without its marker: "Tenancy sustainment"
	Column  int    // 1-based
	Share   int64  // in ShareUnit
}

// PayScaleRow is one row of a pay scale: a spinal point's (or a grade's)
// full-time annual salary, as written; analysis reads the salary.
type PayScaleRow struct {
	Grade  string `csv:"grade"`
	Point  string `csv:"point"`
	Salary string `csv:"salary"`
	Source Source `csv:"-"`
}
