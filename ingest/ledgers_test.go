package ingest_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/ingesttest"
	"github.com/purpose-hq/purpose/templates"
)

// The ledger suite: files in testdata/ledgers laid out as finance systems
// export them, each read with no options. The line counts and totals below
// are what a finance officer counts by hand, worked out in
// testdata/ledgers/README.md; they were written from the files, not from
// what the code reads.

var regenLedgers = flag.Bool("regen-ledgers", false, "rewrite testdata/ledgers from ingesttest.LedgerShapes")

const ledgerDir = "testdata/ledgers"

type ledgerCase struct {
	file  string
	lines int
	pence int64 // net total: the sum of every line, credits included
	// check, if set, asserts what the count and total cannot show.
	check func(lines []ingest.CostLine) error
}

var ledgerCases = []ledgerCase{
	// 4 title rows and a blank above the header; typed subtotals labelled in
	// different columns; a grand total. 4+3+3 lines.
	{file: "01-title-block-subtotals.xlsx", lines: 10, pence: 193_000_50},
	// LGTC spend file; "Total Care Ltd" ×2 and "TotalEnergies Business" ×2
	// are payments (one a credit note of -£120.00).
	{file: "02-lgtc-spend.csv", lines: 12, pence: 39_500_00, check: all(payees(map[string]int{"Total Care Ltd": 2, "TotalEnergies Business": 2}), keeps("Supported Accommodation", "Electricity"))},
	// Apr £4,000 + May £4,100 + Jun £3,900, 5 lines a month.
	{file: "03-monthly-sheets.xlsx", lines: 15, pence: 12_000_00, check: noBusinessUnitIn("Apr", "May", "Jun")},
	// £000: 258.045 + 345.75 thousand.
	{file: "04-thousands.xlsx", lines: 6, pence: 603_795_00},
	// Directorate and cost centre only on each group's first row.
	{file: "05-grouped-labels.xlsx", lines: 8, pence: 277_000_00, check: filledDown},
	// "HM101 - Housing Management", "5001 Salaries".
	{file: "06-code-name.xlsx", lines: 8, pence: 500_000_00, check: codeNameSplit},
	// Monthly × 12 formulas with an empty or missing <v>; SUM with none.
	{file: "07-openpyxl-formulas.xlsx", lines: 6, pence: 96_749_04},
	// The Staffing sheet restates pay already in the Revenue sheet.
	{file: "08-staffing-sheet.xlsx", lines: 6, pence: 120_000_00, check: onlySheets("Revenue")},
	// "Net cost of services", "Net expenditure", "NET (SURPLUS)/DEFICIT" are results.
	{file: "09-result-rows.xlsx", lines: 8, pence: 10_000_00},
	// "1,043.00-", "(250.00)", "£1,234.56 ", "300.50 CR" …
	{file: "10-text-amounts.xlsx", lines: 8, pence: 17_000_00},
	// Windows-1252, CRLF, "£" in the header and the amounts.
	{file: "11-windows-1252.csv", lines: 6, pence: 50_000_00, check: descriptionHas("Café supplies – community hub")},
	// `"Boiler 24" replacement` and `3/4" copper pipe`: every line counts.
	{file: "12-stray-quote.csv", lines: 6, pence: 2_000_00},
	// Dept, Cst Ctr, Acct, Narr, Net Spend £.
	{file: "13-unfamiliar-headers.xlsx", lines: 7, pence: 16_000_00},
	// Original Amount (foreign currency) beside Billing Amount GBP: GBP is read.
	{file: "14-purchase-card.xlsx", lines: 8, pence: 1_000_00},
	// A Grand Total row and a copyright footer.
	{file: "15-grand-total-footer.csv", lines: 10, pence: 25_000_00},
	// Budget 2026/27 beside Actual to Date, Forecast Outturn and Variance:
	// the budget column (C) is read.
	{file: "16-budget-variance.xlsx", lines: 6, pence: 100_000_00},
	// Supplier "Total Facilities Management Ltd" on lines, one of which
	// equals the two lines above it; real "Total PS201"/"Total CO101" rows.
	{file: "17-total-facilities-supplier.xlsx", lines: 6, pence: 75_000_00},
	// Contents and Notes sheets, a hidden Lookup sheet, one budget table.
	{file: "18-contents-hidden.xlsx", lines: 7, pence: 50_000_00, check: onlySheets("Budget")},
	// Two columns headed "Cost Centre" and two "Account": code, then name.
	{file: "19-duplicate-header-names.xlsx", lines: 5, pence: 80_000_00, check: keeps("Tenancy Sustainment", "Supplies and services")},
	// Service Area, Expense Area, Expense Type, Payee, Amount.
	{file: "20-service-area-expense-type.csv", lines: 7, pence: 30_000_00, check: all(keeps("Bed and Breakfast", "Floating Support"), payees(map[string]int{"Fictional Builders Ltd": 1}))},
	// SUBTOTAL(9,…) per cost centre and over the whole range.
	{file: "21-subtotal-formulas.xlsx", lines: 6, pence: 100_000_00},
	// A group row above its lines carrying SUM(…) of them, with no total word.
	{file: "22-group-row-sums.xlsx", lines: 5, pence: 170_000_00, check: filledDown},
	// Transparency-code spend as a workbook: dates, transaction and invoice
	// numbers are numbers too; Amount is the money.
	{file: "23-lgtc-spend-dates.xlsx", lines: 8, pence: 11_000_00, check: payees(map[string]int{"Total Care Ltd": 1, "TotalEnergies Business": 1})},
	// Values as Excel saves them, to 17 significant digits.
	{file: "24-float-artifacts.xlsx", lines: 5, pence: 6_503_25},
}

func TestLedgers(t *testing.T) {
	if *regenLedgers {
		if err := ingesttest.WriteLedgerShapes(ledgerDir); err != nil {
			t.Fatal(err)
		}
	}
	fw := defaultFramework(t)
	var summary []string
	for _, c := range ledgerCases {
		t.Run(strings.TrimSuffix(c.file, filepath.Ext(c.file)), func(t *testing.T) {
			verdict := runLedgerCase(t, fw, c)
			summary = append(summary, fmt.Sprintf("%-4s %-36s want %3d lines %15s  %s", map[bool]string{true: "ok", false: "FAIL"}[!t.Failed()], c.file, c.lines, ingest.FormatMoney(c.pence), verdict))
		})
	}
	t.Logf("ledger suite:\n%s", strings.Join(summary, "\n"))
}

// runLedgerCase reads one file with no options, logs what was read and why,
// and checks the count and total. It returns what it got, for the summary.
func runLedgerCase(t *testing.T, fw *analysis.Framework, c ledgerCase) string {
	path := filepath.Join(ledgerDir, c.file)
	b, err := ingest.ReadBudget(path, ingest.Options{})
	if err != nil {
		t.Errorf("%s: want %d lines, %s; got an error:\n%v", c.file, c.lines, ingest.FormatMoney(c.pence), err)
		return "got error: " + firstLine(err.Error())
	}
	lines := b.Lines()
	var total int64
	for _, l := range lines {
		total += l.Amount
	}
	var log strings.Builder
	for _, tb := range b.Tables {
		fmt.Fprintf(&log, "  %s\n", describeHeader(tb))
		if tb.Explanation != "" {
			fmt.Fprintf(&log, "    %s\n", tb.Explanation)
		}
		for _, e := range tb.Excluded {
			fmt.Fprintf(&log, "    excluded row %d (%s): %q %s", e.Source.Row, e.Reason, e.Label, ingest.FormatMoney(e.Amount))
			if e.Check != "" {
				fmt.Fprintf(&log, " [checked against %s: %s]", e.Check, ingest.FormatMoney(e.Expected))
			}
			log.WriteString("\n")
		}
	}
	for _, s := range b.Skipped {
		fmt.Fprintf(&log, "  skipped sheet %q: %s\n", s.Name, s.Reason)
	}
	for _, w := range b.Warnings {
		fmt.Fprintf(&log, "  warning: %s\n", w)
	}
	fmt.Fprintf(&log, "  unmapped (built-in framework): %s", unmappedShare(fw, lines))
	report := fmt.Sprintf("%s: want %d lines, %s; got %d lines, %s\n%s", c.file, c.lines, ingest.FormatMoney(c.pence), len(lines), ingest.FormatMoney(total), log.String())
	if len(lines) != c.lines || total != c.pence {
		t.Errorf("%s\n%s", report, linesList(lines))
	} else {
		t.Log(report)
	}
	got := fmt.Sprintf("got %3d lines %15s", len(lines), ingest.FormatMoney(total))
	if c.check != nil {
		if err := c.check(lines); err != nil {
			t.Errorf("%s: %v", c.file, err)
			got += "; " + firstLine(err.Error())
		}
	}
	return got
}

// describeHeader says where a table's header is and which columns it read.
func describeHeader(tb *ingest.Table) string {
	where := "header"
	if tb.Source.Sheet != "" {
		where = fmt.Sprintf("sheet %q header", tb.Source.Sheet)
	}
	var cols []string
	for f := ingest.FieldBusinessUnit; f <= ingest.FieldLineType; f++ {
		if col := tb.Column(f); col > 0 {
			cols = append(cols, fmt.Sprintf("%s %s %q", f, ingest.ColumnLetter(col), tb.HeaderTexts[col]))
		}
	}
	s := fmt.Sprintf("%s on row %d: %s", where, tb.Source.Row, strings.Join(cols, ", "))
	if tb.Thousands {
		s += " (in £000)"
	}
	if len(tb.OtherAmounts) > 0 {
		s += "; other amount columns " + strings.Join(tb.OtherAmounts, ", ")
	}
	return s
}

func linesList(lines []ingest.CostLine) string {
	var b strings.Builder
	b.WriteString("  lines read:")
	for _, l := range lines {
		fmt.Fprintf(&b, "\n    %s: %s | %s | %s %s | %s %s | %s | payee %q | %s", l.Source, l.BusinessUnit, l.CostCentre, l.CostCentreName, l.Nominal, l.NominalName, l.Description, l.LineType, l.Payee, ingest.FormatMoney(l.Amount))
	}
	return b.String()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

func defaultFramework(t *testing.T) *analysis.Framework {
	t.Helper()
	ft, err := ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	if err != nil {
		t.Fatalf("built-in framework: %v", err)
	}
	fw, err := analysis.NewFramework(ft)
	if err != nil {
		t.Fatalf("built-in framework: %v", err)
	}
	return fw
}

// unmappedShare is the part of expenditure no rule of the framework
// matched, as the run reports it.
func unmappedShare(fw *analysis.Framework, lines []ingest.CostLine) string {
	s := analysis.NewSummariser(fw)
	m := fw.NewMatcher()
	for i := range lines {
		match := m.Match(&lines[i])
		s.Add(&lines[i], match, analysis.Allocate(lines[i].Amount, match))
	}
	o := s.Summary().Overall
	return fmt.Sprintf("%s of expenditure (%s of %s)", analysis.Ratio{Num: o.Unmapped, Den: o.Expenditure()}.Percent(), ingest.FormatMoney(o.Unmapped), ingest.FormatMoney(o.Expenditure()))
}

// Checks for what a count and a total cannot show.

func all(checks ...func([]ingest.CostLine) error) func([]ingest.CostLine) error {
	return func(lines []ingest.CostLine) error {
		for _, c := range checks {
			if err := c(lines); err != nil {
				return err
			}
		}
		return nil
	}
}

// keeps checks that each text is kept on some line, where rules can match
// it: in the cost centre name, nominal description, description or line
// type.
func keeps(texts ...string) func([]ingest.CostLine) error {
	return func(lines []ingest.CostLine) error {
		for _, want := range texts {
			if !slices.ContainsFunc(lines, func(l ingest.CostLine) bool {
				return strings.Contains(strings.Join([]string{l.CostCentreName, l.NominalName, l.Description, l.LineType}, " | "), want)
			}) {
				return fmt.Errorf("no line keeps %q where rules can match it", want)
			}
		}
		return nil
	}
}

func payees(want map[string]int) func([]ingest.CostLine) error {
	return func(lines []ingest.CostLine) error {
		got := map[string]int{}
		for _, l := range lines {
			got[l.Payee]++
		}
		for p, n := range want {
			if got[p] != n {
				return fmt.Errorf("%d lines with payee %q, want %d", got[p], p, n)
			}
		}
		return nil
	}
}

func noBusinessUnitIn(sheets ...string) func([]ingest.CostLine) error {
	return func(lines []ingest.CostLine) error {
		for _, l := range lines {
			if slices.Contains(sheets, l.BusinessUnit) {
				return fmt.Errorf("%s: business unit %q is a sheet name", l.Source, l.BusinessUnit)
			}
		}
		return nil
	}
}

func filledDown(lines []ingest.CostLine) error {
	for _, l := range lines {
		if l.BusinessUnit == "" || l.CostCentre == "" || l.CostCentreName == "" {
			return fmt.Errorf("%s: directorate %q, cost centre %q %q: group labels not filled down", l.Source, l.BusinessUnit, l.CostCentre, l.CostCentreName)
		}
	}
	return nil
}

func codeNameSplit(lines []ingest.CostLine) error {
	for _, l := range lines {
		if strings.Contains(l.CostCentre, " ") || l.CostCentreName == "" || strings.Contains(l.Nominal, " ") || l.NominalName == "" {
			return fmt.Errorf("%s: cost centre %q name %q, nominal %q name %q: CODE - Name not split", l.Source, l.CostCentre, l.CostCentreName, l.Nominal, l.NominalName)
		}
	}
	return nil
}

func onlySheets(sheets ...string) func([]ingest.CostLine) error {
	return func(lines []ingest.CostLine) error {
		for _, l := range lines {
			if !slices.Contains(sheets, l.Source.Sheet) {
				return fmt.Errorf("%s: read from sheet %q; want lines only from %q", l.Source, l.Source.Sheet, sheets)
			}
		}
		return nil
	}
}

func descriptionHas(want string) func([]ingest.CostLine) error {
	return func(lines []ingest.CostLine) error {
		for _, l := range lines {
			if l.Description == want {
				return nil
			}
		}
		return fmt.Errorf("no line has the description %q", want)
	}
}

// TestLedgerFixturesCurrent holds the files in testdata/ledgers to the code
// that makes them, and every file to a case.
func TestLedgerFixturesCurrent(t *testing.T) {
	dir := t.TempDir()
	if err := ingesttest.WriteLedgerShapes(dir); err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{}
	for _, c := range ledgerCases {
		cases[c.file] = true
	}
	for _, s := range ingesttest.LedgerShapes {
		if !cases[s.File] {
			t.Errorf("%s: no case in ledgerCases", s.File)
		}
		want, err := os.ReadFile(filepath.Join(dir, s.File))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(ledgerDir, s.File))
		if err != nil {
			t.Errorf("%v (go test ./ingest -run TestLedgers -regen-ledgers writes it)", err)
			continue
		}
		if err := sameFile(s.File, got, want); err != nil {
			t.Errorf("%s is not what ingesttest.LedgerShapes makes (%v): go test ./ingest -run TestLedgers -regen-ledgers", s.File, err)
		}
		delete(cases, s.File)
	}
	for f := range cases {
		t.Errorf("%s: a case with no shape in ingesttest.LedgerShapes", f)
	}
	entries, err := os.ReadDir(ledgerDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "README.md" && !slices.ContainsFunc(ingesttest.LedgerShapes, func(s ingesttest.LedgerShape) bool { return s.File == e.Name() }) {
			t.Errorf("%s/%s: made by no shape", ledgerDir, e.Name())
		}
	}
}

// sameFile compares two files; workbooks part by part, uncompressed, so a
// change in how deflate packs bytes does not count.
func sameFile(name string, a, b []byte) error {
	if !strings.HasSuffix(name, ".xlsx") {
		if !bytes.Equal(a, b) {
			return fmt.Errorf("bytes differ")
		}
		return nil
	}
	pa, err := zipParts(a)
	if err != nil {
		return err
	}
	pb, err := zipParts(b)
	if err != nil {
		return err
	}
	if len(pa) != len(pb) {
		return fmt.Errorf("%d parts, want %d", len(pa), len(pb))
	}
	for n, v := range pb {
		if !bytes.Equal(pa[n], v) {
			return fmt.Errorf("part %s differs", n)
		}
	}
	return nil
}

func zipParts(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		parts[f.Name], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	return parts, nil
}
