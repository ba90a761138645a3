package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/xuri/excelize/v2"
)

// The advisers' round trip, done as a person does it in Excel (here with
// excelize, a second writer): overrides typed into the override columns,
// "core" typed over purpose's own Outcome cell, an edit to its Mode cell,
// a column of the adviser's own added right of purpose's; run again, the
// overrides are taken and recorded, the rest is as it was; run on that
// output, nothing changes.
func TestOverridesRoundTrip(t *testing.T) {
	first, second, third := t.TempDir(), t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", first, sample); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	annotated := filepath.Join(first, "budget.annotated.xlsx")
	const sheet = "Budget 2026-27"
	f, err := excelize.OpenFile(annotated)
	if err != nil {
		t.Fatal(err)
	}
	cols := headerColumns(t, f, sheet, 5)
	rows := allocationsByRow(t, filepath.Join(first, "allocations.csv"))
	// Three lines: one an adviser moves to money advice at 50%, one
	// unmapped whose Outcome cell they type "core" over, one mapped whose
	// Mode cell they type over.
	var moved, typed, modeEdit int
	for row := 6; row < 606 && (moved == 0 || typed == 0 || modeEdit == 0); row++ {
		recs := rows[row]
		if len(recs) != 1 {
			continue
		}
		switch rule, status := recs[0][13], cellText(t, f, sheet, cols["Status"], row); {
		case typed == 0 && status == "unmapped":
			typed = row
		case moved == 0 && status == "mapped" && strings.HasPrefix(rule, "R8"):
			moved = row
		case modeEdit == 0 && status == "mapped" && strings.HasPrefix(rule, "R7"):
			modeEdit = row
		}
	}
	if moved == 0 || typed == 0 || modeEdit == 0 {
		t.Fatalf("no lines to override: %d %d %d", moved, typed, modeEdit)
	}
	set := func(col string, row int, v any) {
		t.Helper()
		if err := f.SetCellValue(sheet, col+itoa(row), v); err != nil {
			t.Fatal(err)
		}
	}
	set(cols["Outcome override"], moved, "Money and debt advice")
	set(cols["Share override"], moved, 0.5)
	set(cols["Reviewer note"], moved, "half of this team's time is money advice")
	set(cols["Outcome"], typed, "core")
	set(cols["Mode"], modeEdit, "specialist")
	// On the Review sheet: a decision and a reviewer for the line typed
	// over, and for another line listed there.
	reviewRows, _ := f.GetRows("Review")
	queried := 0
	for i, rr := range reviewRows {
		if len(rr) < 2 || i < 4 {
			continue
		}
		switch n := atoi(rr[1]); {
		case n == typed:
			f.SetCellValue("Review", "J"+itoa(i+1), "override")
			f.SetCellValue("Review", "K"+itoa(i+1), "Sam Adviser")
		case queried == 0 && n > 0:
			queried = n
			f.SetCellValue("Review", "J"+itoa(i+1), "Query")
			f.SetCellValue("Review", "K"+itoa(i+1), "Alex Finance")
		}
	}
	adviser := nextColumn(t, cols)
	set(adviser, 5, "Adviser note")
	set(adviser, moved, "checked with the team leader")
	if err := f.SaveAs(annotated); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r := runCLI(t, "run", "-q", "--out", second, annotated)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	again := filepath.Join(second, "budget.annotated.xlsx")
	rows2 := allocationsByRow(t, filepath.Join(second, "allocations.csv"))
	if got := rows2[moved]; len(got) != 2 || got[0][8] != "money_advice" || got[0][11] != "0.5" || got[0][13] != "override" ||
		got[0][18] != "half of this team's time is money advice" || got[1][8] != "core" {
		t.Errorf("row %d overridden to money advice at 50%%: %q", moved, got)
	}
	if got := rows2[typed]; len(got) != 1 || got[0][8] != "core" || got[0][13] != "override" || !strings.Contains(got[0][18], "typed over the Outcome column") {
		t.Errorf("row %d typed core over its Outcome cell: %q", typed, got)
	}
	if !slices.EqualFunc(rows2[modeEdit], rows[modeEdit], func(a, b []string) bool { return slices.Equal(a[3:], b[3:]) }) {
		t.Errorf("row %d's Mode cell typed over changed its allocations: %q, was %q", modeEdit, rows2[modeEdit], rows[modeEdit])
	}
	for row, recs := range rows {
		if row != moved && row != typed && !slices.EqualFunc(rows2[row], recs, func(a, b []string) bool { return slices.Equal(a[3:], b[3:]) }) {
			t.Errorf("row %d changed: %q, was %q", row, rows2[row], recs)
		}
	}
	g, err := excelize.OpenFile(again)
	if err != nil {
		t.Fatal(err)
	}
	cols2 := headerColumns(t, g, sheet, 5)
	if len(cols2) != len(cols)+1 {
		t.Errorf("headers %v, want purpose's once and the adviser's (was %v)", cols2, cols)
	}
	for h, c := range cols {
		if cols2[h] != c {
			t.Errorf("%s moved from %s to %s", h, c, cols2[h])
		}
	}
	for ref, want := range map[string]string{
		adviser + itoa(moved):                    "checked with the team leader",
		cols["Rule"] + itoa(moved):               "override",
		cols["Outcome override"] + itoa(moved):   "Money and debt advice",
		cols["Reviewer note"] + itoa(moved):      "half of this team's time is money advice",
		cols["Rule"] + itoa(typed):               "override",
		cols["Outcome"] + itoa(typed):            "core",
		cols["Mode"] + itoa(modeEdit):            cellText(t, g, sheet, cols["Mode"], modeEdit+0), // rewritten by purpose
		cols["Outcome"] + itoa(modeEdit):         cellText(t, g, sheet, cols["Outcome"], modeEdit),
		cols["Outcome override"] + itoa(typed):   "core", // moved there, to stay
		cols["Share override"] + itoa(modeEdit):  "",
		cols["Outcome override"] + itoa(typed+1): "",
	} {
		if got, _ := g.GetCellValue(sheet, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if got, _ := g.GetCellValue(sheet, cols["Mode"]+itoa(modeEdit)); got == "specialist" {
		t.Errorf("the Mode typed over is still there")
	}
	review, _ := g.GetRows("Review")
	summary, _ := g.GetRows("Summary")
	g.Close()
	if said := strings.Join(lo2(summary), "\n"); !strings.Contains(said, "Reviewed: 3 lines, by Alex Finance (1), Sam Adviser (1), no reviewer named (1)") {
		t.Errorf("the Summary does not say who reviewed what:\n%s", said)
	}
	carried := false
	for _, rr := range review {
		if len(rr) > 10 && atoi(rr[1]) == queried && rr[9] == "query" && rr[10] == "Alex Finance" {
			carried = true
		}
	}
	if !carried {
		t.Errorf("the decision on row %d is not carried forward on the Review sheet", queried)
	}
	text := strings.Join(lo2(review), "\n")
	for _, want := range []string{cols["Mode"] + itoa(modeEdit), "left alone", "Money and debt advice"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Review sheet does not say %q:\n%s", want, text)
		}
	}

	// The output run again: the same figures, the same budget sheet (the
	// Mode typed over was put right, so it is no longer listed); and run
	// on its own output once more, the same workbook.
	if r := runCLI(t, "run", "-q", "--out", third, again); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	a, b := readWorkbookCells(t, again), readWorkbookCells(t, filepath.Join(third, "budget.annotated.xlsx"))
	for _, sheet := range []string{"Summary", "Review"} {
		delete(a.cells, sheet)
		delete(b.cells, sheet)
	}
	if d := diffWorkbooks(a, b, 10); len(d) > 0 {
		t.Errorf("a run on its own output changed the workbook:\n  %s", strings.Join(d, "\n  "))
	}
	fourth := t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", fourth, filepath.Join(third, "budget.annotated.xlsx")); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	c, d := readWorkbookCells(t, filepath.Join(third, "budget.annotated.xlsx")), readWorkbookCells(t, filepath.Join(fourth, "budget.annotated.xlsx"))
	delete(c.cells["Summary"], "A2")
	delete(d.cells["Summary"], "A2")
	if diff := diffWorkbooks(c, d, 10); len(diff) > 0 {
		t.Errorf("a run on its own output changed the workbook:\n  %s", strings.Join(diff, "\n  "))
	}
	rows3 := allocationsByRow(t, filepath.Join(third, "allocations.csv"))
	for row, recs := range rows2 {
		if !slices.EqualFunc(rows3[row], recs, func(a, b []string) bool { return slices.Equal(a[1:], b[1:]) }) {
			t.Errorf("a run on its own output changed row %d's allocations: %q, was %q", row, rows3[row], recs)
		}
	}
}

// An override naming no outcome of the framework is refused, naming the
// cell; nothing is written.
func TestUnknownOverrideNamesTheCell(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", first, sample); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	annotated := filepath.Join(first, "budget.annotated.xlsx")
	f, err := excelize.OpenFile(annotated)
	if err != nil {
		t.Fatal(err)
	}
	cols := headerColumns(t, f, "Budget 2026-27", 5)
	f.SetCellValue("Budget 2026-27", cols["Outcome override"]+"7", "Happiness")
	f.SaveAs(annotated)
	f.Close()
	r := runCLI(t, "run", "-q", "--out", second, annotated)
	want := `sheet "Budget 2026-27" cell ` + cols["Outcome override"] + `7: Outcome override "Happiness" is not an outcome of the framework`
	if r.exit != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant it to say %s", r.exit, r.stderr, want)
	}
	if entries, _ := os.ReadDir(second); len(entries) > 0 {
		t.Errorf("wrote %v", entries)
	}
}

// headerColumns are a header row's columns by heading.
func headerColumns(t *testing.T, f *excelize.File, sheet string, row int) map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i, v := range rows[row-1] {
		if v != "" {
			name, _ := excelize.ColumnNumberToName(i + 1)
			out[v] = name
		}
	}
	return out
}

func nextColumn(t *testing.T, cols map[string]string) string {
	last := 0
	for _, c := range cols {
		n, _ := excelize.ColumnNameToNumber(c)
		last = max(last, n)
	}
	name, _ := excelize.ColumnNumberToName(last + 1)
	return name
}

func cellText(t *testing.T, f *excelize.File, sheet, col string, row int) string {
	v, _ := f.GetCellValue(sheet, col+itoa(row))
	return v
}

// allocationsByRow are allocations.csv's records by row.
func allocationsByRow(t *testing.T, path string) map[int][][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][][]string{}
	for _, r := range recs[1:] {
		out[atoi(r[2])] = append(out[atoi(r[2])], r)
	}
	return out
}

func lo2(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, " | "))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// The headline's specialist and embedded pounds add up to its social
// pounds, each shown in whole pounds.
func TestWholePoundsAddUp(t *testing.T) {
	for _, c := range [][2]int64{{616792000_49, 208515100_51}, {616792000_50, 208515100_50}, {1_49, 0_50}, {99, 49}, {-1_51, -0_50}, {0, 0}} {
		part, rest := wholePounds(c[0], c[1])
		if part%100 != 0 || rest%100 != 0 || money(part+rest) != money(c[0]) {
			t.Errorf("%d split at %d: %d and %d, shown %s + %s, total shown %s", c[0], c[1], part, rest, money(part), money(rest), money(c[0]))
		}
	}
}

// A budget with no lines (a template not filled in) does not say every
// line matched a rule.
func TestNoLinesSaysSo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if r := runCLI(t, "template", "budget", "-o", "empty.xlsx"); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	r := runCLI(t, "run", "-q", "empty.xlsx")
	if !strings.Contains(r.stdout, "Read 0 lines") || !strings.Contains(r.stdout, "To review: no lines were read") || strings.Contains(r.stdout, "every line matched") {
		t.Errorf("exit %d, stdout:\n%s", r.exit, r.stdout)
	}
}

// Filtering the annotated sheet by Mode agrees with the money: a line
// shown as core has no social share and no social £, a line with a social
// share shows a social mode, even when most of it is core (a split rule's
// main part).
func TestModeColumnAgreesWithSocialPounds(t *testing.T) {
	out := t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", out, mustAbs(t, sample)); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	f := mustOpen(t, filepath.Join(out, "budget.annotated.xlsx"))
	const sheet, header = "Budget 2026-27", 5
	cols := headerColumns(t, f, sheet, header)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	mode, _ := excelize.ColumnNameToNumber(cols["Mode"])
	social, _ := excelize.ColumnNameToNumber(cols["Social £"])
	share, _ := excelize.ColumnNameToNumber(cols["Social share"])
	outcome, _ := excelize.ColumnNameToNumber(cols["Outcome"])
	split := 0
	for i, r := range rows[header:] {
		if len(r) < social || r[mode-1] == "" {
			continue
		}
		p, err := strconv.ParseFloat(r[social-1], 64)
		if err != nil {
			continue // income and unreadable lines show no amount
		}
		sh, err := strconv.ParseFloat(r[share-1], 64)
		if err != nil {
			t.Fatalf("row %d: social share %q", header+1+i, r[share-1])
		}
		if strings.Contains(r[outcome-1], "; core") || strings.HasPrefix(r[outcome-1], "core ") {
			split++
		}
		switch m := analysis.Mode(r[mode-1]); {
		case m == analysis.Core && (p != 0 || sh != 0):
			t.Errorf("row %d: mode core, social share %v, social £%.2f", header+1+i, sh, p)
		case m.Social() && sh == 0:
			t.Errorf("row %d: mode %s, no social share", header+1+i, m)
		}
	}
	if split == 0 {
		t.Error("the sample has no line split between an outcome and core to test with")
	}
}

// An override typed as a formula and saved without its value (a workbook
// saved by a tool that does not calculate) is not a blank: refused by
// cell, where the line went on as if no share had been given.
func TestOverrideFormulaWithoutValueRefused(t *testing.T) {
	out := t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", out, mustAbs(t, sample)); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	annotated := filepath.Join(out, "budget.annotated.xlsx")
	f, err := excelize.OpenFile(annotated)
	if err != nil {
		t.Fatal(err)
	}
	const sheet = "Budget 2026-27"
	cols := headerColumns(t, f, sheet, 5)
	f.SetCellValue(sheet, cols["Outcome override"]+"20", "Money and debt advice")
	if err := f.SetCellFormula(sheet, cols["Share override"]+"20", "0.3"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(annotated); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r := runCLI(t, "check", "-q", annotated)
	if want := fmt.Sprintf(`cell %s20: Share override "=0.3"`, cols["Share override"]); r.exit == 0 || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, want %s:\n%s", r.exit, want, r.stderr)
	}
}
