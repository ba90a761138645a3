package ingest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// A row is a subtotal only on evidence: a SUM or SUBTOTAL formula over the
// amount column, or a label that says total (in a label column, or a cell
// that is nothing but "Total" or "Grand total" anywhere) with an amount
// that equals the lines it names. A row with nothing but an amount is a
// total when it equals the lines above it. A result row (net expenditure,
// surplus for the year) is a total whatever it shows. Anything else is a
// line; one that says total without adding up is read as a line and
// pointed out, because a total counted twice is a wrong figure.

// column kinds, for telling where a total word counts.
const (
	kindUnnamed = iota // a column the header does not name as a field: section labels often sit there
	kindLabel          // a column that labels a line: business unit, cost centre, nominal, description, line type
	kindOther          // the payee, and notes and other free text
)

// freeText heads a column of notes, whose words say nothing of the row.
var freeText = regexp.MustCompile(`(?i)\b(notes?|comments?|remarks?|explanation|explanatory|memo|reasons?|what it buys|commentary|justification)\b`)

var (
	grandWord = regexp.MustCompile(`(?i)\bgrand\s+total\b`)
	// pureTotal is a cell that says total and nothing else a supplier
	// could be called.
	pureTotal = regexp.MustCompile(`(?i)^\s*(grand\s+total|sub-?\s?totals?|totals?)\s*:?\s*$`)
	// genericRest is what may stand beside a total word without naming a
	// group: "Level 3 Total", "Total expenditure", "Total for the year".
	genericRest = regexp.MustCompile(`^(level \d+|lvl \d+|l\d|all|overall|net|gross|expenditure|spend|spending|costs?|budget|income|payments?|amount|sheet|page|column|for (the )?(year|period|month|sheet|page|column)|carried forward|c f|brought forward|b f|to date|ytd|year to date|\d+)$`)
	// resultPhrase is a result row's whole label, normalised.
	resultPhrase = regexp.MustCompile(`^(` +
		`(net )?(operating )?(surplus|deficit)( surplus| deficit)?( for the (year|period))?` +
		`|net (expenditure|spend|spending|income|cost|costs|cost of services?|revenue (expenditure|budget|cost|costs)|budget( requirement)?|position|operating (expenditure|costs?|income|surplus|deficit))( for the (year|period))?` +
		`|total (net |gross )?(expenditure|income|spend|costs|expenses|operating (expenditure|costs|expenses)|revenue expenditure)( for the (year|period))?` +
		`|(gross|net) (expenditure|income) total` +
		`|(net|gross|operating) (profit|loss)( (profit|loss))?( (before|after) (tax|taxation|interest))?( for the (year|period))?` +
		`|(profit|loss)( (profit|loss))?( (before|after) (tax|taxation|interest)| for the (year|period))( for the (year|period))?` +
		`|budget requirement` +
		`)$`)
)

// resultFirstWords start every result phrase: a cheap test before the
// regular expression.
var resultFirstWords = []string{"net", "surplus", "deficit", "total", "operating", "gross", "budget", "profit", "loss"}

// totalClue is what a row's cells say about it being a total.
type totalClue struct {
	word   bool // a total word in a label column, or a cell that is a total and nothing else
	grand  bool
	result bool // a result row's label
	bare   bool // no text at all and no code: an amount on its own
	// generic is set when the total word stands alone or beside a word
	// that names no group ("Total", "Level 3 Total", "Total expenditure").
	generic bool
	// names are what the label may name, normalised: the text beside the
	// total word first, then the row's other label text.
	names []string
	// code is set when the row has a nominal or cost centre code that is
	// not itself a total label.
	code bool
}

func (c totalClue) any() bool { return c.word || c.result || c.bare }

// columnKinds sorts the table's columns for total words.
func (b *tableBuilder) columnKinds() {
	t := b.t
	n := t.LastCol
	for col := range b.header.Texts {
		n = max(n, col)
	}
	kinds := make([]uint8, n+1)
	for col, text := range b.header.Texts {
		if freeText.MatchString(text) {
			kinds[col] = kindOther
		}
	}
	if c := t.Columns[FieldPayee]; c > 0 {
		kinds[c] = kindOther
	}
	for _, f := range labelFields {
		if c := t.Columns[f]; c > 0 {
			kinds[c] = kindLabel
		}
	}
	for _, c := range b.lineTypeCols {
		kinds[c] = kindLabel
	}
	b.kinds = kinds
}

// kind is a column's kind; columns right of the header have no name.
func (b *tableBuilder) kind(col int) uint8 {
	if col < len(b.kinds) {
		return b.kinds[col]
	}
	return kindUnnamed
}

// mayBeTotal is a cheap first test, run on every row: could it be a
// total, a result row or a bare amount? Most rows are lines, and a
// million of them should not each be searched with regular expressions.
func (b *tableBuilder) mayBeTotal(r rowCells, amountCol int) bool {
	if mentionsTotal(r) || b.repeatsHeading(r) >= 0 {
		return true
	}
	letters := false
	for _, c := range r.Cells {
		if c.Col == amountCol {
			continue
		}
		v := c.Value
		if !letters && hasLetter(v) {
			letters = true
		}
		if len(v) == 0 || b.kind(c.Col) == kindOther {
			continue
		}
		if k := v[0] | 0x20; k != 'n' && k != 's' && k != 'd' && k != 't' && k != 'o' && k != 'g' && k != 'b' && k != 'p' && k != 'l' && v[0] != '(' && v[0] != ' ' {
			continue // no result phrase starts so
		}
		first := firstWord(v)
		for _, w := range resultFirstWords {
			if len(w) == len(first) && strings.EqualFold(first, w) {
				return true
			}
		}
	}
	return !letters && r.text(b.t.Columns[FieldNominal]) == "" && r.text(b.t.Columns[FieldCostCentre]) == ""
}

// firstWord is v's first word: after any spaces and opening brackets, up
// to a space, a closing bracket or a slash.
func firstWord(v string) string {
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '(') {
		i++
	}
	v = v[i:]
	for i = 0; i < len(v) && v[i] != ' ' && v[i] != ')' && v[i] != '/'; i++ {
	}
	return v[:i]
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' || s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// readClue reads what a row says about being a total.
func (b *tableBuilder) readClue(r rowCells) totalClue {
	var c totalClue
	col := b.t.Columns
	amountCol := col[FieldAmount]
	text := false
	var rests, others []string
	for _, cl := range r.Cells {
		if cl.Col == amountCol {
			continue
		}
		v := strings.TrimSpace(cl.Value)
		if v == "" {
			continue
		}
		if _, err := ParsePence(v); err == nil {
			continue // a number (a code, another amount) labels nothing here
		}
		text = true
		kind := b.kind(cl.Col)
		if kind == kindOther {
			if pureTotal.MatchString(v) {
				c.word, c.generic = true, true
				c.grand = c.grand || grandWord.MatchString(v)
			}
			continue
		}
		n := normaliseHeader(v)
		if resultPhrase.MatchString(n) {
			c.result = true
		}
		if totalWord.MatchString(v) {
			c.word = true
			c.grand = c.grand || grandWord.MatchString(v)
			rest := normaliseHeader(totalWord.ReplaceAllString(v, " "))
			if rest == "" || genericRest.MatchString(rest) {
				c.generic = true
			} else {
				rests = append(rests, rest)
			}
			continue
		}
		others = append(others, n)
	}
	nominal, costCentre := r.text(col[FieldNominal]), r.text(col[FieldCostCentre])
	c.code = nominal != "" && !totalWord.MatchString(nominal) && !resultPhrase.MatchString(normaliseHeader(nominal)) ||
		costCentre != "" && !totalWord.MatchString(costCentre)
	c.bare = !text && nominal == "" && costCentre == ""
	// "Total HM101" names HM101; a bare "Total" beside a code names the
	// code; "Total Care Ltd fees" beside a code names no group.
	c.names = rests
	if len(rests) == 0 {
		c.names = others
	}
	return c
}

// coverage is what a total stands for: ranges of line indexes, and a sum
// of lines it names by key, with how that was told.
type coverage struct {
	ranges [][2]int
	keyed  int64
	check  string
	lines  int // lines in ranges (keyed lines are not counted)
}

// candidates lists what a total row may stand for, most specific first.
// named is set when one was found by the label's own words.
func (b *tableBuilder) candidates(c totalClue) (out []coverage, named bool) {
	n := b.lineRows.Len()
	if n == 0 {
		return nil, false
	}
	var firstWords []string
	for _, name := range c.names {
		if f := strings.Fields(name); len(f) > 1 {
			firstWords = append(firstWords, f[0])
		}
	}
	// The lines of a cost centre, cost centre name or business unit the
	// label names ("Total HM101", "Total Housing").
	for _, try := range append(append([]string{}, c.names...), firstWords...) {
		for j, what := range [3]string{"cost centre", "cost centre", "business unit"} {
			var sum int64
			found := false
			for v, s := range b.keys[j] {
				if normaliseHeader(v) == try {
					var ok bool
					if sum, ok = addPence(sum, *s); !ok {
						b.overflow = true
					}
					found = true
				}
			}
			if found {
				out = append(out, coverage{keyed: sum, check: fmt.Sprintf("the lines of %s %q above it", what, try)})
				named = true
			}
		}
		// The lines under a heading the label repeats ("Total - Planning"),
		// the latest such heading first; or a heading it shortens ("Total
		// - Corporate Running" under "Corporate Running Costs").
		ats := b.headings[try]
		for i := len(ats) - 1; i >= 0; i-- {
			out = append(out, coverage{ranges: [][2]int{{ats[i], n - 1}}, check: fmt.Sprintf("the lines under the heading %q", try), lines: n - ats[i]})
			named = true
		}
		if len(ats) == 0 && try != "" {
			for _, h := range slices.Sorted(maps.Keys(b.headings)) { // in one order, run after run
				ats := b.headings[h]
				if strings.HasPrefix(h, try+" ") || strings.HasPrefix(try, h+" ") {
					at := ats[len(ats)-1]
					out = append(out, coverage{ranges: [][2]int{{at, n - 1}}, check: fmt.Sprintf("the lines under the heading %q", h), lines: n - at})
					named = true
				}
			}
		}
	}
	if b.lastSub < n {
		out = append(out, coverage{ranges: [][2]int{{b.lastSub, n - 1}}, check: "the lines since the previous subtotal", lines: n - b.lastSub})
	} else if c.word && (named || c.generic) {
		// A total of nothing: its group's lines were all headings at £0.
		out = append(out, coverage{ranges: [][2]int{}, check: "no lines since the previous subtotal"})
	}
	if b.lastHeading > b.lastSub && b.lastHeading < n {
		out = append(out, coverage{ranges: [][2]int{{b.lastHeading, n - 1}}, check: "the lines since the heading above it", lines: n - b.lastHeading})
	}
	all := coverage{ranges: [][2]int{{0, n - 1}}, check: "the lines above it", lines: n}
	if c.grand {
		out = append([]coverage{all}, out...)
	} else {
		out = append(out, all)
	}
	return out, named
}

// sum is what a coverage adds up to; ok is false if that cannot be held.
func (b *tableBuilder) sum(cv coverage) (int64, bool) {
	s := cv.keyed
	for _, r := range cv.ranges {
		part, ok := b.sumLines(r[0], r[1])
		if !ok {
			return 0, false
		}
		if s, ok = addPence(s, part); !ok {
			return 0, false
		}
	}
	return s, true
}

// sumLines adds lines lo..hi (indexes) from the running totals, leaving
// out rows held back and found to be totals of the lines below them.
func (b *tableBuilder) sumLines(lo, hi int) (int64, bool) {
	s, ok := subPence(b.prefix.At(hi+1), b.prefix.At(lo))
	for _, w := range b.withdrawn {
		if ok && w.index >= lo && w.index <= hi {
			s, ok = subPence(s, w.amount)
		}
	}
	return s, ok
}

// countLines is how many lines a coverage's ranges hold, withdrawn ones
// left out.
func (b *tableBuilder) countLines(cv coverage) int {
	n := 0
	for _, r := range cv.ranges {
		n += r[1] - r[0] + 1
		for _, w := range b.withdrawn {
			if w.index >= r[0] && w.index <= r[1] {
				n--
			}
		}
	}
	return n
}

// evidence finds what a total row with a known amount stands for: the
// first candidate its amount equals. A label that names nothing it can
// be checked against (an unknown word beside "total", or no label at
// all) must total at least two lines, so a line that happens to equal
// the one above it is not taken for its total.
func (b *tableBuilder) evidence(c totalClue, amount int64) (coverage, bool) {
	cands, named := b.candidates(c)
	cv, ok, _ := b.match(cands, named, c, amount)
	return cv, ok
}

// match finds the first of cands a total's amount equals and that is
// evidence enough (see evidence). near says which one it equals that was
// not, and why, for a warning.
func (b *tableBuilder) match(cands []coverage, named bool, c totalClue, amount int64) (cv coverage, ok bool, near string) {
	for _, cv := range cands {
		s, ok := b.sum(cv)
		if !ok {
			b.overflow = true
			return coverage{}, false, ""
		}
		if s != amount {
			continue
		}
		lines := cv.lines
		if lines > 0 && len(b.withdrawn) > 0 {
			lines = b.countLines(cv)
		}
		strong := lines == 0 || named || c.generic || c.result
		if !strong && (lines < 2 || c.code) {
			if near == "" {
				why := "its words name no group and it has a code of its own"
				if lines < 2 {
					why = "that is a single line and its words name no group"
				}
				near = fmt.Sprintf("equals %s, but %s", cv.check, why)
			}
			continue
		}
		return cv, true, ""
	}
	return coverage{}, false, near
}

// bestGuess is what a total is checked against when its amount is not
// known, or (for a result row) when nothing equals it.
func (b *tableBuilder) bestGuess(c totalClue) (coverage, bool) {
	cands, named := b.candidates(c)
	switch {
	case len(cands) == 0:
		return coverage{check: "cannot tell which lines it totals"}, false
	case c.result:
		return cands[len(cands)-1], true // the lines above it
	case named || c.generic || c.grand:
		return cands[0], true
	}
	return coverage{check: "cannot tell which lines it totals"}, false
}

// addPence and subPence add and subtract pence, reporting a result that
// cannot be held.
func addPence(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

func subPence(a, b int64) (int64, bool) {
	s := a - b
	return s, (s < a) == (b > 0)
}

// total decides whether row r is a subtotal or result row, and if so
// files it. It reports whether the row was dealt with.
func (b *tableBuilder) total(r rowCells, src Source, amountCell cell, parse func(string) (int64, error)) (bool, error) {
	t := b.t
	col := t.Columns
	ranges, isSumFormula, nestedIgnored := sumRanges(amountCell.Formula, col[FieldAmount])
	if !isSumFormula && !b.mayBeTotal(r, col[FieldAmount]) {
		return false, nil
	}
	clue := b.readClue(r)
	if !isSumFormula && !clue.any() {
		return b.repeatedHeading(r, src, amountCell, parse)
	}
	ref := CellRef(col[FieldAmount], r.Row)
	raw := amountCell.Value
	nominal := r.text(col[FieldNominal])
	// A result row is a total whatever it shows, unless a real code says
	// it is a line.
	result := clue.result && !(nominal != "" && clue.code && !totalWord.MatchString(nominal) && !resultPhrase.MatchString(normaliseHeader(nominal)))
	byFormula := isSumFormula && (clue.word || result || nominal == "" || col[FieldNominal] == 0)
	label := rowLabel(r)
	if label == "" {
		label = "(an amount with no label)"
	}

	// The amount the row shows, if it can be told.
	amount, known := int64(0), false
	var amountErr error
	switch {
	case amountCell.HasFormula && !amountCell.HasValue:
		if !byFormula {
			if v, err := b.calcValue(r, amountCell, src, ref); err == nil { // formula.go
				amount, amountErr = parse(v)
				known = amountErr == nil
			}
		}
	default:
		amount, amountErr = parse(raw)
		known = amountErr == nil
	}

	var cv coverage
	haveCover := false
	switch {
	case byFormula:
		// Checked at the table's end against the rows its formula sums.
	case result:
		if known {
			cv, haveCover = b.evidence(clue, amount)
		}
		if !haveCover {
			cv, haveCover = b.bestGuess(clue)
		}
	case !known && amountCell.HasFormula && !amountCell.HasValue && !clue.word:
		return false, nil // a formula line; calculated or named as a line
	case !known && clue.word && !clue.code:
		// "Total HM1" showing "TBC": a total by its label, checked
		// against its lines, which stand in for it.
		if cv, haveCover = b.bestGuess(clue); !haveCover {
			return false, nil
		}
	case !known || amount == 0 && clue.bare:
		return false, nil
	default:
		cands, named := b.candidates(clue)
		var near string
		if cv, haveCover, near = b.match(cands, named, clue, amount); !haveCover {
			if clue.word {
				// It may total the lines below it: decided at the
				// table's end (see resolveHeld).
				b.holding = &heldRow{clue: clue, label: label, above: cands, named: named, near: near}
			}
			return false, nil
		}
	}

	e := Excluded{Source: src, Reason: ReasonSubtotal, Label: label, Result: result}
	switch {
	case amountCell.HasFormula && !amountCell.HasValue && !known:
		// Its lines are read anyway: a subtotal needs no calculating.
		e.NoValue = true
	case amountErr != nil && !b.opt.KeepGoing:
		b.errs = append(b.errs, CellError{src, ref, raw, fmt.Sprintf("%q is not an amount", raw)})
		return true, nil
	case amountErr != nil:
		// Its lines are read all the same; their total stands in.
		e.NoValue = true
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s cell %s: subtotal %q is not an amount; the total of its lines is shown instead", src, ref, raw))
	default:
		e.Amount = amount
	}
	pending := pendingSubtotal{index: len(t.Excluded), row: r.Row}
	if byFormula {
		pending.ranges, pending.nested = ranges, !nestedIgnored
	} else {
		e.Check = cv.check
		pending.cover, pending.keyed, pending.known = cv.ranges, cv.keyed, haveCover
	}
	t.Excluded = append(t.Excluded, e)
	b.subtotals = append(b.subtotals, pending)
	b.lastSub = b.lineRows.Len()
	if byFormula && !slices.ContainsFunc(ranges, func(rg [2]int) bool { return rg[0] <= r.Row }) {
		// A group's row above its lines, showing their sum: its labels
		// are the group's.
		b.startFill(r)
	} else {
		b.resetFill()
	}
	return true, nil
}

// noteHeading records a heading row: what a later total may name, and
// where its lines start.
func (b *tableBuilder) noteHeading(r rowCells, label string) {
	n := b.lineRows.Len()
	key := normaliseHeader(label)
	b.headings[key] = append(b.headings[key], n)
	b.lastHeading = n
	if v := b.firstLabel(r); v != "" {
		b.headingRaw[strings.Clone(v)] = n
	}
}

// firstLabel is the text of a row's first cell outside the payee, notes
// and amount columns.
func (b *tableBuilder) firstLabel(r rowCells) string {
	for _, c := range r.Cells {
		if c.Col == b.t.Columns[FieldAmount] || b.kind(c.Col) == kindOther {
			continue
		}
		if v := strings.TrimSpace(c.Value); v != "" {
			return v
		}
	}
	return ""
}

// repeatsHeading is the line count at the heading a row repeats, or -1:
// some books close a group with a row that repeats its heading's name
// and shows its total ("Growth Accelerators" over two lines).
func (b *tableBuilder) repeatsHeading(r rowCells) int {
	if len(b.headingRaw) == 0 {
		return -1
	}
	if at, ok := b.headingRaw[b.firstLabel(r)]; ok {
		return at
	}
	return -1
}

// repeatedHeading excludes a row that repeats its heading's name when its
// amount equals the lines under that heading. The first row under a
// heading of the same name is a line, as it usually is.
func (b *tableBuilder) repeatedHeading(r rowCells, src Source, amountCell cell, parse func(string) (int64, error)) (bool, error) {
	at := b.repeatsHeading(r)
	n := b.lineRows.Len()
	if at < 0 || n-at < 1 || b.lastSub > at || amountCell.HasFormula && !amountCell.HasValue {
		return false, nil
	}
	amount, err := parse(amountCell.Value)
	if err != nil {
		return false, nil
	}
	cv := coverage{ranges: [][2]int{{at, n - 1}}, lines: n - at}
	if s, ok := b.sum(cv); !ok || s != amount {
		return false, nil
	}
	t := b.t
	label := rowLabel(r)
	t.Excluded = append(t.Excluded, Excluded{Source: src, Reason: ReasonSubtotal, Label: label, Amount: amount,
		Check: fmt.Sprintf("the lines under the heading %q, which it repeats", b.firstLabel(r))})
	b.subtotals = append(b.subtotals, pendingSubtotal{index: len(t.Excluded) - 1, row: r.Row, cover: cv.ranges, known: true})
	b.lastSub = n
	b.resetFill()
	return true, nil
}

// A row that says total but equals no lines above it may total the lines
// below it ("Total all directorates" first, "Total Housing" at the head of
// its group), which are not read yet. It is held back: counted as a line
// for now, so that a total below it may count it, but not visited until
// the table is read. Then, latest first (an inner total is decided before
// the one over it), it is a total if it equals the lines below it that it
// names (its business unit or cost centre), or those down to the next
// total, or all of them; or, once other held rows are known to be totals,
// the lines above it after all. Otherwise it is a line, visited late (the
// visitor's consumers put lines back in row order), with a warning.

const (
	heldOpen = iota
	heldTotal
	heldLine
)

type heldRow struct {
	line  CostLine
	index int // its line index
	clue  totalClue
	label string
	// above are what it may total above it, as they were when it was
	// read; named says one was found by its label's words; near says
	// which it equals that was not evidence enough.
	above []coverage
	named bool
	near  string
	// keysAt are the totals of the keys its label may name, its own line
	// counted, when it was read.
	keysAt map[keyName]int64
	state  uint8
}

// keyName is a key (cost centre, cost centre name, business unit) and a
// name a total's label gives, normalised.
type keyName struct {
	field int
	name  string
}

// withdrawnLine is a held row found to be a total: no longer a line.
type withdrawnLine struct {
	index  int
	amount int64
}

// keyWhat names the keys, by index into tableBuilder.keys.
var keyWhat = [3]string{"cost centre", "cost centre", "business unit"}

// keyNames are the names a total's label may give a key by.
func keyNames(c totalClue) []string {
	out := append([]string{}, c.names...)
	for _, name := range c.names {
		if f := strings.Fields(name); len(f) > 1 {
			out = append(out, f[0])
		}
	}
	return out
}

// keySums totals, for each name a label may give, the lines of each key
// that has it.
func (b *tableBuilder) keySums(c totalClue) map[keyName]int64 {
	out := map[keyName]int64{}
	for _, try := range keyNames(c) {
		for j := range b.keys {
			for v, s := range b.keys[j] {
				if normaliseHeader(v) == try {
					k := keyName{j, try}
					sum, ok := addPence(out[k], *s)
					if !ok {
						b.overflow = true
					}
					out[k] = sum
				}
			}
		}
	}
	return out
}

// saysTotal reports whether a label says total; such a label is never a
// key nor filled down.
func saysTotal(v string) bool {
	return hasTotal(v) && totalWord.MatchString(v)
}

// keep finishes holding a row back once its line is noted.
func (b *tableBuilder) keep(h *heldRow, l *CostLine) {
	h.index = b.lineRows.Len() - 1
	h.line = *l
	for _, p := range []*string{&h.line.BusinessUnit, &h.line.CostCentre, &h.line.CostCentreName, &h.line.Nominal,
		&h.line.NominalName, &h.line.Description, &h.line.Payee, &h.line.LineType} {
		*p = strings.Clone(*p)
	}
	h.keysAt = b.keySums(h.clue)
	b.held = append(b.held, *h)
}

// resolveHeld decides the rows held back, and visits those that are
// lines.
func (b *tableBuilder) resolveHeld() error {
	if len(b.held) == 0 {
		return nil
	}
	for changed := true; changed && !b.overflow; {
		changed = false
		for i := len(b.held) - 1; i >= 0; i-- {
			h := &b.held[i]
			if h.state != heldOpen {
				continue
			}
			cv, ok := b.below(i)
			if !ok {
				cv, ok, _ = b.match(h.above, h.named, h.clue, h.line.Amount)
			}
			if ok {
				b.withdraw(h, cv.check)
				changed = true
			}
		}
	}
	t := b.t
	for i := range b.held {
		h := &b.held[i]
		if h.state != heldOpen {
			continue
		}
		h.state = heldLine
		what := "but does not equal the lines above or below it"
		if h.near != "" {
			what = "and " + h.near
		}
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s: %q says total %s, so it is read as a line; if it is a total, it is counted twice", h.line.Source, shortLabel(h.label), what))
		if len(b.errs) == 0 && b.opt.visit != nil && !b.overflow {
			if err := b.opt.visit(t, &h.line); err != nil {
				return err
			}
		}
	}
	return nil
}

// below finds the lines below held row i that it totals.
func (b *tableBuilder) below(i int) (coverage, bool) {
	h := &b.held[i]
	n, k := b.lineRows.Len(), h.index
	// The next total row below it, held back or not.
	next := n
	if i+1 < len(b.held) {
		next = b.held[i+1].index
	}
	j := sort.Search(len(b.subtotals), func(j int) bool { return b.subtotals[j].row > h.line.Source.Row })
	if j < len(b.subtotals) {
		next = min(next, b.lineIndex(b.subtotals[j].row))
	}
	var cands []coverage
	named := false
	// The lines of the key it names that come after it.
	now := b.keySums(h.clue)
	for _, try := range keyNames(h.clue) {
		for f := range b.keys {
			kn := keyName{f, try}
			sum, found := now[kn]
			if !found {
				continue
			}
			sum, ok := subPence(sum, h.keysAt[kn])
			for _, o := range b.held[i+1:] {
				if ok && o.state == heldTotal && normaliseHeader([3]string{o.line.CostCentre, o.line.CostCentreName, o.line.BusinessUnit}[f]) == try {
					sum, ok = subPence(sum, o.line.Amount)
				}
			}
			if !ok {
				b.overflow = true
				return coverage{}, false
			}
			cands = append(cands, coverage{keyed: sum, check: fmt.Sprintf("the lines of %s %q below it", keyWhat[f], try)})
			named = true
		}
	}
	upToNext := coverage{ranges: [][2]int{{k + 1, next - 1}}, check: "the lines below it, down to the next total", lines: next - 1 - k}
	all := coverage{ranges: [][2]int{{k + 1, n - 1}}, check: "the lines below it", lines: n - 1 - k}
	var ranges []coverage
	if upToNext.lines > 0 && next < n {
		ranges = append(ranges, upToNext)
	}
	if all.lines > 0 {
		ranges = append(ranges, all)
	}
	if h.clue.grand {
		slices.Reverse(ranges)
	}
	cands = append(cands, ranges...)
	cv, ok, near := b.match(cands, named, h.clue, h.line.Amount)
	if !ok && h.near == "" {
		h.near = near
	}
	return cv, ok
}

// withdraw makes held row h a total: it is no longer a line.
func (b *tableBuilder) withdraw(h *heldRow, check string) {
	t := b.t
	h.state = heldTotal
	t.Lines--
	t.LinesTotal -= h.line.Amount
	if b.opt.progress != nil {
		b.opt.progress.lines.Add(-1)
	}
	b.withdrawn = append(b.withdrawn, withdrawnLine{index: h.index, amount: h.line.Amount})
	e := Excluded{Source: h.line.Source, Reason: ReasonSubtotal, Label: h.label, Amount: h.line.Amount, Checked: true, Expected: h.line.Amount, Check: check}
	t.Excluded = append(t.Excluded, e)
}
