package export

import (
	"io"
	"strconv"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/csvout"
	"github.com/purpose-hq/purpose/ingest"
)

// PostColumns are posts.csv's columns: one row per (post, outcome), its
// core part a row too, so that a post's amount rows add up to its
// post_cost and its fte rows to its post_fte. Columns are only ever added
// at the end.
var PostColumns = []string{"file", "sheet", "row", "post", "job_title", "team", "business_unit", "cost_centre", "post_fte", "post_cost",
	"outcome", "theme", "mode", "share", "fte", "amount", "rule"}

// WritePosts writes posts.csv: every post of every staffing establishment
// the run used. FTE and shares are exact decimals, money pounds and pence.
func WritePosts(w io.Writer, run *Run) error {
	pw, err := NewPostsWriter(w, run)
	if err != nil {
		return err
	}
	for _, s := range run.Staffing {
		if err := pw.Write(s); err != nil {
			return err
		}
	}
	return pw.Flush()
}

// PostsWriter writes posts.csv an establishment at a time, so that a run
// over many workbooks, each with its own staffing sheet, need not keep
// their posts to the end (see Staffing.DropPosts).
type PostsWriter struct {
	cw  *csvout.Writer
	run *Run
}

// NewPostsWriter starts posts.csv, writing its header.
func NewPostsWriter(w io.Writer, run *Run) (*PostsWriter, error) {
	cw := csvout.NewWriter(w, run.CSVRaw) // text fields neutralised unless --csv-raw
	return &PostsWriter{cw: cw, run: run}, cw.Write(PostColumns)
}

// Write writes an establishment's posts, a row per post and outcome.
func (pw *PostsWriter) Write(s *Staffing) error {
	for i := range s.Posts {
		r := &s.Posts[i]
		p := r.Post
		head := []string{p.Source.File, p.Source.Sheet, strconv.Itoa(p.Source.Row), p.PostID, p.JobTitle, p.Team, p.BusinessUnit, p.CostCentre,
			decimalUnits(p.FTE, ingest.FTEUnit), ingest.FormatPence(r.Cost)}
		for _, pt := range r.Parts {
			theme := ""
			if pt.Outcome != analysis.OutcomeCore {
				theme = pw.run.Framework.Theme(pt.Outcome)
			}
			row := append(head[:len(head):len(head)], pt.Outcome, theme, string(pt.Mode), decimalUnits(pt.Share, ingest.ShareUnit),
				decimalUnits(pt.FTE, ingest.FTEUnit), ingest.FormatPence(pt.Amount), r.Rule)
			if err := pw.cw.Write(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// Flush writes what is buffered.
func (pw *PostsWriter) Flush() error {
	pw.cw.Flush()
	return pw.cw.Error()
}
