package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/purpose-hq/purpose/export/pipeline"
	"github.com/purpose-hq/purpose/ingest"
)

// version is the release; a build from a git checkout adds its commit.
const version = "0.1.0"

// errReported means the failures were already printed, one by one; main
// only has to exit non-zero.
var errReported = errors.New("failures reported above")

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program, callable in-process by tests. The error it
// returns is worded for the person who ran it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return plainError(dispatch(ctx, args, stdout, stderr), args...)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return runCommand(ctx, rest, stdout, stderr, false)
	case "check":
		return runCommand(ctx, rest, stdout, stderr, true)
	case "batch":
		return batchCommand(ctx, rest, stdout, stderr)
	case "template":
		return templateCommand(ctx, rest, stdout, stderr)
	case "framework":
		return frameworkCommand(ctx, rest, stdout, stderr)
	case "rules":
		return rulesCommand(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "purpose", fullVersion())
		return nil
	case "help", "-h", "--help":
		if len(rest) > 0 {
			text, ok := commandHelp[rest[0]]
			if !ok {
				fmt.Fprint(stderr, usageText)
				return usageError{fmt.Sprintf("help: there is no command %q (commands: run, check, template, framework, rules, version, help)", rest[0])}
			}
			fmt.Fprint(stdout, text)
			return nil
		}
		fmt.Fprint(stdout, usageText)
		return nil
	}
	fmt.Fprint(stderr, usageText)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

func fullVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

// runConfig is what the run and check commands are told.
type runConfig struct {
	out          string
	framework    string
	sheets       []string
	headerRow    int
	amountColumn string
	keepGoing    bool
	quiet        bool
	staffing     []string
	csvRaw       bool
	inputs       []string
}

func parseRunFlags(name string, args []string, stdout, stderr io.Writer) (*runConfig, error) {
	c := &runConfig{}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if name == "run" {
		fs.StringVarP(&c.out, "out", "o", "purpose-out", "folder to write the outputs to (made if missing)")
	}
	fs.StringVarP(&c.framework, "framework", "f", "", "outcomes framework: a folder with outcomes.csv and rules.csv, or a workbook with sheets Outcomes and Rules (default: the built-in one)")
	fs.StringSliceVar(&c.sheets, "sheet", nil, "read only this sheet (repeat for several); hidden sheets are read when named")
	fs.IntVar(&c.headerRow, "header-row", 0, "the header is on this row (1-based), instead of detecting it")
	fs.StringVar(&c.amountColumn, "amount-column", "", "the amount column, by header text (\"Budget 2026/27 £\") or letter (G)")
	fs.BoolVar(&c.keepGoing, "keep-going", false, "list unreadable amounts for review instead of stopping, and skip files that cannot be read")
	fs.StringArrayVar(&c.staffing, "staffing", nil, "a staffing establishment whose posts apportion pay lines (repeat for several)")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print no progress on stderr")
	if name == "run" {
		fs.BoolVar(&c.csvRaw, "csv-raw", false, "write the CSVs' text as read: no ' before text a spreadsheet would run as a formula (=, +, -, @)")
	}
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return nil, usageError{fmt.Sprintf("%s: %v (see 'purpose help %s')", name, err, name)}
	}
	if *help {
		fmt.Fprint(stdout, commandHelp[name])
		return nil, nil
	}
	if c.headerRow < 0 {
		return nil, usageError{fmt.Sprintf("%s: --header-row must be a row number, 1 or more", name)}
	}
	c.inputs = fs.Args()
	if len(c.inputs) == 0 {
		return nil, usageError{fmt.Sprintf("%s: give at least one budget file or folder (see 'purpose help %s')", name, name)}
	}
	return c, nil
}

// runCommand reads every input, maps it, and (unless checking) writes the
// outputs. Every failing input is reported; nothing is written unless all
// inputs were read (or --keep-going was given).
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer, checkOnly bool) error {
	name := map[bool]string{true: "check", false: "run"}[checkOnly]
	c, err := parseRunFlags(name, args, stdout, stderr)
	if err != nil || c == nil {
		return err
	}
	fw, err := pipeline.LoadFramework(c.framework)
	if err != nil {
		return err
	}
	paths, warnings, err := pipeline.FindInputs(c.inputs)
	if err != nil {
		return usageError{plainMessage(err)}
	}
	if !checkOnly {
		if info, err := os.Stat(c.out); err == nil && !info.IsDir() {
			return usageError{fmt.Sprintf("--out %s is a file, not a folder", c.out)}
		}
		if err := pipeline.CheckOutputs(c.out, append(slices.Clone(paths), c.staffing...)); err != nil {
			return err
		}
	}
	con := &console{w: stderr, tty: !c.quiet && isTerminal(stderr), keepGoing: c.keepGoing, names: slices.Concat(c.inputs, paths, c.staffing, []string{c.out, c.framework})}
	defer con.clear()
	warnings = append(fw.Warnings, warnings...)
	for i, w := range warnings {
		warnings[i] = con.Warning(w)
	}
	if len(paths) == 0 {
		return fmt.Errorf("%s: no .xlsx, .xlsm or .csv files found in %s", name, strings.Join(c.inputs, ", "))
	}
	var notes []string
	for _, s := range c.staffing {
		info, err := os.Stat(s)
		if err != nil || info.IsDir() {
			return usageError{fmt.Sprintf("--staffing %s: no such file (give a staffing workbook or CSV file)", s)}
		}
		// A staffing file in a folder of budgets is not a budget.
		paths = slices.DeleteFunc(paths, func(p string) bool {
			pi, err := os.Stat(p)
			if err != nil || !os.SameFile(pi, info) {
				return false
			}
			notes = append(notes, con.Note(fmt.Sprintf("%s: not read as a budget: it is given with --staffing", p)))
			return true
		})
	}
	if len(paths) == 0 {
		return fmt.Errorf("%s: no budget to read: every input is given with --staffing", name)
	}
	cfg := pipeline.Config{Inputs: paths, Framework: fw, Version: fullVersion(), Warnings: warnings, Notes: notes, Staffing: c.staffing, CSVRaw: c.csvRaw,
		Read: ingest.Options{Sheets: c.sheets, HeaderRow: c.headerRow, AmountColumn: c.amountColumn, KeepGoing: c.keepGoing}}
	if !checkOnly {
		cfg.Out = c.out
	}
	res, err := pipeline.Run(ctx, cfg, con)
	var md *pipeline.MakeDirError
	if errors.As(err, &md) {
		return fmt.Errorf("--out %s: cannot make the folder: %s", md.Dir, plainReason(md.Err, true))
	} else if err != nil {
		return err
	}
	con.clear()
	if res.Failed > 0 && (!c.keepGoing || len(res.Run.Inputs) == 0) {
		fmt.Fprintf(stderr, "purpose: %s of %s inputs could not be read", count(res.Failed), count(len(paths)))
		if !checkOnly {
			fmt.Fprint(stderr, "; nothing was written")
		}
		fmt.Fprintln(stderr)
		return errReported
	}
	printReport(stdout, res.Run, c.out, res.Written, res.Removed, checkOnly)
	if res.Failed > 0 {
		fmt.Fprintf(stderr, "purpose: %s of %s inputs could not be read and were skipped\n", count(res.Failed), count(len(paths)))
		return errReported
	}
	return nil
}
