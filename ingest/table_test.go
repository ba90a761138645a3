package ingest

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// readCSVText writes rows as a UTF-8 CSV file and reads it.
func readCSVText(t *testing.T, rows [][]string) *Book {
	t.Helper()
	p := filepath.Join(t.TempDir(), "budget.csv")
	if err := ingesttest.WriteCSV(p, ingesttest.UTF8, ',', rows); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// excludedRows gives each excluded row's reason by row number.
func excludedRows(b *Book) map[int]Excluded {
	out := map[int]Excluded{}
	for _, tb := range b.Tables {
		for _, e := range tb.Excluded {
			out[e.Source.Row] = e
		}
	}
	return out
}

func lineRows(b *Book) []int {
	var out []int
	for _, l := range b.Lines() {
		out = append(out, l.Source.Row)
	}
	return out
}

func sumLines(b *Book) int64 {
	var s int64
	for _, tb := range b.Tables {
		s += tb.Total()
	}
	return s
}

// Every row below the header is a line, an excluded row with a reason, or
// blank: nothing goes missing.
func checkEveryRowAccounted(t *testing.T, b *Book) {
	t.Helper()
	for _, tb := range b.Tables {
		for _, e := range tb.Excluded {
			if e.Reason == "" {
				t.Errorf("row %d excluded with no reason", e.Source.Row)
			}
		}
		if tb.BlankRows < 0 {
			t.Errorf("sheet %q: lines and exclusions (%d + %d) outnumber the rows", tb.Source.Sheet, tb.Lines, len(tb.Excluded))
		}
	}
}

func TestTotalNeedsEvidence(t *testing.T) {
	for _, c := range []struct {
		name     string
		rows     [][]string
		lines    []int
		total    int64
		excluded map[int]string // row → reason
		warn     string         // a warning that must be given
	}{
		{
			name: "payee called Total on a line with no codes",
			rows: [][]string{
				{"Description", "Supplier", "Amount"},
				{"Care home fees", "Total Care Ltd", "1200"},
				{"Gas", "Total Energies", "300"},
				{"Gas", "British Gas", "1500"},
			},
			lines: []int{2, 3, 4}, total: 300000,
		},
		{
			name: "grand total in the payee column and a copyright footer",
			rows: [][]string{
				{"Supplier", "Description", "Amount"},
				{"Total Care Ltd", "Care", "1200"},
				{"Acme", "Repairs", "300"},
				{"Grand Total", "", "1500"},
				{"", "© Copyright Someone 2021", ""},
			},
			lines: []int{2, 3}, total: 150000,
			excluded: map[int]string{4: ReasonSubtotal, 5: ReasonHeading},
		},
		{
			name: "an unlabelled totals row at the end",
			rows: [][]string{
				{"Supplier", "Account Code", "Description", "Amount"},
				{"Acme", "1615", "Bond", "1,150.00"},
				{"Total Care Ltd", "2280", "Care", "642"},
				{"", "", "", "1,792.00"},
			},
			lines: []int{2, 3}, total: 179200,
			excluded: map[int]string{4: ReasonSubtotal},
		},
		{
			name: "an unlabelled amount that totals nothing is a line",
			rows: [][]string{
				{"Supplier", "Description", "Amount"},
				{"Acme", "Bond", "100"},
				{"Bolt", "Care", "200"},
				{"", "", "50"},
			},
			lines: []int{2, 3, 4}, total: 35000,
		},
		{
			name: "a total that does not add up is read as a line, with a warning",
			rows: [][]string{
				{"Cost Centre", "Description", "Amount"},
				{"HM1", "Officer", "100"},
				{"HM1", "Van", "200"},
				{"", "Total", "999"},
			},
			lines: []int{2, 3, 4}, total: 129900,
			warn: `"Total" says total but does not equal the lines above or below it, so it is read as a line`,
		},
		{
			name: "a plain total that adds up",
			rows: [][]string{
				{"Cost Centre", "Description", "Amount"},
				{"HM1", "Officer", "100"},
				{"HM1", "Van", "200"},
				{"", "Total", "300"},
			},
			lines: []int{2, 3}, total: 30000,
			excluded: map[int]string{4: ReasonSubtotal},
		},
		{
			name: "a total named by a heading above its lines",
			rows: [][]string{
				{"Description", "Amount"},
				{"Planning", ""},
				{"Fees", "100"},
				{"Appeals", "50"},
				{"Total - Planning", "150"},
				{"Level 3 Total", "150"},
			},
			lines: []int{3, 4}, total: 15000,
			excluded: map[int]string{2: ReasonHeading, 5: ReasonSubtotal, 6: ReasonSubtotal},
		},
		{
			name: "a description that starts with Total and happens to equal one line",
			rows: [][]string{
				{"Description", "Supplier", "Amount"},
				{"Care home fees", "Acme", "500"},
				{"Total Care contract", "Bolt", "500"},
			},
			lines: []int{2, 3}, total: 100000,
			warn: `"Total Care contract Bolt" says total and equals the lines since the previous subtotal, but that is a single line and its words name no group, so it is read as a line`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := readCSVText(t, c.rows)
			checkEveryRowAccounted(t, b)
			if got := lineRows(b); !equalInts(got, c.lines) || sumLines(b) != c.total {
				t.Errorf("lines on rows %v totalling %d, want %v totalling %d", got, sumLines(b), c.lines, c.total)
			}
			ex := excludedRows(b)
			for row, reason := range c.excluded {
				if ex[row].Reason != reason {
					t.Errorf("row %d: excluded as %q, want %q", row, ex[row].Reason, reason)
				}
				if reason == ReasonSubtotal && !ex[row].Agrees() {
					t.Errorf("row %d: subtotal %+v does not agree", row, ex[row])
				}
			}
			if len(ex) != len(c.excluded) {
				t.Errorf("excluded %+v, want rows %v", ex, c.excluded)
			}
			if w := strings.Join(b.Warnings, "\n"); c.warn != "" && !strings.Contains(w, c.warn) {
				t.Errorf("warnings %q lack %q", w, c.warn)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestResultRowsAreNotSpend(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Description", "Budget"},
		{"HM1", "5000", "Salaries", 1000},                                                 // 2
		{"HM1", "6000", "Repairs", 500},                                                   // 3
		{"", "", "Total expenditure", 1500},                                               // 4
		{"HM1", "1000", "Rent", -1800},                                                    // 5
		{"", "", "Total income", -1800},                                                   // 6
		{"", "", "NET (SURPLUS)/DEFICIT", -300},                                           // 7
		{"", "", "Net expenditure", -300},                                                 // 8
		{"", "Surplus for the year", "", 300},                                             // 9: the sign flipped, as some books show it
		{"", "", "Net cost of services", ingesttest.Formula{Expr: "D4+D6", Cached: -300}}, // 10
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkEveryRowAccounted(t, b)
	if got := lineRows(b); !equalInts(got, []int{2, 3, 5}) || sumLines(b) != -30000 {
		t.Errorf("lines on rows %v totalling %d", got, sumLines(b))
	}
	ex := excludedRows(b)
	for _, row := range []int{4, 6, 7, 8, 9, 10} {
		if ex[row].Reason != ReasonSubtotal {
			t.Errorf("row %d: %+v, want a result row", row, ex[row])
		}
	}
	for _, row := range []int{7, 8, 9, 10} {
		if !ex[row].Result || !strings.Contains(ex[row].Check, "result") {
			t.Errorf("row %d: %+v, want it marked as a result row", row, ex[row])
		}
	}
	if e := ex[8]; !e.Agrees() {
		t.Errorf("net expenditure not checked against the lines above: %+v", e)
	}
}

func TestStaffingTablesAreNotSpend(t *testing.T) {
	budget := [][]any{
		{"Cost Centre", "Nominal", "Description", "Budget"},
		{"HM1", "5000", "Salaries", 60000},
		{"HM1", "6000", "Repairs", 500},
	}
	t.Run("a staffing sheet", func(t *testing.T) {
		p := writeXLSX(t,
			ingesttest.Sheet{Name: "Budget", Rows: budget},
			ingesttest.Sheet{Name: "Staffing Establishment", Rows: [][]any{
				{"Staffing establishment (for information: costs included above)"},
				{"Cost Centre", "Post", "Grade", "FTE", "Salary", "Budget"},
				{"HM1", "Housing officer", "G5", 1, 30000, 30000},
				{"HM1", "Tenancy officer", "G5", 1, 30000, 30000},
			}},
		)
		b, err := ReadBudget(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Tables) != 1 || sumLines(b) != 6050000 {
			t.Errorf("%d tables totalling %d, want the budget sheet alone", len(b.Tables), sumLines(b))
		}
		found := false
		for _, s := range b.Skipped {
			if s.Name == "Staffing Establishment" && strings.Contains(s.Reason, "staffing establishment, not spend") {
				found = true
			}
		}
		if !found {
			t.Errorf("skipped %+v: the staffing sheet is not listed", b.Skipped)
		}
		for _, l := range b.Lines() {
			if l.BusinessUnit != "" {
				t.Errorf("line %+v reported under a sheet name", l)
			}
		}
	})
	t.Run("a staffing table below the budget", func(t *testing.T) {
		p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: append(append([][]any{}, budget...),
			[]any{},                         // 4
			[]any{"Staffing establishment"}, // 5
			[]any{"Cost Centre", "Post", "Grade", "FTE"},     // 6
			[]any{"HM1", "Housing officer", "G5", 1},         // 7
			[]any{"HM1", "Tenancy officer", "G5", 30000},     // 8
			[]any{"HM1", "Tenancy officer", "G5", "", 30000}, // 9
		)})
		b, err := ReadBudget(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkEveryRowAccounted(t, b)
		if got := lineRows(b); !equalInts(got, []int{2, 3}) {
			t.Errorf("lines on rows %v, want 2 and 3", got)
		}
		ex := excludedRows(b)
		for _, row := range []int{5, 6, 7, 8, 9} {
			if ex[row].Reason != ReasonStaffing {
				t.Errorf("row %d excluded as %q, want %q", row, ex[row].Reason, ReasonStaffing)
			}
		}
	})
}

func TestCodeAndNameCellsAreSplit(t *testing.T) {
	b := readCSVText(t, [][]string{
		{"Cost Centre", "Nominal", "Description", "Amount"},
		{"NB02 - Tenancy Sustainment", "5001 Salaries", "24 hour concierge", "100"},
		{"HM101 Housing Management", "5001", "Officer", "50"},
		{"HM102", "6000 – Repairs", "Van", "25"},
		{"Housing", "Repairs and maintenance", "Van", "25"},
	})
	type want struct{ cc, ccName, nominal, nominalName, desc string }
	wants := []want{
		{"NB02", "Tenancy Sustainment", "5001", "Salaries", "24 hour concierge"},
		{"HM101", "Housing Management", "5001", "", "Officer"},
		{"HM102", "", "6000", "Repairs", "Van"},
		{"Housing", "", "Repairs and maintenance", "", "Van"},
	}
	ls := b.Lines()
	if len(ls) != len(wants) {
		t.Fatalf("%d lines", len(ls))
	}
	for i, w := range wants {
		l := ls[i]
		got := want{l.CostCentre, l.CostCentreName, l.Nominal, l.NominalName, l.Description}
		if got != w {
			t.Errorf("row %d: %+v, want %+v", l.Source.Row, got, w)
		}
	}
}

func TestCodeAndNameKeepsAGivenName(t *testing.T) {
	b := readCSVText(t, [][]string{
		{"Cost Centre", "Cost Centre Name", "Description", "Amount"},
		{"NB02 - Tenancy Sustainment", "Tenancy team", "Officer", "100"},
	})
	if l := b.Lines()[0]; l.CostCentre != "NB02" || l.CostCentreName != "Tenancy team" {
		t.Errorf("%+v", l)
	}
}

func TestGroupLabelsAreFilledDown(t *testing.T) {
	b := readCSVText(t, [][]string{
		{"Directorate", "Cost Centre", "Cost Centre Name", "Description", "Amount"},
		{"Housing", "HM1", "Tenancy", "Officer", "100"}, // 2
		{"", "", "", "Van", "50"},                       // 3
		{"", "HM2", "", "Repairs", "25"},                // 4: a new cost centre, no name
		{"", "", "", "Paint", "5"},                      // 5
		{"", "", "Total Housing", "", "180"},            // 6
		{"", "", "", "Stray", "7"},                      // 7: after a subtotal, nothing carries
		{"Property", "PS1", "Estates", "Gardens", "10"}, // 8
		{},                                     // 9
		{"", "", "", "After a blank row", "1"}, // 10
	})
	type want struct{ bu, cc, ccName string }
	wants := map[int]want{
		2: {"Housing", "HM1", "Tenancy"}, 3: {"Housing", "HM1", "Tenancy"},
		4: {"Housing", "HM2", ""}, 5: {"Housing", "HM2", ""},
		7: {"", "", ""}, 8: {"Property", "PS1", "Estates"}, 10: {"", "", ""},
	}
	for _, l := range b.Lines() {
		w, ok := wants[l.Source.Row]
		if !ok {
			t.Errorf("row %d read as a line", l.Source.Row)
			continue
		}
		if got := (want{l.BusinessUnit, l.CostCentre, l.CostCentreName}); got != w {
			t.Errorf("row %d: %+v, want %+v", l.Source.Row, got, w)
		}
		if l.Description == "" {
			t.Errorf("row %d: description lost", l.Source.Row)
		}
	}
	if len(b.Lines()) != len(wants) {
		t.Errorf("%d lines, want %d", len(b.Lines()), len(wants))
	}
	if e := excludedRows(b)[6]; e.Reason != ReasonSubtotal || !e.Agrees() {
		t.Errorf("Total Housing: %+v", e)
	}
	if w := strings.Join(b.Warnings, "\n"); !strings.Contains(w, "filled down") {
		t.Errorf("no word of filling down: %q", w)
	}
}

func TestMonthlySheetsAreOneBudget(t *testing.T) {
	hdr := []any{"Cost Centre", "Description", "Amount"}
	for _, names := range [][]string{
		{"Apr", "May", "Jun"},
		{"April 2026", "May 2026"},
		{"Month 1", "Month 2"},
		{"P01", "P02"},
	} {
		t.Run(strings.Join(names, ","), func(t *testing.T) {
			var sheets []ingesttest.Sheet
			for _, n := range names {
				sheets = append(sheets, ingesttest.Sheet{Name: n, Rows: [][]any{hdr, {"HM1", "Officer", 100}}})
			}
			b, err := ReadBudget(writeXLSX(t, sheets...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Lines()) != len(names) {
				t.Fatalf("%d lines", len(b.Lines()))
			}
			for i, l := range b.Lines() {
				if l.BusinessUnit != "" || l.Source.Sheet != names[i] {
					t.Errorf("line %+v: a month became a business unit, or the sheet was lost", l)
				}
			}
			w := strings.Join(b.Warnings, "\n")
			if strings.Count(w, "months or periods") != 1 || strings.Contains(w, "under the sheet name") {
				t.Errorf("warnings %q", w)
			}
		})
	}
}

func TestSubtotalChecksDoNotOverflow(t *testing.T) {
	const huge = "50000000000000000" // £5e16: two of them overflow pence
	p := filepath.Join(t.TempDir(), "huge.csv")
	if err := ingesttest.WriteCSV(p, ingesttest.UTF8, ',', [][]string{
		{"Cost Centre", "Description", "Amount"},
		{"HM1", "A", huge},
		{"HM2", "B", "-" + huge},
		{"HM1", "C", huge},
		{"", "Total HM1", "1"},
	}); err != nil {
		t.Fatal(err)
	}
	_, err := ReadBudget(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "huge.csv") || !strings.Contains(err.Error(), "too large") {
		t.Errorf("err %v, want an error naming the file", err)
	}
}

func TestPayeeAndLineTypeAreKept(t *testing.T) {
	b := readCSVText(t, [][]string{
		{"Service Area", "Expense Type", "Expense Area", "Supplier Name", "Amount"},
		{"Housing", "Bed and Breakfast", "Temporary accommodation", "Total Care Ltd", "1200"},
		{"Housing", "", "Floating support", "Acme", "300"},
	})
	tb := b.Tables[0]
	if tb.Columns[FieldPayee] == 0 || tb.Columns[FieldLineType] == 0 {
		t.Fatalf("header read as %v", tb.Columns)
	}
	ls := b.Lines()
	if len(ls) != 2 {
		t.Fatalf("%d lines", len(ls))
	}
	if ls[0].Payee != "Total Care Ltd" || ls[1].Payee != "Acme" {
		t.Errorf("payees %q, %q", ls[0].Payee, ls[1].Payee)
	}
	if ls[0].LineType != "Bed and Breakfast | Temporary accommodation" || ls[1].LineType != "Floating support" {
		t.Errorf("line types %q, %q", ls[0].LineType, ls[1].LineType)
	}
}

func TestNoTableSaysWhatTheNearestRowLacked(t *testing.T) {
	for _, c := range []struct {
		name   string
		rows   [][]any
		amount string
		want   []string
	}{
		{"no amount column", [][]any{{"Budget book"}, {"Cost Centre", "Description", "Notes"}, {"HM1", "Officer", "x"}}, "",
			[]string{`sheet "Costs"`, "row 2", "lacks a column of amounts"}},
		{"--amount-column on a row that lacks the rest", [][]any{{"Spend", "Notes"}, {100, "x"}}, "Spend",
			[]string{`row 1 has the column "Spend" given with --amount-column, but no column that says`}},
		{"--amount-column on no row", [][]any{{"Cost Centre", "Description", "Amount"}, {"HM1", "Officer", 100}}, "Outturn",
			[]string{`has a column headed "Outturn"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeXLSX(t, ingesttest.Sheet{Name: "Costs", Rows: c.rows})
			_, err := ReadBudget(p, Options{AmountColumn: c.amount})
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestHeaderChoiceIsExplained(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Costs", Rows: rows(ingesttest.TitleRows("Test Homes"), [][]any{
		{"Dept", "Expense Type", "Supplier Name", "Net Spend £"},
		{"Housing", "Repairs", "Acme", 100},
	})})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(b.Notes, "\n")
	for _, w := range []string{`sheet "Costs": read header on row 5: amount "Net Spend £"`, `business unit "Dept"`, `payee "Supplier Name"`} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes %q lack %q", notes, w)
		}
	}
}

func TestARowThatRepeatsItsHeadingClosesTheGroup(t *testing.T) {
	b := readCSVText(t, [][]string{
		{"Description", "Amount"},
		{"Growth Accelerators", ""},         // 2: heading
		{"Growth Accelerator", "1.5"},       // 3
		{"Green Growth Accelerator", "1.0"}, // 4
		{"Growth Accelerators", "2.5"},      // 5: repeats the heading, with its total
		{"NHS Boards", ""},                  // 6: heading
		{"NHS Boards", "100"},               // 7: the first row under it is a line
		{"Gaelic Grant", ""},                // 8
		{"Gaelic (resource grant)", "4.48"}, // 9
		{"Gaelic Grant", "4.48"},            // 10
		{"Total - Gaelic Grant", "4.48"},    // 11
	})
	if got := lineRows(b); !equalInts(got, []int{3, 4, 7, 9}) {
		t.Errorf("lines on rows %v", got)
	}
	ex := excludedRows(b)
	for _, row := range []int{5, 10, 11} {
		if e := ex[row]; e.Reason != ReasonSubtotal || !e.Agrees() {
			t.Errorf("row %d: %+v", row, e)
		}
	}
}

// mentionsTotal finds "total" in any case, anywhere in any cell, as a
// plain search does.
func TestMentionsTotal(t *testing.T) {
	plain := func(v string) bool { return strings.Contains(strings.ToLower(v), "total") }
	for _, v := range []string{"", "l", "tota", "total", "Total", "TOTAL", "tOtAl", "Sub-total HM101", "GrandTotal", "totals", "xtotal",
		"to tal", "totl", "ttotal", "tottal", "Tota l", "otal", "al", "Hotel costs", "Total Care Ltd", "£1,234", "subTOTAl", "lllll", "total\n"} {
		if got := mentionsTotal(rowCells{Cells: []cell{{Value: "x"}, {Value: v}}}); got != plain(v) {
			t.Errorf("%q: %v, want %v", v, got, plain(v))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "tToOaAlLx "
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		if v := string(b); mentionsTotal(rowCells{Cells: []cell{{Value: v}}}) != plain(v) {
			t.Fatalf("%q: %v, want %v", v, !plain(v), plain(v))
		}
	}
}
