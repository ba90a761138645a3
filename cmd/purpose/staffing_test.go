package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
	"github.com/samber/lo"
	"github.com/xuri/excelize/v2"
)

// Posts kept below the budget on its own sheet apportion its pay lines,
// and both tables are annotated in place, each from its own column; the
// annotated workbook run again comes out the same.
func TestStaffingBelowTheBudgetIsAnnotated(t *testing.T) {
	in := filepath.Join(t.TempDir(), "budget.xlsx")
	err := ingesttest.WriteXLSX(in, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"},
		{"HM101", "5000", "Salaries", "Housing officers", 66000},
		{"HM101", "6100", "Printing", "Leaflets", 1500},
		{},
		{"Staffing establishment, for information: costs included above"},
		{"Cost Centre", "Post Title", "Grade", "FTE", "Budget 2026/27", "Notes"}, // row 6
		{"HM101", "Housing Officer", "G5", 1, 33000, "covers the north patch"},
		{"HM101", "Tenancy Sustainment Officer", "G5", 1, 33000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	first, second := t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", first, in); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	allocs, _ := os.ReadFile(filepath.Join(first, "allocations.csv"))
	if !strings.Contains(string(allocs), ",staff:S010,") || strings.Contains(string(allocs), "Housing Officer") {
		t.Errorf("the salaries line is not apportioned by the posts' time, or a post was read as spend:\n%s", allocs)
	}
	annotated := filepath.Join(first, "budget.annotated.xlsx")
	wb := readWorkbookCells(t, annotated)
	for ref, want := range map[string]string{
		"A1": "Cost Centre", "G1": "Outcome", // the budget's annotations, right of the sheet's last column
		"F6": "Notes", "G6": "Outcomes (staff time)", // the posts', right of their last column
		"F7": "covers the north patch", "L7": "S140", "L8": "S010", "M8": "",
	} {
		if got := cellValue(t, annotated, "Budget", ref); got != want {
			t.Errorf("Budget!%s = %q, want %q", ref, got, want)
		}
	}
	// Both tables' override columns have their drop-downs and checks.
	f, err := excelize.OpenFile(annotated)
	if err != nil {
		t.Fatal(err)
	}
	dvs, err := f.GetDataValidations("Budget")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var sqrefs []string
	for _, dv := range dvs {
		sqrefs = append(sqrefs, dv.Sqref)
	}
	// Each line's and each post's Outcome and Share override cells have
	// one check, never two that overlap.
	for _, cell := range []string{"N2", "N3", "O2", "O3", "N7", "N8", "O7", "O8"} {
		col, row, _ := excelize.CellNameToCoordinates(cell)
		n := 0
		for _, ref := range sqrefs {
			from, to, _ := strings.Cut(ref, ":")
			c1, r1, _ := excelize.CellNameToCoordinates(from)
			c2, r2, _ := excelize.CellNameToCoordinates(to)
			if c1 <= col && col <= c2 && r1 <= row && row <= r2 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("Budget!%s has %d checks, want 1 (checks on %v)", cell, n, sqrefs)
		}
	}
	if r := runCLI(t, "run", "-q", "--out", second, annotated); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	again := readWorkbookCells(t, filepath.Join(second, "budget.annotated.xlsx"))
	delete(wb.cells["Summary"], "A2") // names the file it was made from
	delete(again.cells["Summary"], "A2")
	if d := diffWorkbooks(wb, again, 10); len(d) > 0 {
		t.Errorf("a second run changed the workbook:\n  %s", strings.Join(d, "\n  "))
	}
}

// A CSV staffing file gets an annotated copy too: a workbook of its
// records, FTE and money as numbers, each post annotated, and the Staff
// summary.
func TestCSVStaffingIsAnnotated(t *testing.T) {
	dir := t.TempDir()
	budget, staff := filepath.Join(dir, "budget.xlsx"), filepath.Join(dir, "hr.csv")
	err := ingesttest.WriteXLSX(budget, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"},
		{"HM101", "5000", "Salaries", "Housing officers", 66000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	csv := "Post ID,Job Title,Cost Centre,FTE,Salary Cost\nP1,Housing Officer,HM101,1,\"33,000.00\"\nP2,Tenancy Sustainment Officer,HM101,0.5,33000\n"
	if err := os.WriteFile(staff, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	r := runCLI(t, "run", "-q", "--out", out, "--staffing", staff, budget)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	annotated := filepath.Join(out, "hr.annotated.xlsx")
	wb := readWorkbookCells(t, annotated)
	for ref, want := range map[string]string{
		"A1": "Post ID", "F1": "Outcomes (staff time)",
		"A2": "P1", "D3": "0.5", "E2": "33000", "K2": "S140", "K3": "S010",
	} {
		if got := cellValue(t, annotated, "hr", ref); got != want {
			t.Errorf("hr!%s = %q, want %q", ref, got, want)
		}
	}
	if !slices.Contains(wb.sheets, "Staff summary") {
		t.Errorf("sheets %v, want a Staff summary", wb.sheets)
	}
}

// cellValue is a cell's value as saved.
func cellValue(t *testing.T, path, sheet, ref string) string {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// One --staffing file for several budgets is one establishment: each
// workbook's Reconciliation says its budget pay is theirs together.
func TestSharedStaffingSaysSo(t *testing.T) {
	dir := t.TempDir()
	for i, cc := range []string{"HM101", "TS100"} {
		err := ingesttest.WriteXLSX(filepath.Join(dir, cc+".xlsx"), ingesttest.Sheet{Name: "Budget", Rows: [][]any{
			{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"},
			{cc, "5000", "Salaries", "Officers", 33000 * (i + 1)},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	staff := filepath.Join(t.TempDir(), "hr.csv")
	csv := "Post ID,Job Title,Cost Centre,FTE,Salary Cost\nP1,Housing Officer,HM101,1,33000\nP2,Tenancy Sustainment Officer,TS100,1,33000\n"
	if err := os.WriteFile(staff, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", out, "--staffing", staff, dir); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	for _, name := range []string{"HM101.annotated.xlsx", "TS100.annotated.xlsx"} {
		f, err := excelize.OpenFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Reconciliation")
		f.Close()
		said, ccs := false, 0
		for _, r := range rows {
			if len(r) > 0 && strings.Contains(r[0], "shared by the 2 budgets of this run") {
				said = true
			}
			if len(r) > 0 && (strings.HasPrefix(r[0], "HM101") || strings.HasPrefix(r[0], "TS100")) {
				ccs++
			}
		}
		if !said || ccs != 2 {
			t.Errorf("%s: says it is shared %v, cost centres %d (want 2)", name, said, ccs)
		}
	}
}

// A post's override, typed beside its staffing table, goes above its staff
// rule: its time, and the pay lines it apportions, follow the override.
func TestStaffOverride(t *testing.T) {
	in := filepath.Join(t.TempDir(), "budget.xlsx")
	err := ingesttest.WriteXLSX(in, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"},
		{"HM101", "5000", "Salaries", "Housing officers", 33000},
	}}, ingesttest.Sheet{Name: "Staffing", Rows: [][]any{
		{"Cost Centre", "Post Title", "Grade", "FTE", "Budget 2026/27"},
		{"HM101", "Housing Officer", "G5", 1, 33000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	first, second := t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", first, in); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	annotated := filepath.Join(first, "budget.annotated.xlsx")
	f, err := excelize.OpenFile(annotated)
	if err != nil {
		t.Fatal(err)
	}
	// The adviser puts a column of their own between purpose's.
	mode := headerColumns(t, f, "Staffing", 1)["Mode"]
	if err := f.InsertCols("Staffing", mode, 1); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Staffing", mode+"1", "Adviser check")
	f.SetCellValue("Staffing", mode+"2", "spoke to the team leader")
	cols := headerColumns(t, f, "Staffing", 1)
	f.SetCellValue("Staffing", cols["Outcome override"]+"2", "Money and debt advice")
	f.SetCellValue("Staffing", cols["Share override"]+"2", "50%")
	f.SetCellValue("Staffing", cols["Reviewer note"]+"2", "the patch's money adviser")
	if err := f.SaveAs(annotated); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if r := runCLI(t, "run", "-q", "--out", second, annotated); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	posts, _ := os.ReadFile(filepath.Join(second, "posts.csv"))
	if !strings.Contains(string(posts), ",money_advice,Financial inclusion,specialist,0.5,0.5,16500.00,override\n") {
		t.Errorf("posts.csv:\n%s", posts)
	}
	allocs, _ := os.ReadFile(filepath.Join(second, "allocations.csv"))
	if !strings.Contains(string(allocs), ",money_advice,Financial inclusion,specialist,0.5,16500.00,staff:override,") {
		t.Errorf("allocations.csv:\n%s", allocs)
	}
	if again := headerColumns(t, mustOpen(t, filepath.Join(second, "budget.annotated.xlsx")), "Staffing", 1); len(again) != len(cols) || again["Adviser check"] != mode {
		t.Errorf("headers after the rerun %v, want %v", again, cols)
	}
	for ref, want := range map[string]string{cols["Outcomes (staff time)"] + "2": "Money and debt advice 50%; core 50%", cols["Staff rule"] + "2": "override", mode + "2": "spoke to the team leader",
		cols["Reviewer note"] + "2": "the patch's money adviser", cols["Share override"] + "2": "50%"} {
		if got := cellValue(t, filepath.Join(second, "budget.annotated.xlsx"), "Staffing", ref); got != want {
			t.Errorf("Staffing!%s = %q, want %q", ref, got, want)
		}
	}
}

func mustOpen(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// A --staffing workbook's annotated copy, given again (as an adviser sends
// it back), gets this run's Staff summary in place of the last one's: one
// sheet so called, not a second beside a stale one.
func TestStaffSummaryReplacedOnRerun(t *testing.T) {
	in := filepath.Join(t.TempDir(), "budget.xlsx")
	err := ingesttest.WriteXLSX(in, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"},
		{"HM101", "5000", "Salaries", "Housing officers", 33000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	staff := filepath.Join(t.TempDir(), "hr.xlsx")
	err = ingesttest.WriteXLSX(staff, ingesttest.Sheet{Name: "Establishment", Rows: [][]any{
		{"Post ID", "Job Title", "Cost Centre", "FTE", "Salary Cost"},
		{"P1", "Housing Officer", "HM101", 1, 33000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	first, second := t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", first, "--staffing", staff, in); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	again := filepath.Join(first, "hr.annotated.xlsx")
	r := runCLI(t, "run", "-q", "--out", second, "--staffing", again, in)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	if strings.Contains(r.stderr, "Staff summary") {
		t.Errorf("the last run's Staff summary was read as part of the establishment:\n%s", r.stderr)
	}
	sheets := mustOpen(t, filepath.Join(second, "hr.annotated.xlsx")).GetSheetList()
	if n := len(lo.Filter(sheets, func(s string, _ int) bool { return strings.HasPrefix(s, "Staff summary") })); n != 1 {
		t.Errorf("sheets %q: want one Staff summary", sheets)
	}
}

// A staffing establishment given among the budgets, beside --staffing, is
// skipped, and nothing of it counts: not its pay in the pay
// reconciliation, nor itself as a budget sharing the establishment.
func TestSkippedStaffingFileLeavesPayAlone(t *testing.T) {
	dir := t.TempDir()
	budget := filepath.Join(dir, "budget.xlsx")
	err := ingesttest.WriteXLSX(budget, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"},
		{"HM101", "5000", "Salaries", "Housing officers", 33000},
	}})
	if err != nil {
		t.Fatal(err)
	}
	hr := "Post ID,Job Title,Cost Centre,Nominal,FTE,Salary Cost\nP1,Housing Officer,HM101,5000,1,33000\n"
	staff := filepath.Join(t.TempDir(), "hr.csv")
	other := filepath.Join(dir, "hr-copy.csv") // another establishment, given as a budget
	for _, p := range []string{staff, other} {
		if err := os.WriteFile(p, []byte(hr), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	alone, beside := t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", alone, "--staffing", staff, budget); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	r := runCLI(t, "run", "-q", "--out", beside, "--staffing", staff, budget, other)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	if !strings.Contains(r.stderr, "skipped: it is a staffing establishment") {
		t.Fatalf("the establishment given as a budget was not skipped:\n%s", r.stderr)
	}
	want, _ := mustOpen(t, filepath.Join(alone, "budget.annotated.xlsx")).GetRows("Reconciliation")
	got, _ := mustOpen(t, filepath.Join(beside, "budget.annotated.xlsx")).GetRows("Reconciliation")
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Reconciliation with the skipped establishment:\n%q\nwithout it:\n%q", got, want)
	}
}

// A file given with --staffing and among the inputs (or in a folder of
// them) is the establishment, not a budget: said so, not dropped in
// silence; with no budget left, the run says so.
func TestStaffingFileAmongInputsIsSaid(t *testing.T) {
	staff := mustAbs(t, "../../samples/staffing.xlsx")
	r := runCLI(t, "check", "-q", "--staffing", staff, mustAbs(t, sample), staff)
	if r.exit != 0 || !strings.Contains(r.stderr, "staffing.xlsx: not read as a budget: it is given with --staffing") {
		t.Errorf("exit %d\n%s", r.exit, r.stderr)
	}
	r = runCLI(t, "check", "-q", "--staffing", staff, staff)
	if r.exit == 0 || !strings.Contains(r.stderr, "no budget to read") {
		t.Errorf("with only the staffing file: exit %d\n%s", r.exit, r.stderr)
	}
}
