package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"

	"github.com/gocarina/gocsv"
	"github.com/spf13/pflag"
	"github.com/xuri/excelize/v2"

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
	fmt.Fprintf(stderr, "Read %s from %s, %s overridden; %s suggested (paste them above the framework's rules).\n",
		counted(len(lines), "line", "lines"), counted(fs.NArg(), "workbook", "workbooks"), count(overridden), counted(len(suggestions), "rule", "rules"))
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

// readOverrides reads an annotated workbook's lines and, where its tables
// have them, the "Outcome override" and "Share override" columns beside
// them. It returns the lines and how many carry an override.
func readOverrides(path string, fw *analysis.Framework) ([]analysis.SuggestLine, int, error) {
	book, err := ingest.ReadBudget(path, ingest.Options{})
	if err != nil {
		return nil, 0, err
	}
	type key struct {
		sheet string
		row   int
	}
	type override struct {
		outcome string
		share   int
	}
	overrides := map[key]override{}
	var problems []string
	if book.Format != "csv" {
		f, err := ingest.OpenWorkbook(path)
		if err != nil {
			return nil, 0, err
		}
		defer f.Close()
		for _, t := range book.Tables {
			rows, err := f.GetRows(t.Source.Sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				return nil, 0, fmt.Errorf("%s: sheet %q: %w", path, t.Source.Sheet, err)
			}
			if t.Source.Row < 1 || t.Source.Row > len(rows) {
				continue
			}
			outcomeCol, shareCol := -1, -1
			for j, h := range rows[t.Source.Row-1] {
				switch strings.Join(strings.Fields(strings.ToLower(h)), " ") {
				case "outcome override":
					outcomeCol = j
				case "share override":
					shareCol = j
				}
			}
			if outcomeCol < 0 {
				continue
			}
			for i := t.Source.Row; i < len(rows); i++ {
				row := rows[i]
				cell := func(j int) string {
					if j >= 0 && j < len(row) {
						return strings.TrimSpace(row[j])
					}
					return ""
				}
				code := strings.ToLower(cell(outcomeCol))
				if code == "" {
					continue
				}
				where := fmt.Sprintf("%s: sheet %q cell %s", path, t.Source.Sheet, ingest.CellRef(outcomeCol+1, i+1))
				if _, ok := fw.Outcome(code); !ok && code != analysis.OutcomeCore && code != analysis.OutcomeIncome {
					problems = append(problems, fmt.Sprintf("%s: %q is not an outcome of the framework (nor core or income)", where, cell(outcomeCol)))
					continue
				}
				share, err := overrideShare(cell(shareCol))
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s: sheet %q cell %s: %v", path, t.Source.Sheet, ingest.CellRef(shareCol+1, i+1), err))
					continue
				}
				overrides[key{t.Source.Sheet, i + 1}] = override{code, share}
			}
		}
	}
	if len(problems) > 0 {
		return nil, 0, errors.New(strings.Join(problems, "\n"))
	}
	out := make([]analysis.SuggestLine, 0, len(book.Lines()))
	n := 0
	for _, l := range book.Lines() {
		s := analysis.SuggestLine{Line: l}
		if o, ok := overrides[key{l.Source.Sheet, l.Source.Row}]; ok {
			s.Outcome, s.Share = o.outcome, o.share
			n++
		}
		out = append(out, s)
	}
	return out, n, nil
}

// overrideShare reads a share override: blank is 100%; "60%" as typed;
// a number as Excel stores a percentage (0.6), or a figure over 1 as per
// cent (60).
func overrideShare(s string) (int, error) {
	if s == "" {
		return 10000, nil
	}
	if strings.HasSuffix(s, "%") {
		return analysis.ParseShare(s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 {
		return 0, fmt.Errorf("%q is not a share (write 0%% to 100%%)", s)
	}
	if r.Cmp(big.NewRat(1, 1)) <= 0 {
		r.Mul(r, big.NewRat(100, 1))
	}
	if r.Cmp(big.NewRat(100, 1)) > 0 {
		return 0, fmt.Errorf("%q is more than 100%%", s)
	}
	bp := new(big.Rat).Mul(r, big.NewRat(100, 1))
	if !bp.IsInt() {
		return 0, fmt.Errorf("%q: give at most two decimal places of a per cent", s)
	}
	return int(bp.Num().Int64()), nil
}
