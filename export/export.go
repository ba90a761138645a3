// Package export writes a run's results where people and other tools read
// them.
//
// In: the books ingest read, the framework and each line's match from
// analysis. Out, into one folder, each file written atomically: for every
// input an annotated workbook (the original sheets untouched, with columns
// added beside each budget table, and Summary, Review and Reconciliation
// sheets), and for the whole run allocations.csv, summary.csv and run.json.
package export

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// Input is one file's results.
type Input struct {
	Book    *ingest.Book
	Lines   []ingest.CostLine
	Matches []analysis.Match
	Summary analysis.Summary
}

// NewInput matches a book's lines and sums them.
func NewInput(fw *analysis.Framework, b *ingest.Book) Input {
	lines := b.Lines()
	matches := fw.MatchAll(lines)
	return Input{Book: b, Lines: lines, Matches: matches, Summary: analysis.Summarise(fw, lines, matches)}
}

// Run is everything one run produced.
type Run struct {
	Version   string
	Framework *analysis.Framework
	Inputs    []Input
	Overall   analysis.Summary // all inputs together
	Warnings  []string
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

// OutputNames gives each input a distinct annotated workbook name, adding
// the input's extension where two inputs share a stem (budget.xlsx and
// budget.csv), and a folder-derived prefix where even that is not enough.
func OutputNames(inputs []string) []string {
	names := make([]string, len(inputs))
	count := map[string]int{}
	for i, in := range inputs {
		names[i] = AnnotatedName(in)
		count[strings.ToLower(names[i])]++
	}
	for i, in := range inputs {
		if count[strings.ToLower(names[i])] > 1 {
			base := filepath.Base(in)
			names[i] = strings.ReplaceAll(base, ".", "-") + ".annotated.xlsx"
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
