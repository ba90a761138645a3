package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export"
	"github.com/purpose-hq/purpose/export/forms"
	"github.com/purpose-hq/purpose/export/pipeline"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

// loadFrameworkTables reads a framework's tables as written (the built-in
// one when path is "") and compiles them, as a run would.
func loadFrameworkTables(path string) (*ingest.FrameworkTables, *analysis.Framework, error) {
	var t *ingest.FrameworkTables
	var err error
	if path == "" {
		t, err = ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	} else {
		if _, serr := os.Stat(path); errors.Is(serr, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("--framework %s: no such file or folder", path)
		}
		t, err = ingest.ReadFramework(path)
	}
	if err != nil {
		return nil, nil, err
	}
	fw, err := analysis.NewFramework(t)
	if err != nil {
		return nil, nil, err
	}
	return t, fw, nil
}

// frameworkCommand is "purpose framework export|check".
func frameworkCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"framework: give export or check (see 'purpose help framework')"}
	}
	switch args[0] {
	case "export":
		return frameworkExport(args[1:], stdout)
	case "check":
		return frameworkCheck(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, commandHelp["framework"])
		return nil
	}
	return usageError{fmt.Sprintf("framework: there is no command %q: give export or check (see 'purpose help framework')", args[0])}
}

func frameworkExport(args []string, stdout io.Writer) error {
	var out, framework string
	fs := pflag.NewFlagSet("framework export", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVarP(&out, "out", "o", "", "a folder for CSV files, or a workbook ending .xlsx")
	fs.StringVarP(&framework, "framework", "f", "", "the framework to export (default: the built-in one)")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("framework export: %v (see 'purpose help framework')", err)}
	}
	if *help {
		fmt.Fprint(stdout, commandHelp["framework"])
		return nil
	}
	if out == "" || fs.NArg() > 0 {
		return usageError{"framework export: give -o FOLDER or -o FILE.xlsx, and nothing else (see 'purpose help framework')"}
	}
	tables, _, err := loadFrameworkTables(framework)
	if err != nil {
		return err
	}
	if strings.EqualFold(filepath.Ext(out), ".xlsx") {
		if _, err := os.Stat(out); err == nil {
			return usageError{fmt.Sprintf("framework export: %s already exists: give another name, or delete it first", out)}
		}
		if err := forms.WriteFrameworkWorkbook(out, tables); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %s: the framework (%s outcomes, %s rule rows) for editing.\n", out, count(len(tables.Outcomes)), count(len(tables.Rules)))
		return nil
	}
	if info, err := os.Stat(out); err == nil && !info.IsDir() {
		return usageError{fmt.Sprintf("framework export: %s is a file: give a folder, or a name ending .xlsx", out)}
	}
	for _, name := range []string{"outcomes.csv", "rules.csv", "staff_rules.csv", "pay_nominals.csv", "pay_scales.csv"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			return usageError{fmt.Sprintf("framework export: %s already holds %s: give an empty or new folder", out, name)}
		}
	}
	written, err := forms.WriteFrameworkCSV(out, tables)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s into %s: the framework (%s outcomes, %s rule rows) for editing.\n", strings.Join(baseNames(written), ", "), out, count(len(tables.Outcomes)), count(len(tables.Rules)))
	return nil
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

// frameworkCheck is "purpose framework check PATH [--against INPUT...]":
// every problem is printed, naming file or sheet and row; exit 1 when
// there is one.
func frameworkCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var against []string
	var sheets []string
	fs := pflag.NewFlagSet("framework check", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringArrayVar(&against, "against", nil, "a budget (.xlsx, .xlsm, .csv, or a folder of them) to try the rules on; repeat for several")
	fs.StringSliceVar(&sheets, "sheet", nil, "read only this sheet of the budgets; repeat for several")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("framework check: %v (see 'purpose help framework')", err)}
	}
	if *help {
		fmt.Fprint(stdout, commandHelp["framework"])
		return nil
	}
	if fs.NArg() > 1 && len(against) > 0 {
		against = append(against, fs.Args()[1:]...) // --against a.xlsx b.xlsx
	}
	if fs.NArg() < 1 || fs.NArg() > 1 && len(against) == 0 {
		return usageError{"framework check: give one framework: a folder with outcomes.csv and rules.csv, or a workbook (see 'purpose help framework')"}
	}
	path := fs.Arg(0)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return usageError{fmt.Sprintf("framework check: %s: no such file or folder", path)}
	}
	t, err := ingest.ReadFramework(path)
	var he *ingest.FrameworkHeaderError
	if errors.As(err, &he) {
		return reportProblems(stdout, stderr, path, he.Problems, nil, 0)
	} else if err != nil {
		return err
	}
	fw, problems, notes, more := analysis.CheckFramework(t)
	if len(against) > 0 {
		if fw == nil {
			notes = append(notes, "the budgets were not tried: the framework must be right first")
		} else {
			paths, warnings, err := pipeline.FindInputs(against)
			if err != nil {
				return usageError{plainMessage(err)}
			}
			notes = append(notes, warnings...)
			cov := fw.NewCoverage()
			for _, p := range paths {
				if err := ctx.Err(); err != nil {
					return err
				}
				_, err := ingest.StreamBudget(p, ingest.Options{Sheets: sheets}, func(_ *ingest.Table, l *ingest.CostLine) error {
					cov.Add(l)
					return nil
				})
				if err != nil {
					return fmt.Errorf("--against %s: %w", p, err)
				}
			}
			p, n := cov.Problems()
			problems = append(problems, p...)
			notes = append(notes, n...)
			notes = append(notes, fmt.Sprintf("tried on %s from %s", counted(cov.Lines, "line", "lines"), counted(len(paths), "file", "files")))
		}
	}
	return reportProblems(stdout, stderr, path, problems, notes, more)
}

// counted is "1 line", "2,345 lines".
func counted(n int, one, many string) string { return export.Counted(n, one, many) }

// reportProblems prints a check's problems and notes; errReported when
// there are problems.
// more counts problems found but not listed.
func reportProblems(stdout, stderr io.Writer, path string, problems, notes []string, more int) error {
	for _, n := range notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	if len(problems) == 0 {
		fmt.Fprintf(stdout, "%s: no problems found.\n", path)
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if more > 0 {
		fmt.Fprintf(stderr, "… and %s more, not listed\n", count(more))
	}
	fmt.Fprintf(stderr, "purpose: %s: %s\n", path, counted(len(problems)+more, "problem", "problems"))
	return errReported
}
