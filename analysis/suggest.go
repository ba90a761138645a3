package analysis

// Suggesting rules: an adviser's overrides (a line's outcome and share,
// typed in the annotated workbook) and the lines no rule matches are
// grouped by what they have in common (a nominal code, a cost centre, a
// word or phrase of their descriptions), so that one rule pasted into the
// framework maps many lines next year. A suggestion is kept only when the
// rule would take none of the other lines read away from where they go
// now: it covers its group's lines and nothing else.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/ingest"
)

// SuggestLine is a line read back from an annotated workbook, with the
// adviser's override when there is one.
type SuggestLine struct {
	Line ingest.CostLine
	// Outcome is the override's outcome code ("" when the line has none);
	// Share its share in basis points (0 means 100%).
	Outcome string
	Share   int
	// Staffed is set for a pay line the run apportioned by its posts'
	// staff time: no rule matching it is no reason to suggest one, as its
	// posts decide it. A rule suggested for other lines must still not
	// take it: without its posts (another year's establishment, a run
	// without it) the rule would.
	Staffed bool
}

// Suggestion is a proposed rule: one row of a rules table, and what it
// would cover.
type Suggestion struct {
	Rule ingest.RuleRow
	// Lines and Pence are what it covers of the lines read; Sources where
	// they are.
	Lines   int
	Pence   int64
	Sources []ingest.Source
	amounts []int64 // each source's amount, in pence
	// Example is what the largest line covered says (its description,
	// else its nominal name, line type, cost centre name or payee), for a
	// person to recognise.
	Example      string
	examplePence int64
	// FromOverrides is set when the group is an outcome advisers chose;
	// otherwise the lines had no rule and the adviser picks the outcome.
	FromOverrides bool
}

// suggestTarget is what a group of lines should become.
type suggestTarget struct {
	outcome string
	share   int
	mode    Mode
}

// Suggest groups the lines that need a rule (those overridden to
// something other than what the framework gives them, and those no rule
// matches) and proposes rules for them, largest £ first. Rules suggested
// for overrides come first, then those for unmatched lines, whose outcome
// is left blank for the adviser to choose. Each suggested rule is meant to
// be pasted above the framework's rules: it wins over a rule with evidence
// as good.
func Suggest(fw *Framework, lines []SuggestLine) []Suggestion {
	n := len(lines)
	texts := make([]lineText, n)
	best := make([]*Rule, n)
	bestEv := make([]Evidence, n)
	target := make([]string, n) // "" for lines that stay as they are
	targets := map[string]suggestTarget{}
	for i := range lines {
		l := &lines[i]
		texts[i] = prepare(&l.Line)
		best[i], bestEv[i] = fw.bestRule(&texts[i])
		if best[i] == nil {
			bestEv[i] = -1
		}
		switch {
		case l.Line.Unreadable != "":
		case l.Outcome != "":
			tg := suggestTarget{outcome: strings.ToLower(strings.TrimSpace(l.Outcome)), share: l.Share}
			if tg.share == 0 {
				tg.share = 10000
			}
			tg.mode = defaultMode(fw, tg.outcome)
			if !sameAsRule(best[i], tg) {
				key := fmt.Sprintf("%s %d %s", tg.outcome, tg.share, tg.mode)
				targets[key] = tg
				target[i] = key
			}
		case best[i] == nil && l.Line.Amount > 0 && !l.Staffed:
			target[i] = "?" // no rule: the adviser chooses
		}
	}
	var out []Suggestion
	keys := make([]string, 0, len(targets))
	for k := range targets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	keys = append(keys, "?")
	used := map[string]int{}
	for _, key := range keys {
		var group []int
		for i := range lines {
			if target[i] == key {
				group = append(group, i)
			}
		}
		if len(group) == 0 {
			continue
		}
		found := suggestGroup(lines, texts, bestEv, target, key, group)
		if key != "?" {
			// One outcome's rules that differ in one criterion are one
			// rule; unmatched lines have no outcome in common to merge on.
			found = mergeSuggestions(found)
		}
		for _, s := range found {
			tg, overrides := targets[key]
			if overrides {
				s.FromOverrides = true
				s.Rule.Outcome = tg.outcome
				if tg.share != 10000 {
					s.Rule.Share = FormatShare(tg.share)
				}
				s.Rule.Mode = string(tg.mode)
				s.Rule.Note = fmt.Sprintf("Suggested from advisers' overrides: %s, %s.", checkPlural(s.Lines, "line"), ingest.FormatMoney(s.Pence))
			} else {
				example := ""
				if s.Example != "" {
					example = fmt.Sprintf(" (the largest: %s)", s.Example)
				}
				s.Rule.Note = fmt.Sprintf("Suggested for lines no rule matches: %s, %s%s. Choose the outcome, share and mode.", checkPlural(s.Lines, "line"), ingest.FormatMoney(s.Pence), example)
			}
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int {
		if a.FromOverrides != b.FromOverrides {
			if a.FromOverrides {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Pence, a.Pence)
	})
	for i := range out {
		base := "S"
		if !out[i].FromOverrides {
			base = "U"
		}
		used[base]++
		out[i].Rule.ID = fmt.Sprintf("NEW-%s%02d", base, used[base])
	}
	return out
}

// defaultMode is the mode an override takes (the workbook gives none):
// core and income as themselves; an outcome the mode most of the
// framework's rules give it (specialist on a tie), else embedded (an
// adviser moving a core service's line to an outcome). It depends on the outcome alone, so that
// one outcome's overrides make one group.
func defaultMode(fw *Framework, outcome string) Mode {
	switch outcome {
	case OutcomeCore:
		return Core
	case OutcomeIncome:
		return Income
	}
	specialist, embedded := 0, 0
	for _, rule := range fw.Rules {
		for _, p := range rule.Parts {
			if p.Outcome == outcome && p.Mode == Specialist {
				specialist++
			} else if p.Outcome == outcome && p.Mode == Embedded {
				embedded++
			}
		}
	}
	if specialist > 0 && specialist >= embedded {
		return Specialist
	}
	return Embedded
}

// sameAsRule reports whether the rule already gives the line the target.
func sameAsRule(r *Rule, tg suggestTarget) bool {
	if r == nil {
		return false
	}
	if len(r.Parts) != 1 {
		return false
	}
	p := r.Parts[0]
	return p.Outcome == tg.outcome && p.Share == tg.share && p.Mode == tg.mode
}

// candidate is one criterion a suggested rule could have.
type candidate struct {
	row  ingest.RuleRow
	rule *Rule
	// rank orders candidates of equal cover: the broader kinds first
	// (nominal, cost centre, then words), then fewer words.
	rank int
}

var suggestStopWords = map[string]bool{"and": true, "the": true, "for": true, "of": true, "to": true, "in": true, "on": true,
	"a": true, "an": true, "with": true, "by": true, "at": true, "from": true, "per": true, "costs": true, "cost": true,
	"other": true, "misc": true, "sundry": true, "general": true, "budget": true, "x": true}

// wordsOf are the words and two-word phrases of a text, normalised,
// without stop words or figures.
func wordsOf(text string) []string {
	var out []string
	var prev string
	for w := range strings.FieldsSeq(normaliseText(text)) {
		ok := len(w) >= 3 && !suggestStopWords[w] && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) >= 0
		if ok {
			out = append(out, w)
			if prev != "" {
				out = append(out, prev+" "+w)
			}
			prev = w
		} else {
			prev = ""
		}
	}
	return out
}

func candidatesOf(lines []SuggestLine, group []int) []candidate {
	seen := map[string]bool{}
	var out []candidate
	add := func(rank int, row ingest.RuleRow) {
		key := fmt.Sprintf("%s|%s|%s", row.CostCentre, row.Nominal, row.Keywords)
		if seen[key] {
			return
		}
		seen[key] = true
		r := &Rule{}
		if err := r.compileCriteria(&row); err != nil {
			return
		}
		out = append(out, candidate{row: row, rule: r, rank: rank})
	}
	for _, i := range group {
		l := &lines[i].Line
		if nominal := strings.TrimSpace(l.Nominal); nominal != "" && !strings.ContainsAny(nominal, ";*") {
			add(0, ingest.RuleRow{Nominal: nominal})
		}
		if cc := strings.TrimSpace(l.CostCentre); cc != "" && !strings.ContainsAny(cc, ";*") {
			add(1, ingest.RuleRow{CostCentre: cc})
		}
		for _, text := range []string{l.Description, l.NominalName, l.CostCentreName} {
			for _, w := range wordsOf(text) {
				add(2+strings.Count(w, " "), ingest.RuleRow{Keywords: w})
				if cc := strings.TrimSpace(l.CostCentre); cc != "" && !strings.ContainsAny(cc, ";*") {
					add(4+strings.Count(w, " "), ingest.RuleRow{CostCentre: cc, Keywords: w})
				}
			}
		}
	}
	return out
}

// maxCandidates is how many criteria a group's lines may propose for
// trying on every line read.
const maxCandidates = 400

// suggestGroup covers a group's lines greedily: each time, the candidate
// that takes the most £ of the group's lines not yet covered and no line
// outside the group. Lines no candidate can take alone are left out.
func suggestGroup(lines []SuggestLine, texts []lineText, bestEv []Evidence, target []string, key string, group []int) []Suggestion {
	cands := candidatesOf(lines, group)
	if len(cands) > maxCandidates {
		// Only the candidates that take the most of the group are tried
		// on every line read: a ledger's unmatched lines can give
		// thousands, each to be tried on a million lines.
		cover := make(map[*Rule]int64, len(cands))
		for _, c := range cands {
			for _, i := range group {
				if e, match := c.rule.evidence(&texts[i]); match && e >= bestEv[i] {
					cover[c.rule] += max(lines[i].Line.Amount, 0)
				}
			}
		}
		slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(cover[b.rule], cover[a.rule]) })
		cands = cands[:maxCandidates]
	}
	// takes[c] lists the group lines the candidate would decide; a
	// candidate that would decide a line outside the group is dropped.
	type scored struct {
		c     candidate
		takes []int
	}
	var ok []scored
	for _, c := range cands {
		var takes []int
		clean := true
		for i := range lines {
			e, match := c.rule.evidence(&texts[i])
			if !match || e < bestEv[i] {
				continue
			}
			if target[i] != key {
				if target[i] == "" && lines[i].Line.Amount < 0 && key == "?" {
					continue // a credit stays income whatever the rule says
				}
				clean = false
				break
			}
			takes = append(takes, i)
		}
		if clean && len(takes) > 0 {
			ok = append(ok, scored{c, takes})
		}
	}
	covered := map[int]bool{}
	var out []Suggestion
	for {
		bestIdx, bestPence, bestLines := -1, int64(0), 0
		for j, s := range ok {
			var p int64
			n := 0
			for _, i := range s.takes {
				if !covered[i] {
					p += lines[i].Line.Amount
					n++
				}
			}
			if n == 0 {
				continue
			}
			if bestIdx < 0 || p > bestPence || p == bestPence && (n > bestLines || n == bestLines && s.c.rank < ok[bestIdx].c.rank) {
				bestIdx, bestPence, bestLines = j, p, n
			}
		}
		if bestIdx < 0 {
			break
		}
		s := ok[bestIdx]
		sug := Suggestion{Rule: s.c.row}
		for _, i := range s.takes {
			sug.Lines++
			sug.Pence += lines[i].Line.Amount
			sug.Sources = append(sug.Sources, lines[i].Line.Source)
			sug.amounts = append(sug.amounts, lines[i].Line.Amount)
			if l := &lines[i].Line; sug.Example == "" || l.Amount > sug.examplePence {
				sug.Example, sug.examplePence = cmp.Or(l.Described(), l.Payee), l.Amount
			}
			covered[i] = true
		}
		out = append(out, sug)
	}
	return out
}

// mergeSuggestions makes one rule of a group's suggestions that differ in
// one criterion only (several keywords, several nominals): "money advice;
// debt advice". Any one value will do, so the merged rule takes what each
// took.
func mergeSuggestions(in []Suggestion) []Suggestion {
	var out []Suggestion
	index := map[string]int{}
	for _, s := range in {
		r := s.Rule
		var key, value string
		switch {
		case r.Nominal == "" && r.Keywords == "":
			key, value = "cc", r.CostCentre
		case r.CostCentre == "" && r.Keywords == "":
			key, value = "nominal", r.Nominal
		case r.Nominal == "":
			key, value = "kw|"+r.CostCentre, r.Keywords
		default:
			out = append(out, s)
			continue
		}
		j, ok := index[key]
		if !ok {
			index[key] = len(out)
			out = append(out, s)
			continue
		}
		m := &out[j]
		switch key {
		case "cc":
			m.Rule.CostCentre += ";" + value
		case "nominal":
			m.Rule.Nominal += ";" + value
		default:
			m.Rule.Keywords += ";" + value
		}
		for k, src := range s.Sources {
			if !slices.Contains(m.Sources, src) {
				m.Sources = append(m.Sources, src)
				m.amounts = append(m.amounts, s.amounts[k])
				m.Pence += s.amounts[k]
			}
		}
		m.Lines = len(m.Sources)
	}
	return out
}
