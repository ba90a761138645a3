package export

// The columns added beside a staffing table: what each post's time became.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/ooxml"
	"github.com/purpose-hq/purpose/ingest"
)

// staffHeaders are the columns added beside a staffing table.
// Their headings name nothing a staffing header is found by (no FTE,
// post, grade or vacant), so an annotated workbook run again reads its
// staffing table as before.
// The last three are an adviser's, as beside a budget table: a post's
// override goes above its survey and the staff rules.
var staffHeaders = []string{ingest.StaffAnnotationFirst, "Mode", "Social share of time", "Social staff time", "Social £", "Staff rule", "Unfilled",
	ingest.OutcomeOverrideHeader, ingest.ShareOverrideHeader, ingest.ReviewerNoteHeader}

// staffSheet is a staffing table to annotate and the establishment its
// posts are in.
type staffSheet struct {
	t *ingest.StaffTable
	s *Staffing
}

// staffColumns are the columns the added columns go in, in staffHeaders'
// order: where an earlier run's now stand, found by their headings however
// an adviser moved them or put columns between them, any it lacked right
// of the table's last heading; for a table annotated for the first time,
// right of the table. again is set for a table annotated before; nil when
// there is no room.
func staffColumns(t *ingest.StaffTable) (cols []int, again bool) {
	var found []ingest.ToolColumn
	last := 0
	for c, h := range t.HeaderTexts {
		last = max(last, c)
		if h = strings.TrimSpace(h); slices.Contains(staffHeaders, h) {
			found = append(found, ingest.ToolColumn{Col: c, Header: h})
			again = again || h == staffHeaders[0]
		}
	}
	for _, c := range t.Columns {
		last = max(last, c)
	}
	if !again {
		found = nil // headings like these in a table not annotated are its own
	}
	return placeColumns(staffHeaders, found, last), again
}

// staffRows are a table's rows with what they hold of a post: the post,
// and whether the row is the post's first (later rows of a post, an HR
// export's other holders, point to it).
func staffRows(sh staffSheet) map[int]staffRow {
	rows := map[int]staffRow{}
	for i := range sh.s.Posts {
		r := &sh.s.Posts[i]
		if r.Post.Source.File != sh.t.Source.File || r.Post.Source.Sheet != sh.t.Source.Sheet {
			continue
		}
		rows[r.Post.Source.Row] = staffRow{r, true}
		for _, h := range r.Post.Holders {
			if h.Source.Row != r.Post.Source.Row {
				rows[h.Source.Row] = staffRow{r, false}
			}
		}
	}
	return rows
}

type staffRow struct {
	r     *analysis.PostResult
	first bool
}

// staffEdit says how a staffing sheet changes: the added columns' headings
// on the header row and, on each post's rows, its outcomes and time.
// lists is the range the Outcome override drop-down offers.
func staffEdit(fw *analysis.Framework, sh staffSheet, lists string, looks annotationLooks, strs *ooxml.StringIndex) ooxml.SheetEdit {
	cols, again := staffColumns(sh.t)
	if cols == nil {
		return ooxml.SheetEdit{Unselect: true}
	}
	last := slices.Max(cols)
	rows := staffRows(sh)
	lastRow := 0
	for r := range rows {
		lastRow = max(lastRow, r)
	}
	a := newAnnotator(fw, looks, strs, cols, false)
	var cells []annotationCell
	edit := ooxml.SheetEdit{
		DimensionFunc: func(ref string) string { return usedRange(ref, last, 0, lastRow) },
		Unselect:      true,
		Cols:          columnWidths(cols, []float64{40, 12, 12, 10, 13, 12, 8, 24, 16, 34}),
		Validations:   overrideValidations(cols, sh.t.Source.Row+1, max(lastRow, sh.t.Source.Row+1), lists),
		AddCells: func(row int, prefix string, buf []byte) []byte {
			if row == sh.t.Source.Row {
				cells = cells[:0]
				for _, h := range staffHeaders {
					cells = append(cells, annotationCell{text: h, style: looks.header})
				}
				return a.write(buf, row, prefix, cells)
			}
			sr, ok := rows[row]
			if !ok {
				return buf
			}
			cells = staffCells(cells[:0], fw, sr, looks)
			return a.write(buf, row, prefix, cells)
		},
	}
	if again {
		// An earlier run's computed cells are replaced column by column;
		// the override columns, an adviser's, are kept.
		edit.Drop = dropNothing
	}
	return edit
}

// staffCells are what a post's row says: its outcomes with their shares,
// its main mode, the social share of its time, and on its first row its
// social FTE and cost.
func staffCells(cells []annotationCell, fw *analysis.Framework, sr staffRow, looks annotationLooks) []annotationCell {
	r := sr.r
	var names []string
	var social int64
	mode, best := analysis.Core, int64(-1)
	for _, p := range r.Parts {
		name := p.Outcome
		if o, ok := fw.Outcome(p.Outcome); ok {
			name = o.Name
		}
		if len(r.Parts) > 1 {
			name += " " + formatShareUnits(p.Share)
		}
		names = append(names, name)
		if p.Mode.Social() {
			social += p.Share
		}
		if p.Mode.Social() && p.Share > best {
			mode, best = p.Mode, p.Share // the main social mode: embedded for a housing officer's fifth
		}
	}
	look := "mapped"
	if social == 0 {
		look = "core"
	}
	text, money, pct := looks.text[look], looks.money[look], looks.percent[look]
	vacant := ""
	if r.Vacant {
		vacant = "yes"
	}
	cells = append(cells,
		annotationCell{text: strings.Join(names, "; "), style: text},
		annotationCell{text: string(mode), style: text},
		annotationCell{number: decimalUnits(social, ingest.ShareUnit), style: pct},
	)
	if sr.first {
		cells = append(cells,
			annotationCell{number: decimalUnits(r.SocialFTE(), ingest.FTEUnit), style: text},
			annotationCell{number: numberPence(r.SocialCost()), style: money})
	} else {
		cells = append(cells,
			annotationCell{text: "post's row " + strconv.Itoa(r.Post.Source.Row), style: text},
			annotationCell{style: money})
	}
	return append(cells, annotationCell{text: r.Rule, style: text}, annotationCell{text: vacant, style: text})
}

// formatShareUnits writes a share in millionths as a percentage: 20%, 12.5%.
func formatShareUnits(n int64) string {
	return decimalUnits(n*100, ingest.ShareUnit) + "%"
}

// staffSheetsOf are the staffing tables of a workbook to annotate, by
// sheet name (a CSV file's, by the name of the sheet it becomes).
func staffSheetsOf(s *Staffing, b *ingest.Book) map[string]staffSheet {
	out := map[string]staffSheet{}
	if s == nil {
		return out
	}
	for _, t := range s.Tables {
		if t.Source.File != b.Path || len(t.Errors) > 0 {
			continue
		}
		switch {
		case t.Source.Sheet != "":
			out[t.Source.Sheet] = staffSheet{t, s}
		case b.CSV != nil:
			out[csvSheetName(b)] = staffSheet{t, s}
		}
	}
	return out
}

// stackEdits annotates a sheet holding a budget table (top) and, from row
// from on, a table of posts (bottom), each from its own column.
func stackEdits(top, bottom ooxml.SheetEdit, from int) ooxml.SheetEdit {
	cols := top.Cols
	for _, w := range bottom.Cols {
		if !slices.ContainsFunc(cols, func(c ooxml.ColWidth) bool { return c.Min <= w.Max && w.Min <= c.Max }) {
			cols = append(cols, w)
		}
	}
	dim := func(e ooxml.SheetEdit, ref string) string {
		switch {
		case e.DimensionFunc != nil:
			return e.DimensionFunc(ref)
		case e.Dimension != "":
			return e.Dimension
		}
		return ref
	}
	return ooxml.SheetEdit{
		DimensionFunc: func(ref string) string { return dim(bottom, dim(top, ref)) },
		Unselect:      top.Unselect || bottom.Unselect,
		Cols:          cols,
		Validations:   slices.Concat(top.Validations, bottom.Validations), // rows apart
		Drop: func(row, col int) bool {
			e := top
			if row >= from {
				e = bottom
			}
			return e.Drop != nil && e.Drop(row, col)
		},
		AddCells: func(row int, prefix string, buf []byte) []byte {
			e := top
			if row >= from {
				e = bottom
			}
			if e.AddCells == nil {
				return buf // no room beside it for the added columns
			}
			return e.AddCells(row, prefix, buf)
		},
	}
}
