package pipeline

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export"
	"github.com/purpose-hq/purpose/ingest"
)

// readStaffing reads the --staffing files into one establishment, whose
// posts apportion every input's pay lines; nil when there are none. A file
// with cells that cannot be read, or posts that cannot be costed, stops
// the run before any input is read.
func readStaffing(c Config, r Reporter, res *Result) (*export.Staffing, error) {
	if len(c.Staffing) == 0 {
		return nil, nil
	}
	var books []*ingest.StaffBook
	var tables []*ingest.StaffTable
	var scales []ingest.PayScaleRow
	for _, path := range c.Staffing {
		b, err := ingest.ReadStaffing(path, ingest.Options{})
		if err != nil {
			return nil, &StaffingError{Path: path, Err: err}
		}
		books = append(books, b)
		tables = append(tables, b.Tables...)
		scales = append(scales, b.PayScales...)
		for _, n := range b.Notes {
			res.Run.Notes = append(res.Run.Notes, r.Note(n))
		}
		for _, w := range b.Warnings {
			res.Run.Warnings = append(res.Run.Warnings, r.Warning(w))
		}
	}
	s, err := export.NewStaffing(c.Framework, tables, scales)
	if err != nil {
		return nil, &StaffingError{Path: strings.Join(c.Staffing, ", "), Err: err}
	}
	s.Books = books
	return s, nil
}

// A StaffingError is a --staffing file that cannot be used: nothing is
// read or written.
type StaffingError struct {
	Path string
	Err  error
}

func (e *StaffingError) Error() string {
	msg := e.Err.Error()
	if strings.HasPrefix(msg, e.Path) {
		return "--staffing " + msg
	}
	return fmt.Sprintf("--staffing %s: %s", e.Path, msg)
}

func (e *StaffingError) Unwrap() error { return e.Err }

// ownStaffing is the establishment of a budget workbook's own staffing
// sheets, nil when it has none. A staffing sheet with cells that cannot be
// read fails the input: its posts are incomplete.
func ownStaffing(fw *analysis.Framework, b *ingest.Book) (*export.Staffing, error) {
	if len(b.Staffing) == 0 {
		return nil, nil
	}
	s, err := export.NewStaffing(fw, b.Staffing, b.PayScales)
	if err != nil {
		return nil, fmt.Errorf("%s: staffing sheet %s cannot be used, so its pay cannot be apportioned by staff time (fix it, or remove the sheet): %w", b.Path, staffSheets(b), err)
	}
	return s, nil
}

// staffSheets names a workbook's staffing sheets.
func staffSheets(b *ingest.Book) string {
	var names []string
	for _, t := range b.Staffing {
		names = append(names, fmt.Sprintf("%q", t.Source.Sheet))
	}
	return strings.Join(names, ", ")
}

// finishStaffing reconciles each establishment used with the pay of the
// inputs it apportioned (but those already finished), and adds up the
// people view of them all.
func finishStaffing(fw *analysis.Framework, run *export.Run, shared *export.Staffing, finished []*export.Staffing) {
	if shared != nil {
		run.Staffing = append(run.Staffing, shared)
	}
	for _, in := range run.Inputs {
		if in.Staff != nil && in.Staff != shared {
			run.Staffing = append(run.Staffing, in.Staff)
		}
	}
	var posts []analysis.PostResult
	var dropped []analysis.StaffSummary // those whose posts are let go
	for _, s := range run.Staffing {
		if !slices.Contains(finished, s) {
			s.Finish()
		}
		if s.Dropped() {
			dropped = append(dropped, s.Summary)
		}
		posts = append(posts, s.Posts...)
	}
	switch {
	case len(dropped) > 0:
		run.Staff = fw.AddStaffSummaries(append(dropped, fw.SummariseStaff(posts))...)
	case len(posts) > 0:
		run.Staff = fw.SummariseStaff(posts)
	}
}

// writeStaffOutputs writes posts.csv and, for each --staffing workbook,
// its annotated copy.
// posts, when set, is posts.csv already under way (see earlyWriter).
func writeStaffOutputs(stage *Stage, run *export.Run, r Reporter, posts *postsSink) ([]string, error) {
	if posts != nil {
		if err := posts.close(); err != nil {
			return nil, fmt.Errorf("posts.csv: %w", err)
		}
	} else if err := stage.Write("posts.csv", func(w io.Writer) error { return export.WritePosts(w, run) }); err != nil {
		return nil, err
	}
	written := []string{"posts.csv"}
	names := run.StaffOutputNames()
	for i, sb := range run.StaffBooks() {
		name := names[i]
		r.Writing("writing " + name)
		work, err := stage.WorkDir()
		if err != nil {
			return written, err
		}
		if err := stage.Write(name, func(w io.Writer) error { return export.WriteAnnotatedStaffing(w, work, run, sb) }); err != nil {
			return written, err
		}
		written = append(written, name)
	}
	return written, nil
}

// isStaffingFile reports whether every table read from a file as spend is
// a staffing establishment's: the budget reader reads a lone staffing table
// as spend, with a warning, and the staffing reader finds a table of posts
// on the same sheet and header row.
func isStaffingFile(b *ingest.Book) bool {
	if len(b.Tables) == 0 || len(b.Staffing) > 0 {
		return false
	}
	for _, t := range b.Tables {
		if !t.LooksLikeStaffing {
			return false
		}
	}
	sb, err := ingest.ReadStaffing(b.Path, ingest.Options{})
	if err != nil {
		return false
	}
	for _, t := range b.Tables {
		if !slices.ContainsFunc(sb.Tables, func(st *ingest.StaffTable) bool {
			return st.Source.Sheet == t.Source.Sheet && st.Source.Row == t.Source.Row
		}) {
			return false
		}
	}
	return true
}
