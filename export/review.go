package export

// A workbook purpose annotated, sent back after an adviser's review: the
// override columns go above every rule; an edit typed over one of
// purpose's own columns is taken as an override where it reads as one
// outcome, and otherwise listed, with its cell, as left alone.

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// Reviewed is what an adviser's review did to a line: an override taken,
// or an edit to one of purpose's own columns left alone (Why says why).
type Reviewed struct {
	Source      ingest.Source
	Description string
	Amount      int64
	// Cell is the cell the override or edit is in, Column its heading and
	// Typed what it holds.
	Cell, Column, Typed string
	// Rule is the override taken (nil for an edit left alone).
	Rule *analysis.Rule
	Note string
	Why  string
}

// ReviewError is an override that cannot be taken, by its cell.
type ReviewError struct{ ingest.CellError }

// reviewLine applies what the columns purpose added say of a line in a
// workbook sent back: m is the line's match by the rules (staff, the rule
// its pay lines are apportioned by, if any). It returns the override's
// match, true, when the line is overridden.
func (c *Collector) reviewLine(t *ingest.Table, l *ingest.CostLine, m analysis.Match, staff *analysis.Rule) (analysis.Match, bool, error) {
	rv := l.Review
	outcome, share, note := rv.Get(ingest.OutcomeOverrideHeader), rv.Get(ingest.ShareOverrideHeader), rv.Get(ingest.ReviewerNoteHeader).Value
	bad := func(cell ingest.ReviewCell, header string, err error) error {
		return &ReviewError{ingest.CellError{Source: ingest.Source{File: l.Source.File, Sheet: l.Source.Sheet},
			Cell: cell.Ref(), Value: cell.Value, Reason: fmt.Sprintf("%s %v", header, err)}}
	}
	now := m
	if staff != nil {
		now = analysis.Match{Status: analysis.StatusMapped, Rule: staff}
	}
	switch {
	case outcome.Value != "":
		r, err := c.override(outcome.Value, share.Value, note)
		if err != nil {
			if share.Value != "" && errors.As(err, new(*analysis.ShareError)) {
				return m, false, bad(share, ingest.ShareOverrideHeader, err)
			}
			return m, false, bad(outcome, ingest.OutcomeOverrideHeader, err)
		}
		c.noteReviewed(l, outcome, r, note, "")
		return analysis.Match{Status: analysis.StatusMapped, Rule: r}, true, nil
	case share.Value != "":
		main := mainOutcome(now)
		if main == "" {
			return m, false, bad(share, ingest.ShareOverrideHeader, fmt.Errorf("%q has no outcome to apply to: the line goes to no social outcome; give one in %s", share.Value, ingest.OutcomeOverrideHeader))
		}
		r, err := c.override(main, share.Value, note)
		if err != nil {
			return m, false, bad(share, ingest.ShareOverrideHeader, err)
		}
		c.noteReviewed(l, share, r, note, "")
		return analysis.Match{Status: analysis.StatusMapped, Rule: r}, true, nil
	}
	// Edits typed over purpose's own columns.
	was, known := c.wrote(rv, now)
	if !known {
		return m, false, nil
	}
	typed := rv.Get("Outcome")
	if typed.Value != "" && typed.Value != was[0].text {
		if o, sh, ok := c.fw.OverrideOutcome(typed.Value); ok {
			// Taken, and moved to the override columns, where it stays
			// for the runs to come (the Outcome cell is purpose's again).
			why := fmt.Sprintf("typed over the Outcome column (it said %q)", was[0].text)
			if note != "" {
				why = note + "; " + why
			}
			r, err := c.override(o, sh, why)
			if err == nil {
				c.noteReviewed(l, typed, r, why, "")
				c.moveOverride(t, l, [3]string{o, sh, why})
				return analysis.Match{Status: analysis.StatusMapped, Rule: r}, true, nil
			}
		}
		c.noteReviewed(l, typed, nil, note, fmt.Sprintf("left alone: the Outcome column is purpose's and %q is not one outcome (or core); put the outcome in %s", typed.Value, ingest.OutcomeOverrideHeader))
	}
	for j, h := range ingest.AnnotationHeaders[1:7] {
		cell := rv.Get(h)
		if h == "Social £" || sameCell(cell.Value, was[j+1]) {
			continue // the social amount follows the line's amount, which may have been changed
		}
		c.noteReviewed(l, cell, nil, note, fmt.Sprintf("left alone: the %s column is purpose's, worked out from the framework; to change what becomes of the line, use %s and %s", h, ingest.OutcomeOverrideHeader, ingest.ShareOverrideHeader))
	}
	return m, false, nil
}

// override is the rule for an override, made once for each outcome, share
// and note typed.
func (c *Collector) override(outcome, share, note string) (*analysis.Rule, error) {
	k := [3]string{strings.ToLower(strings.TrimSpace(outcome)), strings.TrimSpace(share), note}
	if r, ok := c.overrides[k]; ok {
		return r, nil
	}
	r, err := c.fw.Override(outcome, share, strings.Clone(note)) // kept for the run: not a slice of the workbook's text
	if err != nil {
		return nil, err
	}
	c.overrides[k] = r
	return r, nil
}

// wrote is what purpose wrote in its computed columns (Outcome … Status)
// the last time, as far as can be told: by the rule the Rule column names,
// if this framework has it, or, for pay apportioned by staff time, as this
// run has it. It is false when that cannot be told (an override since
// removed, a rule the framework no longer has): then nothing is taken as
// an edit.
func (c *Collector) wrote(rv *ingest.LineReview, now analysis.Match) ([]annotationCell, bool) {
	rule, status := rv.Get("Rule").Value, rv.Get("Status").Value
	var was analysis.Match
	switch {
	case rule == analysis.RuleOverride:
		return nil, false
	case rule == analysis.RuleStaffLine:
		if now.Rule == nil || now.Rule.ID != analysis.RuleStaffLine {
			return nil, false
		}
		was = now
	case rule != "":
		if c.ruleByID == nil {
			c.ruleByID = map[string]*analysis.Rule{}
			for _, r := range c.fw.Rules {
				c.ruleByID[r.ID] = r
			}
		}
		r, ok := c.ruleByID[rule]
		if !ok {
			return nil, false
		}
		was = analysis.Match{Status: analysis.StatusMapped, Rule: r}
		if r.Mode() == analysis.Income {
			was.Status = analysis.StatusIncome
		}
	case status == string(analysis.StatusUnmapped) || status == string(analysis.StatusIncome):
		was = analysis.Match{Status: analysis.Status(status)}
	default:
		return nil, false
	}
	k := wroteKey{rule, status, was.Rule}
	cells, ok := c.wroteCache[k]
	if !ok {
		cells = describeMatch(nil, c.fw, was, "", annotationLooks{}) // once a rule: a ledger has many lines of each
		if c.wroteCache == nil {
			c.wroteCache = map[wroteKey][]annotationCell{}
		}
		c.wroteCache[k] = cells
	}
	return cells, true
}

// wroteKey is what decides what purpose wrote of a line.
type wroteKey struct {
	rule, status string
	match        *analysis.Rule
}

// sameCell reports whether a cell read back says what purpose wrote: the
// same text, or for a number the same value (a share written 0.2 may come
// back as 0.2 or 0.20).
func sameCell(read string, wrote annotationCell) bool {
	if wrote.number == "" || read == wrote.number {
		return read == wrote.text || read == wrote.number
	}
	a, ok1 := new(big.Rat).SetString(read)
	b, ok2 := new(big.Rat).SetString(wrote.number)
	return read == "" || ok1 && ok2 && a.Cmp(b) == 0
}

// mainOutcome is the social outcome with the largest share of a match, ""
// when it has none.
func mainOutcome(m analysis.Match) string {
	if m.Rule == nil || m.Status != analysis.StatusMapped {
		return ""
	}
	best := analysis.Part{}
	for _, p := range m.Rule.Parts {
		if p.Mode.Social() && p.Share > best.Share {
			best = p
		}
	}
	return best.Outcome
}

// noteReviewed keeps an override taken or an edit left alone for the
// Review sheet.
func (c *Collector) noteReviewed(l *ingest.CostLine, cell ingest.ReviewCell, r *analysis.Rule, note, why string) {
	in := &c.in
	if r != nil {
		in.Counts.Overrides++
	} else {
		in.Counts.EditsLeft++
	}
	if len(in.Reviewed) < MaxReviewLines {
		in.Reviewed = append(in.Reviewed, Reviewed{Source: l.Source, Description: l.Described(), Amount: l.Amount,
			Cell: cell.Ref(), Column: cell.Header, Typed: cell.Value, Rule: r, Note: note, Why: why})
	}
}

// moveOverride keeps an override typed over the Outcome column for the
// annotated workbook, which writes it in the override columns.
func (c *Collector) moveOverride(t *ingest.Table, l *ingest.CostLine, o [3]string) {
	in := &c.in
	if in.moved == nil {
		in.moved = map[*ingest.Table]map[int32][3]string{}
	}
	if in.moved[t] == nil {
		in.moved[t] = map[int32][3]string{}
	}
	in.moved[t][int32(l.Source.Row)] = o
}
