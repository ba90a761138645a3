package ingest

import (
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// A sheet that restates another's money (a summary beside its detail, a
// quarter's total beside its months) would count the money twice: the file
// is refused, saying which sheets to read. Sheets that merely look alike
// (equal monthly phasing) are read.
func TestSheetsThatRestateOthersAreRefused(t *testing.T) {
	detailHeader := []any{"Cost Centre", "Cost Centre Name", "Description", "Budget 2026/27 £"}
	detail := ingesttest.Sheet{Name: "Detail", Rows: [][]any{
		detailHeader,
		{"HM01", "Housing Management", "Salaries", 300000},
		{"HM01", "Housing Management", "Rent income", -900000},
		{"HM02", "Sheltered", "Cleaning", 40000},
		{"CI01", "Community Investment", "Money advice", 60000},
		{"CI01", "Community Investment", "Youth", 15000},
	}}
	summary := ingesttest.Sheet{Name: "Summary by cost centre", Rows: [][]any{
		{"Budget 2026/27: summary by cost centre"},
		{},
		{"Cost Centre", "Cost Centre Name", "Budget 2026/27 £"},
		{"HM01", "Housing Management", -600000},
		{"HM02", "Sheltered", 40000},
		{"CI01", "Community Investment", 75000},
		{"", "Total", -485000},
	}}
	monthHeader := []any{"Cost Centre", "Description", "Actual"}
	month := func(name string, salaries, youth int) ingesttest.Sheet {
		return ingesttest.Sheet{Name: name, Rows: [][]any{monthHeader, {"HM01", "Salaries", salaries}, {"CI01", "Youth club", youth}}}
	}
	// A summary made of formulas over the detail, saved without values:
	// it covers only part of the detail, so its total proves nothing.
	formulas := ingesttest.Sheet{Name: "Summary", Rows: [][]any{
		{"Cost Centre", "Cost Centre Name", "Budget 2026/27 £"},
		{"HM01", "Housing Management", ingesttest.Formula{Expr: "Detail!D2+Detail!D3", NoCache: true}},
	}}
	quoted := ingesttest.Sheet{Name: "Summary", Rows: [][]any{
		{"Cost Centre", "Cost Centre Name", "Budget 2026/27 £"},
		{"HM01", "Housing Management", ingesttest.Formula{Expr: "'Cost detail'!D2+'Cost detail'!D3", Cached: -600000}},
	}}
	quotedDetail := detail
	quotedDetail.Name = "Cost detail"
	// Assumptions are not a budget table: a formula using them is fine.
	inputs := ingesttest.Sheet{Name: "Inputs", Rows: [][]any{{"Assumption", "Value"}, {"Pay award", 1.04}}}
	withInputs := ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		detailHeader,
		{"HM01", "Housing Management", "Salaries", ingesttest.Formula{Expr: "30000*Inputs!B2", Cached: 31200}},
		{"HM01", "Housing Management", "Postage", 1500},
	}}

	for _, tc := range []struct {
		name   string
		sheets []ingesttest.Sheet
		opt    Options
		want   []string // in the error; none for a file that is read
		lines  int
		total  int64
		warn   string
	}{
		{name: "summary by cost centre beside its detail", sheets: []ingesttest.Sheet{summary, detail},
			want: []string{`sheet "Summary by cost centre" adds up to the same -£485,000.00 as sheet "Detail" in fewer lines`, "count the money twice", `--sheet "Detail"`}},
		{name: "detail first, summary after", sheets: []ingesttest.Sheet{detail, summary},
			want: []string{`sheet "Summary by cost centre" adds up to the same -£485,000.00 as sheet "Detail"`}},
		{name: "a quarter's total beside its months", sheets: []ingesttest.Sheet{month("Apr", 1000, 200), month("May", 1000, 200), month("Jun", 1000, 200), month("Q1 Total", 3000, 600)},
			want: []string{`sheet "Q1 Total" adds up to the same £3,600.00 as sheets "Apr", "May", "Jun" together`, `--sheet "Apr" --sheet "May" --sheet "Jun"`}},
		{name: "a year-to-date sheet before its months", sheets: []ingesttest.Sheet{month("YTD", 2000, 400), month("Apr", 1000, 200), month("May", 1000, 200)},
			want: []string{`sheet "YTD" adds up to the same £2,400.00 as sheets "Apr", "May" together`}},
		{name: "formulas over a budget sheet, saved without values", sheets: []ingesttest.Sheet{formulas, detail},
			want: []string{`sheet "Summary" cell C2: its formula =Detail!D2+Detail!D3 takes its amount from sheet "Detail"`, "count the money twice", `--sheet "Detail"`}},
		{name: "formulas over a quoted sheet name", sheets: []ingesttest.Sheet{quotedDetail, quoted},
			want: []string{`sheet "Summary" cell C2: its formula ='Cost detail'!D2+'Cost detail'!D3 takes its amount from sheet "Cost detail"`}},
		{name: "equal monthly phasing is read", sheets: []ingesttest.Sheet{month("Apr", 1000, 200), month("May", 1000, 200), month("Jun", 1000, 200)},
			lines: 6, total: 360000},
		{name: "a formula over assumptions is read", sheets: []ingesttest.Sheet{inputs, withInputs},
			lines: 2, total: 3270000},
		{name: "sheets named with --sheet are read, with a warning", sheets: []ingesttest.Sheet{summary, detail},
			opt: Options{Sheets: []string{"Summary by cost centre", "Detail"}}, lines: 8, total: -97000000, warn: `sheet "Summary by cost centre" adds up to the same -£485,000.00 as sheet "Detail"`},
		{name: "the detail alone", sheets: []ingesttest.Sheet{summary, detail},
			opt: Options{Sheets: []string{"Detail"}}, lines: 5, total: -48500000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadBudget(writeXLSX(t, tc.sheets...), tc.opt)
			if len(tc.want) > 0 {
				if err == nil {
					t.Fatalf("read %d lines totalling %s; want the file refused", len(b.Lines()), FormatMoney(sumLines(b)))
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("err = %v\nwant it to say %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Lines()) != tc.lines || sumLines(b) != tc.total {
				t.Errorf("%d lines totalling %s, want %d totalling %s", len(b.Lines()), FormatMoney(sumLines(b)), tc.lines, FormatMoney(tc.total))
			}
			w := strings.Join(b.Warnings, "\n")
			if tc.warn != "" && !strings.Contains(w, tc.warn) || tc.warn == "" && strings.Contains(w, "twice") {
				t.Errorf("warnings %q, want %q", w, tc.warn)
			}
		})
	}
}

// Sheets named for a total of periods are not periods themselves.
func TestPeriodSheetNames(t *testing.T) {
	for name, want := range map[string]bool{
		"Apr": true, "April 2026": true, "P01": true, "Q2": true, "Month 1": true, "2025": true,
		"Q1 Total": false, "YTD": false, "Full Year": false, "Annual": false, "Summary": false,
		"Q1 Summary": false, "P12 YTD": false, "Total": false, "Month 12 cumulative": false,
	} {
		if got := periodSheet(name); got != want {
			t.Errorf("periodSheet(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestFormulaSheets(t *testing.T) {
	for f, want := range map[string]string{
		"Detail!D2+Detail!D3":              "Detail",
		"'Cost detail'!D2*2":               "Cost detail",
		"'Bob''s sheet'!A1":                "Bob's sheet",
		"SUM(Apr:Jun!C2)":                  "Apr,Jun",
		"[1]Other!A1*2":                    "",
		"'C:\\x\\[Book.xlsx]Sheet1'!A1":    "",
		`IF(A1="x!y",B2,Inputs!B3)`:        "Inputs",
		"SUM(C2:C9)":                       "",
		"Summary_2026.v2!B4-'Q1 Total'!B4": "Summary_2026.v2,Q1 Total",
	} {
		if got := strings.Join(formulaSheets(f), ","); got != want {
			t.Errorf("formulaSheets(%q) = %q, want %q", f, got, want)
		}
	}
}

func FuzzFormulaSheets(f *testing.F) {
	for _, s := range []string{"Detail!D2", "'a''b'!C1", "[1]X!A1", `"!"&'x`, "A:B!C1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range formulaSheets(s) {
			if name == "" {
				t.Fatalf("formulaSheets(%q): empty name", s)
			}
		}
	})
}
