package analysis

// An adviser's override of a line, typed into the annotated workbook's
// Outcome override and Share override columns: it goes above every rule,
// the staff time's included.

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/purpose-hq/purpose/ingest"
)

// RuleOverride is the id of the rule an overridden line is described by.
const RuleOverride = "override"

// Override is the rule an adviser's override gives a line: all of it, or
// share of it (the rest core), to one outcome, or to core, in the mode the
// framework mostly gives that outcome. outcome is an outcome's code or
// name, in any case, or "core"; share is a percentage ("60%", "60"), a
// fraction as a spreadsheet keeps a percentage ("0.6"), or blank for all
// of it. note is the adviser's, kept as the rule's note.
func (f *Framework) Override(outcome, share, note string) (*Rule, error) {
	code, ok := f.outcomeCode(outcome)
	if !ok {
		return nil, fmt.Errorf("%q is not an outcome of the framework; give one of its outcomes (%s) or core", outcome, f.outcomeList())
	}
	bp := 10000
	if strings.TrimSpace(share) != "" {
		var err error
		if bp, err = parseOverrideShare(share); err != nil {
			return nil, err
		}
	}
	r := &Rule{ID: RuleOverride, Note: note}
	if code != OutcomeCore && bp > 0 {
		r.Parts = []Part{{Outcome: code, Share: bp, Mode: defaultMode(f, code)}}
	}
	return r, nil
}

// ReviewOverride is the rule the override in a line's or a post's review
// gives it (Override, the Reviewer note its note); nil when the Outcome
// override is blank. An override that cannot be read is an
// ingest.CellError in src's file and sheet, at the Share override's cell
// when the share is what is wrong, else at the Outcome override's.
func (f *Framework) ReviewOverride(rv *ingest.LineReview, src ingest.Source) (*Rule, error) {
	o := rv.Get(ingest.OutcomeOverrideHeader)
	if o.Value == "" {
		return nil, nil
	}
	share := rv.Get(ingest.ShareOverrideHeader)
	r, err := f.Override(o.Value, share.Value, rv.Get(ingest.ReviewerNoteHeader).Value)
	if err != nil {
		cell := o
		if share.Value != "" && errors.As(err, new(*ShareError)) {
			cell = share
		}
		return nil, ingest.CellError{Source: ingest.Source{File: src.File, Sheet: src.Sheet}, Cell: cell.Ref(), Value: cell.Value, Reason: err.Error()}
	}
	return r, nil
}

// outcomeCode finds an outcome by its code or name as a survey heading is
// read (outcomeNamed), core too; never income or unmapped, which are not
// outcomes an adviser gives a line.
func (f *Framework) outcomeCode(text string) (string, bool) {
	code, ok := f.outcomeNamed(text)
	if !ok || code == OutcomeIncome || code == OutcomeUnmapped {
		return "", false
	}
	return code, true
}

// OverrideOutcome reads text as an override would be read: one outcome of
// the framework by code or name, or core, with its share where the text
// gives one as the Outcome column writes it ("Money advice 60%"). It is
// false for anything else (several outcomes, "unmapped", words).
func (f *Framework) OverrideOutcome(text string) (outcome, share string, ok bool) {
	text = strings.TrimSpace(text)
	if _, ok := f.outcomeCode(text); ok {
		return text, "", true
	}
	if i := strings.LastIndexByte(text, ' '); i > 0 && strings.HasSuffix(text, "%") {
		if _, ok := f.outcomeCode(text[:i]); ok {
			if _, err := parseOverrideShare(text[i+1:]); err == nil {
				return text[:i], text[i+1:], true
			}
		}
	}
	return "", "", false
}

func (f *Framework) outcomeList() string {
	var names []string
	for _, o := range f.Outcomes {
		if o.Code == OutcomeCore || o.Code == OutcomeIncome || o.Code == OutcomeUnmapped {
			continue
		}
		names = append(names, o.Name)
		if len(names) == 6 {
			names = append(names, "…")
			break
		}
	}
	return strings.Join(names, ", ")
}

// ShareError is a share override that cannot be read (its cell, not the
// outcome's, is the one to name).
type ShareError struct{ msg string }

func (e *ShareError) Error() string { return e.msg }

// parseOverrideShare reads a share override as basis points: "60%" and
// "60" are 60%, and so is 0.6, as a spreadsheet keeps a cell formatted as
// a percentage (so a number up to 1 is a fraction of the line).
func parseOverrideShare(s string) (int, error) {
	t := strings.TrimSpace(s)
	percent := strings.HasSuffix(t, "%")
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	x, ok := new(big.Rat).SetString(t)
	if !ok {
		return 0, &ShareError{fmt.Sprintf("%q is not a percentage; give one from 0%% to 100%%", s)}
	}
	if !percent && x.Cmp(big.NewRat(1, 1)) <= 0 {
		x.Mul(x, big.NewRat(100, 1))
	}
	if x.Sign() < 0 || x.Cmp(big.NewRat(100, 1)) > 0 {
		return 0, &ShareError{fmt.Sprintf("%q is outside 0%% to 100%%", s)}
	}
	bp := new(big.Rat).Mul(x, big.NewRat(100, 1))
	if !bp.IsInt() {
		return 0, &ShareError{fmt.Sprintf("%q is finer than a hundredth of a percent", s)}
	}
	return int(bp.Num().Int64()), nil
}
