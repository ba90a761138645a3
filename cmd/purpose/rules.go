package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/gocarina/gocsv"
	"github.com/samber/lo"
	"github.com/spf13/pflag"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// rulesCommand is "purpose rules suggest ANNOTATED.xlsx...".
func rulesCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "suggest" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, commandHelp["rules"])
			return nil
		}
		return usageError{"rules: give suggest (see 'purpose help rules')"}
	}
	var out, framework string
	fs := pflag.NewFlagSet("rules suggest", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVarP(&out, "out", "o", "", "write the suggested rules to this CSV file (default: print them)")
	fs.StringVarP(&framework, "framework", "f", "", "the framework the workbooks were mapped with (default: the built-in one)")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{fmt.Sprintf("rules suggest: %v (see 'purpose help rules')", err)}
	}
	if *help {
		fmt.Fprint(stdout, commandHelp["rules"])
		return nil
	}
	if fs.NArg() == 0 {
		return usageError{"rules suggest: give at least one annotated workbook (see 'purpose help rules')"}
	}
	if out != "" {
		if _, err := os.Stat(out); err == nil {
			return usageError{fmt.Sprintf("rules suggest: %s already exists: give another name, or delete it first", out)}
		}
	}
	_, fw, err := loadFrameworkTables(framework)
	if err != nil {
		return err
	}
	var lines []analysis.SuggestLine
	overridden := 0
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		got, n, err := readOverrides(path, fw)
		if err != nil {
			return err
		}
		lines = append(lines, got...)
		overridden += n
	}
	staffed := lo.CountBy(lines, func(l analysis.SuggestLine) bool { return l.Staffed })
	suggestions := analysis.Suggest(fw, lines)
	var buf bytes.Buffer
	w := gocsv.DefaultCSVWriter(&buf)
	w.Write([]string{"id", "business_unit", "cost_centre", "nominal", "keywords", "payee", "outcome", "share", "mode", "note"})
	for _, s := range suggestions {
		r := s.Rule
		w.Write([]string{r.ID, r.BusinessUnit, r.CostCentre, r.Nominal, r.Keywords, r.Payee, r.Outcome, r.Share, r.Mode, r.Note})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	apportioned := ""
	if staffed > 0 {
		apportioned = fmt.Sprintf(", %s apportioned by staff time (their posts decide them: no rule is suggested for want of one, and none that would take them)", count(staffed))
	}
	fmt.Fprintf(stderr, "Read %s from %s, %s overridden%s; %s suggested (paste them above the framework's rules).\n",
		counted(len(lines), "line", "lines"), counted(fs.NArg(), "workbook", "workbooks"), count(overridden), apportioned, counted(len(suggestions), "rule", "rules"))
	for _, s := range suggestions {
		fmt.Fprintf(stderr, "  %s: %s, %s\n", s.Rule.ID, counted(s.Lines, "line", "lines"), ingest.FormatMoney(s.Pence))
	}
	if out == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s.\n", out)
	return nil
}

// readOverrides reads an annotated workbook's lines and their overrides
// (the Outcome override and Share override columns, read as a run reads
// them). It returns the lines and how many carry an override.
func readOverrides(path string, fw *analysis.Framework) ([]analysis.SuggestLine, int, error) {
	book, err := ingest.ReadBudget(path, ingest.Options{})
	if err != nil {
		return nil, 0, err
	}
	if !slices.ContainsFunc(book.Tables, func(t *ingest.Table) bool { return t.AnnotationCol > 0 }) {
		// Without a run's columns it cannot be told which lines the run
		// apportioned by staff time, or what an adviser overrode.
		return nil, 0, fmt.Errorf("rules suggest: %s has none of the columns a run adds: give the annotated copy a run wrote (INPUT.annotated.xlsx)", path)
	}
	var problems []ingest.CellError
	out := make([]analysis.SuggestLine, 0, len(book.Lines()))
	n := 0
	for _, l := range book.Lines() {
		// The run that annotated the workbook says which lines it
		// apportioned by staff time.
		s := analysis.SuggestLine{Line: l, Staffed: l.Review.Get("Rule").Value == analysis.RuleStaffLine}
		r, err := fw.ReviewOverride(l.Review, l.Source)
		if err != nil {
			problems = append(problems, err.(ingest.CellError)) // ReviewOverride's errors are cell errors
			continue
		}
		if r != nil {
			s.Outcome, s.Share = analysis.OutcomeCore, 10000
			if len(r.Parts) > 0 {
				s.Outcome, s.Share = r.Parts[0].Outcome, r.Parts[0].Share
			}
			n++
		}
		out = append(out, s)
	}
	if len(problems) > 0 {
		return nil, 0, &ingest.InputError{File: path, Cells: problems}
	}
	return out, n, nil
}
