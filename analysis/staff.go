package analysis

// Staff time: each post's cost, and its time split across outcomes.
//
// Precedence for a post's split, as the README says it:
//
//  1. its own time-split columns (a time survey: "% Tenancy sustainment");
//     the rule is "survey";
//  2. else the staff rule of the framework that matches it, by the most
//     specific evidence: job title, then team, then cost centre, then
//     business unit; among equals, the one listed first;
//  3. the rest of its time is core.
//
// A survey gives no mode: an outcome takes the mode the post's staff rule
// gives it, if the rule names that outcome; else specialist when it has at
// least half the post's time, embedded when less.
//
// Cost: FTE × full-time salary (or the pay the table gives for the row),
// plus on-costs as an amount and as a share of pay; or the whole cost when
// the table gives it (a budget's staffing sheet). A salary missing from
// the table comes from the pay scale by spinal point, else by grade.
// Every figure is exact: FTE in billionths, shares in millionths, pence,
// rounded once (half away from zero), and split by largest remainder so the
// parts add up to the post's FTE and cost.

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"math/bits"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/ingest"
)

// Rule names for post time: a post's own survey columns, and (prefixed to
// a staff rule's id, or to these) pay lines apportioned by staff time.
const (
	RuleSurvey = "survey"
	RuleStaff  = "staff:"
	// RuleNoStaffRule is the rule of a post no survey or staff rule
	// splits: all its time is core.
	RuleNoStaffRule = "core"
)

// StaffRule splits the time of the posts it matches.
type StaffRule struct {
	ID            string
	JobTitles     []string // normalised, padded with spaces
	Teams         []string // normalised, padded with spaces
	BusinessUnits []string // lower case
	CostCentres   []string // lower case; "hm*" is a prefix
	Parts         []Part
	Note          string
	Source        ingest.Source
}

// PayNominal names budget lines that are pay: by nominal code, prefix or
// range, or by words of the nominal's name or line type.
type PayNominal struct {
	Nominals []codeRange
	Keywords []string // normalised, padded with spaces
	// Label names the kind of pay in the Reconciliation: the row's first
	// keyword, or its nominal codes.
	Label  string
	Source ingest.Source
}

// compileStaff reads the framework's staff rules, pay nominals and pay
// scale, and returns every problem, each naming its row.
func (fw *Framework) compileStaff(t *ingest.FrameworkTables) []string {
	var problems []string
	bad := func(src ingest.Source, format string, args ...any) {
		problems = append(problems, src.String()+": "+fmt.Sprintf(format, args...))
	}
	seen := map[string]bool{}
	var cur *StaffRule
	for i := range t.StaffRules {
		r := &t.StaffRules[i]
		id := strings.TrimSpace(r.ID)
		criteria := strings.TrimSpace(r.JobTitle + r.Team + r.BusinessUnit + r.CostCentre)
		switch {
		case id == "":
			bad(r.Source, "staff rule has no id")
			continue
		case strings.EqualFold(id, RuleSurvey) || strings.EqualFold(id, RuleNoStaffRule):
			bad(r.Source, "staff rule id %q is reserved", id)
			continue
		}
		if cur == nil || cur.ID != id {
			if seen[id] {
				bad(r.Source, "staff rule %s appears again after other rules; keep a rule's rows together", id)
				continue
			}
			seen[id] = true
			cur = &StaffRule{ID: id, Source: r.Source, Note: strings.TrimSpace(r.Note)}
			for _, v := range splitList(r.JobTitle) {
				cur.JobTitles = append(cur.JobTitles, " "+normaliseText(v)+" ")
			}
			for _, v := range splitList(r.Team) {
				cur.Teams = append(cur.Teams, " "+normaliseText(v)+" ")
			}
			for _, v := range splitList(r.BusinessUnit) {
				cur.BusinessUnits = append(cur.BusinessUnits, strings.ToLower(v))
			}
			for _, v := range splitList(r.CostCentre) {
				cur.CostCentres = append(cur.CostCentres, strings.ToLower(v))
			}
			if criteria == "" {
				bad(r.Source, "staff rule %s has no criteria (give a job title, team, business unit or cost centre)", id)
			}
			fw.StaffRules = append(fw.StaffRules, cur)
		} else if criteria != "" {
			bad(r.Source, "staff rule %s: write its criteria on its first row only (row %d)", id, cur.Source.Row)
		}
		p, err := fw.part(&ingest.RuleRow{Outcome: r.Outcome, Share: r.Share, Mode: r.Mode})
		switch {
		case err != nil:
			bad(r.Source, "staff rule %s: %v", id, err)
			continue
		case p.Mode == Income:
			bad(r.Source, "staff rule %s: a post's time is not income", id)
			continue
		}
		cur.Parts = append(cur.Parts, p)
	}
	for _, rule := range fw.StaffRules {
		total := 0
		for _, p := range rule.Parts {
			total += p.Share
		}
		if total > 10000 {
			bad(rule.Source, "staff rule %s: shares add up to %s, more than 100%%", rule.ID, FormatShare(total))
		}
	}
	for _, r := range t.PayNominals {
		pn := &PayNominal{Source: r.Source}
		tmp := &Rule{}
		if err := tmp.compileCriteria(&ingest.RuleRow{Nominal: r.Nominal, Keywords: r.Keywords}); err != nil {
			bad(r.Source, "pay nominal: %v", err)
			continue
		}
		pn.Nominals, pn.Keywords = tmp.Nominals, tmp.Keywords
		pn.Label = strings.TrimSpace(strings.Split(r.Keywords, ";")[0])
		if pn.Label == "" {
			pn.Label = "nominal " + strings.TrimSpace(r.Nominal)
		}
		if len(pn.Nominals)+len(pn.Keywords) == 0 {
			bad(r.Source, "pay nominal row has neither a nominal nor keywords")
			continue
		}
		fw.PayNominals = append(fw.PayNominals, pn)
	}
	if len(t.PayScales) > 0 {
		ps, err := NewPayScale(t.PayScales)
		if err != nil {
			var se *StaffError
			if errors.As(err, &se) {
				problems = append(problems, se.Problems...)
			} else {
				problems = append(problems, err.Error())
			}
		}
		fw.PayScale = ps
	}
	return problems
}

// staffEvidence is how specific the field a staff rule matched is.
func (r *StaffRule) evidence(p *ingest.Post, title, team string) (Evidence, bool) {
	best := EvidenceBusinessUnit
	if len(r.BusinessUnits) > 0 && !slices.Contains(r.BusinessUnits, strings.ToLower(strings.TrimSpace(p.BusinessUnit))) {
		return EvidenceNone, false
	}
	if len(r.CostCentres) > 0 {
		cc := strings.ToLower(strings.TrimSpace(p.CostCentre))
		if !slices.ContainsFunc(r.CostCentres, func(c string) bool {
			if pre, ok := strings.CutSuffix(c, "*"); ok {
				return strings.HasPrefix(cc, pre)
			}
			return cc == c
		}) {
			return EvidenceNone, false
		}
		best = EvidenceCostCentre
	}
	if len(r.Teams) > 0 {
		if !containsAny(team, r.Teams) {
			return EvidenceNone, false
		}
		best = EvidenceCostCentreName // a team says more than its cost centre
	}
	if len(r.JobTitles) > 0 {
		if !containsAny(title, r.JobTitles) {
			return EvidenceNone, false
		}
		best = EvidenceDescription
	}
	return best, true
}

// StaffRuleFor is the staff rule that splits a post's time when it has no
// survey columns: of the rules that match, the one with the most specific
// evidence (job title, team, cost centre, business unit), the first listed
// among equals; nil if none matches.
func (f *Framework) StaffRuleFor(p *ingest.Post) *StaffRule {
	title, team := padded(normaliseText(p.JobTitle)), padded(normaliseText(p.Team))
	var best *StaffRule
	bestEv := EvidenceNone
	for _, r := range f.StaffRules {
		if ev, ok := r.evidence(p, title, team); ok && ev > bestEv {
			best, bestEv = r, ev
		}
	}
	return best
}

// PostPart is a post's time and cost on one outcome (or core).
type PostPart struct {
	Outcome string
	Mode    Mode
	Share   int64 // of the post's time, in ingest.ShareUnit
	FTE     int64 // in ingest.FTEUnit
	Amount  int64 // pence
}

// postPart is a rule's part as a post's: its share, in basis points, in
// ingest.ShareUnit.
func postPart(pt Part) PostPart {
	return PostPart{Outcome: pt.Outcome, Mode: pt.Mode, Share: int64(pt.Share) * (ingest.ShareUnit / 10000)}
}

// PostResult is a post's cost and time split.
type PostResult struct {
	Post *ingest.Post
	// Pay is FTE × salary (or the pay given); OnCost the on-costs; Cost
	// the whole, which also holds any cost the table gives whole.
	Pay, OnCost, Cost int64
	// Rule is RuleSurvey, a staff rule's id, or RuleNoStaffRule.
	Rule string
	// Parts are the outcomes in the order the survey or rule gives them,
	// then core; their FTE add up to the post's, their Amount to Cost.
	Parts []PostPart
	// Vacant is set when every holder of the post is a vacancy: it stays
	// in (it is budgeted), flagged.
	Vacant bool
}

// SocialFTE and SocialCost are the post's specialist and embedded parts.
func (r *PostResult) SocialFTE() int64 {
	var n int64
	for _, p := range r.Parts {
		if p.Mode.Social() {
			n += p.FTE
		}
	}
	return n
}

// SocialCost is the pence of the post's cost on social outcomes.
func (r *PostResult) SocialCost() int64 {
	var n int64
	for _, p := range r.Parts {
		if p.Mode.Social() {
			n += p.Amount
		}
	}
	return n
}

// StaffError lists every post whose cost or time could not be worked out,
// each naming its file, sheet and row (and the column, for a heading).
type StaffError struct{ Problems []string }

func (e *StaffError) Error() string { return "analysis: " + strings.Join(e.Problems, "\n  ") }

// StaffOptions steer StaffTime.
type StaffOptions struct {
	// PayScale gives salaries to posts listed by grade or spinal point
	// without one; nil uses the framework's.
	PayScale *PayScale
}

// StaffTime works out each post's cost and time split. It returns a
// *StaffError naming every post that cannot be costed or split (a survey
// over 100%, a heading that names no outcome, a post with no salary and
// no pay scale point).
func (f *Framework) StaffTime(posts []ingest.Post, opt StaffOptions) ([]PostResult, error) {
	scale := opt.PayScale
	if scale == nil {
		scale = f.PayScale
	}
	var problems []string
	out := make([]PostResult, 0, len(posts))
	for i := range posts {
		p := &posts[i]
		res := PostResult{Post: p, Vacant: p.Vacant()}
		if err := res.cost(scale); err != nil {
			problems = append(problems, p.Source.String()+": "+err.Error())
			continue
		}
		parts, rule, err := f.split(p)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		res.Rule = rule
		weights := make([]int64, len(parts))
		for j, pt := range parts {
			weights[j] = pt.Share
		}
		ftes, amounts := splitExact(p.FTE, weights), splitExact(res.Cost, weights)
		for j := range parts {
			parts[j].FTE, parts[j].Amount = ftes[j], amounts[j]
		}
		res.Parts = parts
		out = append(out, res)
	}
	if len(problems) > 0 {
		return nil, &StaffError{Problems: problems}
	}
	return out, nil
}

// cost works out a post's pay, on-costs and cost from its holders.
func (r *PostResult) cost(scale *PayScale) error {
	for _, h := range r.Post.Holders {
		if h.HasCost {
			r.Cost += h.Cost
			continue
		}
		var pay int64
		switch {
		case h.HasPay:
			pay = h.Pay
		case h.HasSalary:
			pay = mulDivRound(h.FTE, h.Salary, ingest.FTEUnit)
		default:
			salary, err := scale.Salary(h.Grade, h.SpinalPoint)
			if err != nil {
				if h.Source.Row != r.Post.Source.Row {
					return fmt.Errorf("row %d: %w", h.Source.Row, err)
				}
				return err
			}
			pay = mulDivRound(h.FTE, salary, ingest.FTEUnit)
		}
		on := h.OnCost + mulDivRound(pay, h.OnCostRate, ingest.ShareUnit)
		r.Pay += pay
		r.OnCost += on
		r.Cost += pay + on
	}
	return nil
}

// split is a post's time split: its parts with shares (core last, when
// any time is left), and the rule that gave it.
func (f *Framework) split(p *ingest.Post) ([]PostPart, string, error) {
	rule := f.StaffRuleFor(p)
	var parts []PostPart
	name := RuleNoStaffRule
	override, err := f.ReviewOverride(p.Review, p.Source)
	if err != nil {
		return nil, "", err
	}
	if override != nil {
		// An adviser's override: above the survey and the staff rules.
		name = RuleOverride
		for _, pt := range override.Parts {
			parts = append(parts, postPart(pt))
		}
	} else if len(p.Splits) > 0 {
		name = RuleSurvey
		var total int64
		largest := -1
		for _, s := range p.Splits {
			code, ok := f.outcomeNamed(s.Outcome)
			if !ok {
				return nil, "", fmt.Errorf("%s column %s %q: no outcome of the framework is %q (name an outcome by its code or name, or core)",
					ingest.Source{File: p.Source.File, Sheet: p.Source.Sheet, Row: p.Source.Row}, ingest.ColumnLetter(s.Column), s.Heading, s.Outcome)
			}
			total += s.Share
			if s.Share == 0 {
				continue
			}
			if code == OutcomeCore {
				parts = append(parts, PostPart{Outcome: OutcomeCore, Mode: Core, Share: s.Share})
			} else {
				parts = append(parts, PostPart{Outcome: code, Mode: surveyMode(rule, code, s.Share), Share: s.Share})
			}
			if largest < 0 || s.Share > parts[largest].Share {
				largest = len(parts) - 1
			}
		}
		// Shares read to the millionth may overshoot 100% by the
		// rounding (six columns of 16.6666667%): that comes off the
		// largest. More is an error.
		if over := total - ingest.ShareUnit; over > 0 {
			if over > int64(len(p.Splits)) {
				return nil, "", fmt.Errorf("%s: the time split adds up to %s, more than 100%%", p.Source, formatMillionths(total))
			}
			parts[largest].Share -= over
		}
	} else if rule != nil {
		name = rule.ID
		for _, pt := range rule.Parts {
			if pt.Share > 0 {
				parts = append(parts, postPart(pt))
			}
		}
	}
	var given int64
	for _, pt := range parts {
		given += pt.Share
	}
	if given < ingest.ShareUnit {
		// Core parts named by a survey are one with the rest.
		i := slices.IndexFunc(parts, func(pt PostPart) bool { return pt.Outcome == OutcomeCore })
		if i >= 0 {
			parts[i].Share += ingest.ShareUnit - given
		} else {
			parts = append(parts, PostPart{Outcome: OutcomeCore, Mode: Core, Share: ingest.ShareUnit - given})
		}
	}
	return parts, name, nil
}

// surveyMode is the mode of a survey's outcome: the post's staff rule's for
// that outcome; else specialist for half the post's time or more, embedded
// for less.
func surveyMode(rule *StaffRule, code string, share int64) Mode {
	if rule != nil {
		for _, p := range rule.Parts {
			if p.Outcome == code {
				return p.Mode
			}
		}
	}
	if share*2 >= ingest.ShareUnit {
		return Specialist
	}
	return Embedded
}

// outcomeNamed finds the outcome a heading names: by code ("money_advice",
// "money advice") or by name ("Money and debt advice"), any case; "core",
// "other" and "non-social" are core.
func (f *Framework) outcomeNamed(text string) (string, bool) {
	n := normaliseText(text)
	switch n {
	case "core", "other", "non social", "not social", "core work", "core duties":
		return OutcomeCore, true
	}
	for _, o := range f.Outcomes {
		if n == normaliseText(o.Code) || n == normaliseText(o.Name) {
			return o.Code, true
		}
	}
	return "", false
}

func formatMillionths(n int64) string {
	s := fmt.Sprintf("%d.%04d", n/10000, n%10000)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".") + "%"
}

// mulDivRound is a×b/d rounded half away from zero, exactly.
func mulDivRound(a, b, d int64) int64 {
	x := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q, m := new(big.Int).QuoRem(x, big.NewInt(d), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(big.NewInt(d)) >= 0 {
		q.Add(q, big.NewInt(int64(x.Sign())))
	}
	return q.Int64()
}

// splitExact divides amount in proportion to non-negative weights by
// largest remainder (ties to the earlier part), with 128-bit products, so
// the parts add up to amount for any int64 amounts and weights. Negative
// amounts split like their absolute value, negated.
func splitExact(amount int64, weights []int64) []int64 {
	var s splitter
	return s.split(amount, weights)
}

// splitter is splitExact with buffers it keeps from call to call, for a
// split made once a line; what split returns is the splitter's until its
// next call.
type splitter struct {
	out   []int64
	rems  []uint64
	order []int
}

func (s *splitter) split(amount int64, weights []int64) []int64 {
	n := len(weights)
	s.out = append(s.out[:0], make([]int64, n)...)
	out := s.out
	var total uint64
	for _, w := range weights {
		total += uint64(w)
	}
	if total == 0 {
		return out
	}
	neg := amount < 0
	a := uint64(amount)
	if neg {
		a = uint64(-amount)
	}
	s.rems = append(s.rems[:0], make([]uint64, n)...)
	s.order = s.order[:0]
	rems := s.rems
	var given uint64
	for i, w := range weights {
		hi, lo := bits.Mul64(a, uint64(w))
		q, r := bits.Div64(hi, lo, total) // hi < total: a×w/total ≤ a
		out[i], rems[i] = int64(q), r
		given += q
		s.order = append(s.order, i)
	}
	order := s.order
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(rems[y], rems[x]) })
	for k := 0; given < a; k++ {
		out[order[k%n]]++
		given++
	}
	if neg {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}

// PayScale gives the full-time annual salary of a spinal point, or of a
// grade with one salary.
type PayScale struct {
	byPoint      map[string]int64 // point → salary; -1 when points of several grades differ
	byGradePoint map[[2]string]int64
	byGrade      map[string]int64 // grade → salary; -1 when it has several
}

func payKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NewPayScale reads a pay scale's rows (a workbook's "Pay scales" sheet,
// the framework's pay_scales table, or both together). Two rows giving the
// same point of the same grade different salaries are an error.
func NewPayScale(rows []ingest.PayScaleRow) (*PayScale, error) {
	s := &PayScale{byPoint: map[string]int64{}, byGradePoint: map[[2]string]int64{}, byGrade: map[string]int64{}}
	var problems []string
	where := map[[2]string]ingest.Source{}
	for _, r := range rows {
		salary, err := ingest.ParsePence(r.Salary)
		switch {
		case strings.TrimSpace(r.Salary) == "":
			problems = append(problems, fmt.Sprintf("%s: pay scale row has no salary", r.Source))
			continue
		case err != nil || salary <= 0:
			problems = append(problems, fmt.Sprintf("%s: pay scale salary %q is not an amount", r.Source, r.Salary))
			continue
		}
		g, p := payKey(r.Grade), payKey(r.Point)
		if g == "" && p == "" {
			problems = append(problems, fmt.Sprintf("%s: pay scale row has neither a grade nor a point", r.Source))
			continue
		}
		k := [2]string{g, p}
		if old, ok := s.byGradePoint[k]; ok && old != salary {
			problems = append(problems, fmt.Sprintf("%s: grade %q point %q is given %s here and %s on %s", r.Source, r.Grade, r.Point,
				ingest.FormatMoney(salary), ingest.FormatMoney(old), where[k]))
			continue
		}
		s.byGradePoint[k], where[k] = salary, r.Source
		if p != "" {
			if old, ok := s.byPoint[p]; ok && old != salary {
				s.byPoint[p] = -1
			} else {
				s.byPoint[p] = salary
			}
		}
		if g != "" {
			if old, ok := s.byGrade[g]; ok && old != salary {
				s.byGrade[g] = -1
			} else {
				s.byGrade[g] = salary
			}
		}
	}
	if len(problems) > 0 {
		return nil, &StaffError{Problems: problems}
	}
	return s, nil
}

// Salary is the salary of a spinal point (of a grade, when points are
// numbered within grades), else of a grade that has one salary.
func (s *PayScale) Salary(grade, point string) (int64, error) {
	g, p := payKey(grade), payKey(point)
	if s == nil {
		return 0, errors.New("the post has no salary and there is no pay scale to find one by grade or spinal point (give a salary, or a \"Pay scales\" sheet)")
	}
	if v, ok := s.byGradePoint[[2]string{g, p}]; ok && p != "" {
		return v, nil
	}
	if v, ok := s.byPoint[p]; ok && p != "" {
		if v < 0 {
			return 0, fmt.Errorf("spinal point %q has different salaries in different grades, and grade %q does not say which", point, grade)
		}
		return v, nil
	}
	if v, ok := s.byGrade[g]; ok && g != "" && p == "" {
		if v < 0 {
			return 0, fmt.Errorf("grade %q has several salaries in the pay scale: give the post's spinal point", grade)
		}
		return v, nil
	}
	switch {
	case p != "":
		return 0, fmt.Errorf("spinal point %q is not in the pay scale", point)
	case g != "":
		return 0, fmt.Errorf("grade %q is not in the pay scale", grade)
	}
	return 0, errors.New("the post has no salary, grade or spinal point")
}

// StaffFigures add up posts: FTE in ingest.FTEUnit, money in pence.
type StaffFigures struct {
	Posts, VacantPosts                         int
	FTE, SpecialistFTE, EmbeddedFTE, VacantFTE int64
	Cost, Specialist, Embedded, VacantCost     int64
}

// SocialFTE is the FTE on social outcomes, specialist and embedded.
func (s StaffFigures) SocialFTE() int64 { return s.SpecialistFTE + s.EmbeddedFTE }

// SocialCost is the staff cost on social outcomes.
func (s StaffFigures) SocialCost() int64 { return s.Specialist + s.Embedded }

func (s *StaffFigures) addPost(r *PostResult) {
	s.Posts++
	s.FTE += r.Post.FTE
	s.Cost += r.Cost
	if r.Vacant {
		s.VacantPosts++
		s.VacantCost += r.Cost
	}
	s.VacantFTE += r.Post.VacantFTE()
	for _, p := range r.Parts {
		s.addPart(p)
	}
}

func (s *StaffFigures) addPart(p PostPart) {
	switch p.Mode {
	case Specialist:
		s.SpecialistFTE += p.FTE
		s.Specialist += p.Amount
	case Embedded:
		s.EmbeddedFTE += p.FTE
		s.Embedded += p.Amount
	}
}

// StaffKeyed is the figures of one team, business unit, cost centre or
// outcome.
type StaffKeyed struct {
	Key string
	StaffFigures
}

// StaffSummary is the people view: FTE and staff cost on social purpose,
// overall and by outcome, team, business unit and cost centre. For an
// outcome, Posts counts the posts with time on it and FTE and Cost are
// only its parts (SocialFTE and SocialCost, split by mode).
type StaffSummary struct {
	Total                                           StaffFigures
	ByOutcome, ByTeam, ByBusinessUnit, ByCostCentre []StaffKeyed
}

// NoTeam keys posts with no team, business unit or cost centre.
const NoTeam = "(none)"

// SummariseStaff adds up post results. Outcomes come in the framework's
// order; teams, business units and cost centres by name.
func (f *Framework) SummariseStaff(results []PostResult) StaffSummary {
	var s StaffSummary
	team, unit, cc, outcome := map[string]*StaffFigures{}, map[string]*StaffFigures{}, map[string]*StaffFigures{}, map[string]*StaffFigures{}
	get := func(m map[string]*StaffFigures, k string) *StaffFigures {
		if k = strings.TrimSpace(k); k == "" {
			k = NoTeam
		}
		if m[k] == nil {
			m[k] = &StaffFigures{}
		}
		return m[k]
	}
	for i := range results {
		r := &results[i]
		s.Total.addPost(r)
		get(team, r.Post.Team).addPost(r)
		get(unit, r.Post.BusinessUnit).addPost(r)
		get(cc, r.Post.CostCentre).addPost(r)
		for _, p := range r.Parts {
			if !p.Mode.Social() {
				continue
			}
			o := get(outcome, p.Outcome)
			o.Posts++
			o.FTE += p.FTE
			o.Cost += p.Amount
			o.addPart(p)
		}
	}
	s.ByTeam, s.ByBusinessUnit, s.ByCostCentre = byName(team), byName(unit), byName(cc)
	s.ByOutcome = f.byOutcome(outcome)
	return s
}

// byName is a summary's figures by key, in the order of their keys.
func byName(m map[string]*StaffFigures) []StaffKeyed {
	var out []StaffKeyed
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, StaffKeyed{k, *m[k]})
	}
	return out
}

// byOutcome is a summary's figures by outcome, in the framework's order of
// outcomes.
func (f *Framework) byOutcome(m map[string]*StaffFigures) []StaffKeyed {
	var out []StaffKeyed
	for _, o := range f.Outcomes {
		if v := m[o.Code]; v != nil {
			out = append(out, StaffKeyed{o.Code, *v})
		}
	}
	return out
}

func (s *StaffFigures) add(o StaffFigures) {
	s.Posts += o.Posts
	s.VacantPosts += o.VacantPosts
	s.FTE += o.FTE
	s.SpecialistFTE += o.SpecialistFTE
	s.EmbeddedFTE += o.EmbeddedFTE
	s.VacantFTE += o.VacantFTE
	s.Cost += o.Cost
	s.Specialist += o.Specialist
	s.Embedded += o.Embedded
	s.VacantCost += o.VacantCost
}

// AddStaffSummaries adds up the people views of separate establishments
// (each input's own), as SummariseStaff of all their posts would give.
func (f *Framework) AddStaffSummaries(ss ...StaffSummary) StaffSummary {
	var out StaffSummary
	merge := func(lists func(*StaffSummary) *[]StaffKeyed) map[string]*StaffFigures {
		m := map[string]*StaffFigures{}
		for i := range ss {
			for _, k := range *lists(&ss[i]) {
				if m[k.Key] == nil {
					m[k.Key] = &StaffFigures{}
				}
				m[k.Key].add(k.StaffFigures)
			}
		}
		return m
	}
	for i := range ss {
		out.Total.add(ss[i].Total)
	}
	out.ByTeam = byName(merge(func(s *StaffSummary) *[]StaffKeyed { return &s.ByTeam }))
	out.ByBusinessUnit = byName(merge(func(s *StaffSummary) *[]StaffKeyed { return &s.ByBusinessUnit }))
	out.ByCostCentre = byName(merge(func(s *StaffSummary) *[]StaffKeyed { return &s.ByCostCentre }))
	out.ByOutcome = f.byOutcome(merge(func(s *StaffSummary) *[]StaffKeyed { return &s.ByOutcome }))
	return out
}
