package analysis

// Pay lines and posts: which budget lines are pay, how a cost centre's pay
// compares with its posts, and how pay lines are apportioned by staff time
// so that staff cost is counted once.
//
// The money is the budget's. Posts never add to spend: they say how a cost
// centre's pay lines split across outcomes. A pay line (the framework's pay
// nominals say which) in a cost centre with posts goes by its posts' time,
// weighted by each post's cost; every other line, and a pay line in a cost
// centre with no posts, goes by the line rules as before.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/ingest"
)

// payKind is the index of the first pay nominal that names a line as
// pay, or -1 when none does. A line is pay when its nominal code is one
// the framework's pay nominals name, or their keywords are in its nominal
// name or line type (or, for a line with neither, its description).
func (f *Framework) payKind(l *ingest.CostLine) int {
	if len(f.PayNominals) == 0 {
		return -1
	}
	nominal := strings.ToLower(strings.TrimSpace(l.Nominal))
	text := padded(l.NominalName + " | " + l.LineType)
	if strings.TrimSpace(l.NominalName) == "" && strings.TrimSpace(l.LineType) == "" {
		text = padded(l.Description)
	}
	for i, pn := range f.PayNominals {
		for _, c := range pn.Nominals {
			if nominal != "" && c.match(nominal) {
				return i
			}
		}
		if containsAny(text, pn.Keywords) {
			return i
		}
	}
	return -1
}

// payMemo remembers which lines are pay, and of which kind, by the fields
// payKind reads: a
// ledger repeats them thousands of times, and matching the pay keywords on
// each is most of the work. It is not safe for concurrent use.
type payMemo struct {
	f    *Framework
	seen map[string]int
	key  []byte
}

func (f *Framework) payMemo() payMemo { return payMemo{f: f, seen: map[string]int{}} }

// maxPayMemo bounds the memo; past it, it starts again.
const maxPayMemo = 1 << 16

func (p *payMemo) isPay(l *ingest.CostLine) bool { return p.kind(l) >= 0 }

func (p *payMemo) kind(l *ingest.CostLine) int {
	if len(p.f.PayNominals) == 0 {
		return -1
	}
	k := append(p.key[:0], l.Nominal...)
	k = append(append(k, 0), l.NominalName...)
	k = append(append(k, 0), l.LineType...)
	if strings.TrimSpace(l.NominalName) == "" && strings.TrimSpace(l.LineType) == "" {
		k = append(append(k, 0), l.Description...) // payKind reads it only then
	}
	p.key = k
	if v, ok := p.seen[string(k)]; ok {
		return v
	}
	v := p.f.payKind(l)
	if len(p.seen) >= maxPayMemo {
		clear(p.seen)
	}
	p.seen[string(k)] = v
	return v
}

// costCentreKey is how lines and posts are put in the same cost centre:
// its code, any case; a cost centre given by name only, by its name.
func costCentreKey(code, name string) string {
	if c := strings.ToLower(strings.TrimSpace(code)); c != "" {
		return c
	}
	if n := normaliseText(name); n != "" {
		return "name:" + n
	}
	return ""
}

// ccKeys remembers the cost centre key of each cost centre code, so a
// ledger's lines do not each fold its case again. It is not safe for
// concurrent use.
type ccKeys map[string]string

func (m ccKeys) key(code, name string) string {
	if k, ok := m[code]; ok {
		return k
	}
	k := costCentreKey(code, name)
	if strings.HasPrefix(k, "name:") || k == "" || len(m) >= maxPayMemo {
		return k // by name: the code is blank
	}
	m[code] = k
	return k
}

// Tolerance is how far a cost centre's budget pay and its establishment
// may differ and still agree: by at most Amount pence, or by at most Share
// (in ingest.ShareUnit) of the budget pay, whichever is more.
type Tolerance struct {
	Share  int64
	Amount int64
}

// DefaultTolerance is 2% or £1,000.
var DefaultTolerance = Tolerance{Share: 20_000, Amount: 1_000_00}

// Allows reports whether a difference is within the tolerance of budget.
func (t Tolerance) Allows(budget, difference int64) bool {
	d, b := abs64(difference), abs64(budget)
	return d <= t.Amount || mulDivRound(b, t.Share, ingest.ShareUnit) >= d
}

func (t Tolerance) String() string {
	return fmt.Sprintf("%s or %s", formatMillionths(t.Share), ingest.FormatMoney(t.Amount))
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// PayRow is one cost centre's budget pay beside its establishment.
type PayRow struct {
	CostCentre, CostCentreName string
	BusinessUnit               string
	// Budget is the cost centre's pay lines added up (credits such as a
	// vacancy factor included); PayLines counts them.
	Budget   int64
	PayLines int
	// ByKind is Budget by the framework's pay nominals (salaries,
	// overtime, agency staff…), in their order; nil when there is none.
	ByKind []int64
	// Establishment is its posts' cost; Posts and VacantPosts count them.
	Establishment      int64
	Posts, VacantPosts int
	VacantCost         int64
	// Difference is Budget − Establishment: positive when the budget has
	// more pay than the posts cost, negative when less.
	Difference int64
	Within     bool
}

// Explain says in words what a row shows; kinds are the framework's pay
// nominals, which name the kinds of pay in a row outside the tolerance.
func (r PayRow) Explain(t Tolerance, kinds []*PayNominal) string {
	switch {
	case r.Posts == 0:
		return fmt.Sprintf("%s of pay budgeted, no posts in this cost centre", ingest.FormatMoney(r.Budget)) + r.kinds(kinds)
	case r.PayLines == 0:
		return fmt.Sprintf("%d posts costing %s, no pay budgeted in this cost centre", r.Posts, ingest.FormatMoney(r.Establishment))
	case r.Difference == 0:
		return "budget pay and posts agree to the penny"
	}
	more := "more"
	if r.Difference < 0 {
		more = "less"
	}
	within := "outside"
	if r.Within {
		within = "within"
	}
	s := fmt.Sprintf("budget pay is %s %s than the posts cost (%s the tolerance of %s)", ingest.FormatMoney(abs64(r.Difference)), more, within, t)
	if r.VacantPosts > 0 {
		s += fmt.Sprintf("; %d vacant posts cost %s", r.VacantPosts, ingest.FormatMoney(r.VacantCost))
	}
	if !r.Within {
		s += r.kinds(kinds)
	}
	return s
}

// kinds lists a row's budget pay by kind: "; its pay lines: salaries
// £1.00, overtime £2.00".
func (r PayRow) kinds(kinds []*PayNominal) string {
	var parts []string
	for i, v := range r.ByKind {
		if v != 0 && i < len(kinds) {
			parts = append(parts, kinds[i].Label+" "+ingest.FormatMoney(v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; its pay lines: " + strings.Join(parts, ", ")
}

// PayReconciliation is budget pay against the establishment, cost centre
// by cost centre, in the order cost centres are first met (budget lines,
// then posts in cost centres with no pay lines).
type PayReconciliation struct {
	Tolerance             Tolerance
	Rows                  []PayRow
	Budget, Establishment int64
	// Outside counts the rows outside the tolerance.
	Outside int
	// Kinds are the framework's pay nominals, which PayRow.ByKind follows.
	Kinds []*PayNominal
}

// StaffAllocation is part of a pay line apportioned by staff time, with
// the rule that split the posts' time: "staff:survey", "staff:S010", or
// "staff:core" for posts no rule matched.
type StaffAllocation struct {
	Allocation
	Rule string
}

// StaffAllocator apportions pay lines by the time of the posts in their
// cost centre. Build it once from StaffTime's results; it remembers which
// lines are pay, so it is not safe for concurrent use.
type StaffAllocator struct {
	f     *Framework
	byCC  map[string]*ccTime
	pay   payMemo
	keys  ccKeys
	split splitter
	out   []StaffAllocation
}

// ccTime is a cost centre's posts' time, as weights in pence (or in FTE,
// when its posts cost nothing) by outcome, mode and rule.
type ccTime struct {
	parts   []StaffAllocation // Amount unset
	weights []int64
	rule    *Rule
}

// NewStaffAllocator gathers, for each cost centre, its posts' time split
// weighted by each post's cost.
func (f *Framework) NewStaffAllocator(posts []PostResult) *StaffAllocator {
	a := &StaffAllocator{f: f, byCC: map[string]*ccTime{}, pay: f.payMemo(), keys: ccKeys{}}
	byFTE := map[string]*ccTime{}
	add := func(m map[string]*ccTime, k string, p PostPart, rule string, w int64) {
		c := m[k]
		if c == nil {
			c = &ccTime{}
			m[k] = c
		}
		for i, q := range c.parts {
			if q.Outcome == p.Outcome && q.Mode == p.Mode && q.Rule == rule {
				c.weights[i] += w
				return
			}
		}
		c.parts = append(c.parts, StaffAllocation{Allocation: Allocation{Outcome: p.Outcome, Mode: p.Mode}, Rule: rule})
		c.weights = append(c.weights, w)
	}
	for i := range posts {
		r := &posts[i]
		k := costCentreKey(r.Post.CostCentre, r.Post.CostCentreName)
		if k == "" {
			continue
		}
		rule := RuleStaff + r.Rule
		for _, p := range r.Parts {
			add(a.byCC, k, p, rule, p.Amount)
			add(byFTE, k, p, rule, p.FTE)
		}
	}
	for k, c := range a.byCC {
		var total int64
		for _, w := range c.weights {
			total += w
		}
		if total == 0 {
			c = byFTE[k] // posts with no cost: by their time alone
			a.byCC[k] = c
		}
		total = 0
		for _, w := range c.weights {
			total += w
		}
		if total == 0 {
			delete(a.byCC, k) // no cost and no time: the line rules decide
			continue
		}
		for i, s := range splitExact(10000, c.weights) {
			c.parts[i].Share = int(s)
		}
		c.rule = staffLineRule(c.parts)
	}
	return a
}

// RuleStaffLine is the id of the rule a pay line apportioned by staff time
// is described by; each of its parts names the staff rule that split the
// posts' time (staff:S140, staff:survey).
const RuleStaffLine = "staff"

// staffLineRule describes a cost centre's pay lines: its posts' time by
// outcome and mode, in basis points.
func staffLineRule(parts []StaffAllocation) *Rule {
	r := &Rule{ID: RuleStaffLine, Note: "pay apportioned by the time of the cost centre's posts"}
	for _, p := range parts {
		i := slices.IndexFunc(r.Parts, func(q Part) bool { return q.Outcome == p.Outcome && q.Mode == p.Mode })
		if i < 0 {
			r.Parts = append(r.Parts, Part{Outcome: p.Outcome, Mode: p.Mode})
			i = len(r.Parts) - 1
		}
		r.Parts[i].Share += p.Share
	}
	return r
}

// Covers reports whether a cost centre has posts whose time apportions its
// pay lines.
func (a *StaffAllocator) Covers(costCentre, name string) bool {
	_, ok := a.byCC[a.keys.key(costCentre, name)]
	return ok
}

// Allocate apportions a pay line by the time of its cost centre's posts,
// weighted by their cost: the parts add up to the line to the penny
// (largest remainder), each naming the rule that split the posts' time,
// and the rule that describes the whole line (RuleStaffLine, one per cost
// centre). It returns a nil rule, and the line goes by its line rule (m)
// as before, when the line is not pay, when its match makes it income or
// unreadable, when it is a credit, or when its cost centre has no posts.
// The parts are the allocator's until its next call.
func (a *StaffAllocator) Allocate(l *ingest.CostLine, m Match) ([]StaffAllocation, *Rule) {
	if m.Status == StatusIncome || m.Status == StatusUnreadable || l.Amount < 0 || !a.pay.isPay(l) {
		return nil, nil
	}
	c, ok := a.byCC[a.keys.key(l.CostCentre, l.CostCentreName)]
	if !ok {
		return nil, nil
	}
	a.out = append(a.out[:0], c.parts...)
	for i, v := range a.split.split(l.Amount, c.weights) {
		a.out[i].Amount = v
	}
	return a.out, c.rule
}
