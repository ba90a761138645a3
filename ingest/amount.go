package ingest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// ErrNotAmount is returned (wrapped) by [ParsePence] for text that is not an
// amount of money.
var ErrNotAmount = errors.New("not an amount")

// ParsePence reads an amount of money as finance systems write it and returns
// it in pence. It accepts plain and scientific numbers as spreadsheets store
// them ("1234.5", "1.2345E+3", "1234.5599999999999"), and text as people type
// it: "£1,234.56", "1,234", "(250.00)", "-250", "250.00-", "250 CR", "GBP 10".
// Blank, "-" and "–" are zero. Values are rounded half away from zero to the
// penny; the rounding is done on the decimal digits, never through a float.
func ParsePence(s string) (int64, error) { return parseAmount(s, 0) }

// ParseThousandsPence reads an amount from a column in thousands of pounds
// (headed "£000" or "£k"): "95.4" is £95,400.00. The digits are shifted, not
// multiplied, so no precision is lost.
func ParseThousandsPence(s string) (int64, error) { return parseAmount(s, 3) }

// parseAmount reads an amount of 10^shift pounds.
func parseAmount(s string, shift int) (int64, error) {
	t := strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	if t == "" || t == "-" || t == "–" || t == "—" {
		return 0, nil
	}
	neg := false
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		neg = true
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	if n := len(t); n >= 2 && (t[n-1]|0x20) == 'r' {
		switch t[n-2] | 0x20 {
		case 'c':
			neg = !neg
			t = strings.TrimSpace(t[:n-2])
		case 'd':
			t = strings.TrimSpace(t[:n-2])
		}
	}
	if strings.HasSuffix(t, "-") && len(t) > 1 {
		neg = !neg
		t = strings.TrimSpace(t[:len(t)-1])
	}
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−") {
		neg = !neg
		_, size := firstRune(t)
		t = strings.TrimSpace(t[size:])
	} else if strings.HasPrefix(t, "+") {
		t = strings.TrimSpace(t[1:])
	}
	for _, cur := range []string{"£", "GBP", "gbp"} {
		if strings.HasPrefix(t, cur) {
			t = strings.TrimSpace(t[len(cur):])
		}
	}
	// A sign may also follow the currency symbol: "£-250".
	if strings.HasPrefix(t, "-") {
		neg = !neg
		t = strings.TrimSpace(t[1:])
	}
	if t == "" || t == "-" {
		if t == "-" {
			return 0, nil
		}
		return 0, ErrNotAmount
	}
	t, ok := stripThousands(t)
	if !ok {
		return 0, ErrNotAmount
	}
	p, err := decimalToPence(t, shift)
	if err != nil {
		return 0, err
	}
	if neg {
		p = -p
	}
	return p, nil
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// stripThousands removes commas that separate thousands ("1,234,567.89") and
// rejects commas anywhere else ("1,23" is more likely a typing slip or a
// European decimal than a thousand separator).
func stripThousands(t string) (string, bool) {
	if !strings.Contains(t, ",") {
		return t, true
	}
	intPart, frac, hasFrac := strings.Cut(t, ".")
	if strings.Contains(frac, ",") {
		return "", false
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	out := strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, true
}

// decimalToPence converts an unsigned decimal, optionally with an exponent,
// of 10^shift pounds to pence, rounding half away from zero.
func decimalToPence(t string, shift int) (int64, error) {
	mant, expPart, hasExp := strings.Cut(strings.ToLower(t), "e")
	exp := 0
	if hasExp {
		e, err := parseSmallInt(expPart)
		if err != nil {
			return 0, ErrNotAmount
		}
		exp = e
	}
	exp += shift
	intDigits, fracDigits, _ := strings.Cut(mant, ".")
	if intDigits == "" && fracDigits == "" {
		return 0, ErrNotAmount
	}
	digits := intDigits + fracDigits
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, ErrNotAmount
		}
	}
	// The value is digits × 10^(exp - len(fracDigits)); pence shift by 2.
	point := len(intDigits) + exp + 2 // digits before the decimal point, in pence
	digits = strings.TrimLeft(digits, "0")
	point -= len(intDigits+fracDigits) - len(digits)
	if digits == "" {
		return 0, nil
	}
	if point > 19 {
		return 0, errTooLarge
	}
	var p int64
	for i := 0; i < point; i++ {
		d := int64(0)
		if i < len(digits) {
			d = int64(digits[i] - '0')
		}
		if p > (math.MaxInt64-d)/10 {
			return 0, errTooLarge
		}
		p = p*10 + d
	}
	// Round on the first dropped digit.
	if point >= 0 && point < len(digits) && digits[point] >= '5' {
		if p == math.MaxInt64 {
			return 0, errTooLarge
		}
		p++
	}
	return p, nil
}

var errTooLarge = errors.New("amount too large")

// MaxLinePence bounds one line's amount: £1,000,000,000,000 (a trillion
// pounds), far above any real budget line. An amount past it is an error
// naming its cell: it is a code or a date in the amount column, or a
// typing slip. The bound also lets a table of 92,233 such lines be summed
// in int64 pence; past that, sums are checked (see tableBuilder.noteLine).
const MaxLinePence = 100_000_000_000_000

// amountProblem says what is wrong with text that is not an amount, or an
// amount too large for a line.
func amountProblem(raw string, err error) string {
	var date dateError
	var truth boolError
	var rate percentError
	switch {
	case errors.As(err, &date):
		return date.Error()
	case errors.As(err, &truth):
		return truth.Error()
	case errors.As(err, &rate):
		return rate.Error()
	}
	if errors.Is(err, errDotThousands) {
		// As thousands: "12.345" is 12,345.
		p, _ := ParsePence(strings.Replace(dotCore(raw), ".", "", 1))
		thousands := strings.TrimPrefix(FormatPounds(p), "£")
		return fmt.Sprintf("%q is ambiguous: is it %s written with a dot for thousands? Write it as %s, or with two decimals if the dot is a decimal point", raw, thousands, thousands)
	}
	if errors.Is(err, errTooLarge) {
		return fmt.Sprintf("%q is too large: more than %s, the most one line may hold (is it a code or a date in the amount column?)", raw, FormatPounds(MaxLinePence))
	}
	return fmt.Sprintf("%q is not an amount", raw)
}

func parseSmallInt(s string) (int, error) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s == "" || len(s) > 4 {
		return 0, ErrNotAmount
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, ErrNotAmount
		}
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

// FormatPence writes pence as a plain decimal with two places: "1234.56",
// "-0.05". It is the inverse of ParsePence for such strings.
func FormatPence(p int64) string {
	return string(AppendPence(make([]byte, 0, 24), p))
}

// AppendPence appends FormatPence(p) to b.
func AppendPence(b []byte, p int64) []byte {
	u := uint64(p)
	if p < 0 {
		b = append(b, '-')
		u = uint64(-p)
	}
	pounds, pence := u/100, u%100
	b = appendUint(b, pounds)
	return append(b, '.', byte('0'+pence/10), byte('0'+pence%10))
}

func appendUint(b []byte, u uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

// FormatMoney writes pence for a person: "£1,234.56", "-£250.00".
func FormatMoney(p int64) string {
	s := FormatPence(p)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString("£")
	for i := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	b.WriteString("." + frac)
	return b.String()
}

// FormatPounds writes pence as whole pounds for a person, rounded half away
// from zero: "£1,234,567", "-£250".
func FormatPounds(p int64) string {
	neg := p < 0
	if neg {
		p = -p
	}
	s := FormatMoney((p + 50) / 100 * 100)
	s = strings.TrimSuffix(s, ".00")
	if neg && s != "£0" {
		return "-" + s
	}
	return s
}

// checkAmount refuses a line whose amount is past MaxLinePence, or after
// which the table's lines add up (regardless of sign) to more than int64
// pence can hold: past that, a running total could wrap. It reports
// whether the line can be added up.
func (b *tableBuilder) checkAmount(l *CostLine) bool {
	if b.absTotal < 0 {
		return false // refused already
	}
	a := l.Amount
	if a < 0 {
		a = -a
	}
	if a > MaxLinePence && b.opt.KeepGoing {
		// Unreadable, as a line that is not an amount: on the Review list,
		// out of the totals.
		l.Unreadable, l.Amount, a = FormatPence(l.Amount), 0, 0
		b.t.Unreadable++
	}
	if a > MaxLinePence {
		ref := CellRef(b.t.Columns[FieldAmount], l.Source.Row)
		b.errs = append(b.errs, CellError{l.Source, ref, FormatPence(l.Amount), fmt.Sprintf("%s is too large: more than %s, the most one line may hold (is it a code or a date in the amount column?)", FormatMoney(l.Amount), FormatPounds(MaxLinePence))})
		return false
	}
	if b.absTotal > math.MaxInt64-a {
		b.absTotal = -1
		ref := CellRef(b.t.Columns[FieldAmount], l.Source.Row)
		b.errs = append(b.errs, CellError{l.Source, ref, FormatPence(l.Amount), fmt.Sprintf("the amounts of the lines up to this one, added up regardless of sign, make a total too large to hold (more than %s, the most the tool can add up); check the amounts", FormatMoney(math.MaxInt64))})
		return false
	}
	b.absTotal += a
	return true
}

// errDotThousands is text such as "12.000": a continental export's
// twelve thousand, or twelve pounds to three decimals.
var errDotThousands = errors.New("three digits after a dot: thousands or decimals?")

// dotCore is an amount's digits and point, without sign, currency or CR/DR.
func dotCore(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != ',' })
}

// dotThousands reports whether text reads as an amount with one to three
// digits (not a lone 0), a single dot and exactly three digits after it,
// and no comma: "12.000" is twelve thousand written with a dot for
// thousands, as continental exports write it, or twelve pounds to three
// decimals. "1234.567" and "0.500" are decimals whichever way they are read.
func dotThousands(s string) bool {
	t := dotCore(s)
	whole, frac, ok := strings.Cut(t, ".")
	if !ok || len(whole) < 1 || len(whole) > 3 || whole[0] == '0' || len(frac) != 3 {
		return false
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// cellKind says what a cell's stored value is, where a reader can tell.
type cellKind uint8

const (
	kindText       cellKind = iota // text as typed: a CSV field, a workbook's text
	kindNumber                     // a number stored as a number
	kindDate                       // a number shown as a date or time
	kindDate1904                   // the same, in a workbook whose dates count from 1904
	kindDateString                 // an ISO 8601 date cell (t="d")
	kindBool                       // TRUE or FALSE (t="b"): stored as 1 or 0, no amount
	kindPercent                    // a number shown as a percentage: a rate, no amount
)

// dateError is a date or time in the amount column.
type dateError struct{ shown string }

func (e dateError) Error() string {
	if strings.Contains(e.shown, "/") {
		return e.shown + " is a date, not an amount"
	}
	return e.shown + " is a time, not an amount"
}

// boolError is a TRUE or FALSE cell in the amount column, which a
// workbook stores as 1 or 0.
type boolError struct{ value bool }

func (e boolError) Error() string {
	return strings.ToUpper(strconv.FormatBool(e.value)) + " (a true-or-false cell) is not an amount"
}

// percentError is a number shown as a percentage in the amount column: a
// rate, whose stored value (0.5 for 50%) is no amount of money.
type percentError struct{ raw string }

func (e percentError) Error() string {
	shown := e.raw
	if f, err := strconv.ParseFloat(strings.TrimSpace(e.raw), 64); err == nil {
		shown = strconv.FormatFloat(f*100, 'f', -1, 64) + "%"
	}
	return shown + " is shown as a percentage, not an amount"
}

// amountOf reads the amount column's cell of a line: a date is not an
// amount, and text that may be thousands written with a dot is ambiguous.
func (b *tableBuilder) amountOf(c cell, raw string, parse func(string) (int64, error)) (int64, error) {
	switch c.Kind {
	case kindText:
		if dotThousands(raw) {
			if _, err := parse(raw); err == nil {
				return 0, errDotThousands
			}
		}
	case kindDate, kindDate1904, kindDateString:
		return 0, dateError{shownDate(raw, c.Kind)}
	case kindBool:
		return 0, boolError{strings.TrimSpace(raw) != "0"}
	case kindPercent:
		return 0, percentError{raw}
	}
	return parse(raw)
}

// shownDate writes a date cell's value as a UK reader would see it:
// "03/04/2026", "03/04/2026 14:30", or "14:30" for a time alone.
func shownDate(raw string, kind cellKind) string {
	if kind == kindDateString {
		if d, err := time.Parse("2006-01-02", raw[:min(len(raw), 10)]); err == nil {
			return d.Format("02/01/2006")
		}
		return raw
	}
	serial, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || serial < 0 || serial > 2958466 {
		return raw
	}
	day := math.Floor(serial)
	secs := math.Round((serial - day) * 86400)
	var base time.Time
	switch {
	case kind == kindDate1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case day >= 61:
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	default:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC) // before Excel's 29 February 1900
	}
	d := base.AddDate(0, 0, int(day)).Add(time.Duration(secs) * time.Second)
	switch {
	case day == 0 && kind != kindDate1904:
		return d.Format("15:04")
	case secs > 0:
		return d.Format("02/01/2006 15:04")
	}
	return d.Format("02/01/2006")
}

// styleKinds tells, in a workbook, numbers shown as dates from other
// numbers, by their cells' styles.
type styleKinds struct {
	dates    sheetxml.DateStyles
	date1904 bool
}

// readStyleKinds reads which of a workbook's cell styles are dates.
func readStyleKinds(path string, wb *sheetxml.Workbook) (styleKinds, error) {
	dates, err := wb.DateStyles()
	if err != nil {
		return styleKinds{}, fmt.Errorf("%s: its styles could not be read: %w", path, err)
	}
	return styleKinds{dates: dates, date1904: wb.Date1904()}, nil
}

// of is the kind of a workbook cell of the given type and style.
func (k styleKinds) of(typ string, style int) cellKind {
	switch typ {
	case "", "n":
		switch {
		case k.dates.IsPercent(style):
			return kindPercent
		case !k.dates.IsDate(style):
			return kindNumber
		case k.date1904:
			return kindDate1904
		}
		return kindDate
	case "d":
		return kindDateString
	case "b":
		return kindBool
	case "e":
		return kindNumber
	}
	return kindText
}
