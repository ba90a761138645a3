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
}

// rowCells is one row of a sheet or CSV file, cells in column order.
type rowCells struct {
	Row   int
	Cells []cell
}

func (r rowCells) at(col int) (cell, bool) {
	if col <= 0 {
		return cell{}, false
	}
	i := sort.Search(len(r.Cells), func(i int) bool { return r.Cells[i].Col >= col })
	if i < len(r.Cells) && r.Cells[i].Col == col {
		return r.Cells[i], true
	}
	return cell{}, false
}

func (r rowCells) text(col int) string {
	c, _ := r.at(col)
	return strings.TrimSpace(c.Value)
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
}

// Agrees reports whether a checked subtotal equals the lines it totals.
func (e Excluded) Agrees() bool { return e.Checked && e.Expected == e.Amount }

// Table is one budget table: a header row and the rows below it.
type Table struct {
	Source      Source // the header row
	Columns     [numFields]int
	HeaderTexts map[int]string
	LastCol     int // the table's last column (header or data)
	LastRow     int
	// OtherAmounts are amount columns found but not chosen: a person should
	// know which one was read.
	OtherAmounts []string
	// Thousands is set when amounts are in thousands of pounds ("£000").
	Thousands bool
	// SheetLastRow and SheetLastCol bound every cell of the sheet, inside
	// the table or not.
	SheetLastRow, SheetLastCol int
	// AnnotationCol is the first of the columns an earlier run of purpose
	// added, 0 if there are none. Cells from there on are not read.
	AnnotationCol int
	Lines         []CostLine
	Excluded      []Excluded
	BlankRows     int // rows between the header and LastRow with nothing in them
}

// AmountHeader is the amount column's letter and header text.
func (t *Table) AmountHeader() string {
	col := t.Columns[FieldAmount]
	return fmt.Sprintf("%s %q", ColumnLetter(col), t.HeaderTexts[col])
}

// Column gives the 1-based column of a field, 0 when the table has none.
func (t *Table) Column(f Field) int { return t.Columns[f] }

// Total is the sum of the readable lines, in pence.
func (t *Table) Total() int64 {
	var s int64
	for _, l := range t.Lines {
		if l.Unreadable == "" {
			s += l.Amount
		}
	}
	return s
}

func (t *Table) extendSheet(r rowCells) {
	t.SheetLastRow = max(t.SheetLastRow, r.Row)
	if n := len(r.Cells); n > 0 {
		t.SheetLastCol = max(t.SheetLastCol, r.Cells[n-1].Col)
	}
}

// tableOptions steer how a table is read.
type tableOptions struct {
	HeaderRow    int
	AmountColumn string
	KeepGoing    bool
	// BusinessUnit is used for every line when the table has no business
	// unit column.
	BusinessUnit string
	// calc computes a formula that has no cached value (xlsx only).
	calc func(ref string) (string, error)
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
// turns every row below it into a cost line or an exclusion. It returns nil
// (and no error) when the sheet has no budget table.
func readTable(src Source, rows rowSource, opt tableOptions) (*Table, []CellError, error) {
	var head []rowCells
	for len(head) < headerScanRows || (opt.HeaderRow > 0 && (len(head) == 0 || head[len(head)-1].Row < opt.HeaderRow)) {
		if !rows.Next() {
			break
		}
		r := rows.Row()
		r.Cells = slices.Clone(r.Cells)
		head = append(head, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	h, ok := detectHeader(head, opt.HeaderRow, opt.AmountColumn)
	if !ok {
		return nil, nil, nil
	}
	t := &Table{
		Source:        Source{File: src.File, Sheet: src.Sheet, Row: h.Row},
		Columns:       h.Columns,
		HeaderTexts:   h.Texts,
		LastCol:       h.LastCol,
		LastRow:       h.Row,
		AnnotationCol: annotationStart(h),
		OtherAmounts:  h.OtherAmounts,
		Thousands:     h.Thousands,
	}
	b := tableBuilder{t: t, opt: opt, header: h}
	for _, r := range head {
		t.extendSheet(r)
		if r.Row > h.Row {
			b.add(r)
		}
	}
	for rows.Next() {
		r := rows.Row()
		t.extendSheet(r)
		b.add(r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	b.checkSubtotals()
	t.BlankRows = t.LastRow - t.Source.Row - len(t.Lines) - len(t.Excluded)
	return t, b.errs, nil
}

type pendingSubtotal struct {
	index  int      // into t.Excluded
	ranges [][2]int // rows the formula sums, when it is a SUM or SUBTOTAL
	nested bool     // SUBTOTAL ignores nested subtotals; SUM counts them
	label  string   // the text left once "total" is taken out
	after  int      // the row of the previous subtotal
	row    int
}

type tableBuilder struct {
	t         *Table
	opt       tableOptions
	header    *header
	errs      []CellError
	subtotals []pendingSubtotal
	lastSub   int
}

var totalWord = regexp.MustCompile(`(?i)\b(grand\s+total|sub-?\s?total|total)\b`)

// annotationStart finds the columns an earlier run added at the end of a
// header.
func annotationStart(h *header) int {
	first := h.LastCol - len(AnnotationHeaders) + 1
	if first < 1 {
		return 0
	}
	for i, name := range AnnotationHeaders {
		if h.Texts[first+i] != name {
			return 0
		}
	}
	return first
}

func (b *tableBuilder) add(r rowCells) {
	t := b.t
	if t.AnnotationCol > 0 {
		i := sort.Search(len(r.Cells), func(i int) bool { return r.Cells[i].Col >= t.AnnotationCol })
		r.Cells = r.Cells[:i]
	}
	for _, c := range r.Cells {
		t.LastCol = max(t.LastCol, c.Col)
	}
	t.LastRow = max(t.LastRow, r.Row)
	src := Source{File: t.Source.File, Sheet: t.Source.Sheet, Row: r.Row}
	if r.blank() {
		return
	}
	col := t.Columns
	if b.isRepeatedHeader(r) {
		t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonHeader, Label: rowLabel(r)})
		return
	}
	amountCell, _ := r.at(col[FieldAmount])
	ref := CellRef(col[FieldAmount], r.Row)
	raw := amountCell.Value
	if amountCell.HasFormula && !amountCell.HasValue {
		if b.opt.calc == nil {
			b.errs = append(b.errs, CellError{src, ref, "", fmt.Sprintf("formula =%s has no saved value; open the file in Excel and save it, so its results are stored", amountCell.Formula)})
			return
		}
		v, err := b.opt.calc(ref)
		if err != nil {
			b.errs = append(b.errs, CellError{src, ref, "", fmt.Sprintf("formula =%s has no saved value and could not be calculated (%v); open the file in Excel and save it", amountCell.Formula, err)})
			return
		}
		raw = v
	}
	parse := ParsePence
	if t.Thousands {
		parse = ParseThousandsPence
	}
	amount, amountErr := parse(raw)
	label := rowLabel(r)

	// Subtotal rows: a SUM/SUBTOTAL over the amount column, or a "total"
	// label on a row that has no nominal code.
	ranges, isSumFormula, nestedIgnored := sumRanges(amountCell.Formula, col[FieldAmount])
	hasTotalWord := totalWord.MatchString(label)
	if (isSumFormula && (hasTotalWord || r.text(col[FieldNominal]) == "" || col[FieldNominal] == 0)) ||
		(hasTotalWord && (col[FieldNominal] == 0 || r.text(col[FieldNominal]) == "") && (col[FieldNominal] > 0 || r.text(col[FieldCostCentre]) == "" || strings.Contains(strings.ToLower(r.text(col[FieldCostCentre])), "total"))) {
		if amountErr != nil {
			b.errs = append(b.errs, CellError{src, ref, raw, fmt.Sprintf("%q is not an amount", raw)})
			return
		}
		t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonSubtotal, Label: label, Amount: amount})
		b.subtotals = append(b.subtotals, pendingSubtotal{
			index: len(t.Excluded) - 1, ranges: ranges, nested: !nestedIgnored,
			label: strings.TrimSpace(totalWord.ReplaceAllString(label, " ")), after: b.lastSub, row: r.Row,
		})
		b.lastSub = r.Row
		return
	}

	line := CostLine{
		Source:         src,
		BusinessUnit:   r.text(col[FieldBusinessUnit]),
		CostCentre:     r.text(col[FieldCostCentre]),
		CostCentreName: r.text(col[FieldCostCentreName]),
		Nominal:        r.text(col[FieldNominal]),
		NominalName:    r.text(col[FieldNominalName]),
		Description:    r.text(col[FieldDescription]),
		Amount:         amount,
	}
	if col[FieldBusinessUnit] == 0 {
		line.BusinessUnit = b.opt.BusinessUnit
	}
	hasCode := line.CostCentre != "" || line.Nominal != ""
	if amountErr != nil {
		if !b.opt.KeepGoing {
			b.errs = append(b.errs, CellError{src, ref, raw, fmt.Sprintf("%q is not an amount", raw)})
			return
		}
		line.Amount = 0
		line.Unreadable = raw
		t.Lines = append(t.Lines, line)
		return
	}
	if amount == 0 && !hasCode {
		// A section heading, a note under the table, a line of dashes.
		t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonHeading, Label: label})
		return
	}
	t.Lines = append(t.Lines, line)
}

func (b *tableBuilder) isRepeatedHeader(r rowCells) bool {
	same := 0
	for col, text := range b.header.Texts {
		if strings.EqualFold(r.text(col), text) {
			same++
		}
	}
	return same >= 3 && same*2 > len(b.header.Texts)
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
// that can be told: the rows its SUM formula covers, the lines of the cost
// centre or business unit its label names, the whole table for a grand
// total, or else the lines since the previous subtotal.
func (b *tableBuilder) checkSubtotals() {
	t := b.t
	lineRows := make([]int, len(t.Lines)) // Lines are in row order
	prefix := make([]int64, len(t.Lines)+1)
	for i, l := range t.Lines {
		lineRows[i] = l.Source.Row
		prefix[i+1] = prefix[i] + l.Amount
	}
	sumRows := func(lo, hi int) int64 {
		i := sort.SearchInts(lineRows, lo)
		j := sort.SearchInts(lineRows, hi+1)
		return prefix[j] - prefix[i]
	}
	// coverage: the row ranges of detail lines each subtotal stands for.
	coverage := map[int][][2]int{}
	for _, s := range b.subtotals {
		e := &t.Excluded[s.index]
		var cov [][2]int
		switch {
		case len(s.ranges) > 0:
			for _, r := range s.ranges {
				cov = append(cov, r)
				if !s.nested {
					continue
				}
				// A SUM over nested subtotals stands for what they stand for.
				for row, inner := range coverage {
					if row >= r[0] && row <= r[1] {
						cov = append(cov, inner...)
					}
				}
			}
			e.Check = "the rows its formula sums"
		default:
			cov = b.labelCoverage(s)
			if cov == nil {
				e.Check = "cannot tell which lines it totals"
				continue
			}
		}
		cov = mergeRanges(cov)
		coverage[s.row] = cov
		var sum int64
		for _, r := range cov {
			sum += sumRows(r[0], r[1])
		}
		e.Checked, e.Expected = true, sum
	}
}

// labelCoverage finds the lines a subtotal's label names.
func (b *tableBuilder) labelCoverage(s pendingSubtotal) [][2]int {
	t := b.t
	e := &t.Excluded[s.index]
	key := strings.ToLower(strings.TrimSpace(s.label))
	if key == "" || strings.HasPrefix(strings.ToLower(e.Label), "grand") {
		e.Check = "the lines above it"
		return rowsWhere(t.Lines, s.row, func(CostLine) bool { return true })
	}
	for _, f := range []struct {
		name string
		get  func(CostLine) string
	}{
		{"cost centre", func(l CostLine) string { return l.CostCentre }},
		{"cost centre", func(l CostLine) string { return l.CostCentreName }},
		{"business unit", func(l CostLine) string { return l.BusinessUnit }},
	} {
		match := func(l CostLine) bool {
			v := strings.ToLower(f.get(l))
			return v != "" && (v == key || strings.Fields(key)[0] == v)
		}
		if r := rowsWhere(t.Lines, s.row, match); r != nil {
			e.Check = fmt.Sprintf("the lines of %s %q above it", f.name, s.label)
			return r
		}
	}
	e.Check = "the lines since the previous subtotal"
	return [][2]int{{s.after + 1, s.row - 1}}
}

func rowsWhere(lines []CostLine, before int, keep func(CostLine) bool) [][2]int {
	var out [][2]int
	for _, l := range lines {
		if l.Source.Row >= before || !keep(l) {
			continue
		}
		out = append(out, [2]int{l.Source.Row, l.Source.Row})
	}
	return out
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
