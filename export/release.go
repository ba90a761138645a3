package export

import (
	"strings"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// Release drops, once the input's annotated workbook is written, what only
// that workbook needed: each line's mark, the lines to review, the input's
// own summary and the tables' reading state, keeping what run.json and the
// run's totals say of it: a few hundred bytes a table. Its strings are
// copied, so that none holds on to the text of the whole workbook it was
// cut from (a shared-strings table). Counts.Review still counts the lines
// to review. (The rules shown for its pay lines, whose outcomes may be a
// time survey's headings, were copied by Collector.End.)
func (in *Input) Release() {
	in.framework = nil
	in.marks, in.unreadable, in.Review, in.Summary = nil, nil, nil, analysis.Summary{}
	in.Reviewed, in.moved = nil, nil // the Review sheet's, and the override columns'
	b := in.Book
	slim := &ingest.Book{Path: b.Path, Format: b.Format, SHA256: b.SHA256, Size: b.Size}
	for _, s := range b.Skipped {
		slim.Skipped = append(slim.Skipped, ingest.SkippedSheet{Name: strings.Clone(s.Name), Reason: strings.Clone(s.Reason)})
	}
	if b.CSV != nil {
		slim.CSV = &ingest.CSVData{Encoding: b.CSV.Encoding, Delimiter: b.CSV.Delimiter, SkipFirst: b.CSV.SkipFirst}
	}
	for _, t := range b.Tables {
		st := &ingest.Table{Source: cloneSource(t.Source), LastRow: t.LastRow, Lines: t.Lines, Unreadable: t.Unreadable, LinesTotal: t.LinesTotal}
		for _, e := range t.Excluded {
			e.Source = cloneSource(e.Source)
			e.Reason, e.Label, e.Check = strings.Clone(e.Reason), strings.Clone(e.Label), strings.Clone(e.Check)
			st.Excluded = append(st.Excluded, e)
		}
		slim.Tables = append(slim.Tables, st)
	}
	in.Book = slim
}

func cloneSource(s ingest.Source) ingest.Source {
	return ingest.Source{File: strings.Clone(s.File), Sheet: strings.Clone(s.Sheet), Row: s.Row}
}

// ReleaseOwn does for a workbook's own staffing establishment what Release
// does for its input, once its annotated workbook is written and its pay
// reconciled (Finish): the allocator and the pay lines' sums go, and the
// strings the run's end needs (posts.csv, the people view, run.json) are
// copied out of the workbook's text. Finish must not be called again.
// After DropPosts, only what is left is copied.
func (s *Staffing) ReleaseOwn() {
	s.alloc, s.budget = nil, nil
	for _, t := range s.Tables {
		t.Source = cloneSource(t.Source)
		for k, v := range t.HeaderTexts {
			t.HeaderTexts[k] = strings.Clone(v)
		}
		for i := range t.Posts {
			clonePost(&t.Posts[i])
		}
		for i := range t.Excluded {
			e := &t.Excluded[i]
			e.Source = cloneSource(e.Source)
			e.Reason, e.Label, e.Check = strings.Clone(e.Reason), strings.Clone(e.Label), strings.Clone(e.Check)
		}
		t.Warnings = cloneStrings(t.Warnings)
		t.Explanation = strings.Clone(t.Explanation)
		for i := range t.Errors {
			c := &t.Errors[i]
			c.Source = cloneSource(c.Source)
			c.Cell, c.Value, c.Reason = strings.Clone(c.Cell), strings.Clone(c.Value), strings.Clone(c.Reason)
		}
	}
	for i := range s.Posts {
		p := &s.Posts[i]
		if p.Post != nil {
			clonePost(p.Post)
		}
		p.Rule = strings.Clone(p.Rule)
		for j := range p.Parts {
			p.Parts[j].Outcome = strings.Clone(p.Parts[j].Outcome)
		}
	}
	for i := range s.Pay.Rows {
		r := &s.Pay.Rows[i]
		r.CostCentre, r.CostCentreName, r.BusinessUnit = strings.Clone(r.CostCentre), strings.Clone(r.CostCentreName), strings.Clone(r.BusinessUnit)
	}
	for _, ks := range [][]analysis.StaffKeyed{s.Summary.ByOutcome, s.Summary.ByTeam, s.Summary.ByBusinessUnit, s.Summary.ByCostCentre} {
		for i := range ks {
			ks[i].Key = strings.Clone(ks[i].Key)
		}
	}
}

func clonePost(p *ingest.Post) {
	p.Source = cloneSource(p.Source)
	p.Review = nil // its override is in its split now
	p.PostID, p.JobTitle, p.Team, p.BusinessUnit = strings.Clone(p.PostID), strings.Clone(p.JobTitle), strings.Clone(p.Team), strings.Clone(p.BusinessUnit)
	p.CostCentre, p.CostCentreName, p.Grade, p.SpinalPoint = strings.Clone(p.CostCentre), strings.Clone(p.CostCentreName), strings.Clone(p.Grade), strings.Clone(p.SpinalPoint)
	for i := range p.Holders {
		h := &p.Holders[i]
		h.Source = cloneSource(h.Source)
		h.Name, h.Grade, h.SpinalPoint = strings.Clone(h.Name), strings.Clone(h.Grade), strings.Clone(h.SpinalPoint)
	}
	for i := range p.Splits {
		p.Splits[i].Heading, p.Splits[i].Outcome = strings.Clone(p.Splits[i].Heading), strings.Clone(p.Splits[i].Outcome)
	}
}

func cloneStrings(ss []string) []string {
	for i := range ss {
		ss[i] = strings.Clone(ss[i])
	}
	return ss
}

// DropPosts lets go of an input's own establishment's posts once they are
// written to posts.csv (PostsWriter) and its workbook is written: its
// people view (Summary), pay reconciliation (Pay) and sources stay, for
// the run's totals and run.json; Posts is then nil.
func (s *Staffing) DropPosts() {
	s.Posts = nil
	for _, t := range s.Tables {
		t.Posts, t.HeaderTexts, t.Excluded = nil, nil, nil
	}
	s.dropped = true
}

// Dropped reports whether DropPosts was called: the posts are in
// posts.csv already, and only the people view is left.
func (s *Staffing) Dropped() bool { return s.dropped }
