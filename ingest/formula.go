package ingest

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// This file calculates, while a sheet streams, the formulas budgets use
// that were saved without their values (openpyxl and other generators save
// none): arithmetic on the cells of the formula's own row, and SUM over a
// range of the amount column of lines above. Anything else is calculated
// by excelize, which loads the whole workbook (slow on a large ledger), and
// a warning says so.
//
// What is calculated here:
//
//   - numbers (12, 1.1, .5, 1E3), percentages (17.5%), + - * /, unary
//     minus and plus, and parentheses, with Excel's precedence (negation,
//     then %, then * and /, then + and -);
//   - references to cells of the same row (F2, $F$2), a blank cell being
//     0; a referenced cell that holds a formula saved without its value is
//     calculated in turn, to a bounded depth;
//   - SUM over numbers, same-row cells and same-row ranges (D2:F2), where
//     blank and text cells in a range are left out, as Excel leaves them;
//   - SUM over a range of the amount column in rows above (G2:G9), when
//     every row of it in the table is a line (none is a subtotal, heading
//     or unreadable): the total of those lines;
//   - ROUND(x, digits), rounding half away from zero as Excel does.
//
// Arithmetic is exact: numbers are rationals (math/big), parsed from the
// decimal text the cell holds, never through a float. The result is
// rounded to the penny once, at the end, half away from zero (by
// ParsePence on its exact decimal digits). Excel works in binary floating
// point and rounds only for display, so the two agree to the penny except
// where Excel's own float error reaches a half penny.
//
// SUM over lines above adds their amounts as read, in pence; where one of
// them was itself rounded (a formula's result, a value with more than two
// decimals), Excel would add the unrounded values, and the two may differ
// by a penny.

// errNotHere is returned for a formula this file does not calculate.
var errNotHere = errors.New("not a formula calculated while reading")

// errCircular is a formula saved without its value that refers, through
// the row's other formulas, to its own cell: it has no value, and one
// made up (Excel's iteration, or a blank taken as 0) would be a wrong
// figure.
var errCircular = errors.New("a circular reference")

// maxFormulaDepth bounds how deep same-row references to other formulas
// saved without their values are followed (and so ends a cycle).
const maxFormulaDepth = 8

// maxExponent bounds the exponent of a number in a formula or cell: Excel's
// numbers end at 1E308, and a larger exponent would make a huge rational.
const maxExponent = 400

// formulaEnv is what a formula of one row may see.
type formulaEnv struct {
	row int
	// busy are the columns whose formulas are being calculated: one met
	// again is a circular reference.
	busy []int
	// cell is a cell of the row (false for a blank one).
	cell func(col int) (cell, bool)
	// above, if set, is the total of the lines on rows lo..hi of column
	// col, in pence (false if that cannot be told).
	above func(col, lo, hi int) (int64, bool)
}

// evalFormula calculates formula text (without its "="), exactly.
func evalFormula(formula string, env *formulaEnv) (*big.Rat, error) {
	return evalDepth(formula, env, 0)
}

func evalDepth(formula string, env *formulaEnv, depth int) (*big.Rat, error) {
	if depth > maxFormulaDepth {
		return nil, errNotHere
	}
	p := &formulaParser{s: formula, env: env, depth: depth}
	p.skipSpace()
	if strings.HasPrefix(p.s, "=") {
		p.s = p.s[1:]
	}
	v, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.s != "" {
		return nil, errNotHere
	}
	return v, nil
}

type formulaParser struct {
	s     string // what is left to read
	env   *formulaEnv
	depth int
	ops   int // a bound on the work one formula may cause
}

// maxFormulaOps bounds the operations one formula may take (a fuzzed or
// hostile formula of deeply nested parentheses or huge ranges).
const maxFormulaOps = 10000

func (p *formulaParser) skipSpace() {
	for p.s != "" && (p.s[0] == ' ' || p.s[0] == '\n' || p.s[0] == '\r' || p.s[0] == '\t') {
		p.s = p.s[1:]
	}
}

func (p *formulaParser) peek() byte {
	p.skipSpace()
	if p.s == "" {
		return 0
	}
	return p.s[0]
}

func (p *formulaParser) tick() error {
	p.ops++
	if p.ops > maxFormulaOps {
		return errNotHere
	}
	return nil
}

// expr := term (("+" | "-") term)*
func (p *formulaParser) expr() (*big.Rat, error) {
	v, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		if op != '+' && op != '-' {
			return v, nil
		}
		p.s = p.s[1:]
		w, err := p.term()
		if err != nil {
			return nil, err
		}
		if op == '+' {
			v.Add(v, w)
		} else {
			v.Sub(v, w)
		}
		if err := tooBig(v); err != nil {
			return nil, err
		}
	}
}

// term := unary (("*" | "/") unary)*
func (p *formulaParser) term() (*big.Rat, error) {
	v, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		if op != '*' && op != '/' {
			return v, nil
		}
		p.s = p.s[1:]
		w, err := p.unary()
		if err != nil {
			return nil, err
		}
		if op == '*' {
			v.Mul(v, w)
		} else {
			if w.Sign() == 0 {
				return nil, errNotHere // #DIV/0!: Excel's answer, from excelize
			}
			v.Quo(v, w)
		}
		if err := tooBig(v); err != nil {
			return nil, err
		}
	}
}

// unary := ("-" | "+") unary | primary "%"*
func (p *formulaParser) unary() (*big.Rat, error) {
	if err := p.tick(); err != nil {
		return nil, err
	}
	switch p.peek() {
	case '-':
		p.s = p.s[1:]
		v, err := p.unary()
		if err != nil {
			return nil, err
		}
		return v.Neg(v), nil
	case '+':
		p.s = p.s[1:]
		return p.unary()
	}
	v, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.peek() == '%' {
		p.s = p.s[1:]
		v.Quo(v, big.NewRat(100, 1))
	}
	return v, nil
}

// primary := number | reference | "(" expr ")" | SUM(...) | ROUND(x, n)
func (p *formulaParser) primary() (*big.Rat, error) {
	c := p.peek()
	switch {
	case c == '(':
		p.s = p.s[1:]
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, errNotHere
		}
		p.s = p.s[1:]
		return v, nil
	case c >= '0' && c <= '9' || c == '.':
		n := numberLen(p.s)
		if n == 0 {
			return nil, errNotHere
		}
		v, err := parseDecimal(p.s[:n])
		if err != nil {
			return nil, errNotHere
		}
		p.s = p.s[n:]
		return v, nil
	case c == '$' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_':
		return p.nameOrReference()
	}
	return nil, errNotHere
}

// tooBig stops a calculation whose numbers grow past any amount (a
// formula multiplying 1E300 by itself again and again): no budget needs
// more than a few hundred bits.
func tooBig(v *big.Rat) error {
	if v.Num().BitLen()+v.Denom().BitLen() > 4096 {
		return errNotHere
	}
	return nil
}

// numberLen is the length of the number at the start of s: digits, a
// point, digits, and an exponent.
func numberLen(s string) int {
	i := 0
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

// ref is a cell reference as read: column and row.
type ref struct{ col, row int }

// readRef reads a reference ($A$1, a1) at the start of p.s.
func (p *formulaParser) readRef() (ref, bool) {
	s := p.s
	i := 0
	if i < len(s) && s[i] == '$' {
		i++
	}
	j := i
	col := 0
	for j < len(s) && j-i < 4 && (s[j]|0x20) >= 'a' && (s[j]|0x20) <= 'z' {
		col = col*26 + int(s[j]|0x20-'a'+1)
		j++
	}
	if j == i || j-i > 3 || col > 16384 {
		return ref{}, false
	}
	if j < len(s) && s[j] == '$' {
		j++
	}
	k := j
	row := 0
	for k < len(s) && s[k] >= '0' && s[k] <= '9' && row <= 1<<20 {
		row = row*10 + int(s[k]-'0')
		k++
	}
	if k == j || row < 1 || row > 1<<20 {
		return ref{}, false
	}
	// A reference ends where a name could not go on.
	if k < len(s) && (isNameChar(s[k]) || s[k] == '!' || s[k] == '(') {
		return ref{}, false
	}
	p.s = s[k:]
	return ref{col, row}, true
}

func isNameChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '$'
}

// nameOrReference reads a reference, a range, or a function call.
func (p *formulaParser) nameOrReference() (*big.Rat, error) {
	if r, ok := p.readRef(); ok {
		if p.peek() == ':' {
			return nil, errNotHere // a range outside SUM
		}
		return p.value(r)
	}
	// A function: its name up to "(".
	i := 0
	for i < len(p.s) && isNameChar(p.s[i]) {
		i++
	}
	name := strings.ToUpper(p.s[:i])
	name = strings.TrimPrefix(name, "_XLFN.")
	rest := p.s[i:]
	p.s = rest
	if p.peek() != '(' {
		return nil, errNotHere // a defined name, a sheet reference, TRUE
	}
	p.s = p.s[1:]
	switch name {
	case "SUM":
		return p.sum()
	case "ROUND":
		return p.round()
	}
	return nil, errNotHere
}

// value is a same-row cell's value in arithmetic: blank is 0, text is an
// error (#VALUE!, left to excelize).
func (p *formulaParser) value(r ref) (*big.Rat, error) {
	if r.row != p.env.row {
		return nil, errNotHere
	}
	v, blank, err := p.cellValue(r.col)
	if err != nil {
		return nil, err
	}
	if blank {
		return new(big.Rat), nil
	}
	return v, nil
}

// cellValue reads a same-row cell: its number, or blank; a text cell is
// errNotHere.
func (p *formulaParser) cellValue(col int) (v *big.Rat, blank bool, err error) {
	c, ok := p.env.cell(col)
	if !ok {
		return nil, true, nil
	}
	if c.HasFormula && !c.HasValue {
		if slices.Contains(p.env.busy, col) {
			return nil, false, errCircular
		}
		if c.Formula == "" {
			return nil, false, errNotHere // a shared formula: excelize expands it
		}
		p.env.busy = append(p.env.busy, col)
		v, err := evalDepth(c.Formula, p.env, p.depth+1)
		p.env.busy = p.env.busy[:len(p.env.busy)-1]
		return v, false, err
	}
	if strings.TrimSpace(c.Value) == "" {
		return nil, true, nil
	}
	v, err = parseDecimal(c.Value)
	if err != nil {
		return nil, false, errNotHere
	}
	return v, false, nil
}

// sum reads SUM's arguments, after its "(".
func (p *formulaParser) sum() (*big.Rat, error) {
	total := new(big.Rat)
	if p.peek() == ')' {
		p.s = p.s[1:]
		return total, nil
	}
	for {
		save := p.s
		if r, ok := p.readRef(); ok && p.peek() == ':' {
			p.s = p.s[1:]
			p.skipSpace()
			r2, ok := p.readRef()
			if !ok {
				return nil, errNotHere
			}
			if err := p.sumRange(total, r, r2); err != nil {
				return nil, err
			}
		} else if ok && (p.peek() == ',' || p.peek() == ')') {
			// A reference on its own: text and blanks are left out, as
			// in a range.
			if err := p.sumRange(total, r, r); err != nil {
				return nil, err
			}
		} else {
			p.s = save
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			total.Add(total, v)
		}
		switch p.peek() {
		case ',':
			p.s = p.s[1:]
		case ')':
			p.s = p.s[1:]
			return total, nil
		default:
			return nil, errNotHere
		}
	}
}

// sumRange adds the numbers of a range of the row, or the lines of a range
// of a column above.
func (p *formulaParser) sumRange(total *big.Rat, a, b ref) error {
	lo, hi := min(a.row, b.row), max(a.row, b.row)
	c0, c1 := min(a.col, b.col), max(a.col, b.col)
	if lo == p.env.row && hi == p.env.row {
		if c1-c0 > 1000 {
			return errNotHere
		}
		for col := c0; col <= c1; col++ {
			if err := p.tick(); err != nil {
				return err
			}
			c, ok := p.env.cell(col)
			if !ok {
				continue
			}
			var v *big.Rat
			if c.HasFormula && !c.HasValue {
				if c.Formula == "" {
					return errNotHere
				}
				var err error
				if v, err = evalDepth(c.Formula, p.env, p.depth+1); err != nil {
					return err
				}
			} else if v, _ = parseDecimal(strings.TrimSpace(c.Value)); v == nil {
				continue // text is left out of a SUM
			}
			total.Add(total, v)
		}
		return nil
	}
	if c0 != c1 || hi >= p.env.row || p.env.above == nil {
		return errNotHere
	}
	pence, ok := p.env.above(c0, lo, hi)
	if !ok {
		return errNotHere
	}
	total.Add(total, big.NewRat(pence, 100))
	return nil
}

// round reads ROUND's arguments, after its "(".
func (p *formulaParser) round() (*big.Rat, error) {
	v, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek() != ',' {
		return nil, errNotHere
	}
	p.s = p.s[1:]
	d, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek() != ')' {
		return nil, errNotHere
	}
	p.s = p.s[1:]
	if !d.IsInt() || d.Num().BitLen() > 8 {
		return nil, errNotHere
	}
	digits := d.Num().Int64()
	if digits < -15 || digits > 15 {
		return nil, errNotHere
	}
	return roundRat(v, int(digits)), nil
}

// roundRat rounds v to digits decimal places (negative: to tens,
// hundreds...), half away from zero.
func roundRat(v *big.Rat, digits int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(digits))), nil)
	x := new(big.Rat).Set(v)
	if digits >= 0 {
		x.Mul(x, new(big.Rat).SetInt(scale))
	} else {
		x.Quo(x, new(big.Rat).SetInt(scale))
	}
	n := roundHalfAway(x)
	r := new(big.Rat).SetInt(n)
	if digits >= 0 {
		return r.Quo(r, new(big.Rat).SetInt(scale))
	}
	return r.Mul(r, new(big.Rat).SetInt(scale))
}

// roundHalfAway rounds x to an integer, half away from zero.
func roundHalfAway(x *big.Rat) *big.Int {
	num := new(big.Int).Abs(x.Num())
	q, m := new(big.Int).QuoRem(num, x.Denom(), new(big.Int))
	if m.Lsh(m, 1).Cmp(x.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if x.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// parseDecimal reads a number as a spreadsheet stores it ("1500.25",
// "-2E-3", "1234.5599999999999"), exactly. Anything else (text, "£5",
// "1,000", an exponent past maxExponent) is an error.
func parseDecimal(s string) (*big.Rat, error) {
	t := s
	if t != "" && (t[0] == '-' || t[0] == '+') {
		t = t[1:]
	}
	n := numberLen(t)
	if n == 0 || n != len(t) {
		return nil, ErrNotAmount
	}
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e := t[i+1:]
		e = strings.TrimLeft(e, "+-")
		if len(e) > 4 {
			return nil, ErrNotAmount
		}
		exp := 0
		for _, c := range e {
			exp = exp*10 + int(c-'0')
		}
		if exp > maxExponent {
			return nil, ErrNotAmount
		}
	}
	v, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, ErrNotAmount
	}
	return v, nil
}

// exactDecimal writes v as a decimal: exactly when it ends within 30
// places, else cut (not rounded) after 30. ParsePence rounds that text to
// the penny exactly as it would round v: a value whose decimals do not
// end is never exactly half a penny, and cutting leaves the digit that
// decides intact.
func exactDecimal(v *big.Rat) string {
	num := new(big.Int).Abs(v.Num())
	den := v.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	var b strings.Builder
	if v.Sign() < 0 {
		b.WriteByte('-')
	}
	b.WriteString(q.String())
	if m.Sign() == 0 {
		return b.String()
	}
	b.WriteByte('.')
	ten := big.NewInt(10)
	d := new(big.Int)
	for i := 0; i < 30 && m.Sign() != 0; i++ {
		m.Mul(m, ten)
		d.QuoRem(m, den, m)
		b.WriteByte(byte('0' + d.Int64()))
	}
	return b.String()
}

// calcAmount calculates a line's amount formula saved without its value:
// here if it is one calculated while reading, else by opt.calc (excelize,
// with a warning). It returns the value as text for the amount parser,
// or false when the cell is in error (recorded in b.errs).
func (b *tableBuilder) calcAmount(r rowCells, amountCell cell, src Source, ref string) (string, bool) {
	v, err := b.calcInRow(r, amountCell)
	switch {
	case err == nil:
		return v, true
	case errors.Is(err, errCircular):
		b.errs = append(b.errs, CellError{src, ref, "", fmt.Sprintf("formula =%s refers to its own cell, through the row's formulas (a circular reference), and has no saved value; correct it in Excel and save the file", amountCell.Formula)})
		return "", false
	}
	if b.opt.calc == nil {
		b.errs = append(b.errs, CellError{src, ref, "", fmt.Sprintf("formula =%s has no saved value; open the file in Excel and save it, so its results are stored", amountCell.Formula)})
		return "", false
	}
	v, err = b.opt.calc(ref)
	switch {
	case err != nil && !b.opt.KeepGoing:
		b.errs = append(b.errs, CellError{src, ref, "", fmt.Sprintf("formula =%s has no saved value and could not be calculated (%v); open the file in Excel and save it", amountCell.Formula, err)})
		return "", false
	case err != nil:
		return "=" + amountCell.Formula, true // not an amount: the line goes to Review as unreadable
	}
	b.calcWarning(src, ref, amountCell.Formula)
	return v, true
}

// calcValue calculates a formula saved without its value, for a row that
// may be a total: here if it can be, else by opt.calc, with the warning.
func (b *tableBuilder) calcValue(r rowCells, c cell, src Source, ref string) (string, error) {
	v, err := b.calcInRow(r, c)
	if err == nil || errors.Is(err, errCircular) {
		return v, err
	}
	if b.opt.calc == nil {
		return "", errNotHere
	}
	v, err = b.opt.calc(ref)
	if err == nil {
		b.calcWarning(src, ref, c.Formula)
	}
	return v, err
}

// calcInRow calculates cell c's formula, saved without its value, while
// the sheet streams, if it is one calculated here; it returns the value
// as exact decimal text, errCircular for a formula that refers to its own
// cell, else an error (errNotHere: calculated elsewhere, or not at all).
func (b *tableBuilder) calcInRow(r rowCells, c cell) (string, error) {
	if c.Formula == "" {
		return "", errNotHere // a shared formula: its text is on another cell
	}
	env := &formulaEnv{
		row:   r.Row,
		busy:  []int{c.Col},
		cell:  r.at,
		above: b.linesAbove,
	}
	v, err := evalFormula(c.Formula, env)
	if err != nil {
		return "", err
	}
	return exactDecimal(v), nil
}

// linesAbove is the total of the lines on rows lo..hi of column col, if
// col is the amount column and every row of the range inside the table
// is a line: no subtotal, heading or note, and no unreadable amount.
func (b *tableBuilder) linesAbove(col, lo, hi int) (int64, bool) {
	t := b.t
	if col != t.Columns[FieldAmount] || lo <= t.Source.Row || t.Unreadable > 0 {
		return 0, false
	}
	for i := len(t.Excluded) - 1; i >= 0; i-- {
		if row := t.Excluded[i].Source.Row; row >= lo && row <= hi {
			return 0, false
		}
	}
	n := b.lineRows.Len()
	first := func(row int) int { // the first line at or after row
		i, j := 0, n
		for i < j {
			h := int(uint(i+j) >> 1)
			if int(b.lineRows.At(h)) < row {
				i = h + 1
			} else {
				j = h
			}
		}
		return i
	}
	i0, i1 := first(lo), first(hi+1)
	if i0 >= i1 {
		return 0, true
	}
	a, z := b.prefix.At(i0), b.prefix.At(i1)
	s := z - a
	if a > 0 && s > z || a < 0 && s < z {
		return 0, false // cannot be held
	}
	return s, true
}

// calcWarning says, once per table, that formulas saved without values
// were calculated by loading the whole workbook, naming the first and
// counting the rest.
func (b *tableBuilder) calcWarning(src Source, ref, formula string) {
	t := b.t
	b.slowCalcs++
	if b.slowCalcs == 1 {
		b.slowCalcFirst = fmt.Sprintf("%s cell %s: formula =%s was saved without its value and is not one calculated as the sheet is read, so the whole workbook was loaded to calculate it (slow on a large file; saving the file in Excel stores the values)", src, ref, formula)
		t.Warnings = append(t.Warnings, b.slowCalcFirst)
		b.slowCalcWarning = len(t.Warnings) - 1
		return
	}
	more := "formula"
	if b.slowCalcs > 2 {
		more = "formulas"
	}
	t.Warnings[b.slowCalcWarning] = fmt.Sprintf("%s; so were %d more %s in this table", b.slowCalcFirst, b.slowCalcs-1, more)
}
