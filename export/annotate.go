package export

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// The columns added beside each budget table, in order.
var annotationHeaders = ingest.AnnotationHeaders

// outCell is one cell the tool writes: a string or a float64, and its look.
type outCell struct {
	Value any
	Style styleKey
}

// sheetPlan is what to add to one sheet: cells to the right of its budget
// table, row by row. It is the seam between deciding what to annotate and
// writing it: applyPlans edits a workbook in memory; a streaming writer can
// take the same plans and copy the sheet's XML through, adding the cells.
type sheetPlan struct {
	Sheet    string
	FirstCol int
	Rows     []planRow // in row order
	Widths   []float64 // of the added columns
}

type planRow struct {
	Row   int
	Cells []outCell
}

// statusLook is the fill a status gets.
func statusLook(status string) styleKey {
	switch status {
	case "mapped":
		return styleKey{fill: colourSocial}
	case "core":
		return styleKey{fill: colourCore}
	case string(analysis.StatusUnmapped):
		return styleKey{fill: colourUnmapped}
	case string(analysis.StatusIncome):
		return styleKey{fill: colourIncome}
	case string(analysis.StatusUnreadable):
		return styleKey{fill: colourUnreadable}
	}
	return styleKey{italic: true, colour: colourMuted}
}

// lineAnnotation describes one line in the added columns.
func lineAnnotation(fw *analysis.Framework, l *ingest.CostLine, m analysis.Match) []outCell {
	allocs := analysis.Allocate(l.Amount, m)
	var outcomes, themes []string
	socialShare := 0
	var social int64
	for _, a := range allocs {
		name := a.Outcome
		if o, ok := fw.Outcome(a.Outcome); ok {
			name = o.Name
			if !containsString(themes, o.Theme) {
				themes = append(themes, o.Theme)
			}
		}
		if len(allocs) > 1 {
			name += " " + analysis.FormatShare(a.Share)
		}
		outcomes = append(outcomes, name)
		if a.Mode.Social() {
			socialShare += a.Share
			social += a.Amount
		}
	}
	status := string(m.Status)
	mode := ""
	switch m.Status {
	case analysis.StatusMapped:
		mode = string(m.Rule.Mode())
		if socialShare == 0 {
			status = "core" // mapped, but to core work: grey, not green
		}
	case analysis.StatusIncome:
		mode = string(analysis.Income)
	case analysis.StatusUnmapped:
		mode = string(analysis.Unmapped)
	case analysis.StatusUnreadable:
		outcomes = []string{fmt.Sprintf("amount %q could not be read", l.Unreadable)}
	}
	look := statusLook(status)
	money, pct := look, look
	money.format, pct.format = formatMoney, formatPercent
	cells := []outCell{
		{strings.Join(outcomes, "; "), look},
		{strings.Join(themes, "; "), look},
		{mode, look},
		{float64(socialShare) / 10000, pct},
		{float64(social) / 100, money},
		{m.RuleID(), look},
		{string(m.Status), look},
	}
	if m.Status == analysis.StatusUnreadable || m.Status == analysis.StatusIncome {
		cells[3].Value, cells[4].Value = "", ""
	}
	return cells
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// plansFor lays out the added columns of every budget table of an input.
func plansFor(fw *analysis.Framework, in Input, sheetName func(t *ingest.Table) string) []sheetPlan {
	var plans []sheetPlan
	next := 0
	for _, t := range in.Book.Tables {
		p := sheetPlan{Sheet: sheetName(t), FirstCol: annotationColumn(t)}
		headerLook := styleKey{fill: colourHeader, bold: true, colour: "FFFFFF", wrap: true}
		head := planRow{Row: t.Source.Row}
		for _, h := range annotationHeaders {
			head.Cells = append(head.Cells, outCell{h, headerLook})
		}
		p.Rows = append(p.Rows, head)
		rows := map[int][]outCell{}
		for i := range t.Lines {
			idx := next + i
			rows[t.Lines[i].Source.Row] = lineAnnotation(fw, &in.Lines[idx], in.Matches[idx])
		}
		next += len(t.Lines)
		for _, e := range t.Excluded {
			look := statusLook("excluded")
			note := "excluded " + e.Reason
			check := ""
			if e.Reason == ingest.ReasonSubtotal {
				switch {
				case e.Agrees():
					check = "agrees with " + e.Check
				case e.Checked:
					check = fmt.Sprintf("differs from %s by %s", e.Check, ingest.FormatMoney(e.Amount-e.Expected))
				default:
					check = e.Check
				}
			}
			rows[e.Source.Row] = []outCell{{check, look}, {"", look}, {"", look}, {"", look}, {"", look}, {"", look}, {note, look}}
		}
		blank := make([]outCell, len(annotationHeaders))
		for i := range blank {
			blank[i] = outCell{Value: ""}
		}
		for r := t.Source.Row + 1; r <= t.LastRow; r++ {
			cells, ok := rows[r]
			if !ok && t.AnnotationCol > 0 {
				cells, ok = blank, true // clear what an earlier run wrote there
			}
			if ok {
				p.Rows = append(p.Rows, planRow{Row: r, Cells: cells})
			}
		}
		p.Widths = []float64{34, 24, 12, 10, 14, 8, 18}
		plans = append(plans, p)
	}
	return plans
}

// annotationColumn is where the added columns go: right of the table, or
// over the columns an earlier run added, so annotating an annotated
// workbook replaces its annotations rather than adding more.
func annotationColumn(t *ingest.Table) int {
	if t.AnnotationCol > 0 {
		return t.AnnotationCol
	}
	return t.LastCol + 1
}

// applyPlans writes the planned cells into a workbook held in memory.
func applyPlans(f *excelize.File, st *styles, plans []sheetPlan) error {
	for _, p := range plans {
		for _, r := range p.Rows {
			for j, c := range r.Cells {
				ref := ingest.CellRef(p.FirstCol+j, r.Row)
				if err := f.SetCellValue(p.Sheet, ref, c.Value); err != nil {
					return err
				}
				id, err := st.get(c.Style)
				if err != nil {
					return err
				}
				if err := f.SetCellStyle(p.Sheet, ref, ref, id); err != nil {
					return err
				}
			}
		}
		for j, w := range p.Widths {
			col := ingest.ColumnLetter(p.FirstCol + j)
			if err := f.SetColWidth(p.Sheet, col, col, w); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteAnnotated writes an input's annotated workbook to path.
func WriteAnnotated(path string, run *Run, in Input) error {
	var f *excelize.File
	var err error
	sheetName := func(t *ingest.Table) string { return t.Source.Sheet }
	if in.Book.CSV != nil {
		name := sanitiseSheetName(strings.TrimSuffix(filepath.Base(in.Book.Path), filepath.Ext(in.Book.Path)))
		f, err = csvWorkbook(name, in.Book)
		sheetName = func(*ingest.Table) string { return name }
	} else {
		f, err = ingest.OpenWorkbook(in.Book.Path)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st := newStyles(f)
	plans := plansFor(run.Framework, in, sheetName)
	if err := applyPlans(f, st, plans); err != nil {
		return fmt.Errorf("export: %s: %w", path, err)
	}
	if err := addReportSheets(f, st, run, in, sheetName); err != nil {
		return fmt.Errorf("export: %s: %w", path, err)
	}
	if err := fixDimensions(f); err != nil {
		return fmt.Errorf("export: %s: %w", path, err)
	}
	return WriteAtomic(path, func(w io.Writer) error { _, err := f.WriteTo(w); return err })
}

// csvWorkbook makes a workbook of a CSV file's records, the amount column as
// numbers and everything else as the text it was.
func csvWorkbook(sheet string, b *ingest.Book) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	amountCol := 0
	headerRow := 0
	if len(b.Tables) > 0 {
		amountCol = b.Tables[0].Column(ingest.FieldAmount)
		headerRow = b.Tables[0].Source.Row
	}
	for i, rec := range b.CSV.Records {
		row := b.CSV.Rows[i]
		vals := make([]any, len(rec))
		for j, v := range rec {
			vals[j] = v
			if j+1 == amountCol && row > headerRow {
				if p, err := ingest.ParsePence(v); err == nil && strings.TrimSpace(v) != "" {
					vals[j] = float64(p) / 100
				}
			}
		}
		if err := f.SetSheetRow(sheet, ingest.CellRef(1, row), &vals); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// sanitiseSheetName makes a valid, short sheet name from a file name.
func sanitiseSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Budget"
	}
	return s
}

// fixDimensions sets each worksheet's used range (<dimension ref>) to the
// cells it really has. excelize does not keep it up to date, and readers
// such as openpyxl's read-only mode trust it and drop rows beyond it.
func fixDimensions(f *excelize.File) error {
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			continue // a chart sheet or dialog sheet has no cells
		}
		maxCol := 0
		for _, r := range rows {
			maxCol = max(maxCol, len(r))
		}
		if len(rows) == 0 || maxCol == 0 {
			continue
		}
		if err := f.SetSheetDimension(sheet, "A1:"+ingest.CellRef(maxCol, len(rows))); err != nil {
			return err
		}
	}
	return nil
}
