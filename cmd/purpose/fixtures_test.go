package main

import (
	"os"
	"path/filepath"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// Golden cases: each is a folder under testdata/ holding its inputs, an
// "args" file and a "want" folder. makeFixtures writes the inputs; it runs
// with -update, so the inputs in the repository are what this code makes.
// testdata/README.md describes each case.
var fixtureMakers = map[string]func(dir string) error{
	"ledger-subtotals": func(dir string) error {
		rows := append(ingesttest.TitleRows("Fixture Homes"), ingesttest.BudgetHeader)
		rows = append(rows,
			[]any{"Housing Services", "HM101", "Tenancy Sustainment", "5000", "Salaries", "Tenancy sustainment officer (2 FTE)", 61234.56}, // 6
			[]any{"Housing Services", "HM101", "Tenancy Sustainment", "5010", "Employer's NI", "Tenancy sustainment officer (2 FTE)", "£6,789.01"},
			[]any{"Housing Services", "HM101", "Tenancy Sustainment", "7000", "Supplies", "Hardship fund – small awards", "12,500"},
			[]any{"Housing Services", "HM101", "Tenancy Sustainment", "7010", "Printing", "Leaflets", "-"},
			[]any{"Housing Services", "HM101", "Tenancy Sustainment", "5000", "Salaries", "Vacancy factor", "(1,500.00)"}, // 10
			[]any{"", "", "Total HM101", "", "", "", ingesttest.Formula{Expr: "SUM(G6:G10)", Cached: 79023.57}},
			[]any{},
			[]any{"Property Services", "PS201", "Responsive Repairs", "6000", "Repairs contract", "Responsive repairs contract", 1250000}, // 13
			[]any{"Property Services", "PS201", "Responsive Repairs", "6010", "Materials", "Van stock", 84321.99},
			[]any{"Property Services", "PS201", "Responsive Repairs", "7900", "Sundry", "Miscellaneous", 2500},
			[]any{"", "Total PS201", "", "", "", "", 1336821.99},                                                                  // label, no formula
			[]any{"Property Services", "", "", "", "", "", nil},                                                                   // a heading
			[]any{"Communities", "CI301", "Community Investment", "7500", "Grants", "Community grants to resident groups", 45000}, // 18
			[]any{"Communities", "CI301", "Community Investment", "1500", "Grant income", "Grant income – lottery", -20000},
			[]any{"", "", "Total CI301", "", "", "", ingesttest.Formula{Expr: "SUM(G18:G19)", Cached: 26000}}, // wrong: lines add to 25000
			[]any{},
			[]any{"", "", "GRAND TOTAL", "", "", "", ingesttest.Formula{Expr: "SUM(G11,G16,G20)", Cached: 1441845.56}},
			[]any{"Prepared by Finance (fictional fixture)"},
		)
		return ingesttest.WriteXLSX(filepath.Join(dir, "ledger.xlsx"),
			ingesttest.Sheet{Name: "Revenue", Rows: rows},
			ingesttest.Sheet{Name: "Notes", Rows: [][]any{{"Fictional fixture for purpose's tests."}}})
	},
	"several-sheets": func(dir string) error {
		hdr := []any{"Cost Centre", "Cost Centre Name", "Account", "Account Description", "Narrative", "Amount"}
		return ingesttest.WriteXLSX(filepath.Join(dir, "directorates.xlsx"),
			ingesttest.Sheet{Name: "Contents", Rows: [][]any{{"Budget by directorate (fictional fixture)"}, {"Housing"}, {"Communities"}}},
			ingesttest.Sheet{Name: "Housing", Rows: [][]any{{"Housing directorate"}, {}, hdr,
				{"HM1", "ASB & Community Safety", "5000", "Salaries", "ASB caseworker", 38000},
				{"HM1", "ASB & Community Safety", "6170", "Security", "CCTV maintenance", 12000.5},
				{"HM2", "Lettings", "5000", "Salaries", "Lettings officer", 31000}}},
			ingesttest.Sheet{Name: "Communities", Rows: [][]any{hdr,
				{"CI1", "Digital Inclusion", "7300", "IT", "Digital inclusion tablets and data", 8000},
				{"CI1", "Digital Inclusion", "5000", "Salaries", "Digital champion", 24000}}},
			ingesttest.Sheet{Name: "Lookups", Hidden: true, Rows: [][]any{hdr, {"X", "Hidden", "1", "x", "not read", 99}}},
		)
	},
	"csv-1252-semicolon": func(dir string) error {
		return ingesttest.WriteCSV(filepath.Join(dir, "ledger-export.csv"), ingesttest.Windows1252, ';', [][]string{
			{"Ledger export – fictional fixture"},
			{"Service", "CC", "Nominal", "Detail", "Budget £"},
			{"Housing Services", "HM103", "5000", "Money advice worker", "£32,000.00"},
			{"Housing Services", "HM103", "7000", "Welfare benefits advice – café drop-in", "£1,250.00"},
			{"Housing Services", "HM104", "6000", "Gas servicing", "250000"},
		})
	},
	"csv-utf8-bom": func(dir string) error {
		return ingesttest.WriteCSV(filepath.Join(dir, "budget.csv"), ingesttest.UTF8BOM, ',', [][]string{
			{"Directorate", "Cost Centre", "Nominal", "Description", "Annual budget"},
			{"Communities", "CI2", "5000", "Employment and skills coach", "29,500.00"},
			{"Communities", "CI2", "7000", "Youth diversion programme – summer", "(1,000.00)"},
			{"Communities", "CI2", "7000", "Youth diversion programme – summer", "9,000"},
			{"Corporate", "CO1", "7300", "Software licences", "15,000.00"},
			{"", "", "", "Total", "52,500.00"},
		})
	},
	// A table with bordered empty cells right of it: the added columns go
	// right of those, not over them (a reviewer found duplicate cells).
	"styled-blanks-right-of-table": func(dir string) error {
		b := ingesttest.Blank{}
		return ingesttest.WriteXLSX(filepath.Join(dir, "bordered.xlsx"), ingesttest.Sheet{Name: "Budget", Rows: [][]any{
			{"Cost Centre", "Description", "Budget", b, b, b},
			{"HM1", "Tenancy sustainment officer", 30000, b, b, b},
			{"PS1", "Gas servicing", 50000, b, b, b, b, b, b, b, b},
		}})
	},
	"uncached-formulas": func(dir string) error {
		return ingesttest.WriteXLSX(filepath.Join(dir, "formulas.xlsx"), ingesttest.Sheet{Name: "Budget", Rows: [][]any{
			ingesttest.BudgetHeader,
			{"Housing", "HM1", "Tenancy", "5000", "Salaries", "Tenancy sustainment officer", ingesttest.Formula{Expr: "12*2500.75", NoCache: true}},
			{"Housing", "HM1", "Tenancy", "5010", "NI", "Tenancy sustainment officer NI", ingesttest.Formula{Expr: "ROUND(G2*0.138,2)", NoCache: true}},
			{"", "", "Total HM1", "", "", "", ingesttest.Formula{Expr: "SUM(G2:G3)", NoCache: true}},
		}})
	},
	"uncached-broken": func(dir string) error {
		return ingesttest.WriteXLSX(filepath.Join(dir, "broken.xlsx"), ingesttest.Sheet{Name: "Budget", Rows: [][]any{
			ingesttest.BudgetHeader,
			{"Housing", "HM1", "Tenancy", "5000", "Salaries", "Officer", ingesttest.Formula{Expr: "[2]Payroll!C7*12", NoCache: true}},
			{"Housing", "HM1", "Tenancy", "5010", "NI", "Officer NI", 500},
		}})
	},
	"bad-amount": func(dir string) error {
		return ingesttest.WriteXLSX(filepath.Join(dir, "budget.xlsx"), ingesttest.Sheet{Name: "Costs", Rows: [][]any{
			{"Budget 2026/27 (fictional fixture)"},
			ingesttest.BudgetHeader,
			{"Housing", "HM1", "Tenancy", "5000", "Salaries", "Officer", "TBC"},
			{"Housing", "HM1", "Tenancy", "5010", "NI", "Officer NI", 500},
			{"Housing", "HM1", "Tenancy", "7000", "Supplies", "Money advice leaflets", "12.50.00"},
		}})
	},
	"folder": func(dir string) error {
		in := filepath.Join(dir, "budgets")
		if err := os.MkdirAll(in, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(in, "~$housing.xlsx"), []byte("lock file"), 0o644); err != nil {
			return err
		}
		if err := ingesttest.WriteCSV(filepath.Join(in, "readme.csv"), ingesttest.UTF8, ',', [][]string{{"Note", "Text"}, {"1", "Not a budget"}}); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(in, "old.xls"), []byte("an old-format workbook"), 0o644); err != nil {
			return err
		}
		if err := ingesttest.WriteXLSX(filepath.Join(in, "housing.xlsx"), ingesttest.Sheet{Name: "Budget", Rows: [][]any{
			ingesttest.BudgetHeader,
			{"Housing", "HM1", "Tenancy", "5000", "Salaries", "Tenancy sustainment officer", 30000},
		}}); err != nil {
			return err
		}
		// A copy of the same file under another name must not count twice.
		data, err := os.ReadFile(filepath.Join(in, "housing.xlsx"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(in, "housing FINAL.xlsx"), data, 0o644); err != nil {
			return err
		}
		return ingesttest.WriteCSV(filepath.Join(in, "housing.csv"), ingesttest.UTF8, ',', [][]string{
			{"Directorate", "Cost Centre", "Description", "Budget"},
			{"Communities", "CI1", "Community development worker", "28000"},
		})
	},
}
