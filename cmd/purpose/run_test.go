package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/ingesttest"
	"github.com/samber/lo"
)

const sample = "../../samples/budget.xlsx"

func TestVersionAndHelp(t *testing.T) {
	if r := runCLI(t, "version"); r.exit != 0 || !strings.HasPrefix(r.stdout, "purpose "+version) {
		t.Errorf("version: %+v", r)
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"help", "run"}, {"help", "check"}, {"run", "-h"}, {"check", "--help"}} {
		if r := runCLI(t, args...); r.exit != 0 || !strings.Contains(r.stdout, "Usage") || !strings.Contains(r.stdout, "Example") {
			t.Errorf("%v: %+v", args, r)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"run"}, {"run", "--no-such-flag", sample}, {"run", "--header-row", "-3", sample}, {"run", "no-such-file.xlsx"}} {
		r := runCLI(t, args...)
		if r.exit != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.exit, r.stderr)
		}
	}
}

func TestCheckWritesNothing(t *testing.T) {
	abs := mustAbs(t, sample)
	dir := t.TempDir()
	t.Chdir(dir)
	r := runCLI(t, "check", "-q", abs)
	if r.exit != 0 || !strings.Contains(r.stdout, "Social purpose:") {
		t.Fatalf("check: %+v", r)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("check wrote %d files", len(entries))
	}
	// Nor does it point to the sheets of a workbook it did not write.
	if strings.Contains(r.stdout, "see the") {
		t.Errorf("check points to a sheet it did not write:\n%s", r.stdout)
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Annotating an annotated workbook replaces its annotations and report
// sheets: the result is the same workbook.
func TestIdempotent(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", first, sample); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	annotated := filepath.Join(first, "budget.annotated.xlsx")
	if r := runCLI(t, "run", "-q", "--out", second, annotated); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	a, b := readWorkbookCells(t, annotated), readWorkbookCells(t, filepath.Join(second, "budget.annotated.xlsx"))
	delete(a.cells["Summary"], "A2") // names the file it was made from
	delete(b.cells["Summary"], "A2")
	if d := diffWorkbooks(a, b, 10); len(d) > 0 {
		t.Errorf("a second run changed the workbook:\n  %s", strings.Join(d, "\n  "))
	}
	s1, _ := os.ReadFile(filepath.Join(first, "summary.csv"))
	s2, _ := os.ReadFile(filepath.Join(second, "summary.csv"))
	if string(s1) != string(s2) {
		t.Error("a second run changed summary.csv")
	}
}

// An output never overwrites an input, even when --out is the input's folder.
func TestNeverOverwritesAnInput(t *testing.T) {
	dir := t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", dir, sample); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	annotated := filepath.Join(dir, "budget.annotated.xlsx")
	before, _ := os.ReadFile(annotated)
	r := runCLI(t, "run", "-q", "--out", dir, annotated)
	if r.exit != 1 || !strings.Contains(r.stderr, "would be overwritten") {
		t.Fatalf("want a refusal, got %+v", r)
	}
	after, _ := os.ReadFile(annotated)
	if string(before) != string(after) {
		t.Error("the input changed")
	}
}

func TestBadFrameworkNamesTheRow(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "outcomes.csv"), []byte("code,name,theme,description\nyouth,Youth,Young people,x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "rules.csv"), []byte("id,business_unit,cost_centre,nominal,keywords,outcome,share,mode,note\nR1,,,,youth,youht,,specialist,\n"), 0o644)
	r := runCLI(t, "check", "-q", "--framework", dir, sample)
	if r.exit != 1 || !strings.Contains(r.stderr, `rules.csv: row 2: rule R1: outcome "youht" is not in the outcomes table`) {
		t.Fatalf("%+v", r)
	}
}

// A second run with another framework replaces the first run's report
// sheets, rather than keeping them beside new figures.
func TestRerunWithAnotherFrameworkReplacesReports(t *testing.T) {
	first, second, fw := t.TempDir(), t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(fw, "outcomes.csv"), []byte("code,name,theme,description\ntenancy,Tenancy,Homes,x\n"), 0o644)
	os.WriteFile(filepath.Join(fw, "rules.csv"), []byte("id,business_unit,cost_centre,nominal,keywords,outcome,share,mode,note\nT1,,,,tenancy,tenancy,,embedded,\n"), 0o644)
	if r := runCLI(t, "run", "-q", "--out", first, sample); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	r := runCLI(t, "run", "-q", "--framework", fw, "--out", second, filepath.Join(first, "budget.annotated.xlsx"))
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	share := strings.Fields(strings.SplitN(r.stdout, "Social purpose: ", 2)[1])[0]
	wb := readWorkbookCells(t, filepath.Join(second, "budget.annotated.xlsx"))
	if got := wb.cells["Summary"]["A3"]; !strings.Contains(got, share+" of expenditure") {
		t.Errorf("Summary!A3 is %s; the run found %s", got, share)
	}
	if len(wb.sheets) != 8 { // the sample's four sheets (one of them its staffing), three reports and the hidden Lists
		t.Errorf("sheets %q", wb.sheets)
	}
}

// An input skipped as a duplicate is still an input: no output replaces it.
func TestSkippedInputIsNeverReplaced(t *testing.T) {
	dir := t.TempDir()
	copyDir, out := filepath.Join(dir, "copy"), filepath.Join(dir, "out")
	os.MkdirAll(copyDir, 0o755)
	os.MkdirAll(out, 0o755)
	data, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(copyDir, "budget.xlsx"), data, 0o644)
	victim := filepath.Join(out, "budget.annotated.xlsx")
	os.WriteFile(victim, data, 0o644) // the same bytes: skipped as a duplicate
	r := runCLI(t, "run", "-q", "--out", out, filepath.Join(copyDir, "budget.xlsx"), victim)
	if r.exit == 0 || !strings.Contains(r.stderr, "would replace an input") {
		t.Fatalf("want a refusal, got %+v", r)
	}
	if after, _ := os.ReadFile(victim); string(after) != string(data) {
		t.Error("the input was replaced")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("the refused run left %d files in the output folder", len(entries))
	}
}

// An input that fails half way through, under --keep-going, leaves none of
// its lines in allocations.csv: what it had written is cut off again.
func TestFailedInputLeavesNoAllocations(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.xlsx"), filepath.Join(dir, "bad.xlsx")
	sheet := func(name string) ingesttest.Sheet {
		return ingesttest.Sheet{Name: name, Rows: [][]any{ingesttest.BudgetHeader, {"H", "HM1", "", "5000", "", "Tenancy sustainment officer", 1000}}}
	}
	if err := ingesttest.WriteXLSX(good, sheet("Budget")); err != nil {
		t.Fatal(err)
	}
	if err := ingesttest.WriteXLSX(bad, sheet("One"), sheet("Two")); err != nil {
		t.Fatal(err)
	}
	breakSheet(t, bad, "xl/worksheets/sheet2.xml")
	out := t.TempDir()
	r := runCLI(t, "run", "-q", "--keep-going", "--out", out, bad, good)
	if r.exit != 1 || !strings.Contains(r.stderr, "bad.xlsx") {
		t.Fatalf("%+v", r)
	}
	data, _ := os.ReadFile(filepath.Join(out, "allocations.csv"))
	if strings.Contains(string(data), "bad.xlsx") || !strings.Contains(string(data), "good.xlsx") {
		t.Errorf("allocations.csv:\n%s", data)
	}
	checkReconciles(t, out)
}

// breakSheet rewrites a workbook with one part's XML cut short.
func breakSheet(t *testing.T, path, part string) {
	t.Helper()
	err := ingesttest.RewriteParts(path, path, func(name string, data []byte) ([]byte, bool) {
		if name == part {
			data = data[:len(data)/2]
		}
		return data, true
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An HR export in a folder of budgets is skipped, not read as spend: its
// salaries would count the budgets' pay twice. Given with --staffing, it
// apportions their pay instead.
func TestStaffingFileBesideBudgetsIsNotSpend(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"budget.xlsx", "staffing.xlsx"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "samples", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	alone := runCLI(t, "check", "-q", filepath.Join(dir, "budget.xlsx"))
	folder := runCLI(t, "check", "-q", dir)
	if folder.exit != 0 || !strings.Contains(folder.stderr, "staffing.xlsx: skipped: it is a staffing establishment") {
		t.Fatalf("%+v", folder)
	}
	if folder.stdout != alone.stdout {
		t.Errorf("the folder's figures differ from the budget's alone:\n%s\n%s", folder.stdout, alone.stdout)
	}
	given := runCLI(t, "check", "-q", "--staffing", filepath.Join(dir, "staffing.xlsx"), dir)
	if given.exit != 0 || !strings.Contains(given.stdout, "Read 534 lines from 1 file") || strings.Contains(given.stderr, "skipped") {
		t.Errorf("%+v", given)
	}
}

// An input identical to one before it is skipped, whether it follows it at
// once or after another input of the same size; a same-sized input with
// other bytes is read. Only inputs of a size seen before are hashed before
// they are read.
func TestIdenticalInputIsSkipped(t *testing.T) {
	dir := t.TempDir()
	write := func(name, amount string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("Cost Centre,Nominal,Description,Amount\nHM1,5000,Tenancy sustainment officer,"+amount+"\n"), 0o644)
		return p
	}
	a, b, c, d := write("a.csv", "1000"), write("b.csv", "2000"), write("c.csv", "1000"), write("d.csv", "12345")
	out := t.TempDir()
	r := runCLI(t, "run", "--out", out, a, b, c, d)
	if r.exit != 0 {
		t.Fatalf("%+v", r)
	}
	if !strings.Contains(r.stderr, "c.csv: skipped: it is identical to "+a) {
		t.Errorf("c.csv not skipped as a's twin:\n%s", r.stderr)
	}
	if strings.Count(r.stderr, "identical") != 1 {
		t.Errorf("want one input skipped:\n%s", r.stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, "allocations.csv"))
	for _, want := range []string{"a.csv", "b.csv", "d.csv"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("allocations.csv has no line of %s", want)
		}
	}
	if strings.Contains(string(data), "c.csv") {
		t.Error("allocations.csv has the skipped input's line")
	}
	var manifest struct {
		Inputs []struct{ Path, SHA256 string }
	}
	raw, _ := os.ReadFile(filepath.Join(out, "run.json"))
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, in := range manifest.Inputs {
		if sum, _ := ingest.FileSHA256(in.Path); in.SHA256 != sum {
			t.Errorf("run.json: %s: sha256 %q, want %q", in.Path, in.SHA256, sum)
		}
	}
	if len(manifest.Inputs) != 3 {
		t.Errorf("run.json lists %d inputs, want 3", len(manifest.Inputs))
	}
}

// A finance workbook's own sheet called and titled "Reconciliation" is
// the user's, not an earlier run's: it is kept in the annotated copy (ours
// goes beside it), on a budget and on a --staffing workbook, and again
// when the annotated copy is run.
func TestOwnReconciliationSheetKept(t *testing.T) {
	dir := t.TempDir()
	theirs := ingesttest.Sheet{Name: "Reconciliation", Rows: [][]any{{"Reconciliation"}, {"Bank reconciliation at 31 March"}, {"Balance per bank", 1200}}}
	budget := filepath.Join(dir, "budget.xlsx")
	err := ingesttest.WriteXLSX(budget, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"},
		{"HM101", "5000", "Salaries", "Housing officers", 33000},
	}}, theirs)
	if err != nil {
		t.Fatal(err)
	}
	staff := filepath.Join(dir, "hr.xlsx")
	err = ingesttest.WriteXLSX(staff, ingesttest.Sheet{Name: "Establishment", Rows: [][]any{
		{"Post ID", "Job Title", "Cost Centre", "FTE", "Salary Cost"},
		{"P1", "Housing Officer", "HM101", 1, 33000},
	}}, theirs)
	if err != nil {
		t.Fatal(err)
	}
	first, second := t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", first, "--staffing", staff, budget); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	again := []string{filepath.Join(first, "budget.annotated.xlsx"), filepath.Join(first, "hr.annotated.xlsx")}
	if r := runCLI(t, "run", "-q", "--out", second, "--staffing", again[1], again[0]); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	for _, p := range append(again, filepath.Join(second, "budget.annotated.xlsx"), filepath.Join(second, "hr.annotated.xlsx")) {
		f := mustOpen(t, p)
		if a2, err := f.GetCellValue("Reconciliation", "A2"); err != nil || a2 != "Bank reconciliation at 31 March" {
			t.Errorf("%s: their Reconciliation's A2 is %q (%v); sheets %q", p, a2, err, f.GetSheetList())
		}
		if n := len(f.GetSheetList()); strings.HasPrefix(filepath.Base(p), "budget") && n != 6 || strings.HasPrefix(filepath.Base(p), "hr") && n != 4 {
			t.Errorf("%s: sheets %q", p, f.GetSheetList())
		}
	}
}

// A workbook whose styles part is missing or has no fonts cannot take the
// added cells' styles: the run refuses it by name and writes nothing,
// where excelize panicked and took the whole run (or a batch) down.
func TestDamagedStylesRefused(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.xlsx")
	err := ingesttest.WriteXLSX(good, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Description", "Budget 2026/27"},
		{"HM101", "5000", "Housing officers", 33000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for name, styles := range map[string]*string{"missing.xlsx": nil, "nofonts.xlsx": lo.ToPtr(`<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>`)} {
		bad := filepath.Join(t.TempDir(), name)
		err := ingesttest.RewriteParts(good, bad, func(part string, data []byte) ([]byte, bool) {
			if part != "xl/styles.xml" {
				return data, true
			}
			if styles == nil {
				return nil, false
			}
			return []byte(*styles), true
		})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out")
		r := runCLI(t, "run", "-q", "--out", out, bad)
		if r.exit == 0 || strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "internal error") ||
			!strings.Contains(r.stderr, name+": its styles (xl/styles.xml) are missing or damaged") {
			t.Errorf("%s: exit %d\n%s", name, r.exit, r.stderr)
		}
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("%s: left %d files in --out", name, len(entries))
		}
	}
}
