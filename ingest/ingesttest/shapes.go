package ingesttest

import (
	"os"
	"path/filepath"

	"golang.org/x/text/encoding/charmap"
)

// A LedgerShape is one small file laid out as a real finance system exports
// it (fictional data). The files live in ingest/testdata/ledgers, whose
// README.md says what each is and works out by hand the lines and total a
// finance officer would count; ingest/ledgers_test.go holds those figures.
type LedgerShape struct {
	File  string
	Write func(path string) error
}

// WriteLedgerShapes writes every shape into dir.
func WriteLedgerShapes(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, s := range LedgerShapes {
		if err := s.Write(filepath.Join(dir, s.File)); err != nil {
			return err
		}
	}
	return nil
}

func rawBook(sheets ...Sheet) func(string) error {
	return func(path string) error { return WriteRawXLSX(path, sheets...) }
}

// rawText writes text exactly as given (no quoting), in UTF-8 or
// Windows-1252.
func rawText(encoding, text string) func(string) error {
	return func(path string) error {
		data := []byte(text)
		if encoding == Windows1252 {
			enc, err := charmap.Windows1252.NewEncoder().String(text)
			if err != nil {
				return err
			}
			data = []byte(enc)
		}
		return os.WriteFile(path, data, 0o644)
	}
}

func csvRows(encoding string, rows [][]string) func(string) error {
	return func(path string) error { return WriteCSV(path, encoding, ',', rows) }
}

var stdHeader = []any{"Directorate", "Cost Centre", "Cost Centre Name", "Nominal", "Nominal Description", "Description", "Budget 2026/27 £"}

// LedgerShapes are the files of the ledger suite, in order.
var LedgerShapes = []LedgerShape{
	{"01-title-block-subtotals.xlsx", rawBook(Sheet{Name: "Revenue Budget", Rows: [][]any{
		{"Fictional Homes Housing Association"},
		{"Revenue Budget 2026/27 by cost centre"},
		{"Report run 14/02/2026 09:12 by FINANCE\\jsmith"},
		{"All amounts in £"},
		{},
		stdHeader, // row 6
		{"Housing Services", "HM101", "Tenancy Sustainment", "5000", "Salaries", "Tenancy sustainment officers", 30000},
		{"Housing Services", "HM101", "Tenancy Sustainment", "5010", "Employer's NI", "Tenancy sustainment officers NI", 6000},
		{"Housing Services", "HM101", "Tenancy Sustainment", "7000", "Supplies and services", "Hardship fund", 2500},
		{"Housing Services", "HM101", "Tenancy Sustainment", "7100", "Travel", "Mileage", 1500},
		{"", "Total HM101", "", "", "", "", 40000}, // row 11
		{"Property Services", "PS201", "Responsive Repairs", "6000", "Repairs contract", "Responsive repairs contract", 100000},
		{"Property Services", "PS201", "Responsive Repairs", "6100", "Materials", "Van stock", 25000},
		{"Property Services", "PS201", "Responsive Repairs", "7900", "Sundry", "Skip hire", 5000},
		{"", "", "Total Responsive Repairs", "", "", "", 130000}, // row 15
		{"Communities", "CI301", "Community Investment", "7500", "Grants", "Community grants to resident groups", 12000},
		{"Communities", "CI301", "Community Investment", "5000", "Salaries", "Community development worker", 8000},
		{"Communities", "CI301", "Community Investment", "7000", "Supplies and services", "Summer activities", 3000.5},
		{"", "CI301 Total", "", "", "", "", 23000.5}, // row 19
		{},
		{"Grand Total", "", "", "", "", "", 193000.5},
	}})},

	{"02-lgtc-spend.csv", csvRows(UTF8, [][]string{
		{"Body", "Body Name", "Date", "Transaction Number", "Net Amount", "Supplier Name", "Expense Area", "Expense Type", "Expense Code", "Purpose"},
		{"E07000999", "Fictional District Council", "03/04/2026", "PAY100231", "4250.00", "Total Care Ltd", "Housing Needs", "Supported Accommodation", "4410", "Supported accommodation placement"},
		{"E07000999", "Fictional District Council", "03/04/2026", "PAY100232", "1873.42", "TotalEnergies Business", "Corporate Property", "Electricity", "3120", "Electricity: civic offices"},
		{"E07000999", "Fictional District Council", "07/04/2026", "PAY100240", "12500.00", "Fictional Builders Ltd", "Housing Strategy", "Disabled Facilities Grants", "6610", "Level access shower"},
		{"E07000999", "Fictional District Council", "07/04/2026", "PAY100241", "980.00", "Anytown B&B", "Housing Needs", "Bed and Breakfast", "4420", "Emergency accommodation"},
		{"E07000999", "Fictional District Council", "09/04/2026", "PAY100255", "4250.00", "Total Care Ltd", "Housing Needs", "Supported Accommodation", "4410", "Supported accommodation placement"},
		{"E07000999", "Fictional District Council", "10/04/2026", "PAY100260", "2200.00", "Fictional Legal LLP", "Corporate Services", "Legal Fees", "5120", "Possession proceedings"},
		{"E07000999", "Fictional District Council", "14/04/2026", "PAY100270", "-120.00", "TotalEnergies Business", "Corporate Property", "Electricity", "3120", "Credit note: estimated reading"},
		{"E07000999", "Fictional District Council", "14/04/2026", "PAY100271", "746.58", "Fictional Grounds Co", "Housing Estates", "Grounds Maintenance", "3300", "Grass cutting April"},
		{"E07000999", "Fictional District Council", "16/04/2026", "PAY100288", "3000.00", "Anytown Citizens Advice", "Housing Needs", "Grants to Voluntary Bodies", "6800", "Money advice service"},
		{"E07000999", "Fictional District Council", "22/04/2026", "PAY100301", "570.00", "Fictional Locks Ltd", "Housing Estates", "Repairs and Maintenance", "3200", "Lock change"},
		{"E07000999", "Fictional District Council", "28/04/2026", "PAY100322", "1250.00", "Fictional Print Ltd", "Communications", "Printing", "5400", "Tenant newsletter"},
		{"E07000999", "Fictional District Council", "30/04/2026", "PAY100330", "8000.00", "Fictional IT Ltd", "Corporate Services", "Software Licences", "5600", "Housing management system"},
	})},

	{"03-monthly-sheets.xlsx", rawBook(monthSheet("Apr", "April 2026", 500), monthSheet("May", "May 2026", 600), monthSheet("Jun", "June 2026", 400))},

	{"04-thousands.xlsx", rawBook(Sheet{Name: "Budget", Rows: [][]any{
		{"Fictional Homes Group: revenue budget 2026/27"},
		{"£000"},
		{},
		{"Service", "Cost Centre", "Description", "£000"}, // row 4
		{"Housing Management", "HM100", "Housing officers", 125.5},
		{"Housing Management", "HM100", "Income recovery team", 80},
		{"Housing Management", "HM110", "Anti-social behaviour service", 12.345},
		{"Housing Management", "HM120", "Tenancy sustainment", 40.2},
		{"Total Housing Management", "", "", 258.045}, // row 9
		{"Asset Management", "AM200", "Responsive repairs", 300},
		{"Asset Management", "AM210", "Gas servicing", 45.75},
		{"Total Asset Management", "", "", 345.75}, // row 12
		{"Total", "", "", 603.795},
	}})},

	{"05-grouped-labels.xlsx", rawBook(Sheet{Name: "Budget", Rows: [][]any{
		{"Directorate", "Cost Centre", "Cost Centre Name", "Account", "Account Description", "Budget"},
		{"Housing Services", "HM101", "Tenancy Sustainment", "5000", "Salaries", 32000},
		{"", "", "", "5010", "Employer's NI", 3500},
		{"", "", "", "7000", "Supplies and services", 500},
		{"", "HM102", "Lettings", "5000", "Salaries", 28000},
		{"", "", "", "7200", "Advertising", 1000},
		{"Total Housing Services", "", "", "", "", 65000}, // row 7
		{"Property Services", "PS201", "Gas Servicing", "6000", "Servicing contract", 150000},
		{"", "", "", "6100", "Materials", 2000},
		{"", "PS202", "Void Works", "6000", "Void works contract", 60000},
		{"Total Property Services", "", "", "", "", 212000}, // row 11
		{"Total", "", "", "", "", 277000},
	}})},

	{"06-code-name.xlsx", rawBook(Sheet{Name: "Budget 2026-27", Rows: [][]any{
		{"Fictional Homes: budget by cost centre and account"},
		{},
		{"Service", "Cost Centre", "Account", "Description", "Budget 2026/27"}, // row 3
		{"Housing", "HM101 - Housing Management", "5001 Salaries", "Neighbourhood officers", 96000},
		{"Housing", "HM101 - Housing Management", "5002 Employer's NI", "Neighbourhood officers", 11500},
		{"Housing", "HM101 - Housing Management", "7101 Printing", "Tenancy agreements", 450},
		{"Housing", "NB02 - Tenancy Sustainment", "5001 Salaries", "TSO x3", 87000},
		{"Housing", "NB02 - Tenancy Sustainment", "7400 Hardship Fund", "Small awards", 5000},
		{"Property", "PS201 - Responsive Repairs", "6001 Repairs Contract", "Schedule of rates", 240000},
		{"Property", "PS201 - Responsive Repairs", "6101 Materials", "Stores", 18050},
		{"Property", "PS305 - Aids and Adaptations", "6001 Repairs Contract", "Minor adaptations", 42000},
	}})},

	{"07-openpyxl-formulas.xlsx", rawBook(Sheet{Name: "Budget", Rows: [][]any{
		{"Budget 2026/27 (written by a Python script; formulas have no saved values)"},
		{},
		{"Directorate", "Cost Centre", "Cost Centre Name", "Description", "Monthly", "Budget 2026/27"}, // row 3
		{"Housing", "HM101", "Tenancy Sustainment", "Tenancy sustainment officer", 2500, EmptyValue{Expr: "E4*12"}},
		{"Housing", "HM101", "Tenancy Sustainment", "Hardship fund", 1250.5, EmptyValue{Expr: "E5*12", SelfClosing: true}},
		{"Housing", "HM102", "Lettings", "Lettings officer (part time)", 800, Formula{Expr: "E6*12", NoCache: true}},
		{"Housing", "HM102", "Lettings", "Advertising", 416.67, EmptyValue{Expr: "E7*12"}},
		{"Property", "PS201", "Responsive Repairs", "Repairs contract", 3000, EmptyValue{Expr: "E8*12"}},
		{"Property", "PS201", "Responsive Repairs", "Van tracking", 95.25, Formula{Expr: "E9*12", NoCache: true}},
		{"", "", "Total", "", EmptyValue{Expr: "SUM(E4:E9)"}, EmptyValue{Expr: "SUM(F4:F9)"}}, // row 10
	}})},

	{"08-staffing-sheet.xlsx", rawBook(
		Sheet{Name: "Revenue", Rows: [][]any{
			stdHeader,
			{"Housing Services", "HM101", "Tenancy Sustainment", "5000", "Salaries", "Tenancy sustainment officers", 62000},
			{"Housing Services", "HM101", "Tenancy Sustainment", "5010", "Employer's NI", "Tenancy sustainment officers", 7000},
			{"Housing Services", "HM101", "Tenancy Sustainment", "5020", "Pension", "Tenancy sustainment officers", 4000},
			{"Housing Services", "HM101", "Tenancy Sustainment", "7000", "Supplies and services", "Hardship fund", 1500},
			{"Property Services", "PS201", "Responsive Repairs", "6000", "Repairs contract", "Responsive repairs contract", 40000},
			{"Property Services", "PS201", "Responsive Repairs", "6100", "Materials", "Van stock", 5500},
		}},
		Sheet{Name: "Staffing", Rows: [][]any{
			{"Staffing establishment — for information: costs included in the revenue budget"},
			{},
			{"Cost Centre", "Post Title", "Grade", "FTE", "Budget 2026/27"},
			{"HM101", "Tenancy Sustainment Officer", "SO1", 1, 31000},
			{"HM101", "Tenancy Sustainment Officer", "SO1", 1, 31000},
			{"PS201", "Repairs Surveyor", "SO2", 0.5, 19000},
			{"PS201", "Repairs Administrator", "Sc5", 1, 24000},
		}},
	)},

	{"09-result-rows.xlsx", rawBook(Sheet{Name: "I&E", Rows: [][]any{
		{"Fictional Homes: income and expenditure budget 2026/27"},
		{},
		{"Cost Centre", "Cost Centre Name", "Nominal", "Description", "Budget"}, // row 3
		{"HL100", "Housing Lettings", "1000", "Rent income", -500000},
		{"HL100", "Housing Lettings", "1100", "Service charge income", -40000},
		{"HL100", "Housing Lettings", "5000", "Management salaries", 120000},
		{"HL100", "Housing Lettings", "6000", "Responsive repairs", 180000},
		{"HL100", "Housing Lettings", "6500", "Planned maintenance", 75000},
		{"HL100", "Housing Lettings", "7000", "Supplies and services", 25000},
		{"HL100", "Housing Lettings", "8000", "Depreciation", 90000},
		{"", "", "", "Net cost of services", -50000}, // row 11
		{"TR900", "Treasury", "9000", "Loan interest", 60000},
		{"", "", "", "Net expenditure", 10000}, // row 13
		{},
		{"", "NET (SURPLUS)/DEFICIT", "", "", 10000}, // row 15
	}})},

	{"10-text-amounts.xlsx", rawBook(Sheet{Name: "Export", Rows: [][]any{
		{"Cost Centre", "Nominal", "Description", "Amount"},
		{"HM101", "5000", "Salary correction", "1,043.00-"},
		{"HM101", "7000", "Refund of supplies", "(250.00)"},
		{"HM101", "7000", "Stationery", "£1,234.56 "},
		{"HM102", "7100", "Training", "2,500.00 "},
		{"HM102", "6000", "Repairs", "£10,000.00"},
		{"HM102", "6100", "Materials", "  750.00"},
		{"PS201", "7900", "Insurance recovery", "300.50 CR"},
		{"PS201", "6000", "Gas servicing", 4108.94},
	}})},

	{"11-windows-1252.csv", csvRows(Windows1252, [][]string{
		{"Ledger export – Fictional Homes – budget 2026/27"},
		{"Cost Centre", "Cost Centre Name", "Nominal", "Description", "Budget £"},
		{"CI201", "Community Café", "7000", "Café supplies – community hub", "£1,250.00"},
		{"CI201", "Community Café", "5000", "Café coordinator", "£32,000.00"},
		{"HM103", "Money Advice", "7000", "Welfare benefits advice – drop-in", "£750.25"},
		{"HM103", "Money Advice", "7300", "Case management software", "£4,999.75"},
		{"PS201", "Responsive Repairs", "6000", "Repairs – schedule of rates", "£10,000.00"},
		{"PS201", "Responsive Repairs", "6100", "Materials", "£1,000.00"},
	})},

	{"12-stray-quote.csv", rawText(UTF8, "Directorate,Cost Centre,Nominal,Description,Amount\r\n"+
		"Housing,HM1,6000,\"Boiler 24\" replacement,100.00\r\n"+
		"Housing,HM1,6000,Radiator valves,200.00\r\n"+
		"Housing,HM2,6100,Door entry repair,300.00\r\n"+
		"Housing,HM2,7000,Stationery,400.00\r\n"+
		"Property,PS1,6100,3/4\" copper pipe,50.00\r\n"+
		"Property,PS1,6000,Gutter clearance,950.00\r\n")},

	{"13-unfamiliar-headers.xlsx", rawBook(Sheet{Name: "Sheet1", Rows: [][]any{
		{"FICTIONAL HOMES LTD"},
		{"GL extract period 01-12 2026/27"},
		{},
		{"Dept", "Cst Ctr", "Acct", "Narr", "Net Spend £"}, // row 4
		{"HSG", "H1010", "51000", "Neighbourhood officer salaries", 1200},
		{"HSG", "H1010", "53000", "Office supplies", 3400},
		{"HSG", "H1020", "54100", "Mileage", 560},
		{"HSG", "H1020", "54200", "Mobile phones", 78.9},
		{"PRP", "P2010", "61000", "Repairs contractor", 9000},
		{"PRP", "P2010", "61500", "Skip hire", 1000},
		{"CMT", "C3010", "72000", "Youth club sessions", 761.1},
	}})},

	{"14-purchase-card.xlsx", rawBook(Sheet{Name: "Transactions", Rows: [][]any{
		{"Purchase card transactions April 2026 (fictional)"},
		{"Transaction Date", "Cardholder", "Merchant Name", "Merchant Category", "Cost Centre", "Original Amount", "Original Currency", "Billing Amount GBP", "Description"}, // row 2
		{"02/04/2026", "A Smith", "Fictional Stationers", "Stationery", "HM101", 45, "GBP", 45, "Printer paper"},
		{"03/04/2026", "A Smith", "Fictional Rail", "Rail travel", "HM101", 120.5, "GBP", 120.5, "Train to tribunal"},
		{"05/04/2026", "B Jones", "Hotel Exemple SARL", "Hotels", "CO101", 104.5, "EUR", 89.99, "Conference hotel"},
		{"08/04/2026", "B Jones", "Fictional Cafe", "Restaurants", "CI301", 15, "GBP", 15, "Residents' meeting refreshments"},
		{"11/04/2026", "C Patel", "Fictional Locksmiths", "Locksmiths", "PS201", 250, "GBP", 250, "Emergency lock change"},
		{"15/04/2026", "C Patel", "Example Software Inc", "Computer software", "CO101", 41.2, "USD", 32.51, "Survey tool subscription"},
		{"22/04/2026", "D Evans", "Fictional Taxis", "Taxis", "HM102", 60, "GBP", 60, "Taxi for vulnerable tenant"},
		{"29/04/2026", "D Evans", "Fictional Hardware", "Hardware", "PS201", 387, "GBP", 387, "Tools for caretakers"},
	}})},

	{"15-grand-total-footer.csv", csvRows(UTF8, [][]string{
		{"Department", "Supplier", "Payment Date", "Transaction ID", "Expense Type", "Amount £"},
		{"Housing", "Fictional Cleaning Ltd", "01/05/2026", "T5001", "Cleaning", "1500.00"},
		{"Housing", "Fictional Lifts plc", "01/05/2026", "T5002", "Lift maintenance", "2750.00"},
		{"Housing", "Anytown Foodbank", "03/05/2026", "T5003", "Grants", "600.00"},
		{"Housing", "Fictional Removals", "05/05/2026", "T5004", "Removals and storage", "3150.00"},
		{"Property", "Fictional Roofing Ltd", "06/05/2026", "T5005", "Planned maintenance", "12000.00"},
		{"Property", "Fictional Electrical", "09/05/2026", "T5006", "Electrical testing", "980.40"},
		{"Property", "Fictional Electrical", "09/05/2026", "T5007", "Electrical testing", "519.60"},
		{"Corporate", "Fictional Audit LLP", "12/05/2026", "T5008", "Audit fees", "1250.00"},
		{"Corporate", "Fictional Recruitment", "20/05/2026", "T5009", "Advertising", "1750.00"},
		{"Corporate", "Fictional Water", "28/05/2026", "T5010", "Water", "500.00"},
		{"Grand Total", "", "", "", "", "25000.00"},
		{},
		{"© Fictional Borough Council 2026. Contains public sector information licensed under the Open Government Licence v3.0."},
	})},

	{"16-budget-variance.xlsx", rawBook(Sheet{Name: "Monitoring", Rows: [][]any{
		{"Budget monitoring: period 6 (fictional)"},
		{},
		{"Cost Centre", "Description", "Budget 2026/27", "Actual to Date", "Forecast Outturn", "Variance"}, // row 3
		{"HM101", "Tenancy sustainment officers", 10000, 4800, 9600, -400},
		{"HM101", "Hardship fund", 20000, 12500, 21000, 1000},
		{"HM102", "Lettings advertising", 5000, 1000, 3000, -2000},
		{"PS201", "Responsive repairs", 15000, 9100, 17500, 2500},
		{"PS202", "Gas servicing", 40000, 20000, 40000, 0},
		{"CI301", "Community grants", 10000, 2500, 8000, -2000},
		{"Total", "", 100000, 49900, 99100, -900},
	}})},

	{"17-total-facilities-supplier.xlsx", rawBook(Sheet{Name: "Budget", Rows: [][]any{
		{"Directorate", "Cost Centre", "Cost Centre Name", "Nominal", "Supplier", "Description", "Budget 2026/27 £"},
		{"Property Services", "PS201", "Estate Services", "6200", "Total Facilities Management Ltd", "Communal cleaning contract", 24000},
		{"Property Services", "PS201", "Estate Services", "6210", "Fictional Grounds Ltd", "Grounds maintenance", 12000},
		{"Property Services", "PS201", "Estate Services", "6220", "Total Facilities Management Ltd", "Window cleaning", 3000},
		{"", "Total PS201", "", "", "", "", 39000}, // row 5
		{"Corporate Services", "CO101", "Head Office", "6200", "Fictional Cleanstar Ltd", "Office cleaning", 8000},
		{"Corporate Services", "CO101", "Head Office", "6230", "Total Facilities Management Ltd", "Reception and security", 10000},
		{"Corporate Services", "CO101", "Head Office", "6240", "Total Facilities Management Ltd", "Total FM contract: head office", 18000},
		{"", "Total CO101", "", "", "", "", 36000}, // row 9
		{"", "Grand Total", "", "", "", "", 75000},
	}})},

	{"18-contents-hidden.xlsx", rawBook(
		Sheet{Name: "Contents", Rows: [][]any{
			{"Fictional Homes: budget book 2026/27"},
			{},
			{"Sheet", "What it holds"},
			{"Notes", "Assumptions"},
			{"Budget", "Revenue budget by cost centre"},
		}},
		Sheet{Name: "Notes", Rows: [][]any{
			{"Assumptions"},
			{"Item", "Value"},
			{"Pay award", 0.035},
			{"Inflation (CPI)", 0.025},
			{"Budget total agreed by the board", 50000},
		}},
		Sheet{Name: "Lookup", Hidden: true, Rows: [][]any{
			{"Cost Centre", "Description", "Amount"},
			{"HM101", "Prior year budget", 48000},
			{"PS201", "Prior year budget", 51000},
		}},
		Sheet{Name: "Budget", Rows: [][]any{
			{"Revenue budget 2026/27"},
			{},
			{"Cost Centre", "Cost Centre Name", "Nominal", "Description", "Budget"}, // row 3
			{"HM101", "Tenancy Sustainment", "5000", "Tenancy sustainment officer", 12345.67},
			{"HM101", "Tenancy Sustainment", "5010", "Employer's NI", 7654.33},
			{"HM102", "Lettings", "5000", "Lettings officer", 10000},
			{"PS201", "Responsive Repairs", "6000", "Repairs contract", 5000},
			{"PS201", "Responsive Repairs", "6100", "Materials", 2500},
			{"PS202", "Gas Servicing", "6000", "Servicing contract", 2500},
			{"CI301", "Community Investment", "7500", "Community grants", 10000},
		}},
	)},

	// Beyond the list.
	{"19-duplicate-header-names.xlsx", rawBook(Sheet{Name: "Report", Rows: [][]any{
		{"Agresso browser export (fictional)"},
		{"Cost Centre", "Cost Centre", "Account", "Account", "Amount"}, // row 2: code, then name
		{"HM101", "Tenancy Sustainment", "5000", "Salaries", 28000},
		{"HM101", "Tenancy Sustainment", "7000", "Supplies and services", 1000},
		{"PS201", "Responsive Repairs", "6000", "Repairs contract", 45000},
		{"PS201", "Responsive Repairs", "6100", "Materials", 3999.99},
		{"CI301", "Community Investment", "7500", "Grants", 2000.01},
	}})},

	{"20-service-area-expense-type.csv", csvRows(UTF8, [][]string{
		{"Service Area", "Expense Area", "Expense Type", "Payee", "Amount"},
		{"Housing Options", "Temporary Accommodation", "Bed and Breakfast", "Anytown Guest House", "3200.00"},
		{"Housing Options", "Temporary Accommodation", "Nightly Paid Accommodation", "Fictional Lettings Ltd", "2800.00"},
		{"Housing Options", "Homelessness Prevention", "Rent Deposits", "Fictional Landlord", "950.00"},
		{"Private Sector Housing", "Adaptations", "Disabled Facilities Grants", "Fictional Stairlifts Ltd", "4500.00"},
		{"Private Sector Housing", "Adaptations", "Disabled Facilities Grants", "Fictional Builders Ltd", "7550.00"},
		{"Supporting People", "Floating Support", "Contract Payments", "Fictional Support Trust", "6000.00"},
		{"Corporate", "Insurance", "Premiums", "Fictional Mutual", "5000.00"},
	})},

	{"21-subtotal-formulas.xlsx", rawBook(Sheet{Name: "Budget", Rows: [][]any{
		{"Directorate", "Cost Centre", "Description", "Budget"},
		{"Housing", "HM101", "Officers", 20000},
		{"Housing", "HM101", "Supplies", 5000},
		{"", "HM101 Total", "", Formula{Expr: "SUBTOTAL(9,D2:D3)", Cached: 25000}}, // row 4
		{"Housing", "HM102", "Officers", 15000},
		{"Housing", "HM102", "Advertising", 2500.5},
		{"", "HM102 Total", "", Formula{Expr: "SUBTOTAL(9,D5:D6)", Cached: 17500.5}}, // row 7
		{"Property", "PS201", "Repairs contract", 50000},
		{"Property", "PS201", "Materials", 7499.5},
		{"", "PS201 Total", "", Formula{Expr: "SUBTOTAL(9,D8:D9)", Cached: 57499.5}}, // row 10
		{"Grand Total", "", "", Formula{Expr: "SUBTOTAL(9,D2:D10)", Cached: 100000}},
	}})},

	{"22-group-row-sums.xlsx", rawBook(Sheet{Name: "Budget", Rows: [][]any{
		{"Directorate", "Cost Centre", "Cost Centre Name", "Nominal", "Description", "Budget"},
		{"Housing Services", "HM101", "Tenancy Sustainment", "", "", Formula{Expr: "SUM(F3:F5)", Cached: 40000}}, // row 2
		{"", "", "", "5000", "Salaries", 30000},
		{"", "", "", "5010", "Employer's NI", 6000},
		{"", "", "", "7000", "Supplies and services", 4000},
		{"Property Services", "PS201", "Responsive Repairs", "", "", Formula{Expr: "SUM(F7:F8)", Cached: 130000}}, // row 6
		{"", "", "", "6000", "Repairs contract", 100000},
		{"", "", "", "6100", "Materials", 30000},
	}})},

	{"23-lgtc-spend-dates.xlsx", rawBook(Sheet{Name: "April 2026", Rows: [][]any{
		{"Body Name", "Date", "Transaction Number", "Invoice Number", "Amount", "Supplier Name", "Expense Area", "Expense Type"},
		{"Fictional District Council", Date(46115), 100231, 550012, 512.4, "Fictional Stationers", "Corporate Services", "Stationery"},
		{"Fictional District Council", Date(46115), 100232, 550013, 1200, "Total Care Ltd", "Housing Needs", "Supported Accommodation"},
		{"Fictional District Council", Date(46118), 100240, 550020, 750, "Anytown B&B", "Housing Needs", "Bed and Breakfast"},
		{"Fictional District Council", Date(46120), 100255, 550031, 3487.6, "Fictional Builders Ltd", "Housing Strategy", "Disabled Facilities Grants"},
		{"Fictional District Council", Date(46125), 100270, 550044, 980, "TotalEnergies Business", "Corporate Property", "Electricity"},
		{"Fictional District Council", Date(46127), 100288, 550057, 2070, "Fictional Lifts plc", "Housing Estates", "Lift Maintenance"},
		{"Fictional District Council", Date(46133), 100301, 550063, 600, "Fictional Locks Ltd", "Housing Estates", "Repairs and Maintenance"},
		{"Fictional District Council", Date(46140), 100330, 550078, 1400, "Fictional IT Ltd", "Corporate Services", "Software Licences"},
	}})},

	{"24-float-artifacts.xlsx", rawBook(Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Description", "Budget"},
		{"HM101", "Neighbourhood officer", RawNumber("4168.3900000000003")},
		{"HM101", "Mobile phone", RawNumber("0.30000000000000004")},
		{"HM102", "Lettings officer", RawNumber("1234.5699999999999")},
		{"HM102", "Advertising", RawNumber("99.989999999999995")},
		{"PS201", "Skip hire", Formula{Expr: "ROUND(1000.004,2)", Cached: RawNumber("1000")}},
		{"", "Total", Formula{Expr: "SUM(C2:C6)", Cached: RawNumber("6503.2500000000009")}},
	}})},
}

// monthSheet is one month of a monthly-sheets workbook: the same table each
// month, no business unit column, a SUM total at the foot. The stationery
// line (row 5) is the one that changes from month to month.
func monthSheet(name, month string, stationery int) Sheet {
	return Sheet{Name: name, Rows: [][]any{
		{"Housing Services actuals: " + month},
		{"Cost Centre", "Cost Centre Name", "Nominal", "Description", "Actual £"}, // row 2
		{"HM101", "Tenancy Sustainment", "5000", "Salaries", 1000},
		{"HM101", "Tenancy Sustainment", "5010", "Employer's NI", 2000},
		{"HM102", "Lettings", "7000", "Stationery", stationery},
		{"HM102", "Lettings", "7100", "Travel", 250},
		{"HM102", "Lettings", "7200", "Advertising", 250},
		{"", "", "", "Total", Formula{Expr: "SUM(E3:E7)", Cached: 3500 + stationery}},
	}}
}
