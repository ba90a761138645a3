// Package analysis maps cost lines to social outcomes and sums the result.
//
// In: an outcomes framework's tables ([ingest.FrameworkTables]) and cost
// lines ([ingest.CostLine]). Out: a [Framework] of outcomes and rules, each
// line's [Match] (the rule that mapped it and how its pence split across
// outcomes), and a [Summary] by business unit, cost centre, outcome, theme
// and delivery mode. Pure functions: no files, no workbooks, no clocks.
//
// How rules apply, in the words an adviser reads in the README:
//
//   - Criteria: business unit (exact, any case), cost centre (a code, or a
//     prefix ending in *), nominal (a code, a prefix ending in *, or a range
//     5000-5099), keywords (whole words or phrases, any case, in the line's
//     description, nominal description, line-type columns and cost centre
//     name; any one will do), payee (whole words or phrases of the payee;
//     keywords never read the payee). Several values in one criterion are
//     separated by ";". A blank criterion matches anything. A rule matches a
//     line when every filled criterion does.
//   - The most specific evidence wins. Of the rules that match, the line
//     goes to the one that matched the most specific field: description,
//     then payee, then nominal description or line type, then nominal code,
//     then cost centre name, then cost centre code, then business unit. A
//     rule's evidence is the most specific field any of its criteria
//     matched. Among rules with equal evidence, the one listed first wins.
//   - So a description that says what a line is beats a cost centre rule,
//     and a share given to a whole cost centre or business unit applies
//     only to lines with no better evidence.
//   - Rows that share an id make one rule that splits a line across
//     outcomes; the criteria are written on its first row. Shares add to at
//     most 100%; the rest of the line is core.
//   - A negative line that no income rule claims is a credit, and counts as
//     income. A line no rule matches is unmapped: not social purpose, and on
//     the review list.
package analysis

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/purpose-hq/purpose/ingest"
)

// Mode is how an outcome is delivered.
type Mode string

// The delivery modes. Specialist and Embedded are social purpose.
const (
	Specialist Mode = "specialist"
	Embedded   Mode = "embedded"
	Core       Mode = "core"
	Income     Mode = "income"
	Unmapped   Mode = "unmapped"
)

// Social reports whether spend in this mode delivers social purpose.
func (m Mode) Social() bool { return m == Specialist || m == Embedded }

// Reserved outcome codes: not outcomes, but where the rest of the money goes.
const (
	OutcomeCore     = "core"
	OutcomeIncome   = "income"
	OutcomeUnmapped = "unmapped"
)

// Outcome is a social outcome the framework reports on.
type Outcome struct {
	Code        string
	Name        string
	Theme       string
	Description string
}

// Part is one outcome's share of a rule, in basis points (10000 = 100%).
type Part struct {
	Outcome string
	Share   int
	Mode    Mode
}

// Rule maps the lines it matches to one or more outcomes.
type Rule struct {
	ID            string
	BusinessUnits []string // lower case
	CostCentres   []string // lower case; "ci*" is a prefix
	Nominals      []codeRange
	Keywords      []string // normalised, padded with spaces
	Payees        []string // normalised, padded with spaces
	Parts         []Part
	Note          string
	Source        ingest.Source
	// strongest is the strongest evidence the rule's criteria can give: a
	// line whose best rule so far is as strong needs no look at this one.
	strongest Evidence
}

// Mode is the rule's main delivery mode: its largest part's.
func (r *Rule) Mode() Mode {
	best := Part{Mode: Core}
	for _, p := range r.Parts {
		if p.Share > best.Share {
			best = p
		}
	}
	return best.Mode
}

// Framework is a set of outcomes and the rules that map spend to them.
type Framework struct {
	Name     string
	SHA256   string
	Outcomes []Outcome
	Rules    []*Rule
	// StaffRules split the time of posts (see staff.go); PayNominals say
	// which budget lines are pay; PayScale gives salaries by grade or
	// spinal point (nil when the framework has none).
	StaffRules  []*StaffRule
	PayNominals []*PayNominal
	PayScale    *PayScale
	// Warnings are things about the framework an adviser should know that
	// do not stop a run.
	Warnings []string
	byCode   map[string]*Outcome
}

// Outcome looks an outcome up by code.
func (f *Framework) Outcome(code string) (*Outcome, bool) {
	o, ok := f.byCode[strings.ToLower(code)]
	return o, ok
}

// Theme gives an outcome code's theme; reserved codes are their own theme.
func (f *Framework) Theme(code string) string {
	if o, ok := f.Outcome(code); ok {
		return o.Theme
	}
	return code
}

// FrameworkError lists the problems found in a framework, each with the
// file, sheet and row it is on: the first ingest.MaxListedProblems of
// them, and how many More there were.
type FrameworkError struct {
	Problems []string
	More     int
}

func (e *FrameworkError) Error() string {
	return "framework: " + ingest.ListProblems(e.Problems, e.More)
}

// Count is how many problems were found, listed or not.
func (e *FrameworkError) Count() int { return len(e.Problems) + e.More }

// MaxRules is the most rules (rows of the rules table) a framework may
// have: far more than any real framework, few enough that a run stays
// quick.
const MaxRules = ingest.MaxFrameworkRows

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_\-]*$`)

// NewFramework checks and compiles a framework's tables.
func NewFramework(t *ingest.FrameworkTables) (*Framework, error) {
	fw := &Framework{Name: t.Name, SHA256: t.SHA256, byCode: map[string]*Outcome{}}
	if n := max(len(t.Rules), len(t.Outcomes)); n > MaxRules {
		return nil, &FrameworkError{Problems: []string{fmt.Sprintf("%s: %d rows in a table, more than the %d a framework may have", t.Name, n, MaxRules)}}
	}
	var problems []string
	more := 0
	add := func(problem func() string) {
		if len(problems) >= ingest.MaxListedProblems {
			more++ // counted, not written: a framework of a million bad rows
			return
		}
		problems = append(problems, problem())
	}
	bad := func(src ingest.Source, format string, args ...any) {
		add(func() string { return src.String() + ": " + fmt.Sprintf(format, args...) })
	}
	noCode := 0
	for _, r := range t.Outcomes {
		if strings.TrimSpace(r.Code) == "" {
			noCode++
		}
	}
	if noCode > 1 && noCode == len(t.Outcomes) {
		// Not one code: the table's columns are wrong, not its rows.
		first, last := t.Outcomes[0].Source, t.Outcomes[len(t.Outcomes)-1].Source
		where := first.File
		if first.Sheet != "" {
			where += fmt.Sprintf(": sheet %q", first.Sheet)
		}
		problems = append(problems, fmt.Sprintf("%s: rows %d to %d: no outcome has a code: the code column is blank on every row; an outcomes table's columns are code, name, theme and description (optional), each under its heading in the header row", where, first.Row, last.Row))
	}
	for _, r := range t.Outcomes {
		o := Outcome{Code: strings.ToLower(strings.TrimSpace(r.Code)), Name: strings.TrimSpace(r.Name), Theme: strings.TrimSpace(r.Theme), Description: strings.TrimSpace(r.Description)}
		switch {
		case o.Code == "" && noCode == len(t.Outcomes) && noCode > 1:
			continue // said once, above
		case o.Code == "":
			bad(r.Source, "outcome has no code (its code column is blank)")
			continue
		case !codePattern.MatchString(o.Code):
			bad(r.Source, "outcome code %q: use letters, digits, _ and - only", o.Code)
			continue
		case o.Code == OutcomeCore || o.Code == OutcomeIncome || o.Code == OutcomeUnmapped:
			bad(r.Source, "%q is reserved and cannot be an outcome", o.Code)
			continue
		case fw.byCode[o.Code] != nil:
			bad(r.Source, "outcome %q is listed twice", o.Code)
			continue
		}
		if o.Name == "" {
			o.Name = o.Code
		}
		if o.Theme == "" {
			bad(r.Source, "outcome %q has no theme", o.Code)
		}
		fw.Outcomes = append(fw.Outcomes, o)
		fw.byCode[o.Code] = &fw.Outcomes[len(fw.Outcomes)-1]
	}
	// fw.Outcomes may have moved while growing: index again.
	for i := range fw.Outcomes {
		fw.byCode[fw.Outcomes[i].Code] = &fw.Outcomes[i]
	}
	if len(t.Outcomes) == 0 {
		add(func() string { return t.Name + ": the outcomes table is empty" })
	}

	seen := map[string]bool{}
	var cur *Rule
	for i := range t.Rules {
		r := &t.Rules[i]
		id := strings.TrimSpace(r.ID)
		if id == "" {
			bad(r.Source, "rule has no id")
			continue
		}
		criteria := strings.TrimSpace(r.BusinessUnit + r.CostCentre + r.Nominal + r.Keywords + r.Payee)
		if cur == nil || cur.ID != id {
			if seen[id] {
				bad(r.Source, "rule %s appears again after other rules; keep a rule's rows together", id)
				continue
			}
			seen[id] = true
			cur = &Rule{ID: id, Source: r.Source, Note: strings.TrimSpace(r.Note)}
			if err := cur.compileCriteria(r); err != nil {
				bad(r.Source, "rule %s: %v", id, err)
			}
			fw.Rules = append(fw.Rules, cur)
		} else if criteria != "" {
			bad(r.Source, "rule %s: write its criteria on its first row only (row %d)", id, cur.Source.Row)
		}
		p, err := fw.part(r)
		if err != nil {
			bad(r.Source, "rule %s: %v", id, err)
			continue
		}
		cur.Parts = append(cur.Parts, p)
	}
	for _, rule := range fw.Rules {
		total, income := 0, false
		for _, p := range rule.Parts {
			total += p.Share
			income = income || p.Mode == Income
		}
		if total > 10000 {
			bad(rule.Source, "rule %s: shares add up to %s, more than 100%%", rule.ID, FormatShare(total))
		}
		if income && len(rule.Parts) > 1 {
			bad(rule.Source, "rule %s: an income rule cannot also split to outcomes", rule.ID)
		}
	}
	if len(t.Rules) == 0 {
		add(func() string { return t.Name + ": the rules table is empty" })
	}
	for _, rule := range fw.Rules {
		if len(rule.BusinessUnits)+len(rule.CostCentres)+len(rule.Nominals)+len(rule.Keywords)+len(rule.Payees) == 0 {
			fw.Warnings = append(fw.Warnings, fmt.Sprintf("%s: rule %s has no criteria: it takes every line no other rule matches, so no line is ever unmapped", rule.Source, rule.ID))
		}
	}
	for _, p := range fw.compileStaff(t) {
		add(func() string { return p })
	}
	if len(problems)+more > 0 {
		return nil, &FrameworkError{Problems: problems, More: more}
	}
	return fw, nil
}

func (fw *Framework) part(r *ingest.RuleRow) (Part, error) {
	code := strings.ToLower(strings.TrimSpace(r.Outcome))
	mode := Mode(strings.ToLower(strings.TrimSpace(r.Mode)))
	share, err := ParseShare(r.Share)
	if err != nil {
		return Part{}, err
	}
	switch code {
	case "":
		return Part{}, errors.New("no outcome (give an outcome code, core or income)")
	case OutcomeCore:
		if mode == "" {
			mode = Core
		}
		if mode != Core {
			return Part{}, fmt.Errorf("outcome core goes with mode core, not %q", mode)
		}
	case OutcomeIncome:
		if mode == "" {
			mode = Income
		}
		if mode != Income {
			return Part{}, fmt.Errorf("outcome income goes with mode income, not %q", mode)
		}
	default:
		if _, ok := fw.Outcome(code); !ok {
			return Part{}, fmt.Errorf("outcome %q is not in the outcomes table", code)
		}
		switch mode {
		case Specialist, Embedded, Core:
		case "":
			return Part{}, errors.New("no mode (specialist, embedded or core)")
		default:
			return Part{}, fmt.Errorf("mode %q: use specialist, embedded or core", mode)
		}
	}
	return Part{Outcome: code, Share: share, Mode: mode}, nil
}

// ParseShare reads a share of a line: "60%", "60", "12.5%"; blank is 100%.
// Bare numbers are percentages. A bare number between 0 and 1 is refused as
// ambiguous (is "0.25" a quarter, or a quarter of one per cent?).
func ParseShare(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 10000, nil
	}
	pct := strings.HasSuffix(s, "%")
	num := strings.TrimSpace(strings.TrimSuffix(s, "%"))
	intPart, frac, _ := strings.Cut(num, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("share %q: give at most two decimal places of a per cent", s)
	}
	n, err := strconv.Atoi(intPart + (frac + "00")[:2])
	if err != nil || n < 0 || strings.HasPrefix(num, "+") {
		return 0, fmt.Errorf("share %q is not a percentage", s)
	}
	if !pct && n > 0 && n <= 100 {
		return 0, fmt.Errorf("share %q is ambiguous: write %s%% or %s%%", s, num, trimZeros(n))
	}
	if n > 10000 {
		return 0, fmt.Errorf("share %q is more than 100%%", s)
	}
	return n, nil
}

func trimZeros(bp int) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%d.%02d", bp, 0), "0"), ".")
}

// FormatShare writes basis points as a percentage: 6000 → "60%", 1250 → "12.5%".
func FormatShare(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// FractionString writes basis points as an exact decimal fraction:
// 2500 → "0.25", 10000 → "1", 3333 → "0.3333".
func FractionString(bp int) string {
	if bp == 10000 {
		return "1"
	}
	s := fmt.Sprintf("0.%04d", bp)
	s = strings.TrimRight(s, "0")
	if s == "0." {
		return "0"
	}
	return s
}

// codeRange is a nominal code, a prefix ("5*") or a range ("5000-5099").
type codeRange struct {
	lo, hi string
	prefix bool
}

func (c codeRange) match(code string) bool {
	switch {
	case c.prefix:
		return strings.HasPrefix(code, c.lo)
	case c.lo == c.hi:
		return code == c.lo
	}
	// Numeric codes compare as numbers; others as text of equal length.
	if n, err := strconv.ParseInt(code, 10, 64); err == nil {
		lo, err1 := strconv.ParseInt(c.lo, 10, 64)
		hi, err2 := strconv.ParseInt(c.hi, 10, 64)
		if err1 == nil && err2 == nil {
			return n >= lo && n <= hi
		}
	}
	return len(code) == len(c.lo) && code >= c.lo && code <= c.hi
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (r *Rule) compileCriteria(rec *ingest.RuleRow) error {
	for _, v := range splitList(rec.BusinessUnit) {
		r.BusinessUnits = append(r.BusinessUnits, strings.ToLower(v))
	}
	for _, v := range splitList(rec.CostCentre) {
		r.CostCentres = append(r.CostCentres, strings.ToLower(v))
	}
	for _, v := range splitList(rec.Nominal) {
		v = strings.ToLower(v)
		switch lo, hi, isRange := strings.Cut(v, "-"); {
		case strings.HasSuffix(v, "*"):
			r.Nominals = append(r.Nominals, codeRange{lo: strings.TrimSuffix(v, "*"), prefix: true})
		case isRange:
			lo, hi = strings.TrimSpace(lo), strings.TrimSpace(hi)
			if lo == "" || hi == "" || lo > hi && len(lo) == len(hi) {
				return fmt.Errorf("nominal range %q: write it low-high, like 5000-5099", v)
			}
			r.Nominals = append(r.Nominals, codeRange{lo: lo, hi: hi})
		default:
			r.Nominals = append(r.Nominals, codeRange{lo: v, hi: v})
		}
	}
	for _, v := range splitList(rec.Keywords) {
		k := normaliseText(v)
		if k == "" {
			return fmt.Errorf("keyword %q has no letters or digits", v)
		}
		r.Keywords = append(r.Keywords, " "+k+" ")
	}
	for _, v := range splitList(rec.Payee) {
		k := normaliseText(v)
		if k == "" {
			return fmt.Errorf("payee %q has no letters or digits", v)
		}
		r.Payees = append(r.Payees, " "+k+" ")
	}
	switch {
	case len(r.Keywords) > 0:
		r.strongest = EvidenceDescription
	case len(r.Payees) > 0:
		r.strongest = EvidencePayee
	case len(r.Nominals) > 0:
		r.strongest = EvidenceNominal
	case len(r.CostCentres) > 0:
		r.strongest = EvidenceCostCentre
	case len(r.BusinessUnits) > 0:
		r.strongest = EvidenceBusinessUnit
	}
	return nil
}

// normaliseText lower-cases text and turns every run of characters that
// are not letters or digits into one space, so keywords match whole words.
func normaliseText(s string) string {
	b := make([]byte, 0, len(s))
	space := true // no leading space
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			b = append(b, byte(r))
			space = false
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			b = append(b, byte(r+'a'-'A'))
			space = false
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			b = utf8.AppendRune(b, unicode.ToLower(r))
			space = false
		case !space:
			b = append(b, ' ')
			space = true
		}
	}
	return strings.TrimRight(string(b), " ")
}
