package export

// Staff time in a run: the staffing establishment that apportions a cost
// centre's pay lines by its posts' time, and the pay it is reconciled with.

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// Staffing is a staffing establishment a run uses: read from --staffing
// files (Books), or from a staffing sheet of a budget workbook (Own), its
// posts costed and their time split, and the budget pay of the inputs it
// applies to, set against them when the run ends (Pay).
type Staffing struct {
	// Own is the budget workbook whose staffing sheet this is; nil for
	// --staffing files.
	Own    *ingest.Book
	Books  []*ingest.StaffBook
	Tables []*ingest.StaffTable
	Posts  []analysis.PostResult
	// Summary is the people view; Pay the pay reconciliation, set by
	// Finish.
	Summary analysis.StaffSummary
	Pay     analysis.PayReconciliation
	alloc   *analysis.StaffAllocator
	budget  *analysis.PayBudget
	fw      *analysis.Framework
	// inputs counts the budgets whose pay is in budget.
	inputs int
	// dropped is set once the posts are written and let go (DropPosts).
	dropped bool
}

// NewStaffing costs and splits the posts of staffing tables. Tables with
// cells that could not be read are refused, every cell named: their posts
// are incomplete, and pay apportioned by them would be wrong.
func NewStaffing(fw *analysis.Framework, tables []*ingest.StaffTable, payScales []ingest.PayScaleRow) (*Staffing, error) {
	var cells []ingest.CellError
	file := ""
	for _, t := range tables {
		if len(t.Errors) > 0 && file == "" {
			file = t.Source.File
		}
		cells = append(cells, t.Errors...)
	}
	if len(cells) > 0 {
		return nil, &ingest.InputError{File: file, Cells: cells}
	}
	scale, err := analysis.MergePayScales(fw.PayScale, payScales)
	if err != nil {
		return nil, staffError(err)
	}
	var posts []ingest.Post
	for _, t := range tables {
		posts = append(posts, t.Posts...)
	}
	results, err := fw.StaffTime(posts, analysis.StaffOptions{PayScale: scale})
	if err != nil {
		return nil, staffError(err)
	}
	return &Staffing{Tables: tables, Posts: results, Summary: fw.SummariseStaff(results),
		alloc: fw.NewStaffAllocator(results), budget: fw.NewPayBudget(), fw: fw}, nil
}

// staffError words analysis's staff errors as a list of what to fix.
func staffError(err error) error {
	var se *analysis.StaffError
	if errors.As(err, &se) {
		if len(se.Problems) == 1 {
			return errors.New(se.Problems[0])
		}
		return fmt.Errorf("%s could not be used:\n  %s", Counted(len(se.Problems), "post or pay scale row", "posts or pay scale rows"), strings.Join(se.Problems, "\n  "))
	}
	return err
}

// Finish reconciles the budget pay of every input read with the posts.
func (s *Staffing) Finish() {
	s.Pay = s.budget.Reconcile(s.Posts, analysis.DefaultTolerance)
}

// Where names the staffing's source for people: its files, or the budget
// workbook's sheets.
func (s *Staffing) Where() string {
	var names []string
	for _, t := range s.Tables {
		switch {
		case s.Own != nil:
			names = append(names, fmt.Sprintf("sheet %q of this workbook", t.Source.Sheet))
		case t.Source.Sheet != "":
			names = append(names, fmt.Sprintf("%s sheet %q", filepath.Base(t.Source.File), t.Source.Sheet))
		default:
			names = append(names, filepath.Base(t.Source.File))
		}
	}
	return strings.Join(names, ", ")
}

// decimalUnits writes n units of unit (FTE in billionths, shares in
// millionths) as an exact decimal: 500000000 → "0.5".
func decimalUnits(n, unit int64) string {
	digits := 0
	for u := unit; u > 1; u /= 10 {
		digits++
	}
	neg := n < 0
	u := uint64(n)
	if neg {
		u = -u
	}
	frac := u % uint64(unit)
	b := strconv.AppendUint(nil, u/uint64(unit), 10)
	if frac != 0 {
		f := strconv.AppendUint(nil, frac, 10)
		b = append(b, '.')
		for range digits - len(f) {
			b = append(b, '0')
		}
		b = append(b, bytes.TrimRight(f, "0")...)
	}
	if neg && (frac != 0 || u/uint64(unit) != 0) {
		return "-" + string(b)
	}
	return string(b)
}

// FormatFTE writes FTE (billionths) as people read it: 41.3.
func FormatFTE(n int64) string {
	r := new(big.Rat).SetFrac64(n, ingest.FTEUnit)
	return r.FloatString(1)
}
