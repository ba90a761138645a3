package ingest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// readCSVResult writes rows as a CSV file and reads it, returning the
// error too.
func readCSVResult(t *testing.T, rows [][]string) (*Book, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "budget.csv")
	if err := ingesttest.WriteCSV(p, ingesttest.UTF8, ',', rows); err != nil {
		t.Fatal(err)
	}
	return ReadBudget(p, Options{})
}

// sortedLineRows is lineRows in ascending order: a row held back until
// the table's end is visited late.
func sortedLineRows(b *Book) []int {
	rows := lineRows(b)
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j] < rows[j-1]; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
	return rows
}

// A result row (a profit, a loss, a surplus or deficit for the year) is a
// total of the lines above it, whatever it is called.
func TestResultRowWordings(t *testing.T) {
	for _, result := range []string{
		"Net Profit/(Loss)", "Net Profit", "Net Loss", "Net (Profit)/Loss", "Gross Profit", "Operating profit",
		"Profit for the year", "Loss for the year", "(Surplus)/deficit for the year", "Surplus/(deficit) for the year",
		"Net surplus/(deficit)", "Profit/(loss) for the period", "Operating Profit/(Loss)", "Profit before tax",
	} {
		t.Run(result, func(t *testing.T) {
			b := readCSVText(t, [][]string{
				{"Cost Centre", "Description", "Budget"},
				{"HM01", "Rent income", "-1000000"}, // 2
				{"HM01", "Salaries", "400000"},      // 3
				{"CI01", "Money advice", "50000"},   // 4
				{"", "Operating surplus", "-550000"},
				{"HM01", "Interest payable", "100000"}, // 6
				{"", "Surplus for the year", "-450000"},
				{"", result, "-450000"}, // 8
			})
			checkEveryRowAccounted(t, b)
			if got := sortedLineRows(b); !equalInts(got, []int{2, 3, 4, 6}) || sumLines(b) != -45000000 {
				t.Errorf("lines on rows %v totalling %d, want rows 2, 3, 4, 6 totalling -45000000", got, sumLines(b))
			}
			if e := excludedRows(b)[8]; e.Reason != ReasonSubtotal || !e.Result {
				t.Errorf("row 8: %+v, want a result row", e)
			}
		})
	}
	// A line that merely mentions profit is still a line.
	t.Run("a line about profit", func(t *testing.T) {
		b := readCSVText(t, [][]string{
			{"Cost Centre", "Description", "Budget"},
			{"HM01", "Salaries", "400"},
			{"HM01", "Profit share scheme", "400"},
		})
		if got := lineRows(b); !equalInts(got, []int{2, 3}) {
			t.Errorf("lines on rows %v, want 2 and 3", got)
		}
	})
}

// Xero's Budget Summary: income and expenses, their totals, and Net
// Profit, which is not spend.
func TestXeroBudgetSummary(t *testing.T) {
	months := []string{"Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26", "Nov-26", "Dec-26", "Jan-27", "Feb-27", "Mar-27"}
	row := func(label string, monthly int) []any {
		r := []any{label}
		for range months {
			r = append(r, monthly)
		}
		return append(r, monthly*12)
	}
	header := []any{"Account"}
	for _, m := range months {
		header = append(header, m)
	}
	header = append(header, "Total")
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget Summary", Rows: [][]any{
		{"Budget Summary"}, {"Hillside Community Housing Ltd"}, {"For the 12 months ending 31 March 2027"}, {},
		header,                                // 5
		{"Income"},                            // 6
		row("Rent Income", 50000),             // 7
		row("Service Charges", 4000),          // 8
		row("Total Income", 54000),            // 9
		{},                                    // 10
		{"Less Operating Expenses"},           // 11
		row("Repairs and Maintenance", 12000), // 12
		row("Salaries", 20000),                // 13
		row("Tenancy Support Services", 1500), // 14
		row("Insurance", 800),                 // 15
		row("Total Operating Expenses", 34300),
		{},
		row("Net Profit", 54000-34300), // 18
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkEveryRowAccounted(t, b)
	want := int64((54000 + 34300) * 12 * 100)
	if got := sortedLineRows(b); !equalInts(got, []int{7, 8, 12, 13, 14, 15}) || sumLines(b) != want {
		t.Errorf("lines on rows %v totalling %d, want rows 7, 8, 12-15 totalling %d", got, sumLines(b), want)
	}
	ex := excludedRows(b)
	if e := ex[18]; e.Reason != ReasonSubtotal || !e.Result {
		t.Errorf("Net Profit: %+v, want a result row", e)
	}
	if e := ex[16]; e.Reason != ReasonSubtotal || !e.Agrees() {
		t.Errorf("Total Operating Expenses: %+v, want a subtotal that agrees", e)
	}
}

// A total may stand above its lines: a grand total first, each group's
// total at its head. It is checked against the lines below it once the
// table is read.
func TestTotalsAboveTheirLines(t *testing.T) {
	for _, c := range []struct {
		name     string
		rows     [][]string
		lines    []int
		total    int64
		excluded []int // subtotals that must agree
		warn     string
		nowarn   string
	}{
		{
			name: "grand total and group totals above their lines",
			rows: [][]string{
				{"Directorate", "Cost Centre", "Description", "Budget"},
				{"Total all directorates", "", "", "16500"},      // 2
				{"Housing", "", "Total Housing", "15000"},        // 3
				{"Housing", "HM01", "Salaries", "10000"},         // 4
				{"Housing", "HM01", "Cleaning", "5000"},          // 5
				{"Communities", "", "Total Communities", "1500"}, // 6
				{"Communities", "CI01", "Grants", "1500"},        // 7
			},
			lines: []int{4, 5, 7}, total: 1650000, excluded: []int{2, 3, 6},
			nowarn: "does not equal",
		},
		{
			name: "a group total above its lines with blank directorates below",
			rows: [][]string{
				{"Directorate", "Cost Centre", "Description", "Budget"},
				{"Housing", "", "Total Housing", "300"}, // 2
				{"", "HM01", "Salaries", "100"},         // 3
				{"", "HM01", "Cleaning", "200"},         // 4
				{"Grand total", "", "", "300"},          // 5
			},
			lines: []int{3, 4}, total: 30000, excluded: []int{2, 5},
		},
		{
			name: "a total that matches neither the lines above nor below is a line",
			rows: [][]string{
				{"Cost Centre", "Description", "Amount"},
				{"HM1", "Officer", "100"},
				{"", "Total", "999"}, // 3
				{"HM1", "Van", "200"},
			},
			lines: []int{2, 3, 4}, total: 129900,
			warn: `"Total" says total but does not equal the lines above or below it, so it is read as a line`,
		},
		{
			name: "a total read as a line is counted in the grand total below it",
			rows: [][]string{
				{"Cost Centre", "Description", "Amount"},
				{"HM1", "Officer", "100"},
				{"HM1", "Van", "200"},
				{"", "Total", "999"},        // 4: adds up to nothing: a line
				{"", "Grand Total", "1299"}, // 5: the lines above, row 4 with them
			},
			lines: []int{2, 3, 4}, total: 129900, excluded: []int{5},
		},
		{
			name: "a total above its lines and the same total below them",
			rows: [][]string{
				{"Cost Centre", "Description", "Amount"},
				{"HM1", "Total HM1", "300"}, // 2
				{"HM1", "Officer", "100"},
				{"HM1", "Van", "200"},
				{"", "Total", "300"}, // 5
			},
			lines: []int{3, 4}, total: 30000, excluded: []int{2},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := readCSVText(t, c.rows)
			checkEveryRowAccounted(t, b)
			if got := sortedLineRows(b); !equalInts(got, c.lines) || sumLines(b) != c.total {
				t.Errorf("lines on rows %v totalling %d, want %v totalling %d", got, sumLines(b), c.lines, c.total)
			}
			var lines int64
			for _, l := range b.Lines() {
				lines += l.Amount
				if totalWord.MatchString(l.BusinessUnit) && !strings.EqualFold(l.Description, "total") {
					t.Errorf("row %d: business unit %q", l.Source.Row, l.BusinessUnit)
				}
			}
			if lines != sumLines(b) {
				t.Errorf("lines visited add up to %d, the table says %d", lines, sumLines(b))
			}
			ex := excludedRows(b)
			for _, row := range c.excluded {
				if e := ex[row]; e.Reason != ReasonSubtotal || !e.Agrees() || e.Check == "" {
					t.Errorf("row %d: %+v, want a subtotal that agrees", row, e)
				}
			}
			w := strings.Join(b.Warnings, "\n")
			if c.warn != "" && !strings.Contains(w, c.warn) {
				t.Errorf("warnings %q lack %q", w, c.warn)
			}
			if c.nowarn != "" && strings.Contains(w, c.nowarn) {
				t.Errorf("warnings %q say %q", w, c.nowarn)
			}
		})
	}
}

// Rows above the chosen header that look like lines are never dropped
// without a word.
func TestLinesAboveTheHeaderAreNotDropped(t *testing.T) {
	for _, c := range []struct {
		name  string
		rows  [][]string
		total int64  // of every line in the file
		named string // the rows a refusal names
		lines int    // how many lines, if read
	}{
		{
			name: "income and expenditure blocks under identical headers",
			rows: [][]string{
				{"INCOME"},
				{"Cost Centre", "Description", "Budget"},
				{"HM01", "Rent income", "-800000"},
				{"HM01", "Service charges", "-50000"},
				{"", "Total income", "-850000"},
				{},
				{"EXPENDITURE"},
				{"Cost Centre", "Description", "Budget"},
				{"HM01", "Salaries", "300000"},
				{"CI01", "Money advice", "40000"},
				{"", "Total expenditure", "340000"},
				{},
				{"", "Net (surplus)/deficit", "-510000"},
			},
			total: -51000000, named: "rows 3 and 4 above the header on row 8", lines: 4,
		},
		{
			name: "lines above an unrelated, richer header",
			rows: [][]string{
				{"Cost Centre", "Description", "Budget"},
				{"HM01", "Rent income", "-800"},
				{"HM01", "Service charges", "-50"},
				{},
				{"Directorate", "Cost Centre", "Cost Centre Name", "Subjective", "Subjective Description", "Budget 2026/27 £"},
				{"Housing", "HM01", "Housing Management", "5001", "Salaries", "300"},
				{"Housing", "HM01", "Housing Management", "5002", "Pensions", "40"},
				{"Communities", "CI01", "Money advice", "5001", "Salaries", "40"},
			},
			total: -47000, named: "rows 2 and 3 above the header on row 5", lines: 5,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := readCSVResult(t, c.rows)
			if err != nil {
				if msg := err.Error(); !strings.Contains(msg, "--header-row") || !strings.Contains(msg, c.named) {
					t.Errorf("refused with %q: want the rows above the header named, and --header-row", msg)
				}
				return
			}
			if got := sumLines(b); got != c.total || len(b.Lines()) != c.lines {
				t.Errorf("read %d lines totalling %d (header on row %d), want every line: %d", len(b.Lines()), got, b.Tables[0].Source.Row, c.total)
			}
		})
	}
	t.Run("income and expenditure blocks in a workbook", func(t *testing.T) {
		p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
			{"INCOME"},
			{"Cost Centre", "Description", "Budget"},
			{"HM01", "Rent income", -800000},
			{"HM01", "Service charges", -50000},
			{"", "Total income", -850000},
			{},
			{"EXPENDITURE"}, // 7: a heading, not a cost centre
			{"Cost Centre", "Description", "Budget"},
			{"HM01", "Salaries", 300000},
			{"CI01", "Money advice", 40000},
			{"", "Total expenditure", 340000},
			{},
			{"", "Net (surplus)/deficit", -510000},
		}})
		b, err := ReadBudget(p, Options{})
		if err != nil {
			if !strings.Contains(err.Error(), "--header-row") {
				t.Errorf("refused with %q", err)
			}
			return
		}
		checkEveryRowAccounted(t, b)
		if got := lineRows(b); !equalInts(got, []int{3, 4, 9, 10}) || sumLines(b) != -51000000 {
			t.Errorf("lines on rows %v totalling %d", got, sumLines(b))
		}
	})
	t.Run("title rows with numbers are not lines", func(t *testing.T) {
		b, err := readCSVResult(t, [][]string{
			{"Hillside Housing", "", "2026"},
			{"Revenue budget", "", "£"},
			{"Cost Centre", "Description", "Budget"},
			{"HM01", "Salaries", "300"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if sumLines(b) != 30000 {
			t.Errorf("total %d", sumLines(b))
		}
	})
}

// A staffing title inside a budget is not a line.
func TestStaffingTitleIsNotALine(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Description", "Budget"},
		{"HM01", "Salaries", 120000},
		{"HM01", "Employer pension", 18000},
		{"CI01", "Salaries", 60000},
		{"CI01", "Activities", 5000},
		{"", "Total", 203000},
		{},
		{"Staffing (for information; costs included above)"}, // 8
		{"Post", "Grade", "FTE", "Salary"},
		{"Housing Officer", "SO1", 3, 36000},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkEveryRowAccounted(t, b)
	if got := lineRows(b); !equalInts(got, []int{2, 3, 4, 5}) || sumLines(b) != 20300000 {
		t.Errorf("lines on rows %v totalling %d", got, sumLines(b))
	}
	if e := excludedRows(b)[8]; e.Reason != ReasonStaffing && e.Reason != ReasonHeading {
		t.Errorf("row 8: %+v, want a staffing title", e)
	}
}

// Warnings say what is true: a description that starts with Total and
// equals the lines above it is a line, and says so; a fill-down warning
// names the rows it filled.
func TestTotalWarningsSayWhatIsTrue(t *testing.T) {
	b := readCSVText(t, [][]string{
		{"Cost Centre", "Nominal Description", "Description", "Budget"},
		{"PR01", "Major works", "Kitchen replacements", "40000"},
		{"PR01", "Major works", "Bathroom replacements", "20000"},
		{"PR01", "Major works", "Total rewire programme", "60000"}, // 4
		{"PR01", "Major works", "Total", "120000"},                 // 5
	})
	if got := lineRows(b); !equalInts(got, []int{2, 3, 4}) || sumLines(b) != 12000000 {
		t.Errorf("lines on rows %v totalling %d", got, sumLines(b))
	}
	w := strings.Join(b.Warnings, "\n")
	if strings.Contains(w, "does not equal") || !strings.Contains(w, "row 4") || !strings.Contains(w, "equals the lines") {
		t.Errorf("warnings %q: want row 4 said to equal the lines above it", w)
	}

	b = readCSVText(t, [][]string{
		{"Directorate", "Cost Centre", "Description", "Amount"},
		{"Housing", "HM1", "Officer", "100"}, // 2
		{"", "", "Van", "50"},                // 3
		{"", "HM2", "Repairs", "25"},         // 4
	})
	w = strings.Join(b.Warnings, "\n")
	for _, want := range []string{"rows 3 and 4", "row 3"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings %q lack %q", w, want)
		}
	}
	if strings.Contains(w, "row 1:") {
		t.Errorf("warnings %q name the header row", w)
	}

}
