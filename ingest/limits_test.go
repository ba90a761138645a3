package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// rewriteZip copies the workbook at src to a new file with the named parts
// replaced.
func rewriteZip(t *testing.T, src string, replace map[string]string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(src))
	err := ingesttest.RewriteParts(src, out, func(name string, data []byte) ([]byte, bool) {
		if v, ok := replace[name]; ok {
			return []byte(v), true
		}
		return data, true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readPart returns a part of the workbook at path.
func readPart(t *testing.T, path, name string) string {
	t.Helper()
	b, err := ingesttest.ReadPart(path, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// smallBudget writes a budget whose text is in a shared string table.
func smallBudget(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	header := []any{"Cost Centre", "Description", "Budget 2026/27 £"}
	if err := f.SetSheetRow("Sheet1", "A1", &header); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Sheet1", "A2", &[]any{"HM101", "Officers", 1000}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSharedStringsNamed: a budget whose shared string table cannot be
// read says so, naming the file, the part and where, not that no budget
// table was found; one larger than the limit names the limit (the
// scaled-down 18 MB workbook whose shared strings inflate to 4 GB).
func TestSharedStringsNamed(t *testing.T) {
	p := smallBudget(t)
	sst := readPart(t, p, "xl/sharedStrings.xml")
	i := strings.Index(sst, "</si>")
	padded := strings.Replace(sst, "</si>", "</si>"+strings.Repeat(" ", 64<<10), 1)
	defer func(v int64) { maxWholePart = v }(maxWholePart)
	maxWholePart = 32 << 10
	for _, tc := range []struct {
		name, sst string
		want      []string
	}{
		{"malformed", sst[:i] + "<t>" + sst[i:], []string{"shared strings part xl/sharedStrings.xml is malformed at byte"}},
		{"cut short", sst[:i], []string{"shared strings part xl/sharedStrings.xml is malformed at byte", "unexpected end"}},
		{"too large", padded, []string{"xl/sharedStrings.xml", "64.", "32 KiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := rewriteZip(t, p, map[string]string{"xl/sharedStrings.xml": tc.sst})
			_, err := ReadBudget(bad, Options{})
			_, staffErr := ReadStaffing(bad, Options{}) // read as a staffing establishment, the same
			for _, err := range []error{err, staffErr} {
				if err == nil {
					t.Fatal("no error")
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("err = %q, want it to say %q", err, w)
					}
				}
				if !strings.Contains(err.Error(), bad) || strings.Contains(err.Error(), "no budget table") || strings.Contains(err.Error(), "names a post") {
					t.Errorf("err = %q, want it to name %s and not blame the table", err, bad)
				}
			}
		})
	}
	if _, err := ReadBudget(p, Options{}); err != nil {
		t.Errorf("the workbook as written: %v", err)
	}
}

// writeFrameworkBook writes a framework workbook with n rules.
func writeFrameworkBook(t *testing.T, n int, outcomeHeader []any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Outcomes"); err != nil {
		t.Fatal(err)
	}
	if outcomeHeader == nil {
		outcomeHeader = []any{"code", "name", "theme"}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetRow("Outcomes", "A1", &outcomeHeader))
	must(f.SetSheetRow("Outcomes", "A2", &[]any{"youth", "Youth", "Community"}))
	_, err := f.NewSheet("Rules")
	must(err)
	must(f.SetSheetRow("Rules", "A1", &[]any{"id", "business_unit", "cost_centre", "nominal", "keywords", "outcome", "share", "mode"}))
	for i := 0; i < n; i++ {
		must(f.SetSheetRow("Rules", fmt.Sprintf("A%d", i+2), &[]any{fmt.Sprintf("R%d", i), "", "", "", fmt.Sprintf("youth club %d", i), "youth", "100%", "specialist"}))
	}
	p := filepath.Join(t.TempDir(), "framework.xlsx")
	must(f.SaveAs(p))
	return p
}

// TestFrameworkWorkbookLimits: a framework workbook is checked before
// excelize reads it: a part nested very deep (the scaled-down 70 KB
// workbook.xml nested 10 million deep), a part larger than the limit, a
// table with more rows than a framework may have.
func TestFrameworkWorkbookLimits(t *testing.T) {
	good := writeFrameworkBook(t, 3, nil)
	if _, err := ReadFramework(good); err != nil {
		t.Fatalf("the framework as written: %v", err)
	}
	wb := readPart(t, good, "xl/workbook.xml")
	deep := strings.Replace(wb, "<sheets>", strings.Repeat("<a>", 5000)+strings.Repeat("</a>", 5000)+"<sheets>", 1)
	styles := readPart(t, good, "xl/styles.xml")
	bigStyles := strings.Replace(styles, "<fonts", strings.Repeat(" ", 80<<10)+"<fonts", 1)

	defer func(v int64, r int) { maxWholePart, maxFrameworkRows = v, r }(maxWholePart, maxFrameworkRows)
	maxWholePart, maxFrameworkRows = 64<<10, 20
	for _, tc := range []struct {
		name string
		path string
		want []string
	}{
		{"deep", rewriteZip(t, good, map[string]string{"xl/workbook.xml": deep}), []string{"xl/workbook.xml", "nested more than 1000 deep"}},
		{"large part", rewriteZip(t, good, map[string]string{"xl/styles.xml": bigStyles}), []string{"xl/styles.xml", "64 KiB"}},
		{"too many rules", writeFrameworkBook(t, 25, nil), []string{`sheet "Rules"`, "more than 20 rows", "at row 22"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFramework(tc.path)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range append(tc.want, tc.path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to say %q", err, w)
				}
			}
		})
	}
}

// TestFrameworkCSVRowsCap: a framework folder's table with more rows than
// a framework may have is refused, naming the file, before it is read
// whole.
func TestFrameworkCSVRowsCap(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,business_unit,cost_centre,nominal,keywords,outcome,share,mode\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "R%d,,,,youth club %d,youth,100%%,specialist\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "outcomes.csv"), []byte("code,name,theme\nyouth,Youth,Community\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFramework(dir); err != nil {
		t.Fatalf("30 rules: %v", err)
	}
	defer func(r int) { maxFrameworkRows = r }(maxFrameworkRows)
	maxFrameworkRows = 20
	_, err := ReadFramework(dir)
	if err == nil || !strings.Contains(err.Error(), "rules.csv") || !strings.Contains(err.Error(), "more than 20 rows") {
		t.Fatalf("err = %v, want one naming rules.csv and the limit", err)
	}
	maxFrameworkRows = MaxFrameworkRows
	defer func(v int64) { maxWholePart = v }(maxWholePart)
	maxWholePart = 1 << 10
	if _, err := ReadFramework(dir); err == nil || !strings.Contains(err.Error(), "rules.csv") || !strings.Contains(err.Error(), "1 KiB") {
		t.Fatalf("err = %v, want one naming rules.csv and the size limit", err)
	}
}

// TestCSVColumnsCap: a CSV line with more fields than a sheet has columns
// is refused naming the file and row, as a workbook's cell past XFD is,
// instead of writing cells past XFD in the annotated workbook.
func TestCSVColumnsCap(t *testing.T) {
	dir := t.TempDir()
	wide := make([]string, 16385)
	for i := range wide {
		wide[i] = "x"
	}
	for _, tc := range []struct {
		name string
		rows []string
		want string // "" for none
	}{
		{"16,384 columns", []string{"Description,Amount", "Rent," + "100" + strings.Repeat(",", 16382)}, ""},
		{"16,385 columns", []string{"Description,Amount", "Rent,100", "Repairs,50" + strings.Repeat(",", 16383)}, "row 3 has 16385 columns, more than the 16384 (to column XFD) a sheet holds"},
		{"wide header", []string{strings.Join(wide, ","), "Rent,100"}, "row 1 has 16385 columns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".csv")
			if err := os.WriteFile(p, []byte(strings.Join(tc.rows, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadBudget(p, Options{})
			switch {
			case tc.want == "" && err != nil && strings.Contains(err.Error(), "columns"):
				t.Fatalf("err = %v, want no columns error", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p)):
				t.Fatalf("err = %v, want %q naming %s", err, tc.want, p)
			}
		})
	}
}

func TestListProblems(t *testing.T) {
	var ps []string
	for i := 0; i < 120; i++ {
		ps = append(ps, fmt.Sprintf("p%d", i))
	}
	for _, tc := range []struct {
		n, more   int
		lines     int
		wantTail  string
		wantFirst string
	}{
		{3, 0, 3, "p2", "p0"},
		{50, 0, 50, "p49", "p0"},
		{51, 0, 51, "and 1 more problem", "p0"},
		{120, 0, 51, "and 70 more problems", "p0"},
		{10, 5, 11, "and 5 more problems", "p0"},
	} {
		s := ListProblems(ps[:tc.n], tc.more)
		lines := strings.Split(s, "\n  ")
		if len(lines) != tc.lines || lines[len(lines)-1] != tc.wantTail || lines[0] != tc.wantFirst {
			t.Errorf("%d problems, %d more: %d lines ending %q, want %d ending %q", tc.n, tc.more, len(lines), lines[len(lines)-1], tc.lines, tc.wantTail)
		}
	}
	var e error = &FrameworkHeaderError{Problems: ps}
	if !strings.HasSuffix(e.Error(), "and 70 more problems") {
		t.Errorf("FrameworkHeaderError lists %d lines", strings.Count(e.Error(), "\n")+1)
	}
	_ = errors.New
}

// TestFrameworkWrongColumns: a framework table whose rows are not under
// its headings (the code column blank on every row) says which columns
// the header row has and which the table should have, not "outcome has
// no code" on every row.
func TestFrameworkWrongColumns(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("rules.csv", "id,business_unit,cost_centre,nominal,keywords,outcome,share,mode\nR1,,,,youth,youth,100%,specialist\n")
	write("outcomes.csv", "code,name,theme\n,youth,Youth,Community\n,older,Older people,Independence\n")
	_, err := ReadFramework(dir)
	want := `outcomes.csv: the code column (column A) is blank on every row: the rows are not under the headings of the header row (row 1: A "code", B "name", C "theme"); the outcomes table's columns are code, name, theme, description (optional)`
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "no code\n") {
		t.Fatalf("err = %v\nwant it to say %s", err, want)
	}
	// One outcome without a code is that row's problem, left to analysis.
	write("outcomes.csv", "code,name,theme\nyouth,Youth,Community\n,Older people,Independence\n")
	if _, err := ReadFramework(dir); err != nil {
		t.Fatalf("one blank code: %v", err)
	}
}
