package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

func writeXLSX(t *testing.T, sheets ...ingesttest.Sheet) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := ingesttest.WriteXLSX(p, sheets...); err != nil {
		t.Fatal(err)
	}
	return p
}

func rows(parts ...[][]any) [][]any {
	var out [][]any
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func line(bu, cc, ccName, nominal, nomName, desc string, amount any) []any {
	return []any{bu, cc, ccName, nominal, nomName, desc, amount}
}

func TestTitleRowsSubtotalsAndTextAmounts(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: rows(
		ingesttest.TitleRows("Test Homes"),
		[][]any{ingesttest.BudgetHeader},
		[][]any{
			line("Housing", "HM101", "Tenancy", "5000", "Salaries", "Tenancy officer", 1000.5),           // row 6
			line("Housing", "HM101", "Tenancy", "5010", "NI", "Employer NI", "£1,234.56"),                // row 7
			line("Housing", "HM101", "Tenancy", "7000", "Supplies", "Refund", "(250.00)"),                // row 8
			line("Housing", "HM101", "Tenancy", "7010", "Printing", "Leaflets", "-"),                     // row 9
			{"", "", "Total HM101", "", "", "", ingesttest.Formula{Expr: "SUM(G6:G9)", Cached: 1985.06}}, // row 10
			{},
			line("Housing", "HM102", "Income", "1000", "Rent", "Rental income", -5000),                      // row 12
			{"", "Total HM102", "", "", "", "", -5000},                                                      // row 13: label, no formula
			{"Housing Services", "", "", "", "", "", nil},                                                   // row 14: heading
			{"", "", "GRAND TOTAL", "", "", "", ingesttest.Formula{Expr: "SUM(G10,G13)", Cached: -3014.94}}, // row 15
			{"", "", "Wrong total", "", "", "", ingesttest.Formula{Expr: "SUM(G6:G9)", Cached: 99}},         // row 16
		},
	)})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Tables) != 1 {
		t.Fatalf("got %d tables", len(b.Tables))
	}
	tb := b.Tables[0]
	if tb.Source.Row != 5 {
		t.Errorf("header row %d, want 5", tb.Source.Row)
	}
	wantAmounts := map[int]int64{6: 100050, 7: 123456, 8: -25000, 9: 0, 12: -500000}
	lines := b.Lines()
	if len(lines) != len(wantAmounts) || tb.Lines != len(lines) {
		t.Fatalf("got %d lines (table says %d), want %d: %+v", len(lines), tb.Lines, len(wantAmounts), lines)
	}
	for _, l := range lines {
		if want, ok := wantAmounts[l.Source.Row]; !ok || l.Amount != want {
			t.Errorf("row %d: amount %d, want %d", l.Source.Row, l.Amount, want)
		}
		if l.Source.File != p || l.Source.Sheet != "Budget" {
			t.Errorf("row %d: source %+v", l.Source.Row, l.Source)
		}
	}
	if l := lines[0]; l.BusinessUnit != "Housing" || l.CostCentre != "HM101" || l.CostCentreName != "Tenancy" || l.Nominal != "5000" || l.NominalName != "Salaries" || l.Description != "Tenancy officer" {
		t.Errorf("fields not read: %+v", l)
	}
	excluded := map[int]Excluded{}
	for _, e := range tb.Excluded {
		excluded[e.Source.Row] = e
	}
	for _, c := range []struct {
		row    int
		reason string
		agrees bool
		check  bool
	}{
		{10, ReasonSubtotal, true, true},
		{13, ReasonSubtotal, true, true},
		{14, ReasonHeading, false, false},
		{15, ReasonSubtotal, true, true},
		{16, ReasonSubtotal, false, true},
	} {
		e, ok := excluded[c.row]
		if !ok {
			t.Errorf("row %d not excluded", c.row)
			continue
		}
		if e.Reason != c.reason || e.Agrees() != c.agrees || e.Checked != c.check {
			t.Errorf("row %d: %+v, want reason %s agrees %v", c.row, e, c.reason, c.agrees)
		}
	}
	if got := tb.Total(); got != 100050+123456-25000-500000 {
		t.Errorf("total %d", got)
	}
	if !strings.Contains(strings.Join(b.Warnings, "\n"), `"Wrong total" shows £99.00 but the rows its formula sums add up to £1,985.06`) {
		t.Errorf("no warning for the wrong subtotal: %q", b.Warnings)
	}
}

func TestSeveralSheetsHiddenAndNotes(t *testing.T) {
	hdr := []any{"Cost Centre", "Description", "Amount"}
	p := writeXLSX(t,
		ingesttest.Sheet{Name: "Notes", Rows: [][]any{{"These notes are not a budget"}, {"Amount", "of notes"}}},
		ingesttest.Sheet{Name: "Housing", Rows: [][]any{hdr, {"HM1", "Officer", 100}, {"HM1", "Van", 50}}},
		ingesttest.Sheet{Name: "Lookup", Hidden: true, Rows: [][]any{hdr, {"X", "Hidden", 999}}},
		ingesttest.Sheet{Name: "Property", Rows: [][]any{{"Property budget"}, hdr, {"PS1", "Repairs", 300}}},
	)
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sheets []string
	for _, tb := range b.Tables {
		sheets = append(sheets, tb.Source.Sheet)
	}
	if strings.Join(sheets, ",") != "Housing,Property" {
		t.Fatalf("tables on %v", sheets)
	}
	lines := b.Lines()
	if len(lines) != 3 || lines[0].BusinessUnit != "Housing" || lines[2].BusinessUnit != "Property" || lines[2].Source.Row != 3 {
		t.Errorf("lines %+v", lines)
	}
	skipped := map[string]string{}
	for _, s := range b.Skipped {
		skipped[s.Name] = s.Reason
	}
	if skipped["Notes"] != "no budget table" || skipped["Lookup"] != "hidden" {
		t.Errorf("skipped %v", skipped)
	}
	// Naming a hidden sheet reads it.
	b, err = ReadBudget(p, Options{Sheets: []string{"lookup"}})
	if err != nil || len(b.Lines()) != 1 || b.Lines()[0].Amount != 99900 {
		t.Fatalf("--sheet lookup: %v %+v", err, b)
	}
	if _, err := ReadBudget(p, Options{Sheets: []string{"Nope"}}); err == nil || !strings.Contains(err.Error(), `there is no sheet "Nope"`) {
		t.Errorf("missing sheet: %v", err)
	}
}

func TestBadAmountNamesEveryCell(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Costs", Rows: [][]any{
		ingesttest.BudgetHeader,
		line("H", "HM1", "", "5000", "", "Officer", "TBC"),
		line("H", "HM1", "", "5000", "", "Van", 10),
		line("H", "HM1", "", "5000", "", "Fuel", "12..5"),
	}})
	_, err := ReadBudget(p, Options{})
	var ie *InputError
	if !errors.As(err, &ie) || len(ie.Cells) != 2 {
		t.Fatalf("want an InputError with 2 cells, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{`sheet "Costs" cell G2: "TBC" is not an amount`, `cell G4: "12..5" is not an amount`, "budget.xlsx"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	b, err := ReadBudget(p, Options{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	ls := b.Lines()
	if len(ls) != 3 || ls[0].Unreadable != "TBC" || ls[2].Unreadable != "12..5" || ls[1].Unreadable != "" {
		t.Errorf("keep-going lines %+v", ls)
	}
	if b.Tables[0].Total() != 1000 {
		t.Errorf("unreadable lines must stay out of totals: %d", b.Tables[0].Total())
	}
}

func TestUncachedFormulas(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Costs", Rows: [][]any{
		ingesttest.BudgetHeader,
		line("H", "HM1", "", "5000", "", "Officer", ingesttest.Formula{Expr: "12*1500.25", NoCache: true}),
		line("H", "HM1", "", "5000", "", "Van", ingesttest.Formula{Expr: "G2/2", NoCache: true}),
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ls := b.Lines()
	if len(ls) != 2 || ls[0].Amount != 1800300 || ls[1].Amount != 900150 {
		t.Fatalf("calculated amounts %+v", ls)
	}

	p = writeXLSX(t, ingesttest.Sheet{Name: "Costs", Rows: [][]any{
		ingesttest.BudgetHeader,
		line("H", "HM1", "", "5000", "", "Officer", ingesttest.Formula{Expr: "[1]Other!A1*2", NoCache: true}),
	}})
	_, err = ReadBudget(p, Options{})
	if err == nil || !strings.Contains(err.Error(), `cell G2: formula =[1]Other!A1*2 has no saved value`) {
		t.Fatalf("want an error naming the uncalculable cell, got %v", err)
	}
}

func TestCSVEncodingsAndDelimiters(t *testing.T) {
	recs := [][]string{
		{"Budget export"},
		{},
		{"Cost Centre", "Nominal", "Description", "Budget £"},
		{"HM1", "5000", "Caf\u00e9 \u2013 résidents", "£1,234.50"},
		{"HM1", "5010", "Quoted, with comma", "(10.00)"},
		{"", "", "Total HM1", "1,224.50"},
	}
	for _, c := range []struct {
		enc   string
		delim rune
		want  string
	}{
		{ingesttest.UTF8, ',', "UTF-8"},
		{ingesttest.UTF8BOM, ',', "UTF-8 with BOM"},
		{ingesttest.Windows1252, ';', "Windows-1252"},
		{ingesttest.UTF16LE, '\t', "UTF-16LE"},
	} {
		t.Run(c.enc+string(c.delim), func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "budget.csv")
			if err := ingesttest.WriteCSV(p, c.enc, c.delim, recs); err != nil {
				t.Fatal(err)
			}
			b, err := ReadBudget(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if b.CSV.Encoding != c.want || b.CSV.Delimiter != c.delim {
				t.Errorf("read as %s %q", b.CSV.Encoding, b.CSV.Delimiter)
			}
			ls := b.Lines()
			if len(ls) != 2 || ls[0].Description != "Caf\u00e9 \u2013 résidents" || ls[0].Amount != 123450 || ls[1].Amount != -1000 || ls[1].Source.Row != 5 {
				t.Fatalf("lines %+v", ls)
			}
			if tb := b.Tables[0]; len(tb.Excluded) != 1 || !tb.Excluded[0].Agrees() {
				t.Errorf("subtotal %+v", tb.Excluded)
			}
		})
	}
}

func TestUnreadableFilesSayWhy(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		path string
		want string
	}{
		{write("old.xls", []byte("x")), "save it as .xlsx"},
		{write("locked.xlsx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...)), "password-protected"},
		{write("text.xlsx", []byte("this is not a zip")), "is not an Excel workbook"},
		{write("empty.csv", nil), "the file is empty"},
		{write("notes.csv", []byte("just,some\nnotes,here\n")), "no budget table found"},
		{write("broken.xlsx", []byte("PK\x03\x04garbage")), "broken.xlsx"},
	} {
		_, err := ReadBudget(c.path, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Base(c.path)) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", filepath.Base(c.path), err, c.want)
		}
	}
}

func TestHeaderOverrides(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "B", Rows: [][]any{
		{"Cost Centre", "Description", "Budget 2025/26", "Budget 2026/27", "Variance"},
		{"HM1", "Officer", 100, 200, 100},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil || b.Lines()[0].Amount != 20000 {
		t.Fatalf("latest year not chosen: %v %+v", err, b.Lines())
	}
	b, err = ReadBudget(p, Options{AmountColumn: "budget 2025/26"})
	if err != nil || b.Lines()[0].Amount != 10000 {
		t.Fatalf("--amount-column by name: %v", err)
	}
	b, err = ReadBudget(p, Options{AmountColumn: "E"})
	if err != nil || b.Lines()[0].Amount != 10000 {
		t.Fatalf("--amount-column by letter: %v %+v", err, b)
	}
}

func TestCSVRowNumbersMatchASpreadsheet(t *testing.T) {
	text := "sep=;\r\nCost Centre;Description;Amount\r\n\r\nHM1;\"Two\nlines\";5\r\nHM1;After;6\r\n"
	d, err := parseCSV("x.csv", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 4, 5}
	if len(d.Rows) != len(want) {
		t.Fatalf("rows %v", d.Rows)
	}
	for i := range want {
		if d.Rows[i] != want[i] {
			t.Fatalf("rows %v, want %v", d.Rows, want)
		}
	}
}

func FuzzSniffAndParseCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"))
	f.Add([]byte("sep=;\na;b\n\"x\ny\";2\n"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0, ',', 0})
	f.Add([]byte("Cost Centre,Amount\nHM1,\xa31\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseCSV("fuzz.csv", data)
		if err != nil {
			return
		}
		prev := 0
		for _, r := range d.Rows {
			if r <= prev {
				t.Fatalf("row numbers not increasing: %v", d.Rows)
			}
			prev = r
		}
		// Reading a table from whatever came out must not panic.
		recs, err := newCSVRecords(d, d.decoder(bytes.NewReader(data)))
		if err != nil {
			return
		}
		_, _, _ = readTable(Source{File: "fuzz.csv"}, &csvRows{recs: recs}, tableOptions{KeepGoing: true})
	})
}

func TestAmountColumnChoiceIsReported(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "B", Rows: [][]any{
		{"Cost Centre", "Description", "Original Budget 2026/27", "Revised Budget 2026/27"},
		{"HM1", "Officer", 100, 120},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil || b.Lines()[0].Amount != 12000 {
		t.Fatalf("revised budget not chosen: %v %+v", err, b)
	}
	if w := strings.Join(b.Warnings, "\n"); !strings.Contains(w, `amounts read from column D "Revised Budget 2026/27"; also found "Original Budget 2026/27"`) {
		t.Errorf("the choice is not reported: %q", w)
	}
	if _, err := ReadBudget(p, Options{AmountColumn: "Budget 2027/28"}); err == nil || !strings.Contains(err.Error(), `has a column headed "Budget 2027/28", as given with --amount-column`) {
		t.Errorf("a missing --amount-column: %v", err)
	}
}

func TestThousandsColumns(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "B", Rows: [][]any{
		{"Cost Centre", "Description", "Budget £'000"},
		{"HM1", "Officer", 95.4},
		{"HM1", "Van", "(1.25)"},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ls := b.Lines(); ls[0].Amount != 9540000 || ls[1].Amount != -125000 {
		t.Errorf("thousands not scaled: %+v", ls)
	}
	if w := strings.Join(b.Warnings, "\n"); !strings.Contains(w, "in thousands of pounds") {
		t.Errorf("no note about thousands: %q", w)
	}
}

func TestTotalRowsWithTypedValues(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		rows  [][]string
		lines int
		total int64
		warn  string
	}{
		{"total in the nominal column", [][]string{{"Nominal", "Description", "Budget"}, {"5000", "Officer", "1000"}, {"5010", "NI", "500"}, {"Total", "", "1500"}}, 2, 150000, ""},
		{"cost centre repeated on the total", [][]string{{"Cost Centre", "Description", "Budget"}, {"HM101", "Officer", "1000"}, {"HM101", "NI", "500"}, {"HM101", "Total HM101", "1500"}}, 2, 150000, ""},
		{"a line that says total", [][]string{{"Cost Centre", "Nominal", "Description", "Budget"}, {"PS1", "6000", "Repairs", "1000"}, {"PS1", "6100", "Total Building Care contract", "700"}}, 2, 170000, "says total but does not equal"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".csv")
			if err := ingesttest.WriteCSV(p, ingesttest.UTF8, ',', c.rows); err != nil {
				t.Fatal(err)
			}
			b, err := ReadBudget(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Lines()) != c.lines || b.Tables[0].Total() != c.total {
				t.Errorf("%d lines totalling %d, want %d totalling %d", len(b.Lines()), b.Tables[0].Total(), c.lines, c.total)
			}
			if w := strings.Join(b.Warnings, "\n"); c.warn != "" && !strings.Contains(w, c.warn) {
				t.Errorf("warnings %q lack %q", w, c.warn)
			}
		})
	}
}

func TestAmountColumnLetterMustBeInTheHeader(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "B", Rows: [][]any{{"Cost Centre", "Description", "Amount"}, {"HM1", "Officer", 100}}})
	if _, err := ReadBudget(p, Options{AmountColumn: "Amt"}); err == nil || !strings.Contains(err.Error(), `reaches column AMT given with --amount-column`) {
		t.Errorf("--amount-column Amt read column AMT: %v", err)
	}
	if b, err := ReadBudget(p, Options{AmountColumn: "c"}); err != nil || b.Lines()[0].Amount != 10000 {
		t.Errorf("--amount-column c: %v", err)
	}
}

func TestKeepGoingPastBadSubtotalsAndFormulas(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Costs", Rows: [][]any{
		ingesttest.BudgetHeader,
		line("H", "HM1", "", "5000", "", "Officer", 1000),
		line("H", "HM1", "", "5010", "", "NI", ingesttest.Formula{Expr: "[3]Pay!A1*2", NoCache: true}),
		{"", "", "Total HM1", "", "", "", "TBC"},
	}})
	if _, err := ReadBudget(p, Options{}); err == nil {
		t.Fatal("want errors without --keep-going")
	}
	b, err := ReadBudget(p, Options{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	ls := b.Lines()
	if len(ls) != 2 || ls[1].Unreadable != "=[3]Pay!A1*2" {
		t.Errorf("lines %+v", ls)
	}
	ex := b.Tables[0].Excluded
	if len(ex) != 1 || !ex[0].NoValue || ex[0].Amount != 100000 {
		t.Errorf("excluded %+v", ex)
	}
	if w := strings.Join(b.Warnings, "\n"); !strings.Contains(w, `subtotal "TBC" is not an amount`) {
		t.Errorf("warnings %q", w)
	}
}

func TestHeaderRowOverride(t *testing.T) {
	// Two header-like rows: detection takes the richer first; --header-row
	// chooses the other.
	p := writeXLSX(t, ingesttest.Sheet{Name: "B", Rows: [][]any{
		{"Cost Centre", "Nominal", "Description", "Budget"},
		{"Notes: the table below is the one to read"},
		{"Cost Centre", "Description", "Amount"},
		{"HM1", "Officer", 100},
	}})
	b, err := ReadBudget(p, Options{HeaderRow: 3})
	if err != nil {
		t.Fatal(err)
	}
	if tb := b.Tables[0]; tb.Source.Row != 3 || len(b.Lines()) != 1 || b.Lines()[0].Amount != 10000 {
		t.Errorf("header row %d, lines %+v", tb.Source.Row, b.Lines())
	}
	if _, err := ReadBudget(p, Options{HeaderRow: 2}); err == nil {
		t.Error("row 2 is no header: want an error")
	}
}

func TestValidUTF8AcrossChunks(t *testing.T) {
	big := strings.Repeat("a", 1<<20-1) + "£" + strings.Repeat("b", 10) // "£" cut by the first chunk
	for _, c := range []struct {
		in   string
		want bool
	}{{big, true}, {big + "\xa3", false}, {"", true}, {"£", true}, {"\xa3", false}} {
		got, err := validUTF8(strings.NewReader(c.in))
		if err != nil || got != c.want {
			t.Errorf("validUTF8(%d bytes) = %v, %v; want %v", len(c.in), got, err, c.want)
		}
	}
}

func TestWindows1252FarDownALargeCSV(t *testing.T) {
	var b strings.Builder
	b.WriteString("Cost Centre,Description,Budget\n")
	for b.Len() < 1<<20+1000 {
		b.WriteString("HM1,Officer,100\n")
	}
	b.WriteString("HM1,Caf\xe9 costs,\xa3250.00\n") // Windows-1252 "é" and "£"
	p := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	book, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ls := book.Lines()
	if last := ls[len(ls)-1]; last.Description != "Café costs" || last.Amount != 25000 || book.CSV.Encoding != "Windows-1252" {
		t.Errorf("last line %+v, encoding %s", last, book.CSV.Encoding)
	}
}

func TestLargeCROnlyUTF8CSV(t *testing.T) {
	// Old-Mac line ends, and a "£" cut by the end of the first MiB, which
	// is all the encoding is told from: still UTF-8.
	var b strings.Builder
	b.WriteString("Cost Centre,Description,Budget\r")
	for b.Len() < 1<<20-100 {
		b.WriteString("HM1,Officer,1\r")
	}
	k := 1<<20 - 1 - b.Len() - len("HM1,Pad,")
	b.WriteString("HM1,Pad" + strings.Repeat("d", k) + ",£100.00\rHM1,Last,2\r")
	if i := strings.Index(b.String(), "£"); i != 1<<20-1 {
		t.Fatalf("the £ is at %d", i)
	}
	p := filepath.Join(t.TempDir(), "mac.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	book, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ls := book.Lines()
	if book.CSV.Encoding != "UTF-8" || ls[len(ls)-2].Amount != 10000 {
		t.Errorf("read as %s; the £ line %+v", book.CSV.Encoding, ls[len(ls)-2])
	}
}

func TestGrandTotalOverATypedSubtotalIsCheckedOnce(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "B", Rows: [][]any{
		{"Cost Centre", "Description", "Budget"},
		{"HM1", "Officer", 100},
		{"HM1", "Van", 200},
		{"", "Total HM1", 300},
		{"HM2", "Rent", 50},
		{"", "Grand total", ingesttest.Formula{Expr: "SUM(C2:C5)", Cached: 650}}, // counts HM1 twice
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ex := b.Tables[0].Excluded
	if len(ex) != 2 || !ex[0].Agrees() || ex[1].Agrees() || ex[1].Expected != 35000 {
		t.Errorf("excluded %+v", ex)
	}
}
