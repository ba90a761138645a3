package ingest

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// grid makes rows from lines of cells separated by "|" (row numbers from
// first); an empty line is a blank row.
func grid(first int, lines ...string) []rowCells {
	var out []rowCells
	for i, l := range lines {
		r := rowCells{Row: first + i}
		if l != "" {
			for j, v := range strings.Split(l, "|") {
				if v = strings.TrimSpace(v); v != "" {
					r.Cells = append(r.Cells, cell{Col: j + 1, Value: strings.ReplaceAll(v, `\n`, "\n"), HasValue: true})
				}
			}
		}
		if len(r.Cells) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// columnsNamed is what a header found, as field → header text (line types
// joined with " + ").
func columnsNamed(h *header) map[Field]string {
	got := map[Field]string{}
	for f := range numFields {
		if col := h.Columns[f]; col > 0 {
			got[f] = h.Texts[col]
		}
	}
	for _, c := range h.LineTypeCols {
		got[FieldLineType] += " + " + h.Texts[c]
	}
	return got
}

func TestDetectHeader(t *testing.T) {
	type want map[Field]string
	for _, c := range []struct {
		name   string
		rows   []rowCells
		row    int
		want   want
		others []string // amount columns found and not chosen
		shift  int
	}{
		{
			name: "transparency code spend file",
			rows: grid(1,
				"Body|Body Name|Date|Transaction Number|Net Amount|Supplier Name|Expense Area|Expense Type|Expense Code|Purpose",
				"E07000999|Fictional District Council|03/04/2026|PAY100231|4250.00|Total Care Ltd|Housing Needs|Supported Accommodation|4410|Supported accommodation placement",
				"E07000999|Fictional District Council|03/04/2026|PAY100232|1873.42|TotalEnergies Business|Corporate Property|Electricity|3120|Electricity: civic offices",
				"E07000999|Fictional District Council|04/04/2026|PAY100240|-120.00|TotalEnergies Business|Corporate Property|Electricity|3120|Credit note"),
			row: 1,
			want: want{FieldAmount: "Net Amount", FieldPayee: "Supplier Name", FieldNominal: "Expense Code",
				FieldLineType: "Expense Area + Expense Type + Purpose"},
		},
		{
			name: "title block, unfamiliar words",
			rows: grid(1, "Fictional Homes", "Spend by supplier, period 1-12", "", "", "", "", "",
				"Dept|Expense Type|Supplier Name|Net Spend £",
				"Housing|Agency staff|Fictional Recruitment Ltd|12,500.00",
				"Housing|Temporary accommodation|Anytown Guest House|3,200.00",
				"Property|Repairs|Fictional Builders|(250.00)"),
			row:  8,
			want: want{FieldAmount: "Net Spend £", FieldBusinessUnit: "Dept", FieldLineType: "Expense Type", FieldPayee: "Supplier Name"},
		},
		{
			name: "abbreviations and misspellings",
			rows: grid(1, "Cst Ctr|Acct|Decription|Ammount",
				"H1010|51000|Neighbourhood officer salaries|1200",
				"H1010|53000|Office supplies|3400"),
			row:  1,
			want: want{FieldCostCentre: "Cst Ctr", FieldNominal: "Acct", FieldDescription: "Decription", FieldAmount: "Ammount"},
		},
		{
			name: "ledger field codes",
			rows: grid(1, "CC_CODE|GL_ACCT|TXN_DESC|AMT_NET|AMT_VAT",
				"H1010|51000|Neighbourhood officer salaries|1200|240",
				"H1010|53000|Office supplies|3400|680"),
			row:  1,
			want: want{FieldCostCentre: "CC_CODE", FieldNominal: "GL_ACCT", FieldDescription: "TXN_DESC", FieldAmount: "AMT_NET"},
		},
		{
			name: "camel case field names",
			rows: grid(1, "CostCentre|NominalCode|LineDescription|NetAmount",
				"H1010|51000|Neighbourhood officer salaries|1200"),
			row:  1,
			want: want{FieldCostCentre: "CostCentre", FieldNominal: "NominalCode", FieldDescription: "LineDescription", FieldAmount: "NetAmount"},
		},
		{
			name: "amount ex VAT beside the VAT",
			rows: grid(1, "Supplier|Description|VAT|Amount (ex VAT)",
				"Fictional Builders|Kitchen replacement|500.00|2,500.00"),
			row:  1,
			want: want{FieldPayee: "Supplier", FieldDescription: "Description", FieldAmount: "Amount (ex VAT)"},
		},
		{
			name: "£000 on its own",
			rows: grid(1, "Fictional Homes Group: revenue budget 2026/27", "£000", "",
				"Service|Cost Centre|Description|£000",
				"Housing Management|HM100|Housing officers|125.5",
				"Housing Management|HM110|Anti-social behaviour service|12.345"),
			row:   4,
			want:  want{FieldBusinessUnit: "Service", FieldCostCentre: "Cost Centre", FieldDescription: "Description", FieldAmount: "£000"},
			shift: 3,
		},
		{
			name: "headings with line breaks, in £million, a title for a label",
			rows: grid(4,
				`NHS Recovery, Health and Social Care|2023-24\n\nFiscal\nResource\n\n£million|2023-24\n\nScottish\nBudget\n\n£million|\n2024-25\n\nFinancial\nTransactions\n\n|2024-25\n\nScottish\nBudget\n\n£million|% Change\n\n2024-25\non\n2023-24|What it buys`,
				"",
				"NHS Territorial Boards",
				"NHS Territorial Boards |11896.036|12132.036|0|12655|4.3106037601602892E-2|NHS Boards provide free and universal front line health care",
				"Level 3 Total|11896.036|12132.036|0|12655|4.3106037601602892E-2",
				"NHS National Boards |1495.1|1530.1|0|1588.9|3.8428860858767525E-2|National Boards provide support services"),
			row:    4,
			want:   want{FieldAmount: "2024-25\n\nScottish\nBudget\n\n£million", FieldDescription: "NHS Recovery, Health and Social Care"},
			others: []string{"2023-24 Scottish Budget £million", "2023-24 Fiscal Resource £million"},
			shift:  6,
		},
		{
			name: "£000 in the title, not the heading",
			rows: grid(1, "Fictional Homes: revenue budget", "All amounts in £000", "",
				"Cost Centre|Description|Budget 2026/27", "HM100|Housing officers|125.5"),
			row:   4,
			want:  want{FieldCostCentre: "Cost Centre", FieldDescription: "Description", FieldAmount: "Budget 2026/27"},
			shift: 3,
		},
		{
			// A header over two rows: the heading and its unit.
			name:  "a units row under the heading",
			rows:  grid(1, "Cost Centre|Description|Budget 2026/27", "||£'000", "HM100|Housing officers|125.5"),
			row:   2,
			want:  want{FieldCostCentre: "Cost Centre", FieldDescription: "Description", FieldAmount: "Budget 2026/27 £'000"},
			shift: 3,
		},
		{
			name: "pounds in the title, and thousands of tenants",
			rows: grid(1, "All amounts in £", "Thousands of tenants housed since 1990", "",
				"Cost Centre|Description|Budget 2026/27", "HM100|Housing officers|125.5"),
			row:  4,
			want: want{FieldCostCentre: "Cost Centre", FieldDescription: "Description", FieldAmount: "Budget 2026/27"},
		},
		{
			name: "budget beside actual, forecast and variance",
			rows: grid(1, "Cost Centre|Description|Actual to Date|Budget 2026/27|Forecast Outturn|Variance|% Change|FTE",
				"HM101|Tenancy sustainment officers|4800|10000|9600|-400|0.04|2"),
			row:    1,
			want:   want{FieldCostCentre: "Cost Centre", FieldDescription: "Description", FieldAmount: "Budget 2026/27"},
			others: []string{"Actual to Date", "Forecast Outturn"},
		},
		{
			name: "net before gross",
			rows: grid(1, "Supplier Name|Gross Amount|Net Amount|Expense Type",
				"Fictional Builders|1200|1000|Repairs"),
			row:    1,
			want:   want{FieldPayee: "Supplier Name", FieldAmount: "Net Amount", FieldLineType: "Expense Type"},
			others: []string{"Gross Amount"},
		},
		{
			name: "pounds before the card's own currency",
			rows: grid(1, "TRANS DATE|TRANS VAT DESC|ORIGINAL GROSS AMT|ORIGINAL CUR|BILLING GROSS AMT|BILLING CUR CODE|TRANS TAX RATE|TRANS TAX AMT|MERCHANT NAME|CARD NUMBER|TRANS CAC CODE 1|TRANS CAC DESC 1|TRANS CAC CODE 2|TRANS CAC DESC 2|Directorate",
				"43361|VZ|75|GBP|75|GBP|0|0|hmcourts-service.g|************8998|MC70|Supplies & Sev Mic|RV3T0|Mental Health Management Budget|Adult Social Care and Health",
				"43369|VR|38.54|EUR|33.10|GBP|20|6.42|mrh waterlinks|************2823|K020|Vehicle Fuel|RV191|Moseley Day Centre|Adult Social Care and Health"),
			row: 1,
			want: want{FieldAmount: "BILLING GROSS AMT", FieldPayee: "MERCHANT NAME", FieldBusinessUnit: "Directorate",
				FieldDescription: "TRANS CAC DESC 1", FieldLineType: "TRANS CAC DESC 2"},
			others: []string{"ORIGINAL GROSS AMT"},
		},
		{
			name: "a payee is never the description",
			rows: grid(1, "Payee|Amount", "Anytown Guest House|3200.00", "Fictional Lettings Ltd|2800.00"),
			row:  1,
			want: want{FieldPayee: "Payee", FieldAmount: "Amount"},
		},
		{
			name: "service area beside a directorate says what a line is",
			rows: grid(1, "Capital or Revenue|Directorate|Transaction Number|Date|Service Area|Expenses Type|Amount|Supplier Name",
				"Revenue|Community Wellbeing & Social Care|5105650243|29.01.2014|Drug Misuse - Adults|Charges from Independent Providers|120.00|REDACTED PERSONAL DATA"),
			row: 1,
			want: want{FieldBusinessUnit: "Directorate", FieldLineType: "Service Area + Expenses Type", FieldAmount: "Amount",
				FieldPayee: "Supplier Name"},
		},
		{
			name: "service alone is the business unit",
			rows: grid(1, "Ledger export", "Service|CC|Nominal|Detail|Budget £", "Housing Services|HM103|5000|Money advice worker|£32,000.00"),
			row:  2,
			want: want{FieldBusinessUnit: "Service", FieldCostCentre: "CC", FieldNominal: "Nominal", FieldDescription: "Detail", FieldAmount: "Budget £"},
		},
		{
			name: "account holding text is a line type",
			rows: grid(1, "Cost Centre|Account|Amount", "HM1|Supplies and services|100", "HM1|Salaries|200"),
			row:  1,
			want: want{FieldCostCentre: "Cost Centre", FieldLineType: "Account", FieldAmount: "Amount"},
		},
		{
			name: "the same heading twice: codes, then names",
			rows: grid(1, "Supplier Name|Account Code|Account Code|Cost Centre Code|Cost Centre Code|Amount",
				"Yorwaste Ltd|1040|Disposal Fees|R203|Recycling|\"1,000.00\"",
				"Harrogate Borough Council|2280|Miscellaneous|R255|Development Control|696.06"),
			row: 1,
			want: want{FieldPayee: "Supplier Name", FieldNominal: "Account Code", FieldNominalName: "Account Code",
				FieldCostCentre: "Cost Centre Code", FieldCostCentreName: "Cost Centre Code", FieldAmount: "Amount"},
		},
		{
			name: "code and name in one cell are codes",
			rows: grid(1, "Service|Cost Centre|Account|Description|Budget 2026/27",
				"Housing|HM101 - Housing Management|5001 Salaries|Housing officers|100000",
				"Housing|HM102 - Lettings|5001 Salaries|Lettings officer|30000"),
			row: 1,
			want: want{FieldBusinessUnit: "Service", FieldCostCentre: "Cost Centre", FieldNominal: "Account",
				FieldDescription: "Description", FieldAmount: "Budget 2026/27"},
		},
		{
			name: "the first of two like headers",
			rows: grid(1, "Cost Centre|Description|Budget", "HM1|Officer|100", "Cost Centre|Description|Budget", "HM2|Officer|100"),
			row:  1,
			want: want{FieldCostCentre: "Cost Centre", FieldDescription: "Description", FieldAmount: "Budget"},
		},
		{
			name: "a budget holder is a person",
			rows: grid(1, "Cost Centre|Budget Holder|Description|Budget",
				"HM1|A Smith|Officer|100", "HM2|B Jones|Officer|100", "HM3|C Patel|Officer|100", "HM4|D Evans|Officer|100", "HM5|E Khan|Officer|100"),
			row:  1,
			want: want{FieldCostCentre: "Cost Centre", FieldDescription: "Description", FieldAmount: "Budget"},
		},
		{
			name: "the header below a row that merely mentions a budget",
			rows: grid(1, "Revenue budget 2026/27|Description of changes", "",
				"Cost Centre|Cost Centre Name|Nominal|Description|Budget",
				"HM101|Tenancy Sustainment|5000|Tenancy sustainment officer|12345.67"),
			row:  3,
			want: want{FieldCostCentre: "Cost Centre", FieldCostCentreName: "Cost Centre Name", FieldNominal: "Nominal", FieldDescription: "Description", FieldAmount: "Budget"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, ok := detectHeader(c.rows, 0, "")
			if !ok {
				row, found, missing := bestCandidate(c.rows)
				t.Fatalf("no header found; nearest row %d (%s) lacks %s", row, found, missing)
			}
			if h.Row != c.row {
				t.Errorf("header on row %d, want %d: %s", h.Row, c.row, h.Explain())
			}
			got := columnsNamed(h)
			for f := range numFields {
				if got[f] != c.want[f] {
					t.Errorf("%s: got %q, want %q (%s)", f, got[f], c.want[f], h.Explain())
				}
			}
			if !slices.Equal(h.OtherAmounts, c.others) {
				t.Errorf("other amounts %q, want %q", h.OtherAmounts, c.others)
			}
			if h.UnitShift != c.shift || h.Thousands != (c.shift == 3) {
				t.Errorf("unit shift %d (thousands %v), want %d", h.UnitShift, h.Thousands, c.shift)
			}
		})
	}
}

func TestNotAHeader(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []rowCells
	}{
		{"a note", grid(1, "Note|Text", "1|Not a budget")},
		{"assumptions, as rates", grid(1, "Assumptions", "Item|Value", "Pay award|0.035", "Inflation (CPI)|0.025", "Budget total agreed by the board|50000")},
		{"a contents sheet", grid(1, "Fictional Homes: budget book 2026/27", "", "Sheet|What it holds", "Notes|Assumptions", "Budget|Revenue budget by cost centre")},
		{"amounts with nothing to say what they are for", grid(1, "Date|Amount", "03/04/2026|100", "04/04/2026|200")},
		{"a lookup form", grid(8, "|Please enter your LAEstab Number", "", "||||||||Deprivation Pupil Premium (8)(16)|||||||||||Total Deprivation Pupil Premium",
			"||||||||Pupils in Primary year groups",
			"|URN|LAEstab|Local Authority|School Name|Number of pupils on roll (7)||Number of Primary pupils on roll (9)||||||||||Total number of pupils eligible for the Deprivation Pupil Premium|Total allocation for the Deprivation Pupil Premium",
			"|||||||||||||||||||Source: School Census")},
		{"heights in metres", grid(1, "Mountain|Height\n(m)", "Everest|8848", "K2|8611")},
		{"a measure headed value, beside names", grid(2, "Mountains", "Mountain|Default Value", "Everest|8848", "K2|8611", "Kangchenjunga|8586", "Lhotse|8516")},
		{"a measure headed total, beside names", grid(1, "Cable|TotalFiberLength", "Rood|120.5", "Blauw|98.25", "Groen|143")},
		{"an accounts schedule headed by codes and units", grid(6,
			"STATEMENT OF COMPREHENSIVE INCOME|||A02CY01|A02PY01|Maincode", "|||Expected sign|SoCI|SoCI", "||||2023/24|2022/23", "||||£000|£000|Subcode",
			"Operating income from patient care activities|||+|0|0|SCI0100A", "Other operating income|||+|0|0|SCI0110A")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if h, ok := detectHeader(c.rows, 0, ""); ok {
				t.Errorf("read a header: %s", h.Explain())
			}
		})
	}
}

func TestExplain(t *testing.T) {
	rows := grid(1, "Fictional Homes", "", "", "", "", "", "",
		"Dept|Expense Type|Supplier Name|Net Spend £",
		"Housing|Agency staff|Fictional Recruitment Ltd|12,500.00")
	h, ok := detectHeader(rows, 0, "")
	if !ok {
		t.Fatal("no header")
	}
	if got, want := h.Explain(), `read header on row 8: amount "Net Spend £", business unit "Dept", line type "Expense Type", payee "Supplier Name"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	rows = grid(1, "Figures in £m", "Cost Centre|Description|Budget", "HM100|Housing officers|1.5")
	h, _ = detectHeader(rows, 0, "")
	if got, want := h.Explain(), `read header on row 2: amount "Budget" (in millions of pounds, as row 1 says), cost centre "Cost Centre", description "Description"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	rows = grid(1, "Service|Cost Centre|Description|£000", "Housing Management|HM100|Housing officers|125.5")
	h, _ = detectHeader(rows, 0, "")
	if got, want := h.Explain(), `read header on row 1: amount "£000" (in thousands of pounds), business unit "Service", cost centre "Cost Centre", description "Description"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// --amount-column used to be refused as absent whenever its row lacked a
// cost centre, nominal or description column (a supplier and a category
// were not enough), even with the column right there.
func TestAmountColumnGiven(t *testing.T) {
	rows := grid(1, "Supplier Name|Category Family|Invoice GL Date|Spend",
		"AECOM Ltd|General Civils|2021-04-01|593650.00", "Fictional Rail Ltd|Track|2021-04-01|62499.15")
	h, ok := detectHeader(rows, 0, "Spend")
	if !ok {
		t.Fatalf("--amount-column Spend: no header (%s)", noHeaderReason(rows, 0, "Spend"))
	}
	if h.Columns[FieldAmount] != 4 || h.Columns[FieldPayee] != 1 || h.Columns[FieldLineType] != 2 {
		t.Errorf("columns %v: %s", h.Columns, h.Explain())
	}
	for _, c := range []struct {
		name     string
		rows     []rowCells
		forceRow int
		column   string
		want     string
	}{
		{"the column is there but nothing says what a line is", grid(1, "Date|Spend", "2021-04-01|100"), 0, "Spend",
			`row 1 has the column "Spend" given with --amount-column, but no column that says what each line is`},
		{"no such column", grid(1, "Cost Centre|Description|Budget", "HM1|Officer|100"), 0, "Budget 2027/28",
			`no row in the first 60 rows has a column headed "Budget 2027/28", as given with --amount-column`},
		{"a heading or a letter", grid(1, "Cost Centre|Description|Amount", "HM1|Officer|100"), 0, "Amt",
			`no row in the first 60 rows has a column headed "Amt", and no header in the first 60 rows reaches column AMT given with --amount-column`},
		{"a letter right of the header", grid(1, "Cost Centre|Description|Budget", "HM1|Officer|100"), 0, "F",
			`no header in the first 60 rows reaches column F given with --amount-column`},
		{"the column is on another row than --header-row", grid(1, "Title", "Cost Centre|Description|Budget", "HM1|Officer|100"), 1, "Budget",
			`row 1 has no column headed "Budget", as given with --amount-column`},
		{"no amounts", grid(1, "Supplier Name|Category Family|Invoice GL Date", "AECOM Ltd|General Civils|2021-04-01"), 0, "",
			`the nearest to a header is row 1 (line type "Category Family", payee "Supplier Name"), which lacks a column of amounts`},
		{"nothing to say what a line is", grid(1, "Date|Amount", "2021-04-01|100"), 0, "",
			`the nearest to a header is row 1 (amount "Amount"), which lacks a column that says what each line is`},
		{"nothing at all", grid(1, "Minutes of the meeting", "Present: A Smith"), 0, "",
			`no row in the first 60 rows names the columns the tool reads`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if h, ok := detectHeader(c.rows, c.forceRow, c.column); ok {
				t.Fatalf("found a header: %s", h.Explain())
			}
			if got := noHeaderReason(c.rows, c.forceRow, c.column); !strings.Contains(got, c.want) {
				t.Errorf("reason %q\nwant it to say %q", got, c.want)
			}
		})
	}
}

func TestStaffingHeader(t *testing.T) {
	for _, c := range []struct {
		row  string
		want bool
	}{
		{"Cost Centre|Post Title|Grade|FTE|Budget 2026/27", true},
		{"Team|Cost Centre|Post|FTE|Salary|On-costs %|Time split", true},
		{"Post No|Job Title|Spinal Point|Salary", true},
		{"Cost Centre|Description|FTE|Budget", false},
		{"Directorate|Cost Centre|Nominal|Nominal Description|Description|Budget 2026/27 £", false},
	} {
		rows := grid(1, c.row, "HM101|Tenancy Sustainment Officer|SO1|1|31000")
		if got := looksLikeStaffing(rows[0].texts()); got != c.want {
			t.Errorf("%s: staffing %v, want %v", c.row, got, c.want)
		}
		if h, ok := detectHeader(rows, 0, ""); ok && h.Staffing != c.want {
			t.Errorf("%s: header.Staffing %v, want %v", c.row, h.Staffing, c.want)
		}
	}
}

func (r rowCells) texts() map[int]string {
	t := map[int]string{}
	for _, c := range r.Cells {
		t[c.Col] = c.Value
	}
	return t
}

func TestFuzzyWords(t *testing.T) {
	for in, want := range map[string]string{
		"ammount": "amount", "decription": "description", "desciption": "description", "suplier": "supplier",
		"directrate": "directorate", "departmental": "department", "amt": "amount", "dscrptn": "description",
		"retail": "", "normal": "", "grand": "", "ltd": "", "speed": "", "pan": "", "non": "", "ppe": "", "care": "", "buget": "budget",
	} {
		if got, _ := canonical(in); (want == "" && got != in) || (want != "" && got != want) {
			t.Errorf("%q read as %q, want %q", in, got, cmpOr(want, in))
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// corpusHeads reads the first rows of every sheet of a file, as readHead
// does, with the standard library for CSV so this test does not depend on
// the CSV reader's internals.
func corpusHeads(t *testing.T, path string) map[string][]rowCells {
	t.Helper()
	heads := map[string][]rowCells{}
	if strings.HasSuffix(path, ".csv") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(data) {
			if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
				t.Fatal(err)
			}
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
		r.FieldsPerRecord, r.LazyQuotes = -1, true
		for n := 1; n <= headerScanRows; n++ {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			row := rowCells{Row: n}
			for i, v := range rec {
				if v != "" {
					row.Cells = append(row.Cells, cell{Col: i + 1, Value: v, HasValue: true})
				}
			}
			heads[""] = append(heads[""], row)
		}
		return heads
	}
	wb, err := sheetxml.Open(path, sheetxml.Limits{MaxUnzipped: unzipSizeLimit})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, s := range wb.Sheets() {
		rows, err := wb.Rows(s.Name)
		if err != nil {
			continue
		}
		var head []rowCells
		for len(head) < headerScanRows && rows.Next() {
			row := rowCells{Row: rows.Row()}
			for _, c := range rows.Cells() {
				if c.Value != "" || c.HasFormula {
					row.Cells = append(row.Cells, cell{Col: c.Col, Value: c.Value, Formula: c.Formula, HasFormula: c.HasFormula, HasValue: c.HasValue})
				}
			}
			if len(row.Cells) > 0 {
				head = append(head, row)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		heads[s.Name] = head
	}
	return heads
}

// TestCorpusHeaders reads the header of each real spend and budget file in
// ../shared/corpus/ledgers.
func TestCorpusHeaders(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "ledgers")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no corpus at ../shared/corpus/ledgers")
	}
	type want map[Field]string
	type sheet struct {
		row    int
		want   want
		others []string
		shift  int
	}
	scot := func(row int, label, latest string) sheet {
		return sheet{row: row, shift: 6, want: want{FieldDescription: label, FieldAmount: latest + "\n\nScottish\nBudget\n\n£million"}}
	}
	for _, c := range []struct {
		file   string
		sheets map[string]sheet // "" for CSV; a missing sheet: no header
		// more sheets than listed may have a header, unless strict
		strict bool
	}{
		{"calderdale__2022-08.csv", map[string]sheet{"": {row: 1, want: want{
			FieldAmount: "Net Amount", FieldPayee: "Supplier(Beneficiary) Name", FieldNominal: "Expense Code",
			FieldDescription: "Extended Description",
			FieldLineType:    "Expense Area + Procurement Classification: Council's Procurement Category Name + Purpose of Spend (Summary)",
		}}}, true},
		{"craven__payments.csv", map[string]sheet{"": {row: 1, want: want{
			FieldAmount: "Amount", FieldPayee: "Supplier Name", FieldNominal: "Account Code", FieldNominalName: "Account Code",
			FieldCostCentre: "Cost Centre Code", FieldCostCentreName: "Cost Centre Code",
		}}}, true},
		{"networkrail__2021-04.csv", map[string]sheet{"": {row: 1, want: want{
			FieldAmount: "Spend", FieldPayee: "Supplier Name", FieldLineType: "Category Family",
		}}}, true},
		{"cabinetoffice__2022-07.csv", map[string]sheet{"": {row: 1, want: want{
			FieldAmount: "Amount", FieldPayee: "Supplier", FieldLineType: "Expense Type + Expense Area", FieldBusinessUnit: "Entity",
		}}}, true},
		{"isleofwight__IW_PUBLISHED_FORMAT_-_JAN_2014.csv", map[string]sheet{"": {row: 1, want: want{
			FieldAmount: "Amount", FieldBusinessUnit: "Directorate", FieldLineType: "Service Area + Expenses Type", FieldPayee: "Supplier Name",
		}}}, true},
		{"birmingham__purchase-card-transactions-september-2018.xlsx", map[string]sheet{"Sheet1": {row: 1, want: want{
			FieldAmount: "BILLING GROSS AMT", FieldBusinessUnit: "Directorate", FieldPayee: "MERCHANT NAME",
			FieldDescription: "TRANS CAC DESC 1", FieldLineType: "TRANS CAC DESC 2",
		}, others: []string{"ORIGINAL GROSS AMT"}}}, true},
		{"scotgov__scottish-budget-2024-25-level-4.xlsx", map[string]sheet{
			"NHSR, H & SC": scot(4, "NHS Recovery, Health and Social Care", "2024-25"),
			"TRANSPORT":    scot(3, "Transport", "2024-25"),
		}, false},
		{"scotgov__scottish-budget-2022-23-level-4.xlsx", map[string]sheet{
			"H & SC": scot(2, "Health and\nSocial Care", "2022-23"),
		}, false},
		{"nhsengland__2023-24-NHS-Provider-TAC-illustrative-file.xlsx", nil, true},
		{"dfe__Pupil_Premium_final_allocations_2015_to_2016_School_table.xlsx", nil, false},
	} {
		t.Run(strings.Split(c.file, "__")[0]+"/"+c.file, func(t *testing.T) {
			heads := corpusHeads(t, filepath.Join(dir, c.file))
			for name, rows := range heads {
				h, ok := detectHeader(rows, 0, "")
				w, listed := c.sheets[name]
				switch {
				case !listed && ok && c.strict:
					t.Errorf("sheet %q: %s; want no header", name, h.Explain())
				case !listed:
					if ok {
						t.Logf("sheet %q: %s", name, h.Explain())
					}
				case !ok:
					t.Errorf("sheet %q: no header (%s)", name, noHeaderReason(rows, 0, ""))
				default:
					t.Logf("sheet %q: %s", name, h.Explain())
					if h.Row != w.row {
						t.Errorf("sheet %q: header on row %d, want %d", name, h.Row, w.row)
					}
					got := columnsNamed(h)
					for f := range numFields {
						if got[f] != w.want[f] {
							t.Errorf("sheet %q: %s: got %q, want %q", name, f, got[f], w.want[f])
						}
					}
					if w.others != nil && !slices.Equal(h.OtherAmounts, w.others) {
						t.Errorf("sheet %q: other amounts %q, want %q", name, h.OtherAmounts, w.others)
					}
					if h.UnitShift != w.shift {
						t.Errorf("sheet %q: unit shift %d, want %d", name, h.UnitShift, w.shift)
					}
				}
			}
			for name := range c.sheets {
				if _, ok := heads[name]; !ok {
					t.Errorf("no sheet %q", name)
				}
			}
		})
	}
}

// A header is looked for once a sheet; 60 rows of 30 columns should take
// well under a millisecond or so.
func BenchmarkDetectHeader(b *testing.B) {
	// 30 columns as a council's spend file has them, each with the kind of
	// value it holds; title rows, then 56 rows of data.
	cols := [][2]string{{"Body", "E07000999"}, {"Organisation Name", "The Borough of Calderdale"}, {"Date", "2022-08-17"},
		{"Internal Ref Number", "31651682"}, {"Invoice Number", "08AUG-04SEP"}, {"Net Amount", "4101.36"}, {"Irrecoverable VAT", "N/A"},
		{"Supplier(Beneficiary) Name", "Achieve Together Ltd"}, {"Supplier Registered Company Number", "0123456"}, {"Supplier ID", "S385887"},
		{"VAT Registration Number", "GB123456789"}, {"Expense Area", "Adult Services and Wellbeing-Adult Health & Social Care"},
		{"Procurement Category Name", "Private Contractors"}, {"Expense Code", "88769499"}, {"BVACOP", "RC"}, {"Proclass", "PC"},
		{"Extended Description", "Residential placement, week 3"}, {"Source", "CQ"}, {"Subsource", "RC"}, {"Definition", "Residential Care"},
		{"Purpose of Spend", "Payments to homes for people assessed as needing residential care"}, {"Cost Centre", "HM101"},
		{"Cost Centre Name", "Tenancy Sustainment"}, {"Nominal", "5000"}, {"Nominal Description", "Salaries"},
		{"Directorate", "Housing Services"}, {"Service Area", "Housing Needs"}, {"Payee", "Fictional Lettings Ltd"}, {"Gross", "4921.63"}, {"Quantity", "3"}}
	lines := []string{"Fictional Homes", "Ledger extract", ""}
	var head []string
	for _, c := range cols {
		head = append(head, c[0])
	}
	lines = append(lines, strings.Join(head, "|"))
	for i := range 56 {
		row := make([]string, len(cols))
		for j, c := range cols {
			row[j] = c[1]
			if i%3 == 0 {
				row[j] += string(rune('0' + i%10)) // not every value the same
			}
		}
		lines = append(lines, strings.Join(row, "|"))
	}
	rows := grid(1, lines...)
	for b.Loop() {
		if _, ok := detectHeader(rows, 0, ""); !ok {
			b.Fatal("no header")
		}
	}
}

// FuzzDetectHeader: whatever the rows, detection does not panic, and what
// it returns holds together.
func FuzzDetectHeader(f *testing.F) {
	f.Add("Cost Centre|Description|Budget\nHM1|Officer|100", 0, "")
	f.Add("Supplier Name|Category Family|Invoice GL Date|Spend\nAECOM|Track|2021-04-01|62499.15", 0, "Spend")
	f.Add(`Title\n\nHealth|2023-24\n\n£million|% Change\nBoards|12.5|0.04`, 1, "B")
	f.Add("Account Code|Account Code|£000|Amount (ex VAT)|VAT\n1040|Disposal Fees|1.5|2|0.4", 0, "£000")
	f.Fuzz(func(t *testing.T, text string, forceRow int, amountColumn string) {
		if len(text) > 4096 {
			return
		}
		rows := grid(1, strings.Split(text, "\n")...)
		h, ok := detectHeader(rows, forceRow, amountColumn)
		_, _, _ = bestCandidate(rows)
		_ = noHeaderReason(rows, forceRow, amountColumn)
		if !ok {
			return
		}
		if forceRow > 0 && h.Row != forceRow {
			t.Fatalf("header on row %d, asked for %d", h.Row, forceRow)
		}
		if !h.qualifies() {
			t.Fatalf("a header without an amount and a column saying what a line is: %v", h.Columns)
		}
		seen := map[int]Field{}
		for f, col := range h.Columns {
			if col == 0 {
				continue
			}
			if g, dup := seen[col]; dup {
				t.Fatalf("column %d is both %s and %s", col, g, Field(f))
			}
			seen[col] = Field(f)
			if _, ok := h.Texts[col]; !ok && Field(f) != FieldAmount {
				t.Fatalf("%s is column %d, which has no heading", Field(f), col)
			}
		}
		for _, col := range h.LineTypeCols {
			if _, dup := seen[col]; dup {
				t.Fatalf("line-type column %d is also %s", col, seen[col])
			}
			seen[col] = FieldLineType
		}
		if h.UnitShift != 0 && h.UnitShift != 3 && h.UnitShift != 6 {
			t.Fatalf("unit shift %d", h.UnitShift)
		}
		_ = h.Explain()
	})
}

func TestIsCodeName(t *testing.T) {
	for in, want := range map[string]bool{
		"HM101 - Housing Management": true, "5001 Salaries": true, "CC12: Lettings": true, "NB02 - Tenancy Sustainment": true,
		"5001": false, "HM101": false, "Housing Management": false, "2 bedroom flats": false, "A1 GW Cars": false,
		"24 hour helpline": true, // a number and words reads as a code and name; the column decides
	} {
		if got := isCodeName(in); got != want {
			t.Errorf("isCodeName(%q) = %v, want %v", in, got, want)
		}
	}
}
