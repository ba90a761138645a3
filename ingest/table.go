package ingest

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// cell is one non-empty cell as a reader sees it: the raw value (shared
// strings resolved, numbers as stored) and the formula, if any.
type cell struct {
	Col        int
	Value      string
	Formula    string
	HasFormula bool
	HasValue   bool
	Kind       cellKind // text, a number or a date (see amount.go)
}

// rowCells is one row of a sheet or CSV file, cells in column order.
type rowCells struct {
	Row   int
	Cells []cell
	// LastCol is the row's last cell in the file, empty ones (a border, a
	// fill) included: added columns must go right of it.
	LastCol int
}

// index is where column col's cell is in r.Cells, -1 if the row has none.
func (r rowCells) index(col int) int {
	if col <= 0 {
		return -1
	}
	if i := col - 1; i < len(r.Cells) && r.Cells[i].Col == col {
		return i // a row with no gaps before col, as most are
	}
	i := sort.Search(len(r.Cells), func(i int) bool { return r.Cells[i].Col >= col })
	if i < len(r.Cells) && r.Cells[i].Col == col {
		return i
	}
	return -1
}

func (r rowCells) at(col int) (cell, bool) {
	if i := r.index(col); i >= 0 {
		return r.Cells[i], true
	}
	return cell{}, false
}

// text is column col's value, trimmed; "" if the row has no such cell.
func (r rowCells) text(col int) string {
	if i := r.index(col); i >= 0 {
		return strings.TrimSpace(r.Cells[i].Value)
	}
	return ""
}

func (r rowCells) blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c.Value) != "" || c.HasFormula {
			return false
		}
	}
	return true
}

// rowSource yields the rows of one sheet in order.
type rowSource interface {
	Next() bool
	Row() rowCells
	Err() error
	Close() error
}

// Exclusion reasons: rows inside a budget table that are not cost lines.
const (
	ReasonSubtotal = "subtotal"
	ReasonHeading  = "heading or note"
	ReasonHeader   = "repeated header"
	// ReasonStaffing marks the rows of a staffing table (posts, FTE,
	// grades) found below a budget table: pay is in the budget lines, so
	// the posts are not spend.
	ReasonStaffing = "staffing table"
)

// Excluded is a row inside a budget table that is not a cost line.
type Excluded struct {
	Source Source
	Reason string
	Label  string // the row's text, for a person to recognise it
	Amount int64  // pence; for subtotals, the amount the file shows
	// For subtotals: whether the lines it totals could be told, and their sum.
	Checked  bool
	Expected int64
	Check    string // how it was checked or why it could not be
	// NoValue is set for a subtotal formula saved without its value; Amount
	// is then the total of its lines.
	NoValue bool
	// Result is set for a result row (net expenditure, surplus or deficit
	// for the year, total income): a total of lines, never spend. Its
	// Reason is ReasonSubtotal, so it is checked and shown as one.
	Result bool
}

// Agrees reports whether a checked subtotal equals the lines it totals.
func (e Excluded) Agrees() bool { return e.Checked && e.Expected == e.Amount }

// Table is one budget table: a header row and the rows below it. Its lines
// go to the visitor as they are read; the table keeps only their count and
// total, and the rows that were not lines.
type Table struct {
	Source      Source // the header row
	Columns     [numFields]int
	HeaderTexts map[int]string
	LastCol     int // the table's last column (header or data), formatted blanks included
	// LastValueCol is the table's last column that holds a value: where
	// the added columns go when formatting reaches the sheet's last column.
	LastValueCol int
	LastRow      int
	Excluded     []Excluded
	BlankRows    int // rows between the header and LastRow with nothing in them
	// Lines and Unreadable count the lines read (unreadable ones included);
	// LinesTotal adds up the readable ones, in pence.
	Lines, Unreadable int
	LinesTotal        int64
	// OtherAmounts are amount columns found but not chosen: a person should
	// know which one was read.
	OtherAmounts []string
	// Thousands is set when amounts are in thousands of pounds ("£000").
	Thousands bool
	// LooksLikeStaffing is set when the table's header is a staffing
	// establishment's, read as spend because it is the only table (with a
	// warning saying so).
	LooksLikeStaffing bool
	// UnitShift is the power of ten of pounds the amounts are in: 0, 3
	// (£000) or 6 (£million).
	UnitShift int
	// Explanation says which row was read as the header and which columns
	// were read ("read header on row 8: amount "Net Spend £", …").
	Explanation string
	// SheetLastRow and SheetLastCol bound every cell of the sheet, inside
	// the table or not.
	SheetLastRow, SheetLastCol int
	// Warnings are notes about rows a person should look at.
	Warnings []string
	// AnnotationCol is the first of the columns an earlier run of purpose
	// added, 0 if there are none. Cells from there on are not read as
	// data; ToolColumns are those columns, wherever they stand (the
	// override columns an adviser moved among the data too).
	AnnotationCol int
	ToolColumns   []ToolColumn
	// sheetUnit is set when the table has no business unit column and its
	// lines are reported under the sheet's name.
	sheetUnit bool
	// refersTo holds the other sheets amount formulas take figures from
	// (see overlap.go).
	refersTo map[string]sheetRef
}

// AmountHeader is the amount column's letter and header text.
func (t *Table) AmountHeader() string {
	col := t.Columns[FieldAmount]
	return fmt.Sprintf("%s %q", ColumnLetter(col), oneLine(t.HeaderTexts[col]))
}

// Column gives the 1-based column of a field, 0 when the table has none.
func (t *Table) Column(f Field) int { return t.Columns[f] }

// Total is the sum of the readable lines, in pence.
func (t *Table) Total() int64 { return t.LinesTotal }

func (t *Table) extendSheet(r rowCells) {
	t.SheetLastRow = max(t.SheetLastRow, r.Row)
	t.SheetLastCol = max(t.SheetLastCol, r.lastCol())
}

// lastCol is the row's last cell, empty or not.
func (r rowCells) lastCol() int {
	if n := len(r.Cells); n > 0 {
		return max(r.LastCol, r.Cells[n-1].Col)
	}
	return r.LastCol
}

// tableOptions steer how a table is read.
type tableOptions struct {
	HeaderRow    int
	AmountColumn string
	KeepGoing    bool
	// calc computes a formula that has no cached value (xlsx only).
	calc func(ref string) (string, error)
	// visit receives each line as it is read.
	visit func(*Table, *CostLine) error
	// businessUnit is used for lines of a table with no business unit
	// column.
	businessUnit string
	// noTable, if set, hears why a sheet has no budget table.
	noTable  func(reason string)
	progress *Progress
}

// CellError is one cell that could not be read.
type CellError struct {
	Source Source
	Cell   string // A1 reference, or "column N" for CSV
	Value  string
	Reason string
}

func (e CellError) Error() string {
	where := e.Source.File
	if e.Source.Sheet != "" {
		where += fmt.Sprintf(": sheet %q", e.Source.Sheet)
	}
	return fmt.Sprintf("%s cell %s: %s", where, e.Cell, e.Reason)
}

// readTable reads one sheet: it finds the header among the first rows and
// turns every row below it into a cost line (handed to opt.visit) or an
// exclusion. It returns nil (and no error) when the sheet has no budget
// table.
func readTable(src Source, rows rowSource, opt tableOptions) (*Table, []CellError, error) {
	head, err := readHead(rows, opt.HeaderRow)
	if err != nil {
		return nil, nil, err
	}
	h, ok := detectHeader(head, opt.HeaderRow, opt.AmountColumn)
	if !ok {
		if opt.noTable != nil {
			opt.noTable(noHeaderReason(head, opt.HeaderRow, opt.AmountColumn))
		}
		return nil, nil, nil
	}
	t := &Table{
		Source:       Source{File: src.File, Sheet: src.Sheet, Row: h.Row},
		Columns:      h.Columns,
		HeaderTexts:  h.Texts,
		LastCol:      h.LastCol,
		LastValueCol: h.LastCol,
		LastRow:      h.Row,
		ToolColumns:  toolColumns(h.Texts),
		OtherAmounts: h.OtherAmounts,
		Thousands:    h.Thousands,
		UnitShift:    h.UnitShift,
		Explanation:  h.Explain(),
	}
	t.AnnotationCol = annotationFrom(t.ToolColumns)
	for _, r := range head {
		if r.Row == h.Row && t.AnnotationCol == 0 {
			t.LastCol = max(t.LastCol, r.lastCol()) // styled blanks in the header row
		}
	}
	b := tableBuilder{t: t, opt: opt, header: h, headings: map[string][]int{}, headingRaw: map[string]int{}}
	for i := range b.keys {
		b.keys[i] = map[string]*int64{}
	}
	b.lineTypeCols = h.LineTypeCols
	b.columnKinds()
	if err := b.linesAboveHeader(head); err != nil {
		return nil, nil, err
	}
	if staffing, why := isStaffingTable(head, h); staffing {
		t.LooksLikeStaffing = true
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s: this table looks like a staffing establishment (%s), not spend; it is the only table, so it is read as spend", t.Source, why))
	}
	for _, r := range head {
		t.extendSheet(r)
		if r.Row > h.Row {
			if err := b.add(r); err != nil {
				return nil, nil, err
			}
		}
	}
	for rows.Next() {
		r := rows.Row()
		t.extendSheet(r)
		if err := b.add(r); err != nil {
			return nil, nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if err := b.resolveHeld(); err != nil {
		return nil, nil, err
	}
	if err := b.checkSubtotals(); err != nil {
		return nil, nil, err
	}
	// Rows held back were filed last; a person reads them in row order.
	slices.SortStableFunc(t.Excluded, func(x, y Excluded) int { return x.Source.Row - y.Source.Row })
	b.filledWarnings()
	t.BlankRows = t.LastRow - t.Source.Row - t.Lines - len(t.Excluded)
	return t, b.errs, nil
}

// linesAboveHeader refuses a table whose header has rows above it that
// look like lines: an amount that is not zero and text in a column that
// says what a line is, by this header's columns or by those of a header
// above them (a second table whose header was chosen lower down). They
// would be left out without a word. With --header-row the choice is the
// user's, and they are pointed out instead.
func (b *tableBuilder) linesAboveHeader(head []rowCells) error {
	t := b.t
	above := 0
	for above < len(head) && head[above].Row < t.Source.Row {
		above++
	}
	if above == 0 {
		return nil
	}
	headers := []*header{b.header}
	if h, ok := detectHeader(head[:above], 0, ""); ok {
		headers = append(headers, h)
	}
	var rows []int
	example := ""
	for _, r := range head[:above] {
		for _, h := range headers {
			if r.Row > h.Row && looksLikeLine(r, h) {
				rows = append(rows, r.Row)
				if example == "" {
					example = rowLabel(r)
				}
				break
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	msg := fmt.Sprintf("above the header on row %d %s an amount and a label, as lines do (%q), and would be left out",
		t.Source.Row, plural(len(rows), "holds", "hold"), shortLabel(example))
	where := rowsPhrase(rows[:min(len(rows), maxNamedRows)], len(rows))
	if b.opt.HeaderRow > 0 {
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s %s; they are not read, as --header-row %d says", b.rowsWhere(rows[:min(len(rows), maxNamedRows)], len(rows)), msg, b.opt.HeaderRow))
		return nil
	}
	return fmt.Errorf("%s %s: give the header row of the table they belong to with --header-row, or move them below this header", where, msg)
}

// looksLikeLine reports whether a row, read under header h, holds an
// amount that is not zero and a label, and does not say total.
func looksLikeLine(r rowCells, h *header) bool {
	c, ok := r.at(h.Columns[FieldAmount])
	if !ok {
		return false
	}
	amount, err := h.readAmount(c.Value)
	if err != nil || amount == 0 || mentionsTotal(r) {
		return false
	}
	texts := 0
	for _, f := range labelFields {
		if r.text(h.Columns[f]) != "" {
			texts++
		}
	}
	for _, col := range h.LineTypeCols {
		if r.text(col) != "" {
			texts++
		}
	}
	// A title row may show a year over the amount column.
	year := amount%100 == 0 && amount >= 190000 && amount <= 210000
	return texts >= 2 || texts == 1 && !year
}

// readHead reads the rows a header is looked for in.
func readHead(rows rowSource, headerRow int) ([]rowCells, error) {
	var head []rowCells
	for len(head) < headerScanRows || (headerRow > 0 && (len(head) == 0 || head[len(head)-1].Row < headerRow)) {
		if !rows.Next() {
			break
		}
		r := rows.Row()
		r.Cells = slices.Clone(r.Cells)
		head = append(head, r)
	}
	return head, rows.Err()
}

type pendingSubtotal struct {
	index  int      // into t.Excluded
	ranges [][2]int // rows the formula sums, when it is a SUM or SUBTOTAL
	nested bool     // SUBTOTAL ignores nested subtotals; SUM counts them
	// cover is what a subtotal without a formula stands for, fixed when the
	// row is read: line index ranges, and a sum of lines it names by key;
	// known says whether that could be told.
	cover [][2]int
	keyed int64
	known bool
	row   int
}

// tableBuilder turns rows into lines and exclusions. To check subtotals
// without keeping the lines, it keeps each line's row and a running total
// (12 bytes a line), and for each cost centre, cost centre name and
// business unit the ranges of line indexes that have it.
type tableBuilder struct {
	t         *Table
	opt       tableOptions
	header    *header
	errs      []CellError
	subtotals []pendingSubtotal
	lastSub   int // line count at the previous subtotal
	lineRows  Chunks[int32]
	prefix    Chunks[int64] // item i is the total of lines before line i
	// keys holds, for cost centre, cost centre name and business unit, the
	// running total of each value's lines: what "Total HM101" is checked
	// against, whatever order the lines come in.
	keys    [3]map[string]*int64
	lastKey [3]lastKey
	line    CostLine

	// kinds says, by column, whether a total word there labels the row
	// (see totals.go); lineTypeCols are the line-type columns.
	kinds        []uint8
	lineTypeCols []int
	// headings holds each heading's text (normalised) and the line count
	// when it was read, so "Total - Planning" finds the lines under
	// "Planning"; lastHeading is the line count at the latest heading.
	headings    map[string][]int
	lastHeading int
	// headingRaw holds each heading's text as written, with the line
	// count when it was read: a row that repeats it may be its subtotal.
	headingRaw map[string]int
	// overflow is set when a subtotal's lines add up to more than can be
	// held: the table is refused.
	overflow bool
	// fill holds the labels being filled down (business unit, cost centre,
	// cost centre name); filled counts the lines given each.
	fill       [3]string
	filled     [3]int
	filledRows [3][]int // the first rows filled, to name them
	prevRow    int
	splits     [2]codeSplit
	// staffing is set once a staffing table starts below the budget
	// table: the rest of the sheet is not spend.
	staffing bool
	// slowCalcs counts formulas calculated by loading the whole workbook
	// (see calcWarning in formula.go).
	slowCalcs, slowCalcWarning int
	slowCalcFirst              string
	// absTotal adds up the lines' amounts regardless of sign (-1 once it
	// cannot be held): while it can be, no running total can wrap.
	absTotal int64
	// holding is set by total for a row that says total but equals no
	// lines above it; held are such rows, decided at the table's end, and
	// withdrawn those found to total the lines below them (see totals.go).
	holding   *heldRow
	held      []heldRow
	withdrawn []withdrawnLine
}

// labelFields are the columns whose text labels a line: a total word
// there says the row is a total (with evidence); in a payee or notes
// column it says nothing.
var labelFields = []Field{FieldBusinessUnit, FieldCostCentre, FieldCostCentreName, FieldNominal, FieldNominalName, FieldDescription, FieldLineType}

// lineType is the text of a row's line-type columns, joined with " | ".
func (b *tableBuilder) lineType(r rowCells) string {
	first := r.text(b.t.Columns[FieldLineType])
	if len(b.lineTypeCols) == 0 {
		return first
	}
	parts := make([]string, 0, 1+len(b.lineTypeCols))
	if first != "" {
		parts = append(parts, first)
	}
	for _, c := range b.lineTypeCols {
		if v := r.text(c); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " | ")
}

var totalWord = regexp.MustCompile(`(?i)\b(grand\s+total|sub-?\s?total|total)\b`)

// isToolColumn reports whether a column is one an earlier run added.
func isToolColumn(tools []ToolColumn, col int) bool {
	return slices.ContainsFunc(tools, func(t ToolColumn) bool { return t.Col == col })
}

// exclude files a row that is not a line.
func (b *tableBuilder) exclude(e Excluded) error {
	b.t.Excluded = append(b.t.Excluded, e)
	return nil
}

func (b *tableBuilder) add(r rowCells) error {
	t := b.t
	var review *LineReview
	if t.AnnotationCol > 0 {
		review = lineReview(r, t.ToolColumns)
		i := sort.Search(len(r.Cells), func(i int) bool { return r.Cells[i].Col >= t.AnnotationCol })
		r.Cells = r.Cells[:i]
		if slices.ContainsFunc(r.Cells, func(c cell) bool { return isToolColumn(t.ToolColumns, c.Col) }) {
			// An override column moved in among the data.
			r.Cells = slices.DeleteFunc(slices.Clone(r.Cells), func(c cell) bool { return isToolColumn(t.ToolColumns, c.Col) })
		}
	}
	if t.AnnotationCol > 0 {
		t.LastCol = max(t.LastCol, min(r.lastCol(), t.AnnotationCol-1))
	} else {
		t.LastCol = max(t.LastCol, r.lastCol())
	}
	if n := len(r.Cells); n > 0 {
		t.LastValueCol = max(t.LastValueCol, r.Cells[n-1].Col)
	}
	t.LastRow = max(t.LastRow, r.Row)
	src := Source{File: t.Source.File, Sheet: t.Source.Sheet, Row: r.Row}
	if r.Row > b.prevRow+1 && b.prevRow > 0 {
		b.resetFill() // a blank row between groups
	}
	b.prevRow = r.Row
	if r.blank() {
		b.resetFill()
		return nil
	}
	col := t.Columns
	if b.isRepeatedHeader(r) {
		return b.exclude(Excluded{Source: src, Reason: ReasonHeader, Label: rowLabel(r)})
	}
	if isExampleRow(r) { // a template's example (template.go)
		return b.exclude(Excluded{Source: src, Reason: ReasonExample, Label: rowLabel(r)})
	}
	amountCell, _ := r.at(col[FieldAmount])
	ref := func() string { return CellRef(col[FieldAmount], r.Row) }
	raw := amountCell.Value
	parse := b.header.readAmount
	if b.staffing || b.startsStaffing(r) {
		return b.exclude(Excluded{Source: src, Reason: ReasonStaffing, Label: rowLabel(r)})
	}
	// Subtotal and result rows: see totals.go.
	if done, err := b.total(r, src, amountCell, parse); done || err != nil {
		return err
	}
	hold := b.holding // a row that may total the lines below it
	b.holding = nil
	b.noteSheetRefs(amountCell, r.Row)
	if amountCell.HasFormula && !amountCell.HasValue {
		// Saved without its value: calculated (see formula.go).
		var ok bool
		if raw, ok = b.calcAmount(r, amountCell, src, ref()); !ok {
			return nil
		}
	}
	amount, amountErr := b.amountOf(amountCell, raw, parse)

	b.line = CostLine{
		Source:         src,
		BusinessUnit:   r.text(col[FieldBusinessUnit]),
		CostCentre:     r.text(col[FieldCostCentre]),
		CostCentreName: r.text(col[FieldCostCentreName]),
		Nominal:        r.text(col[FieldNominal]),
		NominalName:    r.text(col[FieldNominalName]),
		Description:    r.text(col[FieldDescription]),
		Payee:          r.text(col[FieldPayee]),
		LineType:       b.lineType(r),
		Amount:         amount,
		Review:         review,
	}
	line := &b.line
	b.splitCodes(line)
	hasCode := (line.CostCentre != "" || line.Nominal != "") && !headingAlone(r, raw)
	if amountErr == nil && amount == 0 && !hasCode {
		// A section heading, a note under the table, a line of dashes.
		label := rowLabel(r)
		b.noteHeading(r, label)
		b.startFill(r)
		return b.exclude(Excluded{Source: src, Reason: ReasonHeading, Label: label})
	}
	if hold != nil {
		b.startFill(r) // a total heads its group, if anything; it is in none
	} else {
		b.fillDown(line)
	}
	if col[FieldBusinessUnit] == 0 {
		line.BusinessUnit = b.opt.businessUnit
	}
	if amountErr != nil {
		if !b.opt.KeepGoing {
			b.errs = append(b.errs, CellError{src, ref(), raw, amountProblem(raw, amountErr)})
			return nil
		}
		line.Amount = 0
		line.Unreadable = raw
		t.Unreadable++
	}
	b.noteLine(line)
	if hold != nil {
		b.keep(hold, line) // visited, if it is a line, at the table's end
		return nil
	}
	if len(b.errs) > 0 || b.opt.visit == nil {
		return nil // the run will stop; no need to pass lines on
	}
	return b.opt.visit(t, line)
}

// headingAlone reports whether a row with no amount is one cell of words
// and no digits ("EXPENDITURE" in the cost centre column): a heading, not
// a code.
func headingAlone(r rowCells, raw string) bool {
	if strings.TrimSpace(raw) != "" || len(r.Cells) == 0 {
		return false
	}
	text := ""
	for _, c := range r.Cells {
		if v := strings.TrimSpace(c.Value); v != "" || c.HasFormula {
			if text != "" || c.HasFormula {
				return false
			}
			text = v
		}
	}
	return !strings.ContainsAny(text, "0123456789")
}

// noteLine records what checking subtotals needs of a line.
func (b *tableBuilder) noteLine(l *CostLine) {
	t := b.t
	t.Lines++
	if b.opt.progress != nil {
		b.opt.progress.lines.Add(1)
	}
	if !b.checkAmount(l) {
		return // the table is refused
	}
	t.LinesTotal += l.Amount
	if b.prefix.Len() == 0 {
		b.prefix.Add(0)
	}
	b.lineRows.Add(int32(l.Source.Row))
	b.prefix.Add(b.prefix.Last() + l.Amount)
	for j, v := range [3]string{l.CostCentre, l.CostCentreName, l.BusinessUnit} {
		if v == "" {
			continue
		}
		// Keyed by the value as written, so a line costs at most a map
		// lookup and no allocation; labels match keys in any case later.
		last := &b.lastKey[j]
		if last.sum == nil || last.raw != v {
			if saysTotal(v) {
				continue // a total's label is no group
			}
			p, ok := b.keys[j][v]
			if !ok {
				p = new(int64)
				b.keys[j][strings.Clone(v)] = p
			}
			*last = lastKey{raw: v, sum: p}
		}
		if s, ok := addPence(*last.sum, l.Amount); ok {
			*last.sum = s
		} else {
			b.overflow = true // refused in checkSubtotals
		}
	}
}

// lastKey remembers the previous line's value of a key, and its total.
type lastKey struct {
	raw string
	sum *int64
}

func (b *tableBuilder) isRepeatedHeader(r rowCells) bool {
	// Cheap first: a repeated header repeats the amount column's header.
	amountCol := b.t.Columns[FieldAmount]
	if !strings.EqualFold(r.text(amountCol), b.header.Texts[amountCol]) {
		return false
	}
	same := 0
	for col, text := range b.header.Texts {
		if strings.EqualFold(r.text(col), text) {
			same++
		}
	}
	return same >= 3 && same*2 > len(b.header.Texts)
}

// mentionsTotal reports whether any cell of a row has "total" in it, in
// any case, without allocating.
func mentionsTotal(r rowCells) bool {
	for _, c := range r.Cells {
		if hasTotal(c.Value) {
			return true
		}
	}
	return false
}

// hasTotal reports whether v has "total" in it, in any ASCII case. It
// looks at the byte where a "total" would end: unless that byte is one of
// t, o, a, l, no "total" holds it, and the search moves on five bytes;
// otherwise it moves on as far as the nearest place that letter has in
// "total" allows (Horspool's search).
func hasTotal(v string) bool {
	for i := 4; i < len(v); {
		switch v[i] | 0x20 {
		case 'l':
			if v[i-4]|0x20 == 't' && v[i-3]|0x20 == 'o' && v[i-2]|0x20 == 't' && v[i-1]|0x20 == 'a' {
				return true
			}
			i += 5
		case 'a':
			i++
		case 't':
			i += 2
		case 'o':
			i += 3
		default:
			i += 5
		}
	}
	return false
}

// rowLabel is the text a person would use to recognise a row: its text
// cells joined.
func rowLabel(r rowCells) string {
	var parts []string
	for _, c := range r.Cells {
		v := strings.TrimSpace(c.Value)
		if v == "" || c.HasFormula {
			continue
		}
		if _, err := ParsePence(v); err == nil {
			continue
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

var (
	sumCall  = regexp.MustCompile(`(?i)^\s*=?\s*(?:_xlfn\.)?(SUM|SUBTOTAL)\s*\(`)
	rangeRef = regexp.MustCompile(`(?i)(?:^|[^A-Z0-9_!.])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?`)
)

// sumRanges reads a SUM(...) or SUBTOTAL(9,...) formula whose references all
// lie in the amount column and returns the row ranges it adds up. ignores
// reports SUBTOTAL, which skips nested subtotals.
func sumRanges(formula string, amountCol int) (ranges [][2]int, ok bool, ignoresNested bool) {
	if formula == "" {
		return nil, false, false
	}
	m := sumCall.FindStringSubmatch(formula)
	if m == nil || strings.Contains(formula, "!") {
		return nil, false, false
	}
	body := formula[len(m[0]):]
	if strings.EqualFold(m[1], "SUBTOTAL") {
		fn, rest, found := strings.Cut(body, ",")
		fn = strings.TrimSpace(fn)
		if !found || (fn != "9" && fn != "109") {
			return nil, false, false
		}
		body, ignoresNested = rest, true
	}
	for _, r := range rangeRef.FindAllStringSubmatch(body, -1) {
		c1, err := columnNumber(r[1])
		if err != nil || c1 != amountCol {
			return nil, false, false
		}
		lo := atoiSafe(r[2])
		hi := lo
		if r[3] != "" {
			c2, err := columnNumber(r[3])
			if err != nil || c2 != amountCol {
				return nil, false, false
			}
			hi = atoiSafe(r[4])
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		ranges = append(ranges, [2]int{lo, hi})
	}
	return ranges, len(ranges) > 0, ignoresNested
}

func atoiSafe(s string) int {
	n := 0
	for i := 0; i < len(s) && n < 1<<30; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// checkSubtotals compares each subtotal row with the lines it totals, where
// that can be told: the rows its SUM formula covers, or what its label
// named when it was read (see totals.go). Coverage is kept as ranges of
// line indexes, so a SUM of subtotals stands for their lines. A total
// that cannot be held is an error, never a wrapped number.
func (b *tableBuilder) checkSubtotals() error {
	t := b.t
	tooLarge := func(e *Excluded) error {
		return fmt.Errorf("row %d: the lines that %q totals add up to a sum too large to hold; check the amounts above it", e.Source.Row, e.Label)
	}
	if b.overflow {
		return fmt.Errorf("the lines of one cost centre or business unit add up to a sum too large to hold; check the amounts")
	}
	lineIndex := b.lineIndex
	// What each subtotal stands for: line index ranges, and the lines it
	// names by key, as a sum.
	type covered struct {
		ranges [][2]int
		keyed  int64
	}
	covers := map[int]covered{} // subtotal row → what it stands for
	for _, s := range b.subtotals {
		e := &t.Excluded[s.index]
		cov, keyed := s.cover, s.keyed
		if len(s.ranges) > 0 {
			cov, keyed = nil, 0
			for _, r := range s.ranges {
				lo, hi := lineIndex(r[0]), lineIndex(r[1]+1)-1
				hasLines := lo <= hi
				if hasLines {
					cov = append(cov, [2]int{lo, hi})
				}
				if !s.nested {
					continue
				}
				// A SUM over nested subtotals stands for what they stand for.
				// A subtotal known only by its total (a typed "Total HM1")
				// adds that total only where the range holds no lines: where
				// it does, they are its lines, counted once already.
				for row, inner := range covers {
					if row >= r[0] && row <= r[1] {
						cov = append(cov, inner.ranges...)
						if !hasLines {
							var ok bool
							if keyed, ok = addPence(keyed, inner.keyed); !ok {
								return tooLarge(e)
							}
						}
					}
				}
			}
			e.Check = "the rows its formula sums"
		} else if !s.known {
			if e.Check == "" {
				e.Check = "cannot tell which lines it totals"
			}
			if e.Result {
				e.Check = "a result row; " + e.Check
			}
			continue
		}
		cov = mergeRanges(cov)
		covers[s.row] = covered{cov, keyed}
		sum, ok := b.sum(coverage{ranges: cov, keyed: keyed})
		if !ok {
			return tooLarge(e)
		}
		e.Checked, e.Expected = true, sum
		if e.NoValue {
			e.Amount = sum // nothing saved to compare: its lines' total stands
		}
		if e.Result {
			e.Check = "a result row: " + e.Check
		}
	}
	return nil
}

// lineIndex is the index of the first line at or after row.
func (b *tableBuilder) lineIndex(row int) int {
	return sort.Search(b.lineRows.Len(), func(i int) bool { return int(b.lineRows.At(i)) >= row })
}

func mergeRanges(rs [][2]int) [][2]int {
	if len(rs) == 0 {
		return rs
	}
	slices.SortFunc(rs, func(a, b [2]int) int { return a[0] - b[0] })
	out := [][2]int{rs[0]}
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r[0] <= last[1]+1 {
			last[1] = max(last[1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}
