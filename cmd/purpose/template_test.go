package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/ingest"
)

// readCSVFile reads a CSV output into maps by column name.
func readCSVFile(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		out = append(out, m)
	}
	return out
}

func pence(t *testing.T, s string) int64 {
	t.Helper()
	p, err := ingest.ParsePence(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return p
}

// fillRows writes rows of values from row 4 down, as a person fills a
// template under its examples.
func fillRows(t *testing.T, path, sheet string, rows [][]any) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+4), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// A filled-in budget template runs with no flags: every line filled in is
// read, the examples are not, and the total is the filled lines' to the penny.
func TestBudgetTemplateRuns(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if r := runCLI(t, "template", "budget", "-o", "budget.xlsx"); r.exit != 0 {
		t.Fatalf("template: %+v", r)
	}
	units := []string{"Housing Management", "Community Investment", "Property Services"}
	descriptions := []string{"Money advice service", "Responsive repairs", "Tenancy sustainment officers", "Office stationery", "Youth club sessions"}
	var rows [][]any
	var want int64
	for i := range 37 {
		p := int64(i*104729%9999991 + 1) // pence, odd figures
		if i%9 == 4 {
			p = -p // a credit
		}
		want += p
		rows = append(rows, []any{units[i%3], fmt.Sprintf("CC%03d", 100+i%7), "Cost centre " + strconv.Itoa(i%7),
			strconv.Itoa(5000 + i%4*100), "Nominal " + strconv.Itoa(i%4), descriptions[i%5], float64(p) / 100})
	}
	fillRows(t, "budget.xlsx", "Budget", rows)
	r := runCLI(t, "run", "-q", "budget.xlsx")
	if r.exit != 0 {
		t.Fatalf("run: %+v", r)
	}
	if !strings.Contains(r.stdout, "Read 37 lines from 1 file") {
		t.Errorf("stdout: %s", r.stdout)
	}
	seen := map[string]bool{}
	var got int64
	for _, a := range readCSVFile(t, "purpose-out/allocations.csv") {
		seen[a["row"]] = true
		got += pence(t, a["amount"])
		if strings.Contains(a["description"], ingest.ExampleMarker) {
			t.Errorf("an example row was read: %v", a)
		}
	}
	if len(seen) != 37 || got != want {
		t.Errorf("read %d lines adding to %s; want 37 and %s", len(seen), ingest.FormatPence(got), ingest.FormatPence(want))
	}
	if r := runCLI(t, "template", "budget", "-o", "budget.xlsx"); r.exit != 2 {
		t.Errorf("template over an existing file: %+v", r)
	}
	overrideFilledTemplate(t, "purpose-out/budget.annotated.xlsx")
}

// overrideFilledTemplate carries a filled template's run through the
// adviser's review: two lines overridden in the annotated workbook (by a
// second writer, as a person would in Excel), run again, then run on that
// output: the overrides take, every other line is as it was, and the
// last run changes nothing.
func overrideFilledTemplate(t *testing.T, annotated string) {
	t.Helper()
	before := allocationsByRow(t, "purpose-out/allocations.csv")
	f, err := excelize.OpenFile(annotated)
	if err != nil {
		t.Fatal(err)
	}
	cols := headerColumns(t, f, "Budget", 1)
	f.SetCellValue("Budget", cols[ingest.OutcomeOverrideHeader]+"4", "core")
	f.SetCellValue("Budget", cols[ingest.OutcomeOverrideHeader]+"5", "Employment and skills")
	f.SetCellValue("Budget", cols[ingest.ShareOverrideHeader]+"5", 0.25)
	f.SetCellValue("Budget", cols[ingest.ReviewerNoteHeader]+"5", "a quarter is the apprentices'")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if r := runCLI(t, "run", "-q", "-o", "reviewed", annotated); r.exit != 0 {
		t.Fatalf("run on the reviewed workbook: %+v", r)
	}
	after := allocationsByRow(t, "reviewed/allocations.csv")
	if got := after[4]; len(got) != 1 || got[0][8] != "core" || got[0][13] != "override" {
		t.Errorf("row 4 overridden to core: %q", got)
	}
	if got := after[5]; len(got) != 2 || got[0][8] != "employment_skills" || got[0][11] != "0.25" || got[0][18] != "a quarter is the apprentices'" {
		t.Errorf("row 5 overridden to employment and skills at 25%%: %q", got)
	}
	same := func(a, b []string) bool { return slices.Equal(a[1:], b[1:]) }
	for row, recs := range before {
		if row != 4 && row != 5 && !slices.EqualFunc(after[row], recs, same) {
			t.Errorf("row %d changed: %q, was %q", row, after[row], recs)
		}
	}
	if r := runCLI(t, "run", "-q", "-o", "again", "reviewed/budget.annotated.xlsx"); r.exit != 0 {
		t.Fatalf("run on its own output: %+v", r)
	}
	again := allocationsByRow(t, "again/allocations.csv")
	for row, recs := range after {
		if !slices.EqualFunc(again[row], recs, same) {
			t.Errorf("run on its own output: row %d is %q, was %q", row, again[row], recs)
		}
	}
	a, b := readWorkbookCells(t, "reviewed/budget.annotated.xlsx"), readWorkbookCells(t, "again/budget.annotated.xlsx")
	delete(a.cells["Summary"], "A2")
	delete(b.cells["Summary"], "A2")
	if d := diffWorkbooks(a, b, 10); len(d) > 0 {
		t.Errorf("a run on its own output changed the workbook:\n  %s", strings.Join(d, "\n  "))
	}
}

// The budget template's checks on entry: a drop-down of the framework's
// business units, a decimal amount; the header is frozen.
func TestTemplateChecksOnEntry(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, kind := range []string{"budget", "staffing", "framework"} {
		if r := runCLI(t, "template", kind, "-o", kind+".xlsx"); r.exit != 0 {
			t.Fatalf("template %s: %+v", kind, r)
		}
	}
	checks := map[string]map[string]string{ // sheet → range → type
		"budget.xlsx":    {"A2:A5001": "list", "G2:G5001": "decimal"},
		"staffing.xlsx":  {"D2:D5001": "list", "F2:F5001": "decimal", "I2:I5001": "list", "J2:J5001": "decimal"},
		"framework.xlsx": {"G2:G5001": "list", "I2:I5001": "list"},
	}
	sheets := map[string]string{"budget.xlsx": "Budget", "staffing.xlsx": "Staffing", "framework.xlsx": "Rules"}
	for file, want := range checks {
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		dvs, err := f.GetDataValidations(sheets[file])
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, dv := range dvs {
			got[dv.Sqref] = dv.Type
			if file == "staffing.xlsx" && dv.Sqref == "F2:F5001" && (dv.Formula1 != "0" || dv.Formula2 != "1.5") {
				t.Errorf("FTE check: %s to %s, want 0 to 1.5", dv.Formula1, dv.Formula2)
			}
		}
		for ref, typ := range want {
			if got[ref] != typ {
				t.Errorf("%s: %s is checked as %q, want %q (all: %v)", file, ref, got[ref], typ, got)
			}
		}
		panes, err := f.GetPanes(sheets[file])
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v %v", file, panes, err)
		}
		if !slices.Contains(f.GetSheetList(), "Instructions") {
			t.Errorf("%s: no Instructions sheet", file)
		}
		f.Close()
	}
	// The business units offered are the framework's.
	f, _ := excelize.OpenFile("budget.xlsx")
	units, _ := f.GetRows("Lists")
	f.Close()
	if len(units) < 4 || units[1][0] != "Community Investment" && units[1][0] != "Property Services" && units[1][0] != "Care and Support" {
		t.Errorf("business units offered: %v", units)
	}
}

// A filled-in staffing template apportions a budget's pay lines: each
// post is read, the examples are not, and its cost is FTE × salary plus
// on-costs to the penny.
func TestStaffingTemplateRuns(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, kind := range []string{"budget", "staffing"} {
		if r := runCLI(t, "template", kind, "-o", kind+".xlsx"); r.exit != 0 {
			t.Fatalf("template %s: %+v", kind, r)
		}
	}
	fillRows(t, "budget.xlsx", "Budget", [][]any{
		{"Housing Management", "HM101", "Tenancy Services", "5000", "Salaries", "Salaries", 60000.0},
		{"Housing Management", "HM101", "Tenancy Services", "7000", "Stationery", "Office stationery", 1234.56},
	})
	var posts [][]any
	var want int64
	for i := range 6 {
		fte, salary, oncost := []float64{1, 0.5}[i%2], int64(2400000+i*12300), int64(500000+i*101)
		want += int64(fte*2)*salary/2 + oncost
		split := any(nil)
		if i == 0 {
			split = 0.9
		}
		posts = append(posts, []any{fmt.Sprintf("P%03d", i), []string{"Tenancy Sustainment Officer", "Housing Officer", "Administrator"}[i%3], "Tenancy", "Housing Management", "HM101", fte, float64(salary) / 100, float64(oncost) / 100, "No", split})
	}
	fillRows(t, "staffing.xlsx", "Staffing", posts)
	r := runCLI(t, "run", "-q", "--staffing", "staffing.xlsx", "budget.xlsx")
	if r.exit != 0 {
		t.Fatalf("run: %+v", r)
	}
	postCost := map[string]int64{}
	for _, p := range readCSVFile(t, "purpose-out/posts.csv") {
		postCost[p["post"]] = pence(t, p["post_cost"])
		if strings.Contains(p["post"], ingest.ExampleMarker) {
			t.Errorf("an example post was read: %v", p)
		}
	}
	var got int64
	for _, c := range postCost {
		got += c
	}
	if len(postCost) != 6 || got != want {
		t.Errorf("read %d posts costing %s; want 6 and %s", len(postCost), ingest.FormatPence(got), ingest.FormatPence(want))
	}
	// The survey column split the first post's time.
	var survey bool
	for _, p := range readCSVFile(t, "purpose-out/posts.csv") {
		survey = survey || p["post"] == "P000" && p["rule"] == "survey" && p["outcome"] == "tenancy_sustainment"
	}
	if !survey {
		t.Error("the time-split column was not read for P000")
	}
}

// A framework template with a rule written under its examples is a
// framework: the examples are left out, the rule maps lines.
func TestFrameworkTemplateRuns(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, kind := range []string{"budget", "framework"} {
		if r := runCLI(t, "template", kind, "-o", kind+".xlsx"); r.exit != 0 {
			t.Fatalf("template %s: %+v", kind, r)
		}
	}
	if r := runCLI(t, "framework", "check", "framework.xlsx"); r.exit != 1 || !strings.Contains(r.stderr, "rules table is empty") {
		t.Errorf("blank framework template: %+v", r)
	}
	fillRows(t, "framework.xlsx", "Rules", [][]any{{"R001", "", "", "", "money advice", "", "money_advice", "", "specialist", "Money advice."}})
	fillRows(t, "budget.xlsx", "Budget", [][]any{
		{"Community Investment", "CI201", "Money Advice", "6100", "Contracted services", "Money advice contract", 1000.0},
		{"Community Investment", "CI201", "Money Advice", "7000", "Stationery", "Stationery", 10.0},
	})
	if r := runCLI(t, "run", "-q", "--framework", "framework.xlsx", "budget.xlsx"); r.exit != 0 {
		t.Fatalf("run: %+v", r)
	}
	var rules []string
	for _, a := range readCSVFile(t, "purpose-out/allocations.csv") {
		rules = append(rules, a["rule"])
	}
	if !slices.Contains(rules, "R001") || slices.ContainsFunc(rules, func(r string) bool { return strings.Contains(r, "EXAMPLE") }) {
		t.Errorf("rules used: %v", rules)
	}
}

func TestRoundTripHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "template"}, {"help", "framework"}, {"help", "rules"}, {"template", "-h"}, {"framework", "check", "-h"}, {"rules", "suggest", "--help"}} {
		if r := runCLI(t, args...); r.exit != 0 || !strings.Contains(r.stdout, "Usage") || !strings.Contains(r.stdout, "Example") {
			t.Errorf("%v: %+v", args, r)
		}
	}
	for _, args := range [][]string{{"template"}, {"template", "ledger"}, {"framework"}, {"framework", "export"}, {"framework", "check"}, {"rules"}, {"rules", "suggest"}} {
		if r := runCLI(t, args...); r.exit != 2 {
			t.Errorf("%v: exit %d, want 2: %+v", args, r.exit, r)
		}
	}
}
