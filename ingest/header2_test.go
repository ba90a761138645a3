package ingest

import (
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// Layouts a tester built as finance systems export them, read with no
// options: the line count and net total are worked out by hand from the
// rows below, and the header is the one a person reading the sheet uses.
func TestHeaderLayoutsReadRight(t *testing.T) {
	for _, c := range []struct {
		name    string
		rows    [][]any
		lines   int
		pence   int64
		explain string // what Explain must say
	}{
		{
			// Xero's Account Transactions: a running balance is never
			// the amount; Gross is the signed net of debit and credit.
			// Lines 1200 + 350.50 − 50.50 − 650 − 650 + 900 = 1100.
			name: "xero account transactions",
			rows: [][]any{
				{"Account Transactions"}, {"Hillside Community Housing Ltd"}, {"For the period 1 April 2026 to 31 March 2027"}, {},
				{"Date", "Source", "Contact", "Description", "Reference", "Debit", "Credit", "Running Balance", "Gross", "VAT"},
				{"Repairs and Maintenance"},
				{"01 Apr 2026", "Payable Invoice", "Total Building Services Ltd", "Boiler repair", "INV-101", 1200.0, nil, 1200.0, 1200.0, 0},
				{"14 May 2026", "Payable Invoice", "Acme Plumbing", "Leak repair", "INV-102", 350.5, nil, 1550.5, 350.5, 0},
				{"02 Jun 2026", "Payable Credit Note", "Acme Plumbing", "Credit for overcharge", "CN-5", nil, 50.5, 1500.0, -50.5, 0},
				{"Total Repairs and Maintenance", nil, nil, nil, nil, 1550.5, 50.5, nil, 1500.0, 0},
				{},
				{"Rent Income"},
				{"01 Apr 2026", "Receivable Invoice", "Tenant A", "Rent April", "R-1", nil, 650.0, -650.0, -650.0, 0},
				{"01 May 2026", "Receivable Invoice", "Tenant A", "Rent May", "R-2", nil, 650.0, -1300.0, -650.0, 0},
				{"Total Rent Income", nil, nil, nil, nil, 0, 1300.0, nil, -1300.0, 0},
				{},
				{"Tenancy Support"},
				{"10 Apr 2026", "Spend Money", "Citizens Advice", "Debt advice sessions", "SM-1", 900.0, nil, 900.0, 900.0, 0},
				{"Total Tenancy Support", nil, nil, nil, nil, 900.0, 0, nil, 900.0, 0},
				{},
				{"Total", nil, nil, nil, nil, nil, nil, nil, 1100.0, 0},
			},
			lines: 6, pence: 1_100_00,
			explain: `read header on row 5: amount "Gross", description "Description", payee "Contact"`,
		},
		{
			// Two tables with the same header: the first header is the
			// table's, the second a repeated header inside it.
			// −800,000 − 50,000 + 300,000 + 40,000 = −510,000.
			name: "income and expenditure tables on one sheet",
			rows: [][]any{
				{"INCOME"},
				{"Cost Centre", "Description", "Budget"},
				{"HM01", "Rent income", -800000},
				{"HM01", "Service charges", -50000},
				{"", "Total income", -850000},
				{},
				{"EXPENDITURE"},
				{"Cost Centre", "Description", "Budget"},
				{"HM01", "Salaries", 300000},
				{"CI01", "Money advice", 40000},
				{"", "Total expenditure", 340000},
				{},
				{"", "Net (surplus)/deficit", -510000},
			},
			lines: 4, pence: -510_000_00,
			explain: `read header on row 2: amount "Budget"`,
		},
		{
			// "Budget" merged over "2026/27"; the cost centre cells merged
			// down over both header rows. 1000 + 250.
			name: "budget over its year",
			rows: [][]any{
				{"Cost Centre", "Cost Centre Name", "Budget"},
				{"", "", "2026/27"},
				{"HM01", "Housing Management", 1000},
				{"CI01", "Community Investment", 250},
			},
			lines: 2, pence: 1_250_00,
			explain: `read header on rows 1–2: amount "Budget 2026/27"`,
		},
		{
			// "Budget" merged over two years beside "Actual" over two:
			// Budget 2026/27 (column D). 105,000 + 8,500 − 310,000.
			name: "budget and actual over two years each",
			rows: [][]any{
				{"Service budget"},
				{"Cost Centre", "Description", "Budget", "", "Actual", ""},
				{"", "", "2025/26", "2026/27", "2024/25", "2025/26"},
				{"HM01", "Salaries", 100000, 105000, 95000, 99000},
				{"CI01", "Youth work", 8000, 8500, 7000, 7600},
				{"HM01", "Rent income", -300000, -310000, -290000, -295000},
			},
			lines: 3, pence: -196_500_00,
			explain: `read header on rows 2–3: amount "Budget 2026/27"`,
		},
		{
			// The full year, never a quarter. 200,001 + 10,000 − 400,000
			// + 24,000.
			name: "quarters and the full year",
			rows: [][]any{
				{"Cost Centre", "Description", "Q1", "Q2", "Q3", "Q4", "Full Year"},
				{"HM01", "Housing officers salaries", 50000, 50000, 50000, 50001, 200001},
				{"CI01", "Youth programme", 2000, 3000, 4000, 1000, 10000},
				{"HM01", "Rent income", -100000, -100000, -100000, -100000, -400000},
				{"ES01", "Grounds maintenance", 7000, 9000, 5000, 3000, 24000},
			},
			lines: 4, pence: -165_999_00,
			explain: `read header on row 1: amount "Full Year"`,
		},
		{
			// Annual, not Monthly nor a quarter; "Inflated" is no amount
			// heading. 120,001.20 + 30,006.60 + 9,999.96 − 480,000 +
			// 14,814.80.
			name: "monthly, quarters and annual",
			rows: [][]any{
				{"Budget 2026/27"}, {},
				{"Cost Centre", "Description", "Monthly", "Q1", "Q2", "Q3", "Annual", "Inflated"},
				{"HM01", "Housing officer salaries", 10000.10, 30000.30, 30000.30, 60000.60, 120001.20, 124201.24},
				{"CI01", "Tenancy sustainment", 2500.55, 7501.65, 7501.65, 15003.30, 30006.60, 31056.83},
				{"ES01", "Cleaning", 833.33, 2499.99, 2499.99, 4999.98, 9999.96, 10349.96},
				{"HM01", "Rent income", -40000, -120000, -120000, -240000, -480000, -496800},
				{"FN01", "Audit fee", 1234.567, 3703.70, 3703.70, 7407.40, 14814.80, 15333.32},
			},
			lines: 5, pence: -305_177_44,
			explain: `read header on row 3: amount "Annual"`,
		},
		{
			// A year alone heads each amount column: the latest is read.
			// 210,000 + 12,000 − 950,000.
			name: "years alone",
			rows: [][]any{
				{"Cost Centre", "Cost Centre Name", "Subjective", "2025/26", "2026/27"},
				{"HM01", "Housing Management", "Salaries", 200000, 210000},
				{"CI01", "Community Investment", "Grants", 10000, 12000},
				{"HM01", "Housing Management", "Rent income", -900000, -950000},
			},
			lines: 3, pence: -728_000_00,
			explain: `read header on row 1: amount "2026/27"`,
		},
		{
			// Only the service says what a line is; Total is the amount,
			// and the Total row is a total. −200 + 150.
			name: "service beside pay, non-pay, income and total",
			rows: [][]any{
				{"Service", "Pay", "Non-pay", "Income", "Total"},
				{"Housing management", 500, 200, -900, -200},
				{"Community investment", 100, 50, 0, 150},
				{"Total", 600, 250, -900, -50},
			},
			lines: 2, pence: -50_00,
			explain: `read header on row 1: amount "Total"`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: c.rows})
			b, err := ReadBudget(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, l := range b.Lines() {
				sum += l.Amount
			}
			if n := len(b.Lines()); n != c.lines || sum != c.pence {
				t.Errorf("read %d lines, £%.2f; want %d lines, £%.2f", n, float64(sum)/100, c.lines, float64(c.pence)/100)
			}
			if len(b.Tables) != 1 {
				t.Fatalf("%d tables, want 1", len(b.Tables))
			}
			if got := b.Tables[0].Explanation; !strings.HasPrefix(got, c.explain) {
				t.Errorf("explained as\n  %s\nwant it to begin\n  %s", got, c.explain)
			}
		})
	}
}

// A running or cumulative balance, or one brought or carried forward, is
// never the amount of a line, whatever else its heading says.
func TestBalancesAreNeverTheAmount(t *testing.T) {
	for _, heading := range []string{"Running Balance", "Cumulative Spend", "Balance b/f", "Balance Brought Forward",
		"Carried Forward", "Balance c/fwd", "Cumulative Total", "Running Total"} {
		rows := grid(1, "Cost Centre|Description|"+heading, "HM1|Officer|100", "HM1|Supplies|250")
		if h, ok := detectHeader(rows, 0, ""); ok {
			t.Errorf("%q read as the amount: %s", heading, h.Explain())
		}
	}
}

// Candidate rows with the same headings: the first is the header, whichever
// has the tidier cells below it.
func TestFirstOfLikeHeadersWins(t *testing.T) {
	rows := grid(1, "INCOME", "Cost Centre|Description|Budget", "HM01|Rent income|-800000", "HM01|Service charges|-50000",
		"|Total income|-850000", "", "EXPENDITURE", "Cost Centre|Description|Budget", "HM01|Salaries|300000", "CI01|Money advice|40000")
	h, ok := detectHeader(rows, 0, "")
	if !ok {
		t.Fatalf("no header: %s", noHeaderReason(rows, 0, ""))
	}
	if h.Row != 2 {
		t.Errorf("header on row %d, want 2", h.Row)
	}
}

// Headers over two rows, and what is not one.
func TestTwoRowHeaders(t *testing.T) {
	for _, c := range []struct {
		name    string
		rows    []rowCells
		explain string // "" for no header
	}{
		{"a units row is read with its heading",
			grid(1, "Board budget 2026/27", "", "Directorate|Service|Budget 2026/27|Forecast 2025/26", "||£000|£000",
				"Housing|Housing management|2450.5|2300", "Housing|Rent income|-12000|-11800"),
			`amount "Budget 2026/27" (in thousands of pounds`},
		{"years written 2026-27 and FY27",
			grid(1, "Cost Centre|Description|Budget|", "||2025-26|FY27", "HM1|Officer|100|110", "HM2|Supplies|50|55"),
			`read header on rows 1–2: amount "Budget FY27", cost centre "Cost Centre", description "Description"`},
		{"a heading with nothing below its own cell does not spread",
			grid(1, "Directorate||Budget|", "|Cost Centre|2025/26|2026/27", "Housing|HM1|100|110", "Housing|HM2|50|55"),
			`read header on rows 1–2: amount "Budget 2026/27", business unit "Directorate", cost centre "Cost Centre"`},
		{"the first data row is not a heading",
			grid(1, "Cost Centre|Description|Budget", "HM1|Officer|", "HM2|Supplies|50", "HM3|Cleaning|75"),
			`read header on row 1: amount "Budget", cost centre "Cost Centre", description "Description"`},
		{"a title over the header",
			grid(1, "Revenue budget 2026/27", "Cost Centre|Description|Budget", "HM1|Officer|100", "HM2|Supplies|50"),
			`read header on row 2: amount "Budget", cost centre "Cost Centre", description "Description"`},
		{"a year typed as a number under its heading",
			grid(1, "Cost Centre|Description|Budget", "||2026", "HM1|Officer|100", "HM2|Supplies|50"),
			`read header on rows 1–2: amount "Budget 2026", cost centre "Cost Centre", description "Description"`},
		{"years over amounts are data, not headings",
			grid(1, "Cost Centre|Description|Budget", "HM1|Officer|2026", "HM2|Supplies|2027"),
			`read header on row 1: amount "Budget", cost centre "Cost Centre", description "Description"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, ok := detectHeader(c.rows, 0, "")
			switch {
			case !ok && c.explain != "":
				t.Fatalf("no header: %s", noHeaderReason(c.rows, 0, ""))
			case ok && c.explain == "":
				t.Fatalf("read a header: %s", h.Explain())
			case ok && !strings.Contains(h.Explain(), c.explain):
				t.Errorf("got  %s\nwant %s", h.Explain(), c.explain)
			}
		})
	}
}

// Period and year headings: a full year or a year is an amount; a
// quarter, a month or a year's number is not, and never wins over a full
// year.
func TestPeriodHeadings(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []rowCells
		want string // the amount heading, "" for no header
	}{
		{"full year beside quarters", grid(1, "Cost Centre|Description|Q1|Q2|Q3|Q4|Full Year", "HM1|Officer|1|2|3|4|10"), "Full Year"},
		{"full year first", grid(1, "Cost Centre|Description|Full Year|Q1|Q2|Q3|Q4", "HM1|Officer|10|1|2|3|4"), "Full Year"},
		{"annual beside monthly", grid(1, "Cost Centre|Description|Monthly|Annual", "HM1|Officer|10|120"), "Annual"},
		{"months and a total", grid(1, "Cost Centre|Description|Apr|May|Jun|Total", "HM1|Officer|10|10|10|30"), "Total"},
		{"quarters alone", grid(1, "Cost Centre|Description|Q1|Q2|Q3|Q4", "HM1|Officer|1|2|3|4"), ""},
		{"a monthly figure alone", grid(1, "Cost Centre|Description|Monthly", "HM1|Officer|10"), ""},
		{"months alone", grid(1, "Cost Centre|Description|April|May|June", "HM1|Officer|10|10|10"), ""},
		{"a year's number", grid(1, "Cost Centre|Description|Year", "HM1|Officer|2026", "HM2|Supplies|2025"), ""},
		{"the latest of two years", grid(1, "Cost Centre|Description|2025/26|2026/27|2024-25", "HM1|Officer|1|2|3"), "2026/27"},
		{"a date", grid(1, "Cost Centre|Description|31/03/2027", "HM1|Officer|1", "HM2|Supplies|2"), ""},
		{"a date written year first", grid(1, "Cost Centre|Description|2021-12-31", "HM1|Officer|1", "HM2|Supplies|2"), ""},
		{"a date and a time", grid(1, "Cost Centre|Description|30.08.2013 0:00:00", "HM1|Officer|1", "HM2|Supplies|2"), ""},
		{"a quarter of a year", grid(1, "Cost Centre|Description|Q1 2026/27", "HM1|Officer|1", "HM2|Supplies|2"), ""},
		{"a full year and its year", grid(1, "Cost Centre|Description|Q4 2026/27|Full Year 2026/27", "HM1|Officer|1|4"), "Full Year 2026/27"},
		{"a financial year written FY", grid(1, "Cost Centre|Description|FY26|FY27", "HM1|Officer|1|4"), "FY27"},
		{"running costs are spend", grid(1, "Cost Centre|Description|Running Costs", "HM1|Officer|1", "HM2|Supplies|2"), "Running Costs"},
		{"a budget beside a quarter's actual", grid(1, "Cost Centre|Description|Q1 Actual|Budget", "HM1|Officer|1|4"), "Budget"},
		{"a monthly budget beside an annual one", grid(1, "Cost Centre|Description|Annual Budget|Monthly Budget", "HM1|Officer|12|1"), "Annual Budget"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, ok := detectHeader(c.rows, 0, "")
			got := ""
			if ok {
				got = h.Texts[h.Columns[FieldAmount]]
			}
			if got != c.want {
				reason := ""
				if ok {
					reason = h.Explain()
				} else {
					reason = noHeaderReason(c.rows, 0, "")
				}
				t.Errorf("amount %q, want %q (%s)", got, c.want, reason)
			}
		})
	}
}

// A service (or service area) column may be all that says what a line
// is; a directorate alone may not (a summary by directorate repeats the
// detail sheet's lines).
func TestServiceAloneSaysWhatALineIs(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []rowCells
		ok   bool
	}{
		{"service", grid(1, "Service|Pay|Non-pay|Income|Total", "Housing management|500|200|-900|-200", "Community investment|100|50|0|150"), true},
		{"service area", grid(1, "Service Area|Budget", "Housing management|500", "Community investment|100"), true},
		{"directorate", grid(1, "Riverside Homes: Budget 2026/27 summary", "", "Directorate|Budget 2026/27 £", "Housing|-560000", "Communities|75000"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, ok := detectHeader(c.rows, 0, "")
			if ok != c.ok {
				t.Errorf("header found %v, want %v (%s)", ok, c.ok, noHeaderReason(c.rows, 0, ""))
			}
			if ok && h.Columns[FieldBusinessUnit] != 1 {
				t.Errorf("columns %v: %s", h.Columns, h.Explain())
			}
		})
	}
}

// Debit and credit columns are found, named, and never read one alone.
func TestDebitAndCreditSaySo(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []rowCells
		want string
	}{
		{"sage", grid(1, "No|Type|Date|Account|Ref|Details|Dept|Debit|Credit",
			"1|PI|01/04/2026|7200|INV1|Electricity sheltered scheme|2|1000.00|", "2|PC|05/04/2026|7200|CN1|Electricity refund|2||200.00"),
			`found debit and credit columns (Debit, Credit) on row 1 but no single amount column; add a column of debit minus credit`},
		{"oracle", grid(1, "PERIOD_NAME|SEGMENT1|SEGMENT2|SEGMENT3|DESCRIPTION|ACCOUNTED_DR|ACCOUNTED_CR",
			"APR-26|01|HM100|51000|Salaries April|41000.00|0", "APR-26|01|HM100|41000|Rent April|0|85000.00"),
			`found debit and credit columns (ACCOUNTED_DR, ACCOUNTED_CR) on row 1 but no single amount column; add a column of debit minus credit`},
		{"amounts headed debit and credit", grid(1, "Date|Description|Debit Amount|Credit Amount",
			"01/04/2026|Boiler repair|1200|", "02/04/2026|Rent||650"),
			`found debit and credit columns (Debit Amount, Credit Amount) on row 1 but no single amount column`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if h, ok := detectHeader(c.rows, 0, ""); ok {
				t.Fatalf("read a header: %s", h.Explain())
			}
			got := noHeaderReason(c.rows, 0, "")
			if !strings.Contains(got, c.want) {
				t.Errorf("reason %q\nwant it to say %q", got, c.want)
			}
			for _, c := range c.rows[0].Cells {
				if w := analyseHeader(c.Value); w.has("debit", "credit") && strings.Contains(got, `"`+c.Value+`"`) {
					t.Errorf("reason %q reads %q as a column of another kind", got, c.Value)
				}
			}
		})
	}
}

// A title over a header whose amount column is headed by a year alone is
// a title, not the first row of a two-row header.
func TestTitleOverAYearHeader(t *testing.T) {
	rows := grid(1, "Revenue budget", "Cost Centre|Description|2026/27", "HM1|Officer|100", "HM2|Supplies|50")
	h, ok := detectHeader(rows, 0, "")
	if !ok {
		t.Fatalf("no header: %s", noHeaderReason(rows, 0, ""))
	}
	if got, want := h.Explain(), `read header on row 2: amount "2026/27", cost centre "Cost Centre", description "Description"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
