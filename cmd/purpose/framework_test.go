package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

// sameFramework compares two frameworks' outcomes and rules, leaving out
// where each row came from.
func sameFramework(t *testing.T, what string, a, b *analysis.Framework) {
	t.Helper()
	if !reflect.DeepEqual(a.Outcomes, b.Outcomes) {
		t.Errorf("%s: outcomes differ", what)
	}
	strip := func(f *analysis.Framework) []analysis.Rule {
		var out []analysis.Rule
		for _, r := range f.Rules {
			c := *r
			c.Source = ingest.Source{}
			out = append(out, c)
		}
		return out
	}
	ra, rb := strip(a), strip(b)
	if len(ra) != len(rb) {
		t.Fatalf("%s: %d rules, want %d", what, len(rb), len(ra))
	}
	for i := range ra {
		if !reflect.DeepEqual(ra[i], rb[i]) {
			t.Errorf("%s: rule %d: %+v, want %+v", what, i, rb[i], ra[i])
		}
	}
	if len(a.StaffRules) != len(b.StaffRules) || len(a.PayNominals) != len(b.PayNominals) {
		t.Errorf("%s: %d staff rules and %d pay nominals, want %d and %d", what, len(b.StaffRules), len(b.PayNominals), len(a.StaffRules), len(a.PayNominals))
	}
	for i := range min(len(a.StaffRules), len(b.StaffRules)) {
		x, y := *a.StaffRules[i], *b.StaffRules[i]
		x.Source, y.Source = ingest.Source{}, ingest.Source{}
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%s: staff rule %d: %+v, want %+v", what, i, y, x)
		}
	}
}

// Exporting the framework in use, as CSV files or a workbook, and loading
// it back gives the same framework and the same figures on the sample.
func TestFrameworkExportRoundTrip(t *testing.T) {
	abs := mustAbs(t, sample)
	dir := t.TempDir()
	t.Chdir(dir)
	_, builtin, err := loadFrameworkTables("")
	if err != nil {
		t.Fatal(err)
	}
	book, err := ingest.ReadBudget(abs, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{"fw", "fw.xlsx", "again.xlsx"} {
		from := ""
		if out == "again.xlsx" {
			from = "fw.xlsx" // the workbook exported again
		}
		args := []string{"framework", "export", "-o", out}
		if from != "" {
			args = append(args, "--framework", from)
		}
		if r := runCLI(t, args...); r.exit != 0 {
			t.Fatalf("%v: %+v", args, r)
		}
		tables, err := ingest.ReadFramework(out)
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		fw, err := analysis.NewFramework(tables)
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		sameFramework(t, out, builtin, fw)
		a, b := builtin.NewMatcher(), fw.NewMatcher()
		changed := 0
		var social [2]int64
		for i := range book.Lines() {
			l := &book.Lines()[i]
			ma, mb := a.Match(l), b.Match(l)
			if ma.RuleID() != mb.RuleID() || ma.Status != mb.Status {
				changed++
			}
			for j, m := range []analysis.Match{ma, mb} {
				for _, a := range analysis.Allocate(l.Amount, m) {
					if a.Mode.Social() {
						social[j] += a.Amount
					}
				}
			}
		}
		if changed > 0 || social[0] != social[1] || social[0] == 0 {
			t.Errorf("%s: %d of %d sample lines mapped otherwise; social %s, want %s", out, changed, len(book.Lines()), ingest.FormatPence(social[1]), ingest.FormatPence(social[0]))
		}
	}
	// The CSV files are the built-in ones, row for row.
	for _, name := range []string{"outcomes.csv", "rules.csv", "staff_rules.csv", "pay_nominals.csv"} {
		want, _ := templates.FS.ReadFile("framework/" + name)
		got, err := os.ReadFile(filepath.Join("fw", name))
		if err != nil {
			t.Fatal(err)
		}
		if n, m := strings.Count(string(got), "\n"), strings.Count(string(want), "\n"); n != m {
			t.Errorf("%s: %d lines, want %d", name, n, m)
		}
	}
	if r := runCLI(t, "framework", "export", "-o", "fw"); r.exit != 2 || !strings.Contains(r.stderr, "already holds") {
		t.Errorf("export into a framework folder: %+v", r)
	}
}

// writeFramework writes the built-in framework into dir with rules.csv's
// rows edited: edit gets the lines of rules.csv and returns new ones.
func writeFramework(t *testing.T, dir string, edit func([]string) []string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"outcomes.csv", "rules.csv", "staff_rules.csv", "pay_nominals.csv"} {
		data, err := templates.FS.ReadFile("framework/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "rules.csv" {
			lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
			data = []byte(strings.Join(edit(lines), "\n") + "\n")
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// insertAfterHeader puts rows at the top of the rules table.
func insertAfterHeader(rows ...string) func([]string) []string {
	return func(lines []string) []string {
		return append(append([]string{lines[0]}, rows...), lines[1:]...)
	}
}

// framework check finds each defect, naming the file and row, and exits 1;
// the built-in framework is clean.
func TestFrameworkCheck(t *testing.T) {
	abs := mustAbs(t, sample)
	dir := t.TempDir()
	t.Chdir(dir)
	cases := []struct {
		name    string
		edit    func([]string) []string
		against bool
		want    []string // in stderr; none: clean
	}{
		{"clean", func(l []string) []string { return l }, false, nil},
		{"unknown outcome", insertAfterHeader("X001,,,,zzz widgets,,money_advise,,specialist,"), false,
			[]string{"rules.csv: row 2: rule X001", `outcome "money_advise" is not in the outcomes table`}},
		{"duplicate id", func(l []string) []string { return append(l, "R010,,,,qqq income,,income,,income,") }, false,
			[]string{"rules.csv: row 81: rule R010 appears again"}},
		{"share over 100", insertAfterHeader("X001,,,,zzz widgets,,money_advice,120%,specialist,"), false,
			[]string{"rules.csv: row 2: rule X001", `share "120%" is more than 100%`}},
		{"negative share", insertAfterHeader("X001,,,,zzz widgets,,money_advice,-5%,specialist,"), false,
			[]string{"rules.csv: row 2: rule X001", `share "-5%" is not a percentage`}},
		{"split over 100", insertAfterHeader("X001,,,,zzz widgets,,money_advice,70%,specialist,", "X001,,,,,,youth,40%,specialist,"), false,
			[]string{"rules.csv: row 2: rule X001: shares add up to 110%, more than 100%"}},
		{"contradiction", insertAfterHeader("X001,,CI2*,,zzz widgets;qqq gadgets,,money_advice,,specialist,", "X002,,ci2*,,Qqq Gadgets,,youth,,specialist,"), false,
			[]string{"rules.csv: row 3: rule X002 contradicts rule X001 (row 2) at equal precedence", `keywords "qqq gadgets"`}},
		{"never matches", insertAfterHeader("X001,,,,zzz widgets,,money_advice,,specialist,"), true,
			[]string{"rules.csv: row 2: rule X001 matches none of the 534 lines"}},
		{"lines no rule matches", func(l []string) []string { return l }, true,
			[]string{`budget.xlsx: sheet "Budget 2026-27" row 391: no rule matches this line (£293,000.00: CX312`}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fw := filepath.Join(dir, "fw"+string(rune('a'+i)))
			writeFramework(t, fw, c.edit)
			args := []string{"framework", "check", fw}
			if c.against {
				args = append(args, "--against", abs)
			}
			r := runCLI(t, args...)
			if c.want == nil {
				if r.exit != 0 || !strings.Contains(r.stdout, "no problems found") {
					t.Errorf("%+v", r)
				}
				return
			}
			if r.exit != 1 {
				t.Errorf("exit %d, want 1: %+v", r.exit, r)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stdout+r.stderr, w) { // a rule no line matches is a note, on stdout
					t.Errorf("output lacks %q:\n%s%s", w, r.stdout, r.stderr)
				}
			}
		})
	}
	// A broken framework is not exported.
	if r := runCLI(t, "framework", "export", "-o", "broken.xlsx", "--framework", filepath.Join(dir, "fwb")); r.exit != 1 {
		t.Errorf("export of a broken framework: %+v", r)
	}
	// A workbook's messages name the sheet and row.
	if r := runCLI(t, "framework", "export", "-o", "fw.xlsx"); r.exit != 0 {
		t.Fatalf("export: %+v", r)
	}
	f, err := excelize.OpenFile("fw.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range [][]any{{"X001", "", "", "", "zzz widgets", "", "money_advice", "", "specialist"}, {"X002", "", "", "", "zzz widgets", "", "youth", "50%", "embedded"}} {
		if err := f.SetSheetRow("Rules", fmt.Sprintf("A%d", 81+i), &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r := runCLI(t, "framework", "check", "fw.xlsx")
	if want := `fw.xlsx: sheet "Rules" row 82: rule X002 contradicts rule X001 (row 81)`; r.exit != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("want %q: %+v", want, r)
	}
}
