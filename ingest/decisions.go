package ingest

// The Review sheet of a workbook sent back after review: an adviser's
// decision on each line listed there (accept, override, query), and who
// made it.

import (
	"fmt"
	"strconv"
	"strings"
)

// The decisions the Review sheet's Decision column offers.
const (
	DecisionAccept   = "accept"
	DecisionOverride = "override"
	DecisionQuery    = "query"
)

// The Review sheet's columns a decision is read from.
const (
	DecisionHeader = "Decision"
	ReviewerHeader = "Reviewer"
)

// Decision is what an adviser recorded of a line on the Review sheet.
type Decision struct {
	// Sheet and Row are the line's, as the Review sheet names them.
	Sheet string
	Row   int
	// Decision is accept, override or query ("" when only a reviewer is
	// given); Reviewer who made it.
	Decision, Reviewer string
	Source             Source // the Review sheet's row
}

// readDecisions reads a Review sheet's decisions: the rows under its
// header (Sheet, Row, …, Decision, Reviewer) with a decision or a reviewer.
// A decision other than accept, override or query is an error naming its
// cell.
func readDecisions(src Source, rows rowSource) ([]Decision, []CellError, error) {
	var out []Decision
	var errs []CellError
	var sheetCol, rowCol, decisionCol, reviewerCol int
	for rows.Next() {
		r := rows.Row()
		if decisionCol == 0 {
			for _, c := range r.Cells {
				switch strings.TrimSpace(c.Value) {
				case "Sheet":
					sheetCol = c.Col
				case "Row":
					rowCol = c.Col
				case DecisionHeader:
					decisionCol = c.Col
				case ReviewerHeader:
					reviewerCol = c.Col
				}
			}
			if sheetCol == 0 || rowCol == 0 || reviewerCol == 0 {
				decisionCol = 0
			}
			continue
		}
		d := Decision{Sheet: r.text(sheetCol), Decision: strings.ToLower(r.text(decisionCol)), Reviewer: r.text(reviewerCol),
			Source: Source{File: src.File, Sheet: src.Sheet, Row: r.Row}}
		if d.Decision == "" && d.Reviewer == "" {
			continue
		}
		n, err := strconv.Atoi(r.text(rowCol))
		if err != nil || d.Sheet == "" {
			continue // not a line's row: a note under the list
		}
		d.Row = n
		switch d.Decision {
		case "", DecisionAccept, DecisionOverride, DecisionQuery:
			out = append(out, d)
		default:
			errs = append(errs, CellError{Source: d.Source, Cell: CellRef(decisionCol, r.Row), Value: r.text(decisionCol),
				Reason: fmt.Sprintf("Decision %q is not one the Review sheet offers; give accept, override or query", r.text(decisionCol))})
		}
	}
	return out, errs, rows.Err()
}
