package analysis

// Checking a framework an adviser has edited, before a run uses it:
// everything NewFramework refuses (unknown outcomes, ids given twice,
// shares outside 0–100%, splits over 100%), rules that contradict each
// other at equal precedence (a line both match, with the same evidence,
// always goes to the first, so the second's outcome never happens), and,
// given budget lines, rules that never match and lines no rule matches.
// Every message names the file (and sheet) and row.

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/ingest"
)

// CheckFramework checks a framework's tables. It returns the framework
// when it compiles (nil when it does not), every problem found, and notes
// (rules that repeat another's criteria and outcome: harmless, but one of
// them does nothing), each naming the file, sheet and row; more counts the
// problems past the first ones NewFramework lists (see FrameworkError).
func CheckFramework(t *ingest.FrameworkTables) (fw *Framework, problems, notes []string, more int) {
	fw, err := NewFramework(t)
	if err != nil {
		fw = nil
	}
	var fe *FrameworkError
	switch {
	case errors.As(err, &fe):
		problems = append(problems, fe.Problems...)
		more = fe.More
	case err != nil:
		problems = append(problems, err.Error())
	}
	for _, c := range [][]string{contradictions(ruleCriteria(t.Rules), "rule"), contradictions(staffRuleCriteria(t.StaffRules), "staff rule")} {
		for _, m := range c {
			if strings.Contains(m, " repeats ") {
				notes = append(notes, m)
			} else {
				problems = append(problems, m)
			}
		}
	}
	return fw, problems, notes, more
}

// criteriaGroup is one rule (its rows sharing an id) as written: its
// criteria, each a set of normalised values, and its parts.
type criteriaGroup struct {
	id       string
	source   ingest.Source
	criteria [][]string // per field: sorted normalised values; nil is blank
	fields   []string   // the fields' names, for messages
	parts    string     // outcome share mode of each part, sorted
}

func normalisedSet(s string, text bool) []string {
	var out []string
	for _, v := range splitList(s) {
		if text {
			v = normaliseText(v)
		} else {
			v = strings.ToLower(v)
		}
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// partKey writes a part as written, normalised: "money_advice 60% specialist".
func partKey(outcome, share, mode string) string {
	o := strings.ToLower(strings.TrimSpace(outcome))
	m := strings.ToLower(strings.TrimSpace(mode))
	if m == "" && (o == OutcomeCore || o == OutcomeIncome) {
		m = o
	}
	sh := strings.TrimSpace(share)
	if bp, err := ParseShare(share); err == nil {
		sh = FormatShare(bp)
	}
	return o + " " + sh + " " + m
}

func ruleCriteria(rows []ingest.RuleRow) []criteriaGroup {
	fields := []string{"business_unit", "cost_centre", "nominal", "keywords", "payee"}
	return groupCriteria(len(rows), fields, func(i int) (string, ingest.Source, string, func() [][]string) {
		r := &rows[i]
		return r.ID, r.Source, partKey(r.Outcome, r.Share, r.Mode), func() [][]string {
			return [][]string{normalisedSet(r.BusinessUnit, false), normalisedSet(r.CostCentre, false),
				normalisedSet(r.Nominal, false), normalisedSet(r.Keywords, true), normalisedSet(r.Payee, true)}
		}
	})
}

func staffRuleCriteria(rows []ingest.StaffRuleRow) []criteriaGroup {
	fields := []string{"job_title", "team", "business_unit", "cost_centre"}
	return groupCriteria(len(rows), fields, func(i int) (string, ingest.Source, string, func() [][]string) {
		r := &rows[i]
		return r.ID, r.Source, partKey(r.Outcome, r.Share, r.Mode), func() [][]string {
			return [][]string{normalisedSet(r.JobTitle, true), normalisedSet(r.Team, true),
				normalisedSet(r.BusinessUnit, false), normalisedSet(r.CostCentre, false)}
		}
	})
}

// groupCriteria makes a criteriaGroup of each run of n rows that share an
// id (a rule's several parts): its criteria from its first row, its parts
// from all of them, sorted. row gives a row's id, source, part and, to be
// called for a group's first row only, its criteria.
func groupCriteria(n int, fields []string, row func(i int) (id string, src ingest.Source, part string, criteria func() [][]string)) []criteriaGroup {
	var out []criteriaGroup
	var parts []string
	flush := func() {
		if len(out) > 0 {
			slices.Sort(parts)
			out[len(out)-1].parts = strings.Join(parts, "; ")
		}
		parts = nil
	}
	for i := range n {
		id, src, part, criteria := row(i)
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if len(out) == 0 || out[len(out)-1].id != id {
			flush()
			out = append(out, criteriaGroup{id: id, source: src, fields: fields, criteria: criteria()})
		}
		parts = append(parts, part)
	}
	flush()
	return out
}

// contradictions finds pairs of rules that a line can match with the same
// evidence (every field blank in both, or filled in both with a value in
// common) but that give it different outcomes or shares: the one listed
// first always wins, so the other's outcome never happens for those
// values. Pairs that agree are listed as repeats.
func contradictions(rules []criteriaGroup, kind string) []string {
	var out []string
	for j := range rules {
		for i := range j {
			a, b := &rules[i], &rules[j]
			shared, ok := overlap(a, b)
			if !ok {
				continue
			}
			what := "everything"
			if len(shared) > 0 {
				what = strings.Join(shared, ", ")
			}
			if a.parts == b.parts {
				out = append(out, fmt.Sprintf("%s: %s %s repeats %s %s (%s) for %s: the lines they share go to %s, so for them %s does nothing",
					b.source, kind, b.id, kind, a.id, rowName(a.source), what, a.id, b.id))
				continue
			}
			out = append(out, fmt.Sprintf("%s: %s %s contradicts %s %s (%s) at equal precedence: both match %s, %s gives %s and %s gives %s; %s, listed first, always wins",
				b.source, kind, b.id, kind, a.id, rowName(a.source), what, a.id, a.parts, b.id, b.parts, a.id))
		}
	}
	return out
}

// overlap reports whether a line can match both rules with the same
// evidence, and the values they share ("keywords youth").
func overlap(a, b *criteriaGroup) ([]string, bool) {
	var shared []string
	for f := range a.criteria {
		x, y := a.criteria[f], b.criteria[f]
		if (len(x) == 0) != (len(y) == 0) {
			return nil, false
		}
		if len(x) == 0 {
			continue
		}
		var common []string
		for _, v := range x {
			if slices.Contains(y, v) {
				common = append(common, fmt.Sprintf("%q", v))
			}
		}
		if len(common) == 0 {
			return nil, false
		}
		shared = append(shared, a.fields[f]+" "+strings.Join(common, "; "))
	}
	return shared, true
}

// rowName is "row 12": the file and sheet are named once, at the start
// of the message.
func rowName(s ingest.Source) string {
	return fmt.Sprintf("row %d", s.Row)
}

// Coverage counts, over budget lines, how often each rule matches and
// decides a line, and keeps the lines no rule matches.
type Coverage struct {
	fw       *Framework
	matched  []int // per rule: lines it matches
	decided  []int // per rule: lines it decides
	Lines    int
	Unmapped []ingest.CostLine
	// UnmappedLines and UnmappedPence count every line no rule matches;
	// Unmapped keeps the first maxUnmappedListed of them.
	UnmappedLines int
	UnmappedPence int64
}

// maxUnmappedListed is how many lines no rule matches a check lists one by one.
const maxUnmappedListed = 50

// NewCoverage starts counting for the framework.
func (f *Framework) NewCoverage() *Coverage {
	return &Coverage{fw: f, matched: make([]int, len(f.Rules)), decided: make([]int, len(f.Rules))}
}

// Add counts one line.
func (c *Coverage) Add(l *ingest.CostLine) {
	c.Lines++
	t := prepare(l)
	// The rule that decides is the one bestRule picks: the strongest
	// evidence, ties to the earlier rule.
	best, bestEvidence := -1, Evidence(-1)
	for i, r := range c.fw.Rules {
		e, ok := r.evidence(&t)
		if !ok {
			continue
		}
		c.matched[i]++
		if r.strongest > bestEvidence && e > bestEvidence {
			best, bestEvidence = i, e
		}
	}
	if best >= 0 {
		c.decided[best]++
	}
	if best < 0 && l.Unreadable == "" && l.Amount >= 0 {
		c.UnmappedLines++
		c.UnmappedPence += l.Amount
		if len(c.Unmapped) < maxUnmappedListed {
			c.Unmapped = append(c.Unmapped, *l)
		}
	}
}

// Problems are the rules that match no line and the lines no rule
// matches (a credit no rule matches is income, not listed); Notes the
// rules that match lines but never decide one, because another rule
// listed before with as good evidence, or better, always wins.
func (c *Coverage) Problems() (problems, notes []string) {
	for i, r := range c.fw.Rules {
		switch {
		case c.matched[i] == 0:
			// A note, not a problem: a framework is written for more
			// budgets than the one it is tried on.
			notes = append(notes, fmt.Sprintf("%s: rule %s matches none of the %s lines", r.Source, r.ID, fmt.Sprint(c.Lines)))
		case c.decided[i] == 0:
			notes = append(notes, fmt.Sprintf("%s: rule %s matches %s but decides none: other rules always win", r.Source, r.ID, checkPlural(c.matched[i], "line")))
		}
	}
	for _, l := range c.Unmapped {
		text := strings.Join(slices.DeleteFunc([]string{l.CostCentre, l.CostCentreName, l.Nominal, l.NominalName, l.Description, l.LineType}, func(s string) bool { return strings.TrimSpace(s) == "" }), " | ")
		problems = append(problems, fmt.Sprintf("%s: no rule matches this line (%s: %s)", l.Source, ingest.FormatMoney(l.Amount), text))
	}
	if more := c.UnmappedLines - len(c.Unmapped); more > 0 {
		problems = append(problems, fmt.Sprintf("and %s more that no rule matches (%s in all unmatched lines)", checkPlural(more, "line"), ingest.FormatMoney(c.UnmappedPence)))
	}
	return problems, notes
}

func checkPlural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
