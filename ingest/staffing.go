package ingest

// Staffing establishments: a table of posts (post id, job title, team,
// business unit, cost centre, FTE, salary, on-costs, vacant, grade,
// spinal point, time-split columns), on a sheet of the budget workbook or
// in a workbook or CSV file of its own. Header detection is in
// staffheader.go; this file reads the rows below the header into [Post]
// records, with the same rules as budget lines: amounts in integer pence,
// FTE and shares exact, every record with its Source, and every cell that
// cannot be read an error naming it (a blank cost is never £0).

import (
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// ErrNoStaffTable is returned when a staffing file holds no table of posts.
var ErrNoStaffTable = errors.New("no staffing table found")

// StaffTable is one staffing establishment as read: its posts, in the
// order their first rows appear, and the rows that were not posts.
type StaffTable struct {
	Source      Source // the header row
	Columns     [numStaffFields]int
	HeaderTexts map[int]string
	Posts       []Post
	Excluded    []Excluded
	// Warnings are things a person should check (rows filled down, rows of
	// one post that disagree).
	Warnings []string
	// Explanation says which row was read as the header and which columns.
	Explanation string
	// Errors are the cells that could not be read, for a staffing sheet
	// found in a budget workbook (the budget is read without it; a caller
	// that uses its posts must refuse them while there are errors, as
	// their posts are incomplete). ReadStaffing returns them as an
	// *InputError instead.
	Errors []CellError
}

// Column is the 1-based column of a staffing field, 0 if the table has none.
func (t *StaffTable) Column(f StaffField) int { return t.Columns[f] }

// StaffBook is a staffing file read on its own (ReadStaffing).
type StaffBook struct {
	Path      string
	Format    string
	SHA256    string
	Tables    []*StaffTable
	PayScales []PayScaleRow // a "Pay scales" sheet, if the workbook has one
	Skipped   []SkippedSheet
	Warnings  []string
	Notes     []string
	// CSV holds a CSV file's dialect, so an annotated workbook can show
	// its records (see Book.CSV).
	CSV *CSVData
}

// Posts are every table's posts, table by table.
func (b *StaffBook) Posts() []Post {
	var out []Post
	for _, t := range b.Tables {
		out = append(out, t.Posts...)
	}
	return out
}

// payScaleSheet names a sheet of pay scales: "Pay scales", "Pay spine",
// "Salary scales".
var payScaleSheet = regexp.MustCompile(`(?i)^\s*(pay|salary)\s+(scales?|spines?|points?)\s*$`)

// IsPayScaleSheet reports whether a sheet's name says it holds pay scales.
func IsPayScaleSheet(name string) bool { return payScaleSheet.MatchString(name) }

// ReadStaffing reads a staffing establishment from an .xlsx, .xlsm or .csv
// file of its own: every visible sheet with a table of posts (opt.Sheets
// chooses), and a "Pay scales" sheet. It returns an *InputError listing
// every cell that could not be read.
func ReadStaffing(path string, opt Options) (*StaffBook, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrEmpty)
	}
	hash := hashAside(path, opt.SHA256)
	b := &StaffBook{Path: path}
	var cellErrs []CellError
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".xlsx", ".xlsm":
		b.Format = ext[1:]
		wb, kinds, err := openWorkbook(path) // a damaged string table is named, not "no staffing table"
		if err != nil {
			return nil, err
		}
		defer wb.Close()
		for _, s := range wb.Sheets() {
			chosen := len(opt.Sheets) == 0 || slices.ContainsFunc(opt.Sheets, func(n string) bool { return strings.EqualFold(n, s.Name) })
			if !chosen || s.State != "visible" && len(opt.Sheets) == 0 {
				continue
			}
			rows, err := wb.Rows(s.Name)
			if err != nil {
				continue
			}
			src := Source{File: path, Sheet: s.Name}
			sr := &sheetRows{rows: rows, kinds: kinds}
			if IsPayScaleSheet(s.Name) {
				ps, errs, err := readPayScales(src, sr)
				rows.Close()
				if err != nil {
					return nil, fmt.Errorf("%s: sheet %q: %w", path, s.Name, err)
				}
				cellErrs = append(cellErrs, errs...)
				b.PayScales = append(b.PayScales, ps...)
				continue
			}
			t, errs, err := readStaffTable(src, sr)
			rows.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: sheet %q: %w", path, s.Name, err)
			}
			if t == nil {
				b.Skipped = append(b.Skipped, SkippedSheet{s.Name, "no staffing table"})
				continue
			}
			cellErrs = append(cellErrs, errs...)
			b.Tables = append(b.Tables, t)
		}
	case ".csv", ".txt":
		b.Format = "csv"
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		d, err := sniffCSV(data[:min(len(data), csvHead)])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		recs, err := newCSVRecords(d, d.decoder(strings.NewReader(string(data))))
		if err != nil {
			return nil, err
		}
		b.CSV = d
		t, errs, err := readStaffTable(Source{File: path}, &csvRows{recs: recs})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		cellErrs = append(cellErrs, errs...)
		if t != nil {
			b.Tables = append(b.Tables, t)
		}
	default:
		return nil, fmt.Errorf("%s: %w %q: give an .xlsx, .xlsm or .csv file", path, ErrUnsupported, ext)
	}
	if len(cellErrs) > 0 {
		return nil, &InputError{File: path, Cells: cellErrs}
	}
	if len(b.Tables) == 0 {
		return nil, fmt.Errorf("%s: %w: no row in the first %d rows names a post (post id or job title), its FTE and a salary, cost, grade or spinal point", path, ErrNoStaffTable, headerScanRows)
	}
	for _, t := range b.Tables {
		b.Notes = append(b.Notes, t.where()+": "+t.Explanation)
		b.Warnings = append(b.Warnings, t.Warnings...)
	}
	if b.SHA256, err = hash(); err != nil {
		return nil, err
	}
	return b, nil
}

func (t *StaffTable) where() string {
	if t.Source.Sheet == "" {
		return t.Source.File
	}
	return fmt.Sprintf("%s: sheet %q", t.Source.File, t.Source.Sheet)
}

// readStaffTable reads one sheet's table of posts, or returns nil (and no
// error) when the sheet has none.
func readStaffTable(src Source, rows rowSource) (*StaffTable, []CellError, error) {
	head, err := readHead(rows, 0)
	if err != nil {
		return nil, nil, err
	}
	h, ok := detectStaffHeader(head)
	if !ok {
		return nil, nil, nil
	}
	t := &StaffTable{Source: Source{File: src.File, Sheet: src.Sheet, Row: h.Row}, Columns: h.Columns, HeaderTexts: h.Texts, Explanation: h.Explain()}
	if len(h.OtherCosts) > 0 {
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s: post costs read from column %q; also found %s", t.where(), oneLine(h.Texts[h.Columns[StaffCost]]), quoteList(h.OtherCosts)))
	}
	r := newStaffReader(t, h)
	// A percentage column holds fractions (0.2, as Excel stores 20%) or
	// points (20): whichever its first rows show.
	for _, col := range append(slices.Clone(h.OnCostRates), splitCols(h)...) {
		for _, row := range head {
			if row.Row <= h.Row {
				continue
			}
			if v := strings.TrimSpace(row.text(col)); v != "" && !strings.Contains(v, "%") {
				if x, ok := new(big.Rat).SetString(strings.ReplaceAll(v, ",", "")); ok && x.Cmp(big.NewRat(1, 1)) > 0 {
					r.percentCols[col] = true
				}
			}
		}
	}
	for _, row := range head {
		if row.Row > h.Row {
			r.add(row)
		}
	}
	for rows.Next() {
		r.add(rows.Row())
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	r.finish()
	return t, r.errs, nil
}

func newStaffReader(t *StaffTable, h *staffHeader) *staffReader {
	r := &staffReader{t: t, h: h, byID: map[string]int{}, percentCols: map[int]bool{}, overrides: staffOverrideColumns(h.Texts), shifts: map[int]int{}}
	for col, text := range h.Texts {
		r.heads = append(r.heads, headCell{col, text})
	}
	for _, col := range append([]int{h.Columns[StaffSalary], h.Columns[StaffPay], h.Columns[StaffCost]}, h.OnCosts...) {
		if col > 0 {
			r.shifts[col] = analyseHeader(h.Texts[col]).shift
		}
	}
	return r
}

func splitCols(h *staffHeader) []int {
	var out []int
	for _, s := range h.Splits {
		out = append(out, s.col)
	}
	return out
}

type staffReader struct {
	t           *StaffTable
	h           *staffHeader
	errs        []CellError
	byID        map[string]int // post id (lower case) → index of its post (post)
	percentCols map[int]bool   // percentage columns holding points (20), not fractions (0.2)
	fill        [3]string      // cost centre, business unit, team filled down
	filled      []int          // rows filled down
	disagree    []string
	// overrides are the override columns of a staffing table purpose
	// annotated before (see staffOverrideColumns).
	overrides []ToolColumn
	heads     []headCell  // the header's cells (h.Texts), for isHeader
	shifts    map[int]int // a money column's unit, as its heading says (analyseHeader)
	// posts are the posts read, in blocks of postBlock, put together into
	// t.Posts by finish: growing one slice of them would copy each many
	// times (20 ms of the 80 taken by 20,000 posts).
	posts [][]Post
}

type headCell struct {
	col  int
	text string
}

// postBlock is how many posts a block of staffReader.posts holds.
const postBlock = 1024

// post is the i-th post read.
func (r *staffReader) post(i int) *Post { return &r.posts[i/postBlock][i%postBlock] }

// appendPost adds a post after those read, and returns its index.
func (r *staffReader) appendPost(p Post) int {
	if n := len(r.posts); n == 0 || len(r.posts[n-1]) == postBlock {
		r.posts = append(r.posts, make([]Post, 0, postBlock))
	}
	last := &r.posts[len(r.posts)-1]
	*last = append(*last, p)
	return (len(r.posts)-1)*postBlock + len(*last) - 1
}

func (r *staffReader) bad(row, col int, value, reason string) {
	r.errs = append(r.errs, CellError{Source: Source{File: r.t.Source.File, Sheet: r.t.Source.Sheet, Row: row}, Cell: CellRef(col, row), Value: value, Reason: reason})
}

// value is a cell's text; a formula saved without its value is an error.
func (r *staffReader) value(row rowCells, col int) (string, bool) {
	if col == 0 {
		return "", true
	}
	c, ok := row.at(col)
	if !ok {
		return "", true
	}
	if c.HasFormula && !c.HasValue {
		r.bad(row.Row, col, "", fmt.Sprintf("the formula %q was saved without its value: open the file in Excel and save it", c.Formula))
		return "", false
	}
	return strings.TrimSpace(c.Value), true
}

func (r *staffReader) add(row rowCells) {
	if row.blank() {
		return
	}
	h, t := r.h, r.t
	src := Source{File: t.Source.File, Sheet: t.Source.Sheet, Row: row.Row}
	if r.isHeader(row) {
		t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonHeader, Label: rowLabel(row)})
		return
	}
	if isExampleRow(row) { // a template's example (template.go)
		t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonExample, Label: rowLabel(row)})
		return
	}
	text := func(f StaffField) string {
		v, _ := r.value(row, h.Columns[f])
		return v
	}
	id, title := text(StaffPostID), text(StaffJobTitle)
	if id == "" && title == "" {
		label := rowLabel(row)
		switch {
		case regexp.MustCompile(`(?i)\btotals?\b`).MatchString(label):
			t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonSubtotal, Label: label})
		case r.hasFigures(row):
			col := max(h.Columns[StaffJobTitle], h.Columns[StaffPostID])
			r.bad(row.Row, col, "", "this row has figures but no post id or job title: give the post, or delete the row if it is a total")
		default:
			t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonHeading, Label: label})
		}
		return
	}
	ho := Holder{Source: src, Name: text(StaffName), Grade: text(StaffGrade), SpinalPoint: text(StaffSpinalPoint)}
	bad := len(r.errs)
	// FTE: required, exact.
	if col := h.Columns[StaffFTE]; col > 0 {
		v, _ := r.value(row, col)
		switch n, err := parseScaled(v, FTEUnit); {
		case v == "":
			r.bad(row.Row, col, v, "FTE is blank: give the post's FTE (0 for a post with no hours)")
		case err != nil:
			r.bad(row.Row, col, v, fmt.Sprintf("%q is not an FTE", v))
		case n < 0:
			r.bad(row.Row, col, v, fmt.Sprintf("FTE %s is negative", v))
		default:
			ho.FTE = n
		}
	}
	money := func(f StaffField, dst *int64, has *bool) {
		col := h.Columns[f]
		if col == 0 {
			return
		}
		v, _ := r.value(row, col)
		if v == "" || v == "-" {
			return
		}
		n, err := parseAmount(v, r.shifts[col])
		switch {
		case err != nil:
			r.bad(row.Row, col, v, amountProblem(v, err))
		case n < 0:
			r.bad(row.Row, col, v, fmt.Sprintf("%s is negative: a post costs something or nothing", v))
		default:
			*dst, *has = n, true
		}
	}
	money(StaffSalary, &ho.Salary, &ho.HasSalary)
	money(StaffPay, &ho.Pay, &ho.HasPay)
	money(StaffCost, &ho.Cost, &ho.HasCost)
	for _, col := range h.OnCosts {
		v, _ := r.value(row, col)
		if v == "" {
			continue
		}
		n, err := parseAmount(v, r.shifts[col])
		if err != nil || n < 0 {
			r.bad(row.Row, col, v, fmt.Sprintf("%q is not an on-cost amount", v))
			continue
		}
		ho.OnCost += n
		ho.HasOnCost = true
	}
	for _, col := range h.OnCostRates {
		v, _ := r.value(row, col)
		if v == "" {
			continue
		}
		n, err := r.share(v, col)
		if err != nil {
			r.bad(row.Row, col, v, "on-cost rate "+err.Error())
			continue
		}
		ho.OnCostRate += n
		ho.HasOnCostRate = true
	}
	if col := h.Columns[StaffVacant]; col > 0 {
		v, _ := r.value(row, col)
		switch strings.ToLower(strings.Trim(v, " .")) {
		case "yes", "y", "true", "1", "vacant", "vacancy", "v":
			ho.Vacant = true
		case "no", "n", "false", "0", "filled", "occupied", "in post", "":
			ho.Vacant = h.Columns[StaffName] > 0 && vacantName(ho.Name)
		default:
			r.bad(row.Row, col, v, fmt.Sprintf("%q: say whether the post is vacant with yes or no", v))
		}
	} else if h.Columns[StaffName] > 0 {
		ho.Vacant = vacantName(ho.Name)
	}
	var splits []TimeSplit
	for _, sc := range h.Splits {
		v, _ := r.value(row, sc.col)
		if v == "" || v == "-" {
			continue
		}
		n, err := r.share(v, sc.col)
		if err != nil {
			r.bad(row.Row, sc.col, v, "time share "+err.Error())
			continue
		}
		splits = append(splits, TimeSplit{Heading: oneLine(h.Texts[sc.col]), Outcome: sc.outcome, Column: sc.col, Share: n})
	}
	if !ho.HasSalary && !ho.HasPay && !ho.HasCost && ho.Grade == "" && ho.SpinalPoint == "" && len(r.errs) == bad {
		col := h.Columns[StaffSalary]
		for _, f := range []StaffField{StaffPay, StaffCost, StaffGrade, StaffSpinalPoint} {
			if col == 0 {
				col = h.Columns[f]
			}
		}
		r.bad(row.Row, col, "", "the post has no salary, cost, grade or spinal point: its cost cannot be told")
	}
	if len(r.errs) > bad {
		return
	}

	// Labels given only on a group's first row are filled down.
	fields := [3]StaffField{StaffCostCentre, StaffBusinessUnit, StaffTeam}
	vals := [3]string{}
	for i, f := range fields {
		vals[i] = text(f)
		if h.Columns[f] == 0 {
			continue
		}
		if vals[i] == "" && r.fill[i] != "" {
			vals[i] = r.fill[i]
			if len(r.filled) == 0 || r.filled[len(r.filled)-1] != row.Row {
				r.filled = append(r.filled, row.Row)
			}
		}
		r.fill[i] = vals[i]
	}
	cc, ccName := vals[0], text(StaffCostCentreName)
	if code, name, ok := splitCode(cc); ok {
		cc = code
		if ccName == "" {
			ccName = name
		}
	}
	key := strings.ToLower(id)
	if i, ok := r.byID[key]; ok && id != "" {
		p := r.post(i)
		p.FTE += ho.FTE
		p.Holders = append(p.Holders, ho)
		if !strings.EqualFold(p.CostCentre, cc) || !strings.EqualFold(p.JobTitle, title) && title != "" {
			r.disagree = append(r.disagree, fmt.Sprintf("%s: post %s is on row %d as %q in cost centre %q, here as %q in %q; the first row's are kept",
				src, id, p.Source.Row, p.JobTitle, p.CostCentre, title, cc))
		}
		if len(p.Splits) == 0 {
			p.Splits = splits
		} else if len(splits) > 0 && !slices.Equal(p.Splits, splits) {
			r.disagree = append(r.disagree, fmt.Sprintf("%s: post %s has a different time split on row %d; the first row's is kept", src, id, p.Source.Row))
		}
		return
	}
	i := r.appendPost(Post{Source: src, PostID: id, JobTitle: title, Team: vals[2], BusinessUnit: vals[1],
		CostCentre: cc, CostCentreName: ccName, Grade: ho.Grade, SpinalPoint: ho.SpinalPoint, FTE: ho.FTE,
		Holders: []Holder{ho}, Splits: splits, Review: lineReview(row, r.overrides)})
	if id != "" {
		r.byID[key] = i
	}
}

func (r *staffReader) finish() {
	r.t.Posts = slices.Concat(r.posts...)
	if len(r.filled) > 0 {
		r.t.Warnings = append(r.t.Warnings, fmt.Sprintf("%s: cost centre, business unit or team filled down from the row above on %s",
			r.t.where(), rowsPhrase(r.filled, len(r.filled))))
	}
	r.t.Warnings = append(r.t.Warnings, r.disagree...)
}

// vacantName reports whether a holder's name says the post is vacant:
// blank, or "Vacant", "Vacancy", "VACANT POST".
func vacantName(name string) bool {
	n := normaliseHeader(name)
	return n == "" || n == "vacant" || n == "vacancy" || n == "vacant post" || strings.HasPrefix(n, "vacant ")
}

func (r *staffReader) isHeader(row rowCells) bool {
	same := 0
	for _, c := range r.heads {
		if strings.EqualFold(row.text(c.col), c.text) {
			same++
		}
	}
	return same >= max(2, len(r.heads)/2)
}

func (r *staffReader) hasFigures(row rowCells) bool {
	cols := []int{r.h.Columns[StaffFTE], r.h.Columns[StaffSalary], r.h.Columns[StaffPay], r.h.Columns[StaffCost]}
	cols = append(cols, r.h.OnCosts...)
	for _, col := range cols {
		if v := row.text(col); col > 0 && v != "" && isAmount(v) {
			return true
		}
	}
	return false
}

// share reads a percentage cell in ShareUnit: "20%", 20 in a column of
// points, 0.2 in a column of fractions (as Excel stores a cell formatted
// as a percentage).
func (r *staffReader) share(v string, col int) (int64, error) {
	s := strings.TrimSpace(v)
	points := r.percentCols[col]
	if strings.HasSuffix(s, "%") {
		s, points = strings.TrimSpace(strings.TrimSuffix(s, "%")), true
	}
	unit := int64(ShareUnit)
	if points {
		unit /= 100
	}
	n, err := parseScaled(s, unit)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a percentage", v)
	case n < 0:
		return 0, fmt.Errorf("%q is negative", v)
	case n > ShareUnit:
		if !points {
			return 0, fmt.Errorf("%q is more than 100%% (this column holds fractions, 0.2 for 20%%, in its first rows)", v)
		}
		return 0, fmt.Errorf("%q is more than 100%%", v)
	}
	return n, nil
}

// parseScaled reads a decimal number (as a cell stores it: "0.5",
// "0.53333333333333333", "5E-2", "1,000") times unit, rounded half away
// from zero to a whole number.
func parseScaled(s string, unit int64) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" || strings.ContainsAny(s, "/") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if n, ok := scaleDecimal(s, unit); ok {
		return n, nil
	}
	// Anything else, big.Rat reads exactly (or refuses).
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	x.Mul(x, new(big.Rat).SetInt64(unit))
	num, den := x.Num(), x.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	if !q.IsInt64() || q.Int64() > maxScaled || q.Int64() < -maxScaled {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return q.Int64(), nil
}

// maxScaled is the largest magnitude parseScaled gives.
const maxScaled = 1e15

// pow10 holds 10⁰ to 10¹⁹, the powers of ten a uint64 holds.
var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// scaleDecimal is parseScaled for the numbers cells hold, without
// big.Rat: a plain decimal ("-12.50", ".5", "5E-2": optional sign, digits
// with at most one point, an exponent of at most four digits), of at most
// 19 significant digits, whose scaled value is within maxScaled. It gives
// the same value big.Rat would; ok is false for anything else, which
// parseScaled leaves to big.Rat.
func scaleDecimal(s string, unit int64) (n int64, ok bool) {
	if unit <= 0 {
		return 0, false
	}
	i, neg := 0, false
	if s[0] == '+' || s[0] == '-' {
		neg, i = s[0] == '-', 1
	}
	var m uint64 // the digits, without the point or leading zeros
	sig, digits, frac, point := 0, 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' && !point {
			point = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		digits++
		if point {
			frac++
		}
		if m == 0 && c == '0' {
			continue
		}
		if sig == 19 {
			return 0, false
		}
		m, sig = m*10+uint64(c-'0'), sig+1
	}
	if digits == 0 {
		return 0, false
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg, i = s[i] == '-', i+1
		}
		start := i
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			exp = exp*10 + int(s[i]-'0')
		}
		if i == start || i-start > 4 {
			return 0, false
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(s) {
		return 0, false
	}
	if m == 0 {
		return 0, true
	}
	hi, lo := bits.Mul64(m, uint64(unit))
	var q uint64
	switch e := exp - frac; {
	case e >= 0:
		if e >= len(pow10) || hi != 0 {
			return 0, false
		}
		var over uint64
		if over, q = bits.Mul64(lo, pow10[e]); over != 0 {
			return 0, false
		}
	case -e < len(pow10):
		d := pow10[-e]
		if hi >= d {
			return 0, false
		}
		var r uint64
		if q, r = bits.Div64(hi, lo, d); q > maxScaled {
			return 0, false
		}
		if r >= d-r { // half or more: away from zero
			q++
		}
	default:
		return 0, false
	}
	if q > maxScaled {
		return 0, false
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}

// readPayScales reads a pay scale table: a header naming a salary and a
// spinal point or grade, and a row per point. Values are kept as written;
// analysis reads the salaries.
func readPayScales(src Source, rows rowSource) ([]PayScaleRow, []CellError, error) {
	var out []PayScaleRow
	var grade, point, salary, headerRow int
	for rows.Next() {
		row := rows.Row()
		if headerRow == 0 {
			g, p, s := 0, 0, 0
			for _, c := range row.Cells {
				f, onCost, ok := staffRole(c.Value)
				switch {
				case !ok || onCost != 0:
				case f == StaffGrade && g == 0:
					g = c.Col
				case f == StaffSpinalPoint && p == 0:
					p = c.Col
				case (f == StaffSalary || f == StaffCost || f == StaffPay) && s == 0:
					s = c.Col
				}
			}
			if s > 0 && (g > 0 || p > 0) {
				grade, point, salary, headerRow = g, p, s, row.Row
			}
			if row.Row > headerScanRows && headerRow == 0 {
				break
			}
			continue
		}
		if row.blank() {
			continue
		}
		ps := PayScaleRow{Grade: row.text(grade), Point: row.text(point), Salary: row.text(salary),
			Source: Source{File: src.File, Sheet: src.Sheet, Row: row.Row}}
		if ps.Salary == "" && ps.Grade == "" && ps.Point == "" {
			continue
		}
		out = append(out, ps)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if headerRow == 0 {
		return nil, []CellError{{Source: src, Cell: "A1", Reason: "no header naming a salary and a grade or spinal point was found on this pay scales sheet"}}, nil
	}
	return out, nil, nil
}

// staffOverrideColumns are the override columns purpose added beside a
// staffing table (its first run's columns begin "Outcomes (staff time)"),
// found by their headings; nil for a table not annotated before.
func staffOverrideColumns(texts map[int]string) []ToolColumn {
	annotated := false
	for _, t := range texts {
		annotated = annotated || strings.TrimSpace(t) == StaffAnnotationFirst
	}
	if !annotated {
		return nil
	}
	var out []ToolColumn
	for col, t := range texts {
		switch h := strings.TrimSpace(t); h {
		case OutcomeOverrideHeader, ShareOverrideHeader, ReviewerNoteHeader:
			out = append(out, ToolColumn{Col: col, Header: h})
		}
	}
	return leftmostByHeading(out)
}

// StaffAnnotationFirst heads the first of the columns purpose adds beside
// a staffing table.
const StaffAnnotationFirst = "Outcomes (staff time)"
