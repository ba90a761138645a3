package ingest

// Header detection: which row of a sheet is the header of its budget table,
// and which column holds what.
//
// The contract with the readers (table.go, xlsx.go, csv.go):
//   - readHead reads the first headerScanRows rows of a sheet. Every one of
//     them is a candidate header, judged by its words and by the cells below
//     it: an amount column should hold amounts, a code column codes, a name
//     or description column text.
//   - detectHeader(rows, forceRow, amountColumn) returns the best candidate
//     and true when it names an amount column and at least one column that
//     says what a line is (a cost centre, nominal, description, line type or
//     payee). h.Columns[f] is the 1-based column of field f, 0 for none.
//     Columns[FieldLineType] is the first line-type column; h.LineTypeCols
//     holds any further ones, whose texts join the first's.
//   - h.Explain() says in one sentence which columns were read; h.OtherAmounts
//     lists the amount columns not chosen.
//   - Amounts in the chosen column are in units of 10^h.UnitShift pounds (3
//     for a "£000" column, 6 for "£million"); read them with h.readAmount.
//     h.Thousands is UnitShift == 3.
//   - h.Staffing marks a staffing table (post, FTE, grade, salary columns):
//     pay already counted in the budget, not more spend.
//   - With no header found, noHeaderReason (or bestCandidate, its parts)
//     says why: the nearest row and what it lacked, in plain words.

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Field is a budget column the tool understands.
type Field int

// The budget fields, in the order they are reported.
const (
	FieldBusinessUnit Field = iota
	FieldCostCentre
	FieldCostCentreName
	FieldNominal
	FieldNominalName
	FieldDescription
	FieldAmount
	FieldPayee    // the supplier or beneficiary paid: kept, never a description
	FieldLineType // the first column that says what a line is (an expense type, a service area)
	numFields
)

var fieldNames = [numFields]string{"business unit", "cost centre", "cost centre name", "nominal", "nominal description", "description", "amount", "payee", "line type"}

func (f Field) String() string { return fieldNames[f] }

// headerScanRows is how many rows of a sheet readHead reads: the header is
// looked for among them, and the rows below a candidate show what its
// columns hold.
const headerScanRows = 60

// header is a detected header row: where each field is (1-based columns).
type header struct {
	// Row is the header's last row: the table's lines are below it. Top is
	// its first row, Row itself unless the headings are over two rows
	// ("Budget" merged over "2025/26 | 2026/27").
	Row, Top int
	Columns  [numFields]int
	Texts    map[int]string // every non-blank header cell by column
	LastCol  int
	// OtherAmounts are further amount-like columns that were not chosen,
	// their headings on one line.
	OtherAmounts []string
	// Thousands is set when the amount column is in thousands of pounds.
	Thousands bool
	// UnitShift is the power of ten the amounts are in pounds of: 0, 3
	// (£000) or 6 (£million).
	UnitShift int
	// LineTypeCols are further line-type columns after Columns[FieldLineType].
	LineTypeCols []int
	// Staffing is set when the header is a staffing table's.
	Staffing bool

	score     float64
	weak      bool            // too little evidence to be a header
	byContent [numFields]bool // the column was recognised by what it holds, not its heading
	unitNote  string          // how the unit was found, when not from the amount heading
	yearTyped bool            // a two-row header whose lower row has a year typed as a number
	debits    []int           // columns headed debit or credit: never the amount on their own
	credits   []int
}

func (h *header) has(f Field) bool { return h.Columns[f] > 0 }

// readAmount reads an amount of the amount column, in its unit.
func (h *header) readAmount(s string) (int64, error) { return parseAmount(s, h.UnitShift) }

// unitWords names a unit of 10^shift pounds.
func unitWords(shift int) string {
	switch shift {
	case 0:
		return "pounds"
	case 3:
		return "thousands of pounds"
	case 6:
		return "millions of pounds"
	}
	return fmt.Sprintf("units of 10^%d pounds", shift)
}

// Explain says which row is the header and which columns are read, as a
// finance officer would want to check it.
func (h *header) Explain() string {
	return fmt.Sprintf("read header on %s: %s", h.rows(), h.found())
}

// rows names the header's row or rows: "row 5", "rows 2–3".
func (h *header) rows() string {
	if h.Top > 0 && h.Top < h.Row {
		return fmt.Sprintf("rows %d–%d", h.Top, h.Row)
	}
	return fmt.Sprintf("row %d", h.Row)
}

// found lists the columns found, amount first.
func (h *header) found() string {
	var parts []string
	add := func(f Field, col int) {
		if col == 0 {
			return
		}
		name := f.String()
		if f == FieldBusinessUnit && h.Columns[FieldLineType] == col {
			name = "business unit and line type" // a service column, all that says what a line is
		}
		p := fmt.Sprintf("%s %q", name, oneLine(h.Texts[col]))
		if f == FieldAmount && h.UnitShift != 0 {
			p += " (in " + unitWords(h.UnitShift) + h.unitNote + ")"
		}
		if h.byContent[f] {
			p += " (by what its column holds)"
		}
		parts = append(parts, p)
	}
	for _, f := range []Field{FieldAmount, FieldBusinessUnit, FieldCostCentre, FieldCostCentreName, FieldNominal, FieldNominalName, FieldDescription, FieldLineType} {
		if f == FieldLineType && h.Columns[f] == h.Columns[FieldBusinessUnit] {
			continue
		}
		add(f, h.Columns[f])
	}
	for _, c := range h.LineTypeCols {
		add(FieldLineType, c)
	}
	add(FieldPayee, h.Columns[FieldPayee])
	return strings.Join(parts, ", ")
}

// oneLine is a header cell's text on one line: "2024-25\n\nScottish\nBudget"
// is "2024-25 Scottish Budget".
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// maxLabel is how much of a row's text a message quotes.
const maxLabel = 80

// shortLabel is a row's text for a one-line message: on one line, and cut
// at a word with "…" past maxLabel characters.
func shortLabel(s string) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)[:maxLabel]
	if i := strings.LastIndexByte(string(r), ' '); i > maxLabel/2 {
		return string(r)[:i] + " …"
	}
	return string(r) + "…"
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// normaliseHeader is a header lower case, with punctuation and £ removed and
// single spaces: how --amount-column and framework headers are compared.
func normaliseHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "£", " ")
	return strings.TrimSpace(nonWord.ReplaceAllString(s, " "))
}

// isYears reports whether every figure in a heading is a year or a
// financial year: "2026/27", "Budget 2026-27", "FY27", "FY 2026/27"; not
// a date ("31/03/2027", "2021-12-31", "30.08.2013 0:00:00").
func isYears(text string) bool {
	found := false
	for _, f := range strings.Fields(text) {
		if !strings.ContainsAny(f, "0123456789") {
			continue
		}
		if !yearSpan.MatchString(strings.Trim(f, "()[],")) {
			return false
		}
		found = true
	}
	return found
}

var (
	yearSpan    = regexp.MustCompile(`(?i)^(?:fy'?)?(?:(?:19|20)\d\d(?:[/-](?:19|20)?\d\d)?|\d\d)$`)
	yearPattern = regexp.MustCompile(`\b(20\d\d)\b`)
	fyPattern   = regexp.MustCompile(`(?i)\bfy\s?'?(\d{4}|\d{2})([/-]\d{2,4})?\b`)
)

// latestYear is the largest 20xx year a header names, or 0.
func latestYear(header string) int {
	best := 0
	if !strings.Contains(header, "20") {
		return 0
	}
	for _, m := range yearPattern.FindAllString(normaliseHeader(header), -1) {
		if y, _ := strconv.Atoi(m); y > best {
			best = y
		}
	}
	return best
}

// detectHeader picks the header row among the first rows of a sheet: the
// candidate that scores best on the columns it names and on how well the
// cells below fit them, the first on a tie. A row qualifies when it names an
// amount column and a column that says what a line is. Two rows may make
// one header ("Budget" over "2026/27"): such a pair is chosen only when it
// scores better than every single row. forceRow, when set, is the only
// candidate row (or one of a pair's); amountColumn, when set, chooses the
// amount column by header text or column letter.
func detectHeader(rows []rowCells, forceRow int, amountColumn string) (*header, bool) {
	s := newHeadScan(rows)
	var singles, pairs []*header
	for i, r := range rows {
		if forceRow > 0 && r.Row != forceRow {
			continue
		}
		if h := s.evaluate(i, amountColumn); h != nil && h.qualifies() {
			singles = append(singles, h)
		}
	}
	for i := range rows {
		if h := s.evaluatePair(i, forceRow, amountColumn); h != nil && h.qualifies() {
			pairs = append(pairs, h)
		}
	}
	best := firstOfLike(singles)
	// A pair wins a tie when its lower row holds a year typed as a number
	// ("2026" under "Budget"): read as a line it would be money with no
	// label.
	if p := firstOfLike(pairs); p != nil && (best == nil || p.score > best.score+1e-9 || p.yearTyped && p.score > best.score-1e-9) {
		best = p
	}
	if best == nil {
		return nil, false
	}
	best.Staffing = looksLikeStaffing(best.Texts)
	return best, true
}

// firstOfLike is the best scoring of candidate headers in sheet order, the
// first on a tie. Candidates with the same headings are one table's header
// and its repetitions (a second table of the same shape, a header on each
// printed page): the first of them stands for all, with the best score.
func firstOfLike(cands []*header) *header {
	first := map[string]*header{}
	var heads []*header
	for _, h := range cands {
		key := headingsKey(h.Texts)
		if f, ok := first[key]; ok {
			f.score = max(f.score, h.score)
			continue
		}
		first[key] = h
		heads = append(heads, h)
	}
	var best *header
	for _, h := range heads {
		if best == nil || h.score > best.score+1e-9 {
			best = h
		}
	}
	return best
}

// headingsKey is a row's headings, compared as --amount-column compares
// them.
func headingsKey(texts map[int]string) string {
	cols := slices.Sorted(maps.Keys(texts))
	var b strings.Builder
	for _, c := range cols {
		fmt.Fprintf(&b, "%d\x00%s\x00", c, normaliseHeader(texts[c]))
	}
	return b.String()
}

// evaluatePair reads rows i and i+1 together as one header, or returns nil
// when they cannot be one: the lower row must be the next row of the sheet
// and hold headings (words, years such as 2026/27 or FY27, units such as
// £000), no amounts, and at least one of them must say nothing alone (a
// year, a unit, "Revised", "Q1"). Each column's heading is the upper
// cell's text then the lower's; an upper heading over a lower one spreads
// right over the blank upper cells above further lower headings, as a
// merged cell reads ("Budget" over "2025/26 | 2026/27" is "Budget
// 2025/26", "Budget 2026/27"), when the lower heading under it needs it (a
// title over "Cost Centre" does not spread).
func (s *headScan) evaluatePair(i, forceRow int, amountColumn string) *header {
	if i+1 >= len(s.rows) {
		return nil
	}
	upper, lower := s.rows[i], s.rows[i+1]
	if lower.Row != upper.Row+1 || forceRow > 0 && forceRow != upper.Row && forceRow != lower.Row {
		return nil
	}
	for _, c := range lower.Cells {
		if text := strings.TrimSpace(c.Value); text != "" && !s.subHeading(text) {
			return nil
		}
	}
	up, own := s.texts(i), s.texts(i+1)
	if len(up) == 0 || len(own) == 0 {
		return nil
	}
	cols := slices.Sorted(maps.Keys(up))
	for col := range own {
		if _, ok := up[col]; !ok {
			cols = append(cols, col)
		}
	}
	slices.Sort(cols)
	combined := rowCells{Row: upper.Row}
	spread := "" // the upper heading spreading right, if any
	// needs: a lower heading that says nothing without the one above it
	// (a year, a unit, "Revised", "Q1"); without one, the upper row is a
	// title or a section name ("EXPENDITURE"), or the lower row a section
	// name under the header ("Current"), not part of the heading.
	needs := false
	for _, col := range cols {
		u, hasUp := up[col]
		l, hasLow := own[col]
		switch {
		case hasUp:
			spread = ""
			if hasLow && s.needsAbove(l) {
				spread = u // a group heading over sub-headings ("Budget" over "2025/26")
			}
		case hasLow && spread != "":
			u = spread
		default:
			spread = ""
		}
		needs = needs || hasLow && u != "" && s.needsAbove(l)
		text := strings.TrimSpace(u + " " + l)
		combined.Cells = append(combined.Cells, cell{Col: col, Value: text, HasValue: true})
	}
	if !needs {
		return nil
	}
	h := s.evaluateRow(combined, i+1, own, amountColumn)
	if h != nil {
		h.yearTyped = slices.ContainsFunc(lower.Cells, func(c cell) bool { return yearNumber.MatchString(strings.TrimSpace(c.Value)) })
	}
	return h
}

// yearNumber is a year typed as a number.
var yearNumber = regexp.MustCompile(`^(19|20)\d\d$`)

// needsAbove reports whether a heading says nothing without the heading
// above it: a year, a unit, "Revised", "Q1".
func (s *headScan) needsAbove(text string) bool {
	w := s.analyse(text)
	return w.head == "" || periodWords[w.head]
}

// subHeading reports whether a cell of the lower row of a two-row header
// can be a heading: a year ("2026/27", "2026-27", "FY27"), a unit ("£000",
// "£m"), or a few words all known to the vocabulary; never an amount, a
// code or a name.
func (s *headScan) subHeading(text string) bool {
	if unitHeading.MatchString(text) || unitStated(text) > 0 {
		return true
	}
	if yearNumber.MatchString(text) {
		return true // "2026" under "Budget": a year typed as a number
	}
	if isAmount(text) {
		return false
	}
	w := s.analyse(text)
	if len(w.tokens) == 0 {
		return w.year > 0 || w.hasUnit // "2026/27", "£"
	}
	return w.unknown == 0 // words, not a name or a code ("HM01")
}

// descriptive are the fields that say what a line is.
var descriptive = []Field{FieldCostCentre, FieldCostCentreName, FieldNominal, FieldNominalName, FieldDescription, FieldLineType, FieldPayee}

func (h *header) qualifies() bool {
	if !h.has(FieldAmount) || h.weak {
		return false
	}
	return slices.ContainsFunc(descriptive, h.has)
}

// What a finance officer is told a header lacked.
const (
	lacksAmount = "a column of amounts (headed Amount, Budget, Spend, Net Amount, £ or the like)"
	lacksWhat   = "a column that says what each line is (a cost centre, nominal code, description, expense type or supplier)"
)

// bestCandidate is the row that came nearest to a header, the columns it
// names and what it lacked; row is 0 when no row names any column the tool
// reads.
func bestCandidate(rows []rowCells) (row int, found, missing string) {
	best, _ := nearest(rows, 0, "")
	if best == nil {
		return 0, "", ""
	}
	return best.Row, best.found(), best.lacks()
}

// nearest is the candidate that scores best whether or not it qualifies,
// nil if no row names any column; and how many rows have amountColumn.
func nearest(rows []rowCells, forceRow int, amountColumn string) (best *header, withColumn int) {
	s := newHeadScan(rows)
	for i, r := range rows {
		if forceRow > 0 && r.Row != forceRow {
			continue
		}
		if amountColumn != "" && columnByName(s.texts(i), amountColumn) > 0 {
			withColumn++
		}
		h := s.evaluate(i, amountColumn)
		if h == nil || h.found() == "" {
			continue
		}
		if best == nil || h.score > best.score+1e-9 {
			best = h
		}
	}
	for i := range rows {
		if h := s.evaluatePair(i, forceRow, amountColumn); h != nil && h.found() != "" && (best == nil || h.score > best.score+1e-9) {
			best = h
		}
	}
	return best, withColumn
}

func (h *header) lacks() string {
	var m []string
	if !h.has(FieldAmount) {
		m = append(m, lacksAmount)
	}
	if !slices.ContainsFunc(descriptive, h.has) {
		m = append(m, lacksWhat)
	}
	return strings.Join(m, " and ")
}

// noHeaderReason says, for a message, why no header was found in rows with
// the given --header-row and --amount-column (either may be unset).
func noHeaderReason(rows []rowCells, forceRow int, amountColumn string) string {
	scanned := fmt.Sprintf("the first %d rows", headerScanRows)
	if forceRow > 0 {
		scanned = fmt.Sprintf("row %d", forceRow)
	}
	best, withColumn := nearest(rows, forceRow, amountColumn)
	switch {
	case amountColumn != "" && withColumn == 0:
		headed := fmt.Sprintf("no row in %s has a column headed %q", scanned, amountColumn)
		if forceRow > 0 {
			headed = fmt.Sprintf("row %d has no column headed %q", forceRow, amountColumn)
		}
		letter := strings.ToUpper(strings.TrimSpace(amountColumn))
		if _, err := columnNumber(letter); err == nil {
			// "F" is surely a letter; "Amt" may be either.
			reach := fmt.Sprintf("no header in %s reaches column %s", scanned, letter)
			if forceRow > 0 {
				reach = fmt.Sprintf("the header on row %d does not reach column %s", forceRow, letter)
			}
			if len(letter) == 1 {
				return reach + " given with --amount-column"
			}
			return headed + ", and " + reach + " given with --amount-column"
		}
		return headed + ", as given with --amount-column"
	case best == nil && forceRow > 0:
		return fmt.Sprintf("row %d names none of the columns the tool reads: it needs %s and %s", forceRow, lacksAmount, lacksWhat)
	case best == nil:
		return fmt.Sprintf("no row in %s names the columns the tool reads: %s and %s", scanned, lacksAmount, lacksWhat)
	case amountColumn != "":
		return fmt.Sprintf("%s has the column %q given with --amount-column, but no %s", best.rows(), amountColumn, strings.TrimPrefix(lacksWhat, "a "))
	}
	if !best.has(FieldAmount) && len(best.debits) > 0 && len(best.credits) > 0 {
		// Reading debit minus credit is not done yet; one of them alone
		// would be a wrong total.
		return fmt.Sprintf("found debit and credit columns (%s, %s) on %s but no single amount column; add a column of debit minus credit, headed Amount, and run again",
			oneLine(best.Texts[best.debits[0]]), oneLine(best.Texts[best.credits[0]]), best.rows())
	}
	return fmt.Sprintf("the nearest to a header is %s (%s), which lacks %s", best.rows(), best.found(), best.lacks())
}

// headScan holds what is known of the rows a header is looked for in: each
// cell's kind, and for each column running counts of kinds from each row
// down, so the cells below a candidate are summed in constant time.
type headScan struct {
	rows  []rowCells
	below map[int][]colStats // by column: [i] counts rows i.. of the scan
	words map[string]*headerWords
	canon map[string]canonWord
	// titleUnits is what each row says of units ("All amounts in £000"),
	// filled when first needed.
	titleUnits []int
	// where holds, by column and text, the row indexes a text
	// is in: a header repeated further down is not data below it.
	where map[int]map[string][]int
}

// colStats counts the non-blank cells of a column by kind.
type colStats struct{ n, number, rate, code, text, long int }

func newHeadScan(rows []rowCells) *headScan {
	s := &headScan{rows: rows, below: map[int][]colStats{}, words: map[string]*headerWords{}, canon: map[string]canonWord{}, where: map[int]map[string][]int{}}
	for i := len(rows) - 1; i >= 0; i-- {
		for _, c := range rows[i].Cells {
			if v := strings.TrimSpace(c.Value); v != "" {
				m := s.where[c.Col]
				if m == nil {
					m = map[string][]int{}
					s.where[c.Col] = m
				}
				m[v] = append(m[v], i) // descending
			}
			st := s.below[c.Col]
			if st == nil {
				st = make([]colStats, len(rows)+1)
				s.below[c.Col] = st
			}
			k := kindOf(c.Value)
			if k.blank {
				continue
			}
			st[i].n++
			if k.number {
				st[i].number++
			}
			if k.rate {
				st[i].rate++
			}
			if k.code {
				st[i].code++
			}
			if k.text {
				st[i].text++
			}
			if k.long {
				st[i].long++
			}
		}
		for _, st := range s.below {
			st[i].n += st[i+1].n
			st[i].number += st[i+1].number
			st[i].rate += st[i+1].rate
			st[i].code += st[i+1].code
			st[i].text += st[i+1].text
			st[i].long += st[i+1].long
		}
	}
	return s
}

// stats are the counts of column col below row i, leaving out cells that
// repeat heading (a header repeated on each printed page).
func (s *headScan) stats(col, i int, heading string) colStats {
	st := s.below[col]
	if st == nil {
		return colStats{}
	}
	c := st[i+1]
	again := 0
	for _, j := range s.where[col][heading] {
		if j > i {
			again++
		}
	}
	if again > 0 {
		k := kindOf(heading)
		c.n -= again
		if k.number {
			c.number -= again
		}
		if k.rate {
			c.rate -= again
		}
		if k.code {
			c.code -= again
		}
		if k.text {
			c.text -= again
		}
		if k.long {
			c.long -= again
		}
	}
	return c
}

func (s *headScan) texts(i int) map[int]string {
	t := map[int]string{}
	for _, c := range s.rows[i].Cells {
		if v := strings.TrimSpace(c.Value); v != "" {
			t[c.Col] = v
		}
	}
	return t
}

type cellKinds struct{ blank, number, rate, code, text, long bool }

var (
	// rateLike is a fraction written to more places than pence have:
	// 0.035 is a rate (3.5%), not three and a half pence.
	// unitHeading is a heading that ParsePence would read as nought.
	unitHeading = regexp.MustCompile(`^£\s*'?0+s?$`)
	rateLike    = regexp.MustCompile(`^-?0?\.\d{3,8}$`)
)

// kindOf says what a cell looks like: an amount, a code ("HM101", "5000",
// "S357247"), text (a name, a description), long text.
func kindOf(v string) cellKinds {
	t := strings.TrimSpace(v)
	if t == "" {
		return cellKinds{blank: true}
	}
	var k cellKinds
	k.number = isAmount(t)
	k.rate = k.number && rateLike.MatchString(t)
	letters, digits, upper, spaces := 0, 0, 0, 0
	for _, r := range t {
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		case unicode.IsDigit(r):
			digits++
		case unicode.IsSpace(r):
			spaces++
		}
	}
	decimal := k.number && strings.ContainsAny(t, ".,")
	switch {
	case spaces == 0 && len(t) <= 16 && digits > 0 && !decimal:
		k.code = true
	case spaces == 0 && len(t) <= 5 && letters > 0 && upper == letters:
		k.code = true // "VZ", "GBP", "CAB"
	}
	if !k.code && letters >= 2 {
		k.text = true
		k.long = spaces >= 3 || len(t) >= 30
		k.code = isCodeName(t) // a code with its name is both
	}
	return k
}

// isCodeName reports whether a cell is a code and its name in one:
// "HM101 - Housing Management", "5001 Salaries", "CC12: Lettings". The code
// is up to four letters, then a digit, then letters and digits (2 to 12 in
// all after the letters); then a dash, colon or bar, or a space; then a
// letter.
func isCodeName(t string) bool {
	i := 0
	for i < len(t) && i < 4 && isASCIILetter(t[i]) {
		i++
	}
	if i >= len(t) || t[i] < '0' || t[i] > '9' {
		return false
	}
	start := i
	for i < len(t) && (isASCIILetter(t[i]) || t[i] >= '0' && t[i] <= '9') {
		i++
	}
	if n := i - start; n < 2 || n > 12 {
		return false
	}
	rest := strings.TrimLeft(t[i:], " ")
	if len(rest) == len(t[i:]) && !strings.ContainsAny(rest[:min(len(rest), 3)], "-–:|") {
		return false // nothing between code and name
	}
	rest = strings.TrimLeft(rest, " -–:|")
	r, _ := firstRune(rest)
	return unicode.IsLetter(r)
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isAmount reports whether ParsePence reads t, without trying when t has
// letters no amount has (most text).
func isAmount(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i] | 0x20
		if c >= 'a' && c <= 'z' && !strings.ContainsRune("ecrdgbp", rune(c)) { // 1E+3, CR, DR, GBP
			return false
		}
	}
	_, err := ParsePence(t)
	return err == nil
}

// fit is how well the cells below a column suit a field: the share of them
// of the right kind, 0.5 when there are none to judge by.
func fit(f Field, st colStats) float64 {
	if st.n == 0 {
		return 0.5
	}
	n := float64(st.n)
	switch f {
	case FieldAmount:
		return float64(st.number-st.rate) / n
	case FieldCostCentre, FieldNominal:
		return float64(st.code) / n
	case FieldDescription:
		return (float64(st.text) + 0.5*float64(st.long)) / n / 1.25
	default:
		return float64(st.text) / n
	}
}

// A header cell's words, as far as the vocabulary below knows them.
type headerWords struct {
	tokens  []string // canonical words, in order; prepositions kept
	head    string   // the word the heading is about: "type" in "Expense Type", "purpose" in "Purpose of Spend"
	unknown int      // words the vocabulary does not know
	hasUnit bool     // £, GBP, £000, £million
	shift   int      // 3 for thousands, 6 for millions
	year    int
	// years: every figure of the heading is a year or a financial year
	// ("2026/27", "2026-27", "FY27"), none a date ("31/03/2027").
	years bool
}

func (w *headerWords) hasAny(words map[string]bool) bool {
	for _, t := range w.tokens {
		if words[t] {
			return true
		}
	}
	return false
}

func (w *headerWords) has(words ...string) bool {
	for _, t := range w.tokens {
		if slices.Contains(words, t) {
			return true
		}
	}
	return false
}

var (
	thousandsPattern = regexp.MustCompile(`(?i)(£\s*'?000|\(000\)|\b000s\b|'000|£\s*k\b|\bthousands\b)`)
	millionsPattern  = regexp.MustCompile(`(?i)(£\s*m\b|£\s*mn\b|£\s*millions?\b|\bmillions\b|\(\s*£\s*m\s*\)|\(\s*£?\s*millions?\s*\))`) // "(m)" alone is metres
	exVATPattern     = regexp.MustCompile(`\b(ex|exc|excl|excluding|exclusive of|net of|before|less|without|pre)\.?\s*(vat|tax)\b`)
	incVATPattern    = regexp.MustCompile(`\b(inc|incl|including|inclusive of|plus|after|with)\.?\s*(vat|tax)\b`)
)

// analyse reads a header cell's words (cached: data rows repeat themselves).
func (s *headScan) analyse(text string) *headerWords {
	if w, ok := s.words[text]; ok {
		return w
	}
	w := analyseWords(text, s.canon)
	s.words[text] = w
	return w
}

func analyseHeader(text string) *headerWords { return analyseWords(text, nil) }

// canonWord is a word as canonical gives it.
type canonWord struct {
	word  string
	known bool
}

// analyseWords reads a heading; canon, if set, caches canonical words.
func analyseWords(text string, canon map[string]canonWord) *headerWords {
	w := &headerWords{}
	if len(text) > 120 || strings.Count(text, " ") > 7 {
		w.unknown = 99 // a note, not a heading
		return w
	}
	w.year = latestYear(text)
	w.years = isYears(text)
	if strings.Contains(text, "FY") || strings.Contains(text, "fy") || strings.Contains(text, "Fy") {
		// "FY27", "FY 2026/27": a financial year, by the year it starts.
		for _, m := range fyPattern.FindAllStringSubmatch(text, -1) {
			y, _ := strconv.Atoi(m[1])
			if y < 100 {
				y += 2000
			}
			if m[2] == "" {
				y-- // FY27 ends in 2027: it is 2026/27
			}
			w.year = max(w.year, y)
		}
		text = fyPattern.ReplaceAllString(text, " year ")
	}
	// "NetAmount" is "Net Amount"; "LAEstab" stays one word.
	var b strings.Builder
	prev := rune(0)
	for _, r := range text {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	s := strings.ToLower(b.String())
	switch {
	case !strings.ContainsAny(s, "£0(") && !strings.Contains(s, "thousand") && !strings.Contains(s, "million"):
	case millionsPattern.MatchString(s):
		w.shift = 6
	case thousandsPattern.MatchString(s):
		w.shift = 3
	}
	w.hasUnit = w.shift > 0 || strings.Contains(s, "£")
	if strings.Contains(s, "vat") || strings.Contains(s, "tax") {
		s = exVATPattern.ReplaceAllString(s, " exvat ")
		s = incVATPattern.ReplaceAllString(s, " incvat ")
	}
	s = headingReplacer.Replace(s)
	var raw []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		switch {
		case isDigits(f), unitWord[f]:
			if f == "gbp" || f == "sterling" {
				w.hasUnit = true
			}
			continue
		case len(f) == 1 && f != "£":
			continue // "Council's", "B", footnote letters
		}
		raw = append(raw, f)
	}
	for _, t := range raw {
		cw, ok := canon[t]
		if !ok {
			cw.word, cw.known = canonical(t)
			if canon != nil {
				canon[t] = cw
			}
		}
		c, known := cw.word, cw.known
		if !known {
			w.unknown++
		}
		w.tokens = append(w.tokens, c)
	}
	w.tokens = mergePairs(w.tokens)
	// The head: the last word before "of", "for", ..., else the last word.
	content := func(t string) bool { return !stopWord[t] && !preposition[t] && !qualifier[t] }
	end := len(w.tokens)
	for i, t := range w.tokens {
		if preposition[t] && slices.ContainsFunc(w.tokens[:i], content) {
			end = i
			break
		}
	}
	for i := end - 1; i >= 0; i-- {
		if content(w.tokens[i]) {
			w.head = w.tokens[i]
			break
		}
	}
	return w
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var headingReplacer = strings.NewReplacer("%", " percent ", "a/c", " account ", "'s", " ",
	"b/fwd", " brought forward ", "c/fwd", " carried forward ", "b/f", " brought forward ", "c/f", " carried forward ",
	"bfwd", " brought forward ", "cfwd", " carried forward ")

var unitWord = map[string]bool{"000": true, "000s": true, "k": true, "m": true, "mn": true, "million": true, "millions": true,
	"thousand": true, "thousands": true, "gbp": true, "sterling": true, "pounds": true}

var stopWord = map[string]bool{"and": true, "or": true, "the": true, "a": true, "an": true, "our": true, "its": true}

// qualifier words say which amount, never what a column is about: "Budget
// Revised" is a budget.
var qualifier = set("revised", "current", "latest", "approved", "working", "final", "original", "annual", "full",
	"billing", "ytd", "prior", "previous", "last", "proposed", "draft", "base", "year", "exvat", "incvat")

var preposition = map[string]bool{"of": true, "for": true, "on": true, "by": true, "per": true, "from": true, "to": true, "in": true, "at": true, "as": true, "against": true, "vs": true}

// The vocabulary: words finance systems head columns with, by what they
// say. These are examples the scoring starts from, not a list a header must
// be on: unknown words only weaken a heading, abbreviations and slips are
// matched to these words, and the cells below decide between close calls.
var (
	amountWords = set("amount", "value", "spend", "paid", "payment", "expenditure", "cost", "total", "sum", "charge",
		"price", "allocation", "funding", "budget", "actual", "outturn", "forecast", "net", "gross", "salary", "pay",
		"balance", "estimate", "provision")
	// notAmount anywhere in a heading: never the amount column.
	notAmount = set("vat", "tax", "percent", "variance", "change", "movement", "difference", "quantity", "count",
		"rate", "ratio", "currency", "fte", "hours", "grade", "share", "number", "point", "spinalpoint",
		// A cumulative balance, or one brought or carried forward, adds
		// up earlier lines: never a line's own amount (nor is a running
		// balance or total; running costs are spend).
		"cumulative", "brought", "carried")
	// debitCredit head the two columns of a double-entry export: neither
	// is the amount on its own (the amount is debit minus credit).
	debitCredit = set("debit", "credit")
	// periodWords name part of a year: a quarter's or a month's figure is
	// never read before a full year's, and is no amount heading alone.
	periodWords = set("q1", "q2", "q3", "q4", "quarter", "quarterly", "month", "monthly", "period", "week", "weekly",
		"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
	payeeWords      = set("supplier", "payee", "beneficiary", "vendor", "merchant", "creditor", "contractor", "recipient", "provider")
	notPayee        = set("id", "number", "code", "reference", "registration", "address", "postcode", "type", "category", "classification", "status", "flag", "vat", "company", "charity")
	nameHeads       = set("name", "description", "title", "label", "narrative")
	codeHeads       = set("code", "number", "id", "reference", "key")
	buWords         = set("directorate", "department", "division", "businessunit")
	nominalWords    = set("nominal", "account", "ledger", "subjective")
	costCentreWords = set("costcentre")
	expenseWords    = set("expense", "expenditure", "spend", "cost")
	lineTypeHeads   = set("type", "area", "category", "classification", "class", "group", "family", "head", "heading", "description", "name", "analysis", "detail")
	descHeads       = map[string]float64{"description": 1, "narrative": 1, "detail": 1, "item": 0.9, "particular": 0.9, "memo": 0.8,
		"text": 0.6, "posttitle": 0.7, "post": 0.5}
	// aboutOther: a heading with these words describes something else
	// (a VAT code, a card, a date), not the line.
	aboutOther = set("vat", "tax", "currency", "card", "date", "time", "postcode", "address", "email", "phone")
	// staffWords are known heading words of staffing tables (which tables
	// are staffing ones is staffingGroups' to say).
	staffWords = set("fte", "post", "posttitle", "grade", "salary", "spinalpoint", "establishment", "oncost", "increment", "band", "hours", "employee")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// lexicon is every word the rules know; other words are unknown.
var lexicon = func() map[string]bool {
	m := set("name", "description", "title", "label", "code", "number", "id", "reference", "key", "costcentre", "centre",
		"service", "area", "portfolio", "entity", "type", "category", "classification", "class", "group", "family",
		"head", "heading", "analysis", "detail", "purpose", "activity", "function", "programme", "line", "narrative",
		"item", "particular", "memo", "comment", "explanation", "text", "date", "time", "year", "month", "period",
		"status", "flag", "transaction", "invoice", "card", "registration", "company", "charity", "revised", "current",
		"latest", "approved", "working", "final", "original", "annual", "full", "billing", "commitment", "accrual",
		"profile", "ytd", "prior", "previous", "last", "business", "unit", "job", "scale", "spinal", "extended",
		"procurement", "exvat", "incvat", "base", "proposed", "draft", "holder", "manager", "owner", "body",
		"organisation", "source", "journal", "internal", "external", "on", "approval", "revenue", "capital",
		"income", "expense", "contact", "running")
	for _, g := range []map[string]bool{amountWords, notAmount, payeeWords, notPayee, buWords, nominalWords, expenseWords,
		lineTypeHeads, aboutOther, staffWords, stopWord, preposition, debitCredit, periodWords} {
		for w := range g {
			m[w] = true
		}
	}
	for w := range descHeads {
		m[w] = true
	}
	return m
}()

// synonyms turns abbreviations and variants into the lexicon's words.
var synonyms = map[string]string{
	"amt": "amount", "amnt": "amount", "amout": "amount", "buget": "budget", "spnd": "spend", "val": "value", "bud": "budget", "bdgt": "budget", "budg": "budget",
	"expend": "expenditure", "exp": "expense", "spent": "spend", "payments": "payment", "tot": "total", "bal": "balance",
	"fcst": "forecast", "fc": "forecast", "actuals": "actual", "orig": "original", "est": "estimate",
	"desc": "description", "descr": "description", "dsc": "description", "narr": "narrative", "details": "detail",
	"cc": "costcentre", "costcentre": "costcentre", "costcenter": "costcentre", "cst": "cost", "ctr": "centre", "cntr": "centre",
	"center": "centre", "cent": "centre", "dept": "department", "dpt": "department", "dir": "directorate", "div": "division",
	"bu": "businessunit", "acc": "account", "acct": "account", "accnt": "account", "nom": "nominal", "nl": "nominal",
	"gl": "ledger", "subj": "subjective", "supp": "supplier", "suppl": "supplier", "sup": "supplier", "vend": "vendor",
	"cat": "category", "qty": "quantity", "no": "number", "num": "number", "nbr": "number", "nr": "number", "ref": "reference",
	"txn": "transaction", "trans": "transaction", "tran": "transaction", "inv": "invoice", "yr": "year", "fy": "year",
	"pct": "percent", "cur": "currency", "ccy": "currency", "curr": "currency", "dt": "date", "cd": "code", "nm": "name",
	"var": "variance", "diff": "difference", "wte": "fte", "scp": "spinalpoint", "oncosts": "oncost", "programme": "programme",
	"program": "programme", "organization": "organisation", "analysed": "analysis",
	"dr": "debit", "cr": "credit", "qtr": "quarter", "mth": "month", "mnth": "month",
}

// canonCache remembers canonical words across sheets and files (the same
// words come back); it stops growing at canonCacheMax words.
var (
	canonCache    sync.Map
	canonCacheLen atomic.Int64
)

const canonCacheMax = 1 << 16

// canonical is a word as the lexicon knows it, and whether it does.
func canonical(t string) (string, bool) {
	if v, ok := canonCache.Load(t); ok {
		cw := v.(canonWord)
		return cw.word, cw.known
	}
	c, known := lookupWord(t)
	if canonCacheLen.Load() < canonCacheMax {
		canonCache.Store(strings.Clone(t), canonWord{c, known})
		canonCacheLen.Add(1)
	}
	return c, known
}

func lookupWord(t string) (string, bool) {
	if c, ok := synonyms[t]; ok {
		return c, true
	}
	s := singular(t)
	if lexicon[s] {
		return s, true
	}
	if c, ok := synonyms[s]; ok {
		return c, true
	}
	if c := fuzzyWord(s); c != "" {
		return c, true
	}
	return t, false
}

func singular(t string) string {
	switch {
	case len(t) > 4 && strings.HasSuffix(t, "ies"):
		return t[:len(t)-3] + "y"
	case len(t) > 4 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss") && !strings.HasSuffix(t, "us") && !strings.HasSuffix(t, "is"):
		return t[:len(t)-1]
	}
	return t
}

// fuzzyTargets are the words a misspelling or an abbreviation is matched
// to, by first letter.
var fuzzyTargets = func() map[byte][]string {
	m := map[byte][]string{}
	for w := range lexicon {
		if len(w) >= 5 && !preposition[w] && !stopWord[w] && w != "exvat" && w != "incvat" {
			m[w[0]] = append(m[w[0]], w)
		}
	}
	for _, ws := range m {
		slices.Sort(ws)
	}
	return m
}()

// fuzzyWord matches an unknown word to the one lexicon word it is a slip
// of ("Ammount", "Decription": one letter out in six, two in nine) or an
// abbreviation of ("Dscrptn": the word's letters in order, at least half of
// them, few vowels), or "" when none or several fit.
func fuzzyWord(t string) string {
	if len(t) < 3 || len(t) > 20 {
		return ""
	}
	match := ""
	for _, w := range fuzzyTargets[t[0]] {
		ok := false
		switch {
		case len(t) >= 6 && slipDistance(t, w) <= 1, len(t) >= 9 && slipDistance(t, w) <= 2:
			ok = true // not five letters: "speed" is not "spend"
		case abbreviable[w] && len(t) < len(w) && 2*len(t) >= len(w) && vowels(t[1:]) <= 1 && isSubsequence(t, w):
			// An abbreviation drops vowels: "Cst", "Dscrptn", "Dept",
			// but "care" is a word, not "charge".
			ok = true
		}
		if ok {
			if match != "" && match != w {
				return ""
			}
			match = w
		}
	}
	return match
}

// abbreviable are the words ledgers shorten by dropping letters ("Amnt",
// "Dscrptn", "Cntr"); other words are matched only for slips, so "non" is
// not "nominal" nor "PPE" "purpose".
var abbreviable = set("amount", "description", "department", "directorate", "supplier", "centre", "account",
	"category", "budget", "expenditure", "narrative", "beneficiary", "classification", "transaction", "reference",
	"number", "quantity", "division", "payment", "forecast", "outturn", "balance", "actual")

func vowels(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("aeiouy", s[i]) >= 0 {
			n++
		}
	}
	return n
}

func isSubsequence(short, long string) bool {
	j := 0
	for i := 0; i < len(long) && j < len(short); i++ {
		if long[i] == short[j] {
			j++
		}
	}
	return j == len(short)
}

// slipDistance is the optimal string alignment distance of two short
// lower-case words (a swap of neighbours counts as one).
func slipDistance(a, b string) int {
	if d := len(a) - len(b); d > 2 || d < -2 {
		return 3
	}
	var rows [3][24]int
	if len(b) >= 23 {
		return 3
	}
	for j := 0; j <= len(b); j++ {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur, prev, prev2 := &rows[i%3], &rows[(i-1)%3], &rows[(i+1)%3]
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
	}
	return rows[len(a)%3][len(b)]
}

// mergePairs joins two-word names: "cost centre", "business unit".
var pairs = map[[2]string]string{
	{"cost", "centre"}: "costcentre", {"responsibility", "centre"}: "costcentre", {"business", "unit"}: "businessunit",
	{"business", "area"}: "businessunit", {"general", "ledger"}: "ledger", {"post", "title"}: "posttitle",
	{"job", "title"}: "posttitle", {"spinal", "point"}: "spinalpoint", {"scale", "point"}: "spinalpoint",
	{"on", "cost"}: "oncost", {"pay", "band"}: "band",
}

func mergePairs(ts []string) []string {
	out := ts[:0:0]
	for i := 0; i < len(ts); i++ {
		if i+1 < len(ts) {
			if m, ok := pairs[[2]string{ts[i], ts[i+1]}]; ok {
				out = append(out, m)
				i++
				continue
			}
		}
		out = append(out, ts[i])
	}
	return out
}

// moneyWords in an amount heading say money rather than a measure ("value",
// "total" and "sum" head lengths and counts as often as pounds).
var moneyWords = set("amount", "spend", "paid", "payment", "expenditure", "cost", "budget", "actual", "outturn",
	"forecast", "net", "gross", "price", "funding", "allocation", "charge", "salary", "pay", "estimate", "provision")

// saysMoney reports whether an amount heading names money: a money word or
// a unit (£, £000), its own or from a title or units row (shift).
func saysMoney(w *headerWords, shift int) bool {
	return w != nil && (w.hasAny(moneyWords) || w.hasUnit) || shift != 0
}

// nameRole is a field a heading's words suggest, and how strongly.
type nameRole struct {
	field Field
	score float64
}

// amountName is how strongly a heading's words say "amount" (0 for not at
// all).
func amountName(w *headerWords) float64 {
	if w.hasAny(notAmount) || w.isDebitCredit() || w.has("running") && w.has("balance", "total", "sum") {
		return 0
	}
	switch {
	case w.hasAny(periodWords) && !w.hasAny(amountWords):
		return 0 // "Q1", "Apr", "Monthly": part of a year
	case w.isFullYear():
		return 0.8 // "Full Year", "Annual", "2026/27", "FY27"
	case amountWords[w.head]:
		return 1
	case w.head == "" && w.hasUnit:
		return 0.9 // "£", "£000"
	case lexicon[w.head]:
		return 0 // about something else: "Budget Code", "Payment Date"
	case w.hasUnit:
		return 0.85 // "2023-24 Fiscal Resource £million"
	case w.hasAny(amountWords) && !w.has("net", "gross"):
		return 0.6 // "Total allocation for the premium"; not "Net Fiber Length"
	}
	return 0
}

// isDebitCredit reports whether a heading is a debit or a credit column's
// ("Debit", "ACCOUNTED_CR", "Credit Amount"; not "Credit Card Number").
func (w *headerWords) isDebitCredit() bool {
	return w.hasAny(debitCredit) && !w.has("card")
}

// isFullYear reports whether a heading names only a whole year: "Full
// Year", "Annual", "2026/27", "FY27", "Full Year 2026/27"; not "Year"
// alone, which heads a column of years.
func (w *headerWords) isFullYear() bool {
	if w.head != "" || w.hasAny(periodWords) {
		return false
	}
	return w.has("annual") || w.has("full") && w.has("year") || w.year > 0 && w.years
}

// nameRoles are the fields other than amount a heading's words suggest.
func nameRoles(w *headerWords) []nameRole {
	var r []nameRole
	if w.isDebitCredit() {
		return nil // a debit or credit column, whatever else it says ("ACCOUNTED_DR")
	}
	add := func(f Field, s float64) { r = append(r, nameRole{f, s}) }
	head := w.head
	switch {
	case w.has("costcentre"):
		if nameHeads[head] {
			add(FieldCostCentreName, 1)
		} else {
			add(FieldCostCentre, 1)
			add(FieldCostCentreName, 0.85) // a cost centre column holding names
		}
	case w.hasAny(payeeWords) && !w.hasAny(notPayee):
		s := 0.5
		if payeeWords[head] || nameHeads[head] {
			s = 1
		}
		if w.has("provider") && !w.has("supplier", "payee", "beneficiary", "vendor", "merchant", "creditor") {
			s *= 0.6
		}
		add(FieldPayee, s)
	case w.has("contact") && (head == "contact" || nameHeads[head]) && !w.hasAny(aboutOther):
		add(FieldPayee, 0.7) // Xero's "Contact": the supplier or customer
	case w.hasAny(buWords):
		switch {
		case buWords[head] || nameHeads[head]:
			add(FieldBusinessUnit, 1)
		case codeHeads[head]:
			add(FieldBusinessUnit, 0.4)
		default:
			add(FieldBusinessUnit, 0.6)
		}
	case w.hasAny(nominalWords):
		switch {
		case nameHeads[head]:
			add(FieldNominalName, 1)
		case codeHeads[head]:
			add(FieldNominal, 1)
			add(FieldNominalName, 0.8) // "Account Code" twice, the second holding names
			add(FieldLineType, 0.75)
		default:
			add(FieldNominal, 1)
			add(FieldLineType, 0.85) // "Account" holding text
			add(FieldNominalName, 0.8)
		}
	case w.hasAny(expenseWords) && lineTypeHeads[head]:
		add(FieldLineType, 1) // "Expense Type", "Expenditure Category", "Cost Type"
	case w.has("expense", "expenditure") && codeHeads[head]:
		add(FieldNominal, 0.8) // "Expenditure Code"
		add(FieldLineType, 0.7)
	case w.has("service"):
		// A business unit where nothing else is one, else a line type.
		add(FieldBusinessUnit, 0.6)
		add(FieldLineType, 0.55)
	case w.has("category", "classification", "purpose"):
		add(FieldLineType, 0.8)
	case w.has("activity", "function", "programme"):
		add(FieldLineType, 0.6)
	case w.has("portfolio"):
		add(FieldBusinessUnit, 0.6)
	case w.has("entity"):
		add(FieldBusinessUnit, 0.5)
	case descHeads[head] > 0 && !w.hasAny(aboutOther):
		add(FieldDescription, descHeads[head])
		add(FieldLineType, 0.6*descHeads[head]) // a second description
	case head == "type" || head == "group" || head == "family" || head == "class":
		add(FieldLineType, 0.5)
	case head == "area":
		add(FieldLineType, 0.4)
	}
	if w.hasAny(aboutOther) && !w.has("exvat", "incvat") {
		r = slices.DeleteFunc(r, func(n nameRole) bool { return n.field != FieldBusinessUnit && n.field != FieldPayee })
	}
	return r
}

// penalty weakens a heading for each word the vocabulary does not know.
// Six unknown words make a sentence, not a heading.
func (w *headerWords) penalty() float64 {
	if w.unknown >= 6 {
		return 0
	}
	return max(0.4, 1-0.1*float64(w.unknown))
}

// amountRank orders amount columns: a revised or current budget, then a
// budget, then actuals and plain amounts, then forecasts, then commitments
// and year-to-date figures (major); within those net before gross, pounds
// before an original currency, a total before its parts (minor).
func amountRank(w *headerWords) (major int, minor float64) {
	major = 3
	switch {
	case w.has("budget", "estimate", "allocation") && w.has("revised", "current", "latest", "approved", "working", "final"):
		major = 5
	case w.has("budget", "estimate"):
		major = 4
	case w.has("commitment", "accrual", "profile", "ytd", "prior", "previous", "last"):
		major = 1
	case w.has("forecast"):
		major = 2
	}
	if w.hasAny(periodWords) {
		major = 0 // a quarter's or a month's figure: never before a full year's
	}
	if w.has("net") {
		minor += 0.5
	}
	if w.has("gross") {
		minor -= 0.2
	}
	if w.has("original") && major < 4 {
		minor -= 0.5 // "ORIGINAL GROSS AMT" is in the card's currency
	}
	if w.has("billing") || w.hasUnit {
		minor += 0.3
	}
	if w.has("total") {
		minor += 0.3
	}
	if w.has("exvat") {
		minor += 0.2
	}
	if w.has("incvat") {
		minor -= 0.2
	}
	return major, minor
}

// scored is a column's claim to a field.
type scored struct {
	col   int
	field Field
	score float64
}

// evaluate reads row i as a header: the best column for each field, by
// heading and by the cells below, and a score for the whole row. It returns
// nil for a row with no heading cells.
func (s *headScan) evaluate(i int, amountColumn string) *header {
	return s.evaluateRow(s.rows[i], i, nil, amountColumn)
}

// evaluateRow reads r as a header whose lines start below row i of the
// scan. own, for a header over two rows, holds the lower row's own texts:
// a header repeated further down repeats those.
func (s *headScan) evaluateRow(r rowCells, i int, own map[int]string, amountColumn string) *header {
	h := &header{Row: s.rows[i].Row, Top: r.Row, Texts: map[int]string{}}
	numbers, nonEmpty := 0, 0
	isNumber := map[int]bool{}
	for _, c := range r.Cells {
		text := strings.TrimSpace(c.Value)
		if text == "" {
			continue
		}
		nonEmpty++
		h.Texts[c.Col] = text
		h.LastCol = max(h.LastCol, c.Col)
		if isAmount(text) && !unitHeading.MatchString(text) {
			numbers++
			isNumber[c.Col] = true
		}
	}
	if nonEmpty == 0 || 2*numbers > nonEmpty && amountColumn == "" {
		return nil // a row of numbers is data, however its words read
	}
	tools := toolColumns(h.Texts) // columns an earlier run added
	ignore := annotationFrom(tools)
	type amountCand struct {
		col          int
		w            *headerWords
		major        int
		minor, score float64
	}
	var amounts []amountCand
	var claims []scored
	type amountFit struct {
		fit float64
		n   int
	}
	fits := map[int]amountFit{}
	headings := map[int]*headerWords{}
	for _, c := range r.Cells {
		text := h.Texts[c.Col]
		if text == "" || (ignore > 0 && c.Col >= ignore) || isToolColumn(tools, c.Col) || isNumber[c.Col] {
			continue // a number is no heading
		}
		w := s.analyse(text)
		headings[c.Col] = w
		repeated := text
		if own != nil {
			repeated = own[c.Col]
		}
		st := s.stats(c.Col, i, repeated)
		if w.isDebitCredit() {
			if w.has("debit") {
				h.debits = append(h.debits, c.Col)
			} else {
				h.credits = append(h.credits, c.Col)
			}
		}
		if name := amountName(w); name*w.penalty() > 0 {
			a := name * w.penalty()
			if w.shift > 0 {
				st.rate = 0 // 0.125 is £125 in a £000 column
			}
			f := fit(FieldAmount, st)
			// A heading that only mentions an amount word ("Total
			// number of pupils") must have amounts below it; a clear
			// one may have a few bad cells, to be named as errors.
			if (st.n < 5 || f >= 0.3) && (name >= 0.9 || st.n == 0 || f >= 0.5) {
				major, minor := amountRank(w)
				if f < 0.5 {
					minor -= 1
				}
				amounts = append(amounts, amountCand{c.Col, w, major, minor, a * (0.25 + 0.75*f)})
				fits[c.Col] = amountFit{f, st.n}
				continue
			}
		}
		for _, n := range nameRoles(w) {
			f := fit(n.field, st)
			if st.n == 0 && len(s.rows)-i > 2 {
				f = 0.05 // nothing below, with rows of data there: not this table's
			}
			sc := n.score * w.penalty() * (0.25 + 0.75*f)
			if sc >= 0.25 {
				claims = append(claims, scored{c.Col, n.field, sc})
			}
		}
	}

	// The amount column: the one asked for, else the best ranked.
	amountScore := 0.0
	if amountColumn != "" {
		col := columnByName(h.Texts, amountColumn)
		if ignore > 0 && col >= ignore {
			col = 0
		}
		if col > 0 {
			h.Columns[FieldAmount] = col
			amountScore = 1
			for _, a := range amounts {
				if a.col != col {
					h.OtherAmounts = append(h.OtherAmounts, oneLine(h.Texts[a.col]))
				}
			}
			claims = slices.DeleteFunc(claims, func(c scored) bool { return c.col == col })
			if w := headings[col]; w != nil {
				h.UnitShift = w.shift
			}
		}
	} else if len(amounts) > 0 {
		slices.SortStableFunc(amounts, func(a, b amountCand) int {
			if a.major != b.major {
				return b.major - a.major
			}
			if a.w.year != b.w.year {
				return b.w.year - a.w.year
			}
			return cmp.Compare(b.minor, a.minor)
		})
		h.Columns[FieldAmount] = amounts[0].col
		amountScore = amounts[0].score
		h.UnitShift = amounts[0].w.shift
		for _, a := range amounts[1:] {
			h.OtherAmounts = append(h.OtherAmounts, oneLine(h.Texts[a.col]))
		}
	}
	if ac := h.Columns[FieldAmount]; ac > 0 && h.UnitShift == 0 && (headings[ac] == nil || !headings[ac].hasUnit) {
		// "Financial Transactions" among columns all headed "£million"
		// is in millions too.
		shift := -1
		for _, a := range amounts {
			if a.col == ac || !a.w.hasUnit {
				continue
			}
			if shift == -1 {
				shift = a.w.shift
			} else if shift != a.w.shift {
				shift = 0
			}
		}
		if shift > 0 {
			h.UnitShift = shift
			h.unitNote = ", as the amount columns beside it are"
		} else if shift, note := s.unitAround(i, ac); shift > 0 {
			h.UnitShift, h.unitNote = shift, note
		}
	}

	h.Thousands = h.UnitShift == 3

	// Every other field: the strongest claims first, a column to one field
	// (line types may be several).
	slices.SortStableFunc(claims, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if a.col != b.col {
			return a.col - b.col
		}
		return int(a.field) - int(b.field)
	})
	used := map[int]bool{h.Columns[FieldAmount]: true}
	for _, a := range amounts {
		used[a.col] = true
	}
	var score [numFields]float64
	var lineTypes []int
	lineTypeScore := 0.0
	for _, c := range claims {
		if used[c.col] {
			continue
		}
		if c.field == FieldLineType {
			used[c.col] = true
			lineTypes = append(lineTypes, c.col)
			if len(lineTypes) == 1 {
				lineTypeScore = c.score
			} else {
				lineTypeScore += 0.2 * c.score
			}
			continue
		}
		if h.Columns[c.field] > 0 {
			continue
		}
		used[c.col] = true
		h.Columns[c.field] = c.col
		score[c.field] = c.score
	}
	slices.Sort(lineTypes)
	// "Account" twice, codes then names: the names are the nominal's.
	for _, f := range [][2]Field{{FieldNominal, FieldNominalName}, {FieldCostCentre, FieldCostCentreName}} {
		family := nominalWords
		if f[0] == FieldCostCentre {
			family = costCentreWords
		}
		if !h.has(f[0]) || h.has(f[1]) {
			continue
		}
		if i := slices.IndexFunc(lineTypes, func(col int) bool { return headings[col].hasAny(family) }); i >= 0 {
			h.Columns[f[1]] = lineTypes[i]
			score[f[1]] = 0.8
			lineTypes = slices.Delete(lineTypes, i, i+1)
		}
	}
	if len(lineTypes) > 0 {
		h.Columns[FieldLineType] = lineTypes[0]
		h.LineTypeCols = lineTypes[1:]
		score[FieldLineType] = lineTypeScore
	}
	// A service column ("Service", "Service Area") beside amounts and
	// nothing else: the service is what each line is, as well as its
	// business unit. A directorate alone is not (a summary by directorate
	// repeats a detail sheet's lines).
	if bu := h.Columns[FieldBusinessUnit]; bu > 0 && h.has(FieldAmount) && !slices.ContainsFunc(descriptive, h.has) && headings[bu] != nil &&
		(headings[bu].head == "service" || headings[bu].head == "area" && headings[bu].has("service")) &&
		fit(FieldLineType, s.stats(bu, i, h.Texts[bu])) >= 0.6 {
		if i := slices.IndexFunc(claims, func(c scored) bool { return c.col == bu && c.field == FieldLineType }); i >= 0 {
			h.Columns[FieldLineType] = bu
			score[FieldLineType] = claims[i].score
		}
	}

	// A table whose first column is headed with a title ("Health and Social
	// Care") rather than a field name: the column of names beside the
	// amounts says what each line is.
	// Only beside a heading that says money: "Default Value" over heights
	// or "TotalFiberLength" is a measure, not spend.
	if f, ok := fits[h.Columns[FieldAmount]]; ok && f.fit >= 0.5 && !slices.ContainsFunc(descriptive, h.has) && saysMoney(headings[h.Columns[FieldAmount]], h.UnitShift) {
		if col, f := s.labelColumn(i, h, headings, used); col > 0 {
			h.Columns[FieldDescription] = col
			h.byContent[FieldDescription] = true
			score[FieldDescription] = 0.35 * f
		}
	}

	// Amounts that are mostly not money ("0.035" for a pay award, "TBC")
	// make a header only of a row that names several other columns.
	if f, ok := fits[h.Columns[FieldAmount]]; ok && f.n >= 2 && f.fit < 0.5 {
		named := 0
		for _, d := range descriptive {
			if h.has(d) {
				named++
			}
		}
		if named < 2 {
			h.weak = true
		}
	}

	total := 2 * amountScore
	for f, sc := range score {
		if Field(f) != FieldAmount {
			total += sc
		}
	}
	// A row of numbers is data, however its words read.
	h.score = total * (1 - 0.5*float64(numbers)/float64(nonEmpty))
	return h
}

// unitStatement is a short cell that says what unit a table is in: "£000",
// "£'000s", "(£m)", "All figures in £000", "Thousands of pounds".
var unitStatement = regexp.MustCompile(`(?i)(£\s*'?000s?\b|£\s*'?000$|£\s*k\b|£\s*m\b|£\s*mn\b|£\s*millions?\b|\bthousands of pounds\b|\bmillions of pounds\b)`)

// unitAround finds the unit of an amount column whose heading gives none:
// in the cell just above or below the heading (a units row of a two-row
// header), or in a short title line above the header ("All amounts in
// £000"). It returns 0 when nothing says, or when lines disagree.
func (s *headScan) unitAround(i, col int) (int, string) {
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(s.rows) {
			if c, ok := s.rows[j].at(col); ok {
				if shift := unitStated(c.Value); shift > 0 {
					return shift, fmt.Sprintf(", as row %d says", s.rows[j].Row)
				}
			}
		}
	}
	if s.titleUnits == nil {
		// What each row says of units, worked out once: 0 nothing, 3 or
		// 6, -1 both.
		s.titleUnits = make([]int, len(s.rows))
		for j, r := range s.rows {
			for _, c := range r.Cells {
				switch shift := unitStated(c.Value); {
				case shift == 0:
				case s.titleUnits[j] == 0:
					s.titleUnits[j] = shift
				case s.titleUnits[j] != shift:
					s.titleUnits[j] = -1
				}
			}
		}
	}
	found, row := 0, 0
	for j := 0; j < i; j++ {
		switch u := s.titleUnits[j]; {
		case u == 0:
		case u < 0, found != 0 && found != u:
			return 0, ""
		default:
			found, row = u, s.rows[j].Row
		}
	}
	if found > 0 {
		return found, fmt.Sprintf(", as row %d says", row)
	}
	return 0, ""
}

// unitStated is the unit a short cell states (3 for thousands, 6 for
// millions of pounds), or 0.
func unitStated(v string) int {
	v = strings.TrimSpace(v)
	if v == "" || strings.Count(v, " ") > 6 || !strings.Contains(v, "£") && !strings.Contains(v, "of pounds") {
		return 0
	}
	if !unitStatement.MatchString(v) {
		return 0
	}
	if millionsPattern.MatchString(v) {
		return 6
	}
	return 3
}

// labelColumn finds, left of the amount column, an unclaimed column whose
// cells below are text, mostly different from each other (names of lines,
// not a repeated category); 0 if none.
func (s *headScan) labelColumn(i int, h *header, headings map[int]*headerWords, used map[int]bool) (int, float64) {
	best, bestDistinct, bestFit := 0, 0.0, 0.0
	for col, w := range headings {
		if used[col] || col > h.Columns[FieldAmount] || w.penalty() == 0 || w.hasAny(aboutOther) || w.hasAny(codeHeads) {
			continue
		}
		st := s.stats(col, i, h.Texts[col])
		f := fit(FieldDescription, st)
		if st.n < 2 || float64(st.text)/float64(st.n) < 0.6 {
			continue
		}
		seen := map[string]bool{}
		for _, r := range s.rows[i+1:] {
			if v := r.text(col); v != "" {
				seen[strings.ToLower(v)] = true
			}
		}
		distinct := float64(len(seen)) / float64(st.n)
		if distinct >= 0.8 {
			distinct = 1 // names of lines: take the leftmost
		}
		if best == 0 || distinct > bestDistinct || distinct == bestDistinct && col < best {
			best, bestDistinct, bestFit = col, distinct, f
		}
	}
	return best, bestFit
}

// looksLikeStaffing reports whether header cells are a staffing table's:
// two or more kinds of staffing column (posts, FTE, grades, salaries,
// on-costs…). Such a table lists pay that a budget already counts.
func looksLikeStaffing(texts map[int]string) bool {
	return staffingScore(slices.Collect(maps.Values(texts))) >= 2
}

// staffingGroups are the kinds of header a table of posts has; two or
// more of them make a staffing table.
var staffingGroups = [][]string{
	{"fte", "wte", "full time equivalent", "whole time equivalent"},
	{"post", "post title", "post no", "post number", "post ref", "post id", "job title", "postholder", "post holder"},
	{"grade", "spinal point", "spine point", "scp", "pay scale", "scale point"},
	{"salary", "basic salary", "annual salary", "basic pay", "salary point"},
	{"on costs", "oncosts", "on cost", "employer on costs"},
	{"hours", "contracted hours", "hours per week"},
	{"employee name", "staff name", "employee no", "employee number", "payroll no", "payroll number"},
}

// staffingScore counts the kinds of staffing header among texts.
func staffingScore(texts []string) int {
	norm := make([]string, len(texts))
	for i, text := range texts {
		norm[i] = " " + normaliseHeader(text) + " "
	}
	seen := 0
	for i, group := range staffingGroups {
		for _, n := range norm {
			found := false
			for _, w := range group {
				if strings.Contains(n, " "+w+" ") {
					found = true
					break
				}
			}
			if found {
				seen |= 1 << i
				break
			}
		}
	}
	count := 0
	for ; seen > 0; seen &= seen - 1 {
		count++
	}
	return count
}

// columnByName finds a column by its header text (case and punctuation
// ignored) or by its letter ("G").
func columnByName(texts map[int]string, name string) int {
	want := normaliseHeader(name)
	cols := make([]int, 0, len(texts))
	for col := range texts {
		cols = append(cols, col)
	}
	slices.Sort(cols)
	for _, col := range cols {
		if normaliseHeader(texts[col]) == want {
			return col
		}
	}
	// A column letter, but only one inside the header: "Amt" is not
	// column AMT.
	last := 0
	if len(cols) > 0 {
		last = cols[len(cols)-1]
	}
	if col, err := columnNumber(strings.TrimSpace(name)); err == nil && col <= last {
		return col
	}
	return 0
}
