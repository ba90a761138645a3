// Package export turns a run's results into what people and other tools
// read, and decides what those say.
//
// In: cost lines one at a time, as ingest reads them, and the framework.
// The Collector matches each line (analysis), apportions a pay line by its
// establishment's staff time when there is one, writes its rows of
// allocations.csv, adds it to the summaries and keeps a 24-byte mark of
// what became of it; an adviser's overrides and Review decisions, read
// back from an annotated workbook, go above every rule. Out: for each
// input an annotated workbook (WriteAnnotated: the original sheets
// untouched, columns added beside each budget and staffing table with an
// adviser's override columns and their drop-downs, and Summary, Review and
// Reconciliation sheets and a hidden Lists sheet); for each --staffing file
// its annotated copy (WriteAnnotatedStaffing); and for the run summary.csv
// (WriteSummary), posts.csv (WritePosts, PostsWriter) and run.json
// (WriteManifest). Beneath it: export/csvout writes CSV rows (quoting,
// formula neutralising, allocations.csv a line at a time); export/layout
// lays out the report sheets' cells, looks and widths through excelize;
// and export/ooxml handles the bytes of the workbook package (zip entries,
// shared strings, relationships, sheet XML copied with edits). Running the
// stages and staging the files in the output folder are export/pipeline's;
// the blank templates and the framework workbook, which no run writes, are
// export/forms'.
package export

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/samber/lo"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// Input is one file's results: what a report needs, not its lines, which
// went past one at a time (see Collector).
type Input struct {
	Book    *ingest.Book
	Summary analysis.Summary
	// Review holds the first lines to look at (unmapped or unreadable);
	// Counts.Review counts them all.
	Review []ReviewLine
	// Reviewed holds the first overrides taken and edits left alone of a
	// workbook sent back after review (Counts.Overrides and EditsLeft
	// count them all).
	Reviewed []Reviewed
	Counts   Counts
	// Allocated adds up every allocation of every readable line, in pence:
	// it must equal Book's lines total.
	Allocated int64
	// marks hold, for each table, each line's row and what became of it
	// (24 bytes a line), for the annotated workbook.
	marks map[*ingest.Table]*markList
	// unreadable holds the text of unreadable amounts by table and row.
	unreadable map[*ingest.Table]map[int32]string
	// moved holds the overrides typed over the Outcome column, by table
	// and row (outcome, share, note), for the override columns.
	moved map[*ingest.Table]map[int32][3]string
	// Staff is the staffing establishment whose posts apportioned the
	// input's pay lines (nil for none); StaffLines counts those lines and
	// StaffAmount adds them up.
	Staff       *Staffing
	StaffLines  int
	StaffAmount int64
	// framework is the run's framework with the rules shown for pay lines
	// apportioned by staff time; nil when there are none.
	framework *analysis.Framework
	// staffOnly is set for a staffing workbook's own annotated copy.
	staffOnly bool
}

// Framework is the framework the input's annotations describe lines by.
func (in *Input) Framework(run *Run) *analysis.Framework {
	if in.framework != nil {
		return in.framework
	}
	return run.Framework
}

// Counts are an input's lines by what became of them.
type Counts struct {
	Lines, Unmapped, Unreadable, Income int
	// Overrides counts the lines an adviser overrode; EditsLeft the edits
	// to purpose's own columns that were not taken.
	Overrides, EditsLeft int
	UnmappedAmount       int64
	Review               int // unmapped and unreadable lines
}

// ReviewLine is a line a person should look at.
type ReviewLine struct {
	Line   ingest.CostLine
	Status analysis.Status
}

// Run is everything one run produced.
type Run struct {
	Version   string
	Framework *analysis.Framework
	Inputs    []Input
	Overall   analysis.Summary // all inputs together
	Warnings  []string
	// Notes say how the inputs were read (each table's header row and
	// columns): worth showing, nothing to act on.
	Notes []string
	// Failed lists the inputs that could not be read (with --keep-going,
	// the run went on without them), each with why.
	Failed []string
	// Staffing are the staffing establishments used, and Staff their
	// people view together.
	Staffing []*Staffing
	Staff    analysis.StaffSummary
	// CSVRaw writes summary.csv's and posts.csv's text as read, not
	// neutralised where a spreadsheet would read a formula (--csv-raw).
	CSVRaw bool
}

// AnnotatedName is the file name of an input's annotated workbook:
// budget.xlsx → budget.annotated.xlsx; macro workbooks stay .xlsm, CSV
// inputs become workbooks, and an annotated workbook sent back keeps its
// name.
func AnnotatedName(input string) string {
	base := filepath.Base(input)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(strings.TrimSuffix(base, ext), ".annotated")
	out := ".xlsx"
	if strings.EqualFold(ext, ".xlsm") {
		out = ".xlsm"
	}
	return stem + ".annotated" + out
}

// OutputNames are the annotated workbooks' names, input by input (see
// the function OutputNames).
func (r *Run) OutputNames() []string {
	return r.allOutputNames()[:len(r.Inputs)]
}

// allOutputNames are the inputs' annotated workbooks' names, then the
// staffing workbooks'.
func (r *Run) allOutputNames() []string {
	paths := lo.Map(r.Inputs, func(in Input, _ int) string { return in.Book.Path })
	for _, sb := range r.StaffBooks() {
		paths = append(paths, sb.Path)
	}
	return OutputNames(paths)
}

// StaffBooks are the --staffing files the run used, each of which gets an
// annotated copy (a CSV file, a workbook of its records).
func (r *Run) StaffBooks() []*ingest.StaffBook {
	return lo.FlatMap(r.Staffing, func(s *Staffing, _ int) []*ingest.StaffBook { return s.Books })
}

// StaffOutputNames are the names of the staffing workbooks' annotated
// copies, in the order of StaffBooks.
func (r *Run) StaffOutputNames() []string {
	return r.allOutputNames()[len(r.Inputs):]
}

// OutputNames gives each input a distinct annotated workbook name, adding
// the input's extension where two inputs share a stem (budget.xlsx and
// budget.csv), and a folder-derived prefix where even that is not enough.
func OutputNames(inputs []string) []string {
	names := lo.Map(inputs, func(in string, _ int) string { return AnnotatedName(in) })
	count := lo.CountValuesBy(names, strings.ToLower)
	for i, in := range inputs {
		if count[strings.ToLower(names[i])] > 1 {
			base := filepath.Base(in)
			names[i] = strings.ReplaceAll(base, ".", "-") + ".annotated" + filepath.Ext(names[i])
		}
	}
	seen := map[string]int{}
	for i := range names {
		k := strings.ToLower(names[i])
		seen[k]++
		if seen[k] > 1 {
			ext := filepath.Ext(names[i])
			names[i] = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(names[i], ext), seen[k], ext)
		}
	}
	return names
}
