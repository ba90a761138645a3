package analysis

import (
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/ingest"
)

// Status is what became of a line.
type Status string

// Line statuses.
const (
	StatusMapped     Status = "mapped"
	StatusUnmapped   Status = "unmapped"
	StatusIncome     Status = "income"
	StatusUnreadable Status = "unreadable"
)

// RuleCredit names the built-in rule that treats a negative line as a credit.
const RuleCredit = "credit"

// Match is the result for one line: what it is and the rule that said so.
// Rule is nil for unmapped and unreadable lines, and for credits that no
// income rule claimed.
type Match struct {
	Status Status
	Rule   *Rule
}

// RuleID is the id of the rule that decided the line, "credit" for a
// negative line no income rule claimed, and "" when no rule matched.
func (m Match) RuleID() string {
	switch {
	case m.Rule != nil:
		return m.Rule.ID
	case m.Status == StatusIncome:
		return RuleCredit
	}
	return ""
}

// Allocation is part of a line's pence going to one outcome.
type Allocation struct {
	Outcome string
	Mode    Mode
	Share   int   // basis points of the line
	Amount  int64 // pence
}

// Evidence is how specific the field a rule matched a line on is. A line
// goes to the matching rule with the strongest evidence; among rules with
// equal evidence, to the one listed first.
type Evidence int8

// Evidence from weakest to strongest. A rule's evidence for a line is the
// strongest field any of its criteria matched: a rule for business unit
// "Housing" with keyword "officer" that finds "officer" in the description
// has description evidence.
const (
	EvidenceNone           Evidence = iota // a rule with no criteria
	EvidenceBusinessUnit                   // business unit
	EvidenceCostCentre                     // cost centre code
	EvidenceCostCentreName                 // keywords in the cost centre name
	EvidenceNominal                        // nominal code
	EvidenceLineType                       // keywords in the nominal description or a line-type column
	EvidencePayee                          // payee
	EvidenceDescription                    // keywords in the line's description
)

func (e Evidence) String() string {
	switch e {
	case EvidenceBusinessUnit:
		return "business unit"
	case EvidenceCostCentre:
		return "cost centre"
	case EvidenceCostCentreName:
		return "cost centre name"
	case EvidenceNominal:
		return "nominal"
	case EvidenceLineType:
		return "nominal description or line type"
	case EvidencePayee:
		return "payee"
	case EvidenceDescription:
		return "description"
	}
	return "no criteria"
}

// lineText is a line's fields prepared once for matching. The text fields
// are normalised and padded with spaces, so a keyword " money advice "
// matches whole words.
type lineText struct {
	businessUnit, costCentre, nominal            string
	description, lineType, costCentreName, payee string
	// keywordText is the three fields keywords read, joined with "|", so
	// a rule none of whose keywords is anywhere is passed over with one
	// search per keyword.
	keywordText string
}

func padded(s string) string {
	if s = normaliseText(s); s == "" {
		return ""
	}
	return " " + s + " "
}

func prepare(l *ingest.CostLine) lineText {
	// The nominal description and the line-type columns (joined with
	// " | " by ingest) are one field; "|" between them stops a phrase
	// matching across two columns.
	lineType := padded(l.NominalName)
	for part := range strings.SplitSeq(l.LineType, " | ") {
		if p := padded(part); p != "" {
			lineType += "|" + p
		}
	}
	t := lineText{
		businessUnit:   strings.ToLower(strings.TrimSpace(l.BusinessUnit)),
		costCentre:     strings.ToLower(strings.TrimSpace(l.CostCentre)),
		nominal:        strings.ToLower(strings.TrimSpace(l.Nominal)),
		description:    padded(l.Description),
		lineType:       lineType,
		costCentreName: padded(l.CostCentreName),
		payee:          padded(l.Payee),
	}
	t.keywordText = t.description + "|" + t.lineType + "|" + t.costCentreName
	return t
}

func containsAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// evidence reports whether every filled criterion of the rule matches the
// line and, if so, the strongest field one of them matched.
func (r *Rule) evidence(t *lineText) (Evidence, bool) {
	e := EvidenceNone
	if len(r.BusinessUnits) > 0 {
		if !slices.Contains(r.BusinessUnits, t.businessUnit) {
			return 0, false
		}
		e = EvidenceBusinessUnit
	}
	if len(r.CostCentres) > 0 {
		if !slices.ContainsFunc(r.CostCentres, func(c string) bool {
			if p, ok := strings.CutSuffix(c, "*"); ok {
				return strings.HasPrefix(t.costCentre, p)
			}
			return c == t.costCentre
		}) {
			return 0, false
		}
		e = EvidenceCostCentre
	}
	if len(r.Nominals) > 0 {
		if !slices.ContainsFunc(r.Nominals, func(c codeRange) bool { return c.match(t.nominal) }) {
			return 0, false
		}
		e = EvidenceNominal
	}
	if len(r.Payees) > 0 {
		if !containsAny(t.payee, r.Payees) {
			return 0, false
		}
		e = EvidencePayee
	}
	if len(r.Keywords) > 0 {
		switch {
		case !containsAny(t.keywordText, r.Keywords):
			return 0, false
		case containsAny(t.description, r.Keywords):
			e = EvidenceDescription
		case containsAny(t.lineType, r.Keywords):
			e = max(e, EvidenceLineType)
		case containsAny(t.costCentreName, r.Keywords):
			e = max(e, EvidenceCostCentreName)
		default:
			return 0, false
		}
	}
	return e, true
}

// BestRule is the rule that decides the line, or nil when none matches: of
// the rules whose every filled criterion matches, the one with the
// strongest [Evidence], and among those the one listed first.
func (f *Framework) BestRule(l *ingest.CostLine) *Rule {
	t := prepare(l)
	r, _ := f.bestRule(&t)
	return r
}

// Explain is BestRule with the evidence it had.
func (f *Framework) Explain(l *ingest.CostLine) (*Rule, Evidence) {
	t := prepare(l)
	return f.bestRule(&t)
}

func (f *Framework) bestRule(t *lineText) (*Rule, Evidence) {
	var best *Rule
	bestEvidence := Evidence(-1)
	for _, r := range f.Rules {
		if r.strongest <= bestEvidence {
			continue // it could at best tie, and ties go to the earlier rule
		}
		if e, ok := r.evidence(t); ok && e > bestEvidence {
			best, bestEvidence = r, e
		}
	}
	if best == nil {
		return nil, EvidenceNone
	}
	return best, bestEvidence
}

// MatchLine decides what a line is.
func (f *Framework) MatchLine(l *ingest.CostLine) Match {
	if l.Unreadable != "" {
		return Match{Status: StatusUnreadable}
	}
	return decide(l, f.BestRule(l))
}

// decide turns the best matching rule (or none) into a match.
func decide(l *ingest.CostLine, r *Rule) Match {
	switch {
	case r != nil && r.Mode() == Income:
		return Match{Status: StatusIncome, Rule: r}
	case l.Amount < 0:
		return Match{Status: StatusIncome}
	case r == nil:
		return Match{Status: StatusUnmapped}
	}
	return Match{Status: StatusMapped, Rule: r}
}

// Matcher matches lines like MatchLine, remembering the rule each
// combination of fields led to: a ledger repeats the same cost centre,
// nominal and description thousands of times, and trying seventy rules'
// keywords on each is most of the work. It is not safe for concurrent use.
type Matcher struct {
	f     *Framework
	cache map[string]*Rule
	key   []byte
}

// maxCachedMatches bounds the cache; past it, it starts again.
const maxCachedMatches = 1 << 18

// NewMatcher returns a Matcher for the framework.
func (f *Framework) NewMatcher() *Matcher {
	return &Matcher{f: f, cache: map[string]*Rule{}}
}

// Match decides what a line is, as Framework.MatchLine does.
func (m *Matcher) Match(l *ingest.CostLine) Match {
	if l.Unreadable != "" {
		return Match{Status: StatusUnreadable}
	}
	// Every field a criterion reads is in the key.
	k := m.key[:0]
	for _, s := range [...]string{l.BusinessUnit, l.CostCentre, l.Nominal, l.CostCentreName, l.NominalName, l.Description, l.LineType, l.Payee} {
		k = append(k, s...)
		k = append(k, 0)
	}
	m.key = k
	r, ok := m.cache[string(k)]
	if !ok {
		r = m.f.BestRule(l)
		if len(m.cache) >= maxCachedMatches {
			clear(m.cache)
		}
		m.cache[string(k)] = r
	}
	return decide(l, r)
}

// Allocate splits a line's pence by its match. The parts add up to the line
// exactly: each outcome gets its share rounded down, the rest of the line
// not given to outcomes goes to core, and pennies left by rounding go to the
// parts with the largest remainders (ties to the earlier part).
func Allocate(amount int64, m Match) []Allocation {
	return AllocateInto(nil, amount, m)
}

// AllocateInto is Allocate appending to dst[:0], so a caller that splits a
// million lines can reuse one slice.
func AllocateInto(dst []Allocation, amount int64, m Match) []Allocation {
	dst = dst[:0]
	switch m.Status {
	case StatusUnreadable:
		return dst
	case StatusUnmapped:
		return append(dst, Allocation{Outcome: OutcomeUnmapped, Mode: Unmapped, Share: 10000, Amount: amount})
	case StatusIncome:
		return append(dst, Allocation{Outcome: OutcomeIncome, Mode: Income, Share: 10000, Amount: amount})
	}
	parts := dst
	rest := 10000
	for _, p := range m.Rule.Parts {
		if p.Share == 0 {
			continue
		}
		parts = append(parts, Allocation{Outcome: p.Outcome, Mode: p.Mode, Share: p.Share})
		rest -= p.Share
	}
	if rest > 0 {
		parts = append(parts, Allocation{Outcome: OutcomeCore, Mode: Core, Share: rest})
	}
	var sharesBuf, amountsBuf [16]int64
	shares, amounts := sharesBuf[:0], amountsBuf[:0]
	for _, p := range parts {
		shares = append(shares, int64(p.Share))
		amounts = append(amounts, 0)
	}
	splitInto(amounts, amount, shares)
	for i := range parts {
		parts[i].Amount = amounts[i]
	}
	return parts
}

// SplitPence divides amount in proportion to weights by largest remainder,
// so the parts always add up to amount. Negative amounts split like their
// absolute value, negated. Weights must be non-negative with a positive sum.
func SplitPence(amount int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	splitInto(out, amount, weights)
	return out
}

// splitInto is SplitPence writing into out, which must be as long as
// weights.
func splitInto(out []int64, amount int64, weights []int64) {
	var total int64
	for _, w := range weights {
		total += w
	}
	if total == 0 || len(weights) == 0 {
		return
	}
	neg := amount < 0
	a := amount
	if neg {
		a = -a
	}
	var remsBuf [16]int64
	rems := remsBuf[:0]
	if len(weights) > len(remsBuf) {
		rems = make([]int64, 0, len(weights))
	}
	rems = rems[:len(weights)]
	var given int64
	for i, w := range weights {
		// a*w can overflow int64 for very large amounts; split the product.
		q1, r1 := a/total, a%total
		out[i] = q1*w + (r1*w)/total
		rems[i] = (r1 * w) % total
		given += out[i]
	}
	var orderBuf [16]int
	order := orderBuf[:0]
	if len(weights) > len(orderBuf) {
		order = make([]int, 0, len(weights))
	}
	for i := range weights {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case rems[x] > rems[y]:
			return -1
		case rems[x] < rems[y]:
			return 1
		}
		return 0
	})
	for k := 0; given < a; k++ {
		out[order[k%len(order)]]++
		given++
	}
	if neg {
		for i := range out {
			out[i] = -out[i]
		}
	}
}
