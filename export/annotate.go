// The columns added beside a budget table, row by row: what they say of
// each line and excluded row, in which styles, and the XML of their cells,
// made once per rule and status and then only renumbered.
package export

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/samber/lo"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/ooxml"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// The columns added beside each budget table, in order: the seven
// purpose fills in (computed), then the three an adviser does.
var annotationHeaders = ingest.AnnotationHeaders

const computed = 7

// annotationColumn is where the added columns go in a table annotated for
// the first time: right of the table. Where formatted blank cells reach
// the sheet's last column (XFD), they go right of the last value instead,
// over those blanks; 0 means there is no room at all.
func annotationColumn(t *ingest.Table) int {
	n := len(annotationHeaders)
	switch {
	case t.LastCol+n <= sheetxml.MaxColumns:
		return t.LastCol + 1
	case t.LastValueCol+n <= sheetxml.MaxColumns:
		return t.LastValueCol + 1
	}
	return 0
}

// annotationColumns are the columns the added columns go in, in
// annotationHeaders' order: where an earlier run's now stand, found by
// their headings, however an adviser moved them; any it lacked right of
// the sheet's last column; for a table annotated for the first time, right
// of the table. nil when there is no room.
func annotationColumns(t *ingest.Table) []int {
	if len(t.ToolColumns) == 0 {
		first := annotationColumn(t)
		if first == 0 {
			return nil
		}
		return placeColumns(annotationHeaders, nil, first-1)
	}
	next := max(t.SheetLastCol, t.LastCol)
	for _, tc := range t.ToolColumns {
		next = max(next, tc.Col)
	}
	return placeColumns(annotationHeaders, t.ToolColumns, next)
}

// placeColumns are the columns added columns headed headers go in, in
// headers' order: where found (an earlier run's, by heading) puts them, the
// left-hand one of two headed alike; any it lacks one after another right
// of column after. nil when one would fall beyond the sheet's last column.
func placeColumns(headers []string, found []ingest.ToolColumn, after int) []int {
	cols := make([]int, len(headers))
	for _, tc := range found {
		if j := slices.Index(headers, tc.Header); j >= 0 && (cols[j] == 0 || tc.Col < cols[j]) {
			cols[j] = tc.Col
		}
	}
	for j := range cols {
		if cols[j] == 0 {
			after++
			cols[j] = after
		}
		if cols[j] > sheetxml.MaxColumns {
			return nil
		}
	}
	return cols
}

// mergesCells reports whether the added cells may fall among a row's own
// (the copier then merges them in column order): over formatted blank
// cells, or in a table annotated before, whose columns an adviser may have
// moved or put others between.
func mergesCells(t *ingest.Table) bool {
	if len(t.ToolColumns) > 0 {
		return true
	}
	first := annotationColumn(t)
	return first > 0 && first <= t.LastCol
}

// annotationEdit says how a budget sheet changes: the annotation cells on
// the header and every line and excluded row, the used range, the widths.
// The override columns of a line are an adviser's: once headed, they are
// left as they are.
// moved are the overrides typed over the Outcome column, by row, which go
// in the override columns.
// lists is the range the Outcome override drop-down offers ("" for none).
func annotationEdit(fw *analysis.Framework, t *ingest.Table, marks *markList, unreadable map[int32]string, moved map[int32][3]string, lists string, looks annotationLooks, strs *ooxml.StringIndex) ooxml.SheetEdit {
	cols := annotationColumns(t)
	excluded := map[int]int{} // row → index into t.Excluded
	for i, e := range t.Excluded {
		excluded[e.Source.Row] = i
	}
	next := 0 // the first mark not yet passed: rows arrive in order
	lineAt := func(row int) (lineMark, bool) {
		if marks == nil {
			return lineMark{}, false
		}
		for next < marks.len() && int(marks.at(next).row) < row {
			next++
		}
		if next < marks.len() && int(marks.at(next).row) == row {
			return marks.at(next), true
		}
		// A row out of order in the XML: look it up.
		return marks.find(int32(row))
	}
	head := sheetHeadEdit(t, cols)
	if cols == nil {
		return head // no room for the added columns; ingest warned of it
	}
	a := newAnnotator(fw, looks, strs, cols, t.Thousands)
	var cells []annotationCell
	edit := ooxml.SheetEdit{
		DimensionFunc: head.DimensionFunc,
		Unselect:      head.Unselect,
		Cols:          head.Cols,
		AddCells: func(row int, prefix string, buf []byte) []byte {
			switch {
			case row == t.Source.Row:
				return a.header(buf, row, prefix)
			case row > t.Source.Row && row <= t.LastRow:
				if m, ok := lineAt(row); ok {
					buf = a.line(buf, row, prefix, m, unreadable[m.row])
					if o, ok := moved[m.row]; ok {
						cells = blankCells(cells[:0], computed)
						for _, v := range o {
							cells = append(cells, annotationCell{text: v})
						}
						buf = a.writeFrom(buf, row, prefix, cells, computed)
					}
					return buf
				} else if i, ok := excluded[row]; ok {
					cells = excludedCells(cells[:0], t.Excluded[i], looks)
				} else if len(t.ToolColumns) > 0 {
					cells = blankCells(cells[:0], computed)
				} else {
					return buf
				}
				return a.write(buf, row, prefix, cells)
			}
			return buf
		},
	}
	if t.LastRow > t.Source.Row {
		edit.Validations = overrideValidations(cols, t.Source.Row+1, t.LastRow, lists)
	}
	if mergesCells(t) {
		// An earlier run's computed cells go (the new ones replace them
		// column by column); formatted blanks the added columns cover too.
		edit.Drop = dropNothing
	}
	return edit
}

// overrideValidations are the override columns' checks, from row first to
// last: Outcome override a drop-down of the outcomes in lists (any text
// allowed, with a warning, as an outcome's code is too), Share override a
// number from 0 to 100 (60 or 60%; a fraction up to 1 is read as one).
func overrideValidations(cols []int, first, last int, lists string) []byte {
	rng := func(j int) string { return ingest.CellRef(cols[j], first) + ":" + ingest.CellRef(cols[j], last) }
	var b []byte
	if lists != "" {
		b = fmt.Appendf(b, `<dataValidation type="list" errorStyle="warning" allowBlank="1" showInputMessage="1" showErrorMessage="1" promptTitle="purpose" prompt="An outcome of the framework, or core: it goes above every rule." errorTitle="Not in the list" error="Not one of the framework's outcomes: purpose will refuse it unless it is an outcome's code." sqref="%s"><formula1>%s</formula1></dataValidation>`,
			rng(computed), ooxml.AppendEscaped(nil, lists))
	}
	b = fmt.Appendf(b, `<dataValidation type="decimal" allowBlank="1" showInputMessage="1" showErrorMessage="1" promptTitle="purpose" prompt="The share of the line that goes to the outcome: 60 or 60%%; blank for all of it." errorTitle="Not a share" error="Give a share from 0 to 100." operator="between" sqref="%s"><formula1>0</formula1><formula2>100</formula2></dataValidation>`, rng(computed+1))
	return b
}

// sheetHeadEdit is what changes in a budget sheet before its rows: the
// used range, the view no longer selected, the added columns' widths.
// cols are the added columns (annotationColumns), nil when there is no
// room for them.
func sheetHeadEdit(t *ingest.Table, cols []int) ooxml.SheetEdit {
	if cols == nil {
		return ooxml.SheetEdit{Unselect: true}
	}
	last := slices.Max(cols)
	return ooxml.SheetEdit{
		DimensionFunc: func(ref string) string { return usedRange(ref, last, t.SheetLastCol, t.SheetLastRow) },
		Unselect:      true,
		Cols:          annotationWidths(cols),
	}
}

// usedRange is the <dimension ref> of an annotated sheet: the original's
// (ref), widened to the cells read and the added columns, whose last is
// lastAdded.
func usedRange(ref string, lastAdded, lastCol, lastRow int) string {
	col, row := sheetxml.RangeEnd(ref)
	return "A1:" + ingest.CellRef(max(lastAdded, lastCol, col), max(lastRow, row, 1))
}

// annotationWidths are the added columns' widths.
func annotationWidths(cols []int) []ooxml.ColWidth {
	return columnWidths(cols, []float64{34, 24, 12, 13, 15, 12, 18, 24, 16, 34})
}

// columnWidths are the <col> widths of added columns, widths[j] for
// cols[j], in column order.
func columnWidths(cols []int, widths []float64) []ooxml.ColWidth {
	var out []ooxml.ColWidth
	for j, w := range widths {
		out = append(out, ooxml.ColWidth{Min: cols[j], Max: cols[j], Width: w})
	}
	slices.SortFunc(out, func(a, b ooxml.ColWidth) int { return a.Min - b.Min })
	return out
}

// dropNothing is the Drop of an edit whose added cells may fall among a
// row's own (a table annotated before, or added columns over formatted
// blanks): it drops none of them, but being set makes the copier merge the
// added cells in column order, each replacing the cell in its column.
func dropNothing(_, _ int) bool { return false }

// annotator writes the cells added to a budget sheet's rows, from column
// first on; the copy made as the sheet is read and the one made from the
// original afterwards share it. A staffing sheet's rows are written with
// its write only.
type annotator struct {
	fw        *analysis.Framework
	looks     annotationLooks
	strs      *ooxml.StringIndex
	letters   []string
	ref       []byte
	cells     []annotationCell
	templates map[[2]int32]*lineTemplate // by rule and status
	// order is the added columns in column order (indexes into
	// annotationHeaders, or staffHeaders); lineOrder the computed ones
	// among them, which a line's row gets.
	order, lineOrder []int
	prefix           string // the namespace prefix they were made with
	// thousands is set for a table in thousands of pounds (£000): the
	// social amounts are in its units, and headed so.
	thousands bool
}

func newAnnotator(fw *analysis.Framework, looks annotationLooks, strs *ooxml.StringIndex, cols []int, thousands bool) *annotator {
	a := &annotator{fw: fw, looks: looks, strs: strs, templates: map[[2]int32]*lineTemplate{}, thousands: thousands}
	for _, col := range cols {
		a.letters = append(a.letters, ingest.ColumnLetter(col))
	}
	// Cells are written in column order, which an adviser's moves may
	// have made other than the headings' order.
	a.order = lo.Range(len(cols))
	slices.SortStableFunc(a.order, func(x, y int) int { return cols[x] - cols[y] })
	a.lineOrder = slices.DeleteFunc(slices.Clone(a.order), func(j int) bool { return j >= computed })
	return a
}

// header writes the added columns' headings.
func (a *annotator) header(buf []byte, row int, prefix string) []byte {
	a.cells = a.cells[:0]
	for j := range annotationHeaders {
		a.cells = append(a.cells, annotationCell{text: annotationHeader(j, a.thousands), style: a.looks.header})
	}
	return a.write(buf, row, prefix, a.cells)
}

// line writes what became of a line; unreadable is its amount's text, for
// an unreadable line.
func (a *annotator) line(buf []byte, row int, prefix string, m lineMark, unreadable string) []byte {
	if m.status.status() == analysis.StatusUnreadable {
		a.cells = lineCells(a.cells[:0], a.fw, m, unreadable, a.looks, a.thousands)
		return a.write(buf, row, prefix, a.cells)
	}
	if prefix != a.prefix {
		clear(a.templates)
		a.prefix = prefix
	}
	key := [2]int32{m.rule, int32(m.status)}
	tm := a.templates[key]
	if tm == nil {
		tm = newLineTemplate(lineCells(nil, a.fw, m, "", a.looks, a.thousands), a.letters, a.lineOrder, prefix, a.strs)
		a.templates[key] = tm
	}
	return tm.append(buf, row, m, a.fw, a.strs, a.thousands)
}

// write writes cells in the added columns of a row (cells[j] under
// heading j; the first computed ones for a line's row), in column order.
func (a *annotator) write(buf []byte, row int, prefix string, cells []annotationCell) []byte {
	return a.writeFrom(buf, row, prefix, cells, 0)
}

// writeFrom is write of cells[from:] only.
func (a *annotator) writeFrom(buf []byte, row int, prefix string, cells []annotationCell, from int) []byte {
	for _, j := range a.order {
		if j >= len(cells) || j < from {
			continue
		}
		a.ref = strconv.AppendInt(append(a.ref[:0], a.letters[j]...), int64(row), 10)
		buf = cells[j].appendXML(buf, prefix, a.ref, a.strs)
	}
	return buf
}

// lineTemplate is the XML of a line's added cells for one rule and status,
// made once: per row only the row number and the social amount change.
type lineTemplate struct {
	heads  [][]byte // per cell, up to its column letters: `<c r="J`
	tails  [][]byte // per cell, from the end of its reference on
	amount int      // the cell that holds the social amount, or -1
	// amountHead and amountTail surround the amount in that cell.
	amountHead, amountTail []byte
	refs                   int // shared string references a row makes
}

func newLineTemplate(cells []annotationCell, letters []string, order []int, prefix string, strs *ooxml.StringIndex) *lineTemplate {
	t := &lineTemplate{amount: -1}
	before := 0
	if strs != nil {
		before = strs.Refs()
	}
	for n, j := range order {
		c := cells[j]
		number := c.number != ""
		if number && j == 4 {
			c.number = "\x01" // the social amount's place
		}
		x := c.appendXML(nil, prefix, []byte(letters[j]+"\x00"), strs)
		i := bytes.IndexByte(x, 0)
		t.heads = append(t.heads, x[:i])
		tail := x[i+1:]
		if number && j == 4 {
			k := bytes.IndexByte(tail, 1)
			t.amount, t.amountHead, t.amountTail = n, tail[:k], tail[k+1:]
			tail = nil
		}
		t.tails = append(t.tails, tail)
	}
	if strs != nil {
		t.refs = strs.Refs() - before
		strs.AddRefs(-t.refs)
	}
	return t
}

// append writes a line's added cells, the social amount in thousands of
// pounds for a table in £000.
func (t *lineTemplate) append(b []byte, row int, m lineMark, fw *analysis.Framework, strs *ooxml.StringIndex, thousands bool) []byte {
	var digits [20]byte
	r := strconv.AppendInt(digits[:0], int64(row), 10)
	for j, head := range t.heads {
		b = append(b, head...)
		b = append(b, r...)
		if j == t.amount {
			b = append(b, t.amountHead...)
			b = appendNumberUnits(b, m.social, thousands)
			b = append(b, t.amountTail...)
			continue
		}
		b = append(b, t.tails[j]...)
	}
	if strs != nil {
		strs.AddRefs(t.refs)
	}
	return b
}

// annotationCell is one added cell: text, or a number written exactly.
type annotationCell struct {
	text   string
	number string // a decimal, written as is
	style  int
}

// appendXML writes the cell: text as an index into strs, the shared string
// table, or inline when strs is nil.
func (c annotationCell) appendXML(b []byte, prefix string, ref []byte, strs *ooxml.StringIndex) []byte {
	b = append(b, '<')
	b = append(b, prefix...)
	b = append(b, `c r="`...)
	b = append(b, ref...)
	b = append(b, `" s="`...)
	b = strconv.AppendInt(b, int64(c.style), 10)
	switch {
	case c.number != "":
		b = append(b, `"><`...)
		b = append(b, prefix...)
		b = append(b, `v>`...)
		b = append(b, c.number...)
		b = append(b, `</`...)
		b = append(b, prefix...)
		b = append(b, `v></`...)
	case c.text != "" && strs != nil:
		b = append(b, `" t="s"><`...)
		b = append(b, prefix...)
		b = append(b, `v>`...)
		b = strconv.AppendInt(b, int64(strs.Of(c.text)), 10)
		b = append(b, `</`...)
		b = append(b, prefix...)
		b = append(b, `v></`...)
	case c.text != "":
		b = append(b, `" t="inlineStr"><`...)
		b = append(b, prefix...)
		b = append(b, `is><`...)
		b = append(b, prefix...)
		if c.text[0] == ' ' || c.text[len(c.text)-1] == ' ' || strings.ContainsAny(c.text, "\t\n\r") {
			b = append(b, `t xml:space="preserve">`...)
		} else {
			b = append(b, `t>`...)
		}
		b = ooxml.AppendEscaped(b, c.text)
		b = append(b, `</`...)
		b = append(b, prefix...)
		b = append(b, `t></`...)
		b = append(b, prefix...)
		b = append(b, `is></`...)
	default:
		b = append(b, `"/>`...)
		return b
	}
	b = append(b, prefix...)
	return append(b, `c>`...)
}

// lineCells describes one line in the added columns; thousands puts the
// social amount in thousands of pounds.
func lineCells(cells []annotationCell, fw *analysis.Framework, mark lineMark, unreadable string, looks annotationLooks, thousands bool) []annotationCell {
	m := mark.match(fw)
	cells = describeMatch(cells, fw, m, unreadable, looks)
	if cells[4].number != "" { // income and unreadable lines show no amount
		cells[4].number = string(appendNumberUnits(nil, mark.social, thousands))
	}
	return cells
}

// describeMatch is what the added columns say of a match, but for the
// social amount (cells[4]), which depends on the line's amount: the same for
// every line a rule maps, so the writer works it out once per rule.
func describeMatch(cells []annotationCell, fw *analysis.Framework, m analysis.Match, unreadable string, looks annotationLooks) []annotationCell {
	allocs := analysis.Allocate(10000, m)
	var outcomes, themes []string
	socialShare, mainSocial := 0, -1
	for i, a := range allocs {
		name := a.Outcome
		if o, ok := fw.Outcome(a.Outcome); ok {
			name = o.Name
			if !slices.Contains(themes, o.Theme) {
				themes = append(themes, o.Theme)
			}
		}
		if len(allocs) > 1 {
			name += " " + analysis.FormatShare(a.Share)
		}
		outcomes = append(outcomes, name)
		if a.Mode.Social() {
			socialShare += a.Share
			if mainSocial < 0 || a.Share > allocs[mainSocial].Share {
				mainSocial = i
			}
		}
	}
	look, mode := string(m.Status), ""
	switch m.Status {
	case analysis.StatusMapped:
		// A line with any social share shows its main social mode (as a
		// post's row does), so that the lines filtered as core are those
		// with no social £.
		mode = string(m.Rule.Mode())
		if mainSocial >= 0 {
			mode = string(allocs[mainSocial].Mode)
		}
		if socialShare == 0 {
			look = "core" // mapped, but to core work: grey, not green
		}
	case analysis.StatusIncome:
		mode = string(analysis.Income)
	case analysis.StatusUnmapped:
		mode = string(analysis.Unmapped)
	case analysis.StatusUnreadable:
		outcomes = []string{fmt.Sprintf("amount %q could not be read", unreadable)}
	}
	text, money, pct := looks.text[look], looks.money[look], looks.percent[look]
	cells = append(cells,
		annotationCell{text: strings.Join(outcomes, "; "), style: text},
		annotationCell{text: strings.Join(themes, "; "), style: text},
		annotationCell{text: mode, style: text},
		annotationCell{number: analysis.FractionString(socialShare), style: pct},
		annotationCell{number: "0", style: money},
		annotationCell{text: m.RuleID(), style: text},
		annotationCell{text: string(m.Status), style: text},
	)
	if m.Status == analysis.StatusUnreadable || m.Status == analysis.StatusIncome {
		cells[3], cells[4] = annotationCell{style: pct}, annotationCell{style: money}
	}
	return cells
}

// excludedCells marks a row that is not a line: a subtotal (with how it
// checked), a heading, a repeated header.
func excludedCells(cells []annotationCell, e ingest.Excluded, looks annotationLooks) []annotationCell {
	style := looks.text["excluded"]
	check := ""
	if e.Reason == ingest.ReasonSubtotal {
		check = subtotalCheck(e)
	}
	cells = append(cells, annotationCell{text: check, style: style})
	for range 5 {
		cells = append(cells, annotationCell{style: style})
	}
	return append(cells, annotationCell{text: "excluded " + e.Reason, style: style}) // the computed columns only
}

func blankCells(cells []annotationCell, n int) []annotationCell {
	for range n {
		cells = append(cells, annotationCell{})
	}
	return cells
}

// subtotalCheck says how a subtotal checked against its lines.
func subtotalCheck(e ingest.Excluded) string {
	switch {
	case e.NoValue:
		return fmt.Sprintf("no saved value; %s add up to %s", e.Check, ingest.FormatMoney(e.Expected))
	case e.Agrees():
		return "agrees with " + e.Check
	case e.Checked:
		return fmt.Sprintf("differs from %s by %s", e.Check, ingest.FormatMoney(e.Amount-e.Expected))
	}
	return e.Check
}

// annotationHeader is the heading of added column j: the social amount's
// says when it is in thousands.
func annotationHeader(j int, thousands bool) string {
	if j == 4 && thousands {
		return annotationHeaders[j] + "000"
	}
	return annotationHeaders[j]
}

// numberPence writes pence as a spreadsheet number, exactly and as short as
// it goes: 123450 → "1234.5", 100 → "1".
func numberPence(p int64) string { return string(appendNumberPence(nil, p)) }

// appendNumberUnits writes pence as a number of pounds, or with thousands
// of thousands of pounds (£000), exactly: 9540000 → "95.4".
func appendNumberUnits(b []byte, p int64, thousands bool) []byte {
	if !thousands {
		return appendNumberPence(b, p)
	}
	u := uint64(p)
	if p < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/100000, 10)
	frac := u % 100000
	if frac == 0 {
		return b
	}
	digits := []byte{'.', 0, 0, 0, 0, 0}
	for i := 5; i >= 1; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(b, bytes.TrimRight(digits, "0")...)
}

func appendNumberPence(b []byte, p int64) []byte {
	b = ingest.AppendPence(b, p)
	switch {
	case bytes.HasSuffix(b, []byte(".00")):
		return b[:len(b)-3]
	case b[len(b)-1] == '0':
		return b[:len(b)-1]
	}
	return b
}
