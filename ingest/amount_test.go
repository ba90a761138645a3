package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
	"github.com/xuri/excelize/v2"
)

func TestParsePence(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"", 0, false},
		{"-", 0, false},
		{" – ", 0, false},
		{"0", 0, false},
		{"1234.56", 123456, false},
		{"1234.5599999999999", 123456, false},
		{"1234.555", 123456, false},
		{"1234.554", 123455, false},
		{"-1234.555", -123456, false},
		{"£1,234.56", 123456, false},
		{"1,234", 123400, false},
		{"1,234,567.8", 123456780, false},
		{"(250.00)", -25000, false},
		{"(£250.00)", -25000, false},
		{"£(250.00)", 0, true},
		{"-250", -25000, false},
		{"−250", -25000, false},
		{"£-250", -25000, false},
		{"250.00-", -25000, false},
		{"250 CR", -25000, false},
		{"250 DR", 25000, false},
		{"GBP 10", 1000, false},
		{"+7.5", 750, false},
		{".5", 50, false},
		{"5.", 500, false},
		{"1.2345E+3", 123450, false},
		{"1.2345e3", 123450, false},
		{"5E-3", 1, false},
		{"4E-3", 0, false},
		{"1E+17", 0, true},
		{"92233720368547758.08", 0, true},
		{"92233720368547758.07", 9223372036854775807, false},
		{"92233720368547758.075", 0, true},
		{"123456789012345.67", 12345678901234567, false},
		{"\u00a0£ 12.00\u00a0", 1200, false},
		{"TBC", 0, true},
		{"1,23", 0, true},
		{"12,34.5", 0, true},
		{"1.2.3", 0, true},
		{"£", 0, true},
		{"()", 0, true},
		{"1 234", 0, true},
		{"12e", 0, true},
		{"0x10", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePence(tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("ParsePence(%q) = %d, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePence(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParsePence(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatPenceRoundTrip(t *testing.T) {
	for _, p := range []int64{0, 1, -1, 5, 99, 100, -105, 123456, 9223372036854775807, -9223372036854775807} {
		s := FormatPence(p)
		back, err := ParsePence(s)
		if err != nil || back != p {
			t.Errorf("FormatPence(%d) = %q, parsed back as %d (%v)", p, s, back, err)
		}
	}
}

func FuzzParsePence(f *testing.F) {
	for _, s := range []string{"1234.56", "£1,234.56", "(250.00)", "-", "1.2E+3", "250 CR", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePence(s)
		if err != nil {
			if !errors.Is(err, ErrNotAmount) && !errors.Is(err, errTooLarge) {
				t.Fatalf("ParsePence(%q): unexpected error type %v", s, err)
			}
			return
		}
		if p == -9223372036854775808 {
			t.Fatalf("ParsePence(%q) overflowed", s)
		}
		// What we print, we read back the same.
		if back, err := ParsePence(FormatPence(p)); err != nil || back != p {
			t.Fatalf("round trip of %q: %d -> %q -> %d (%v)", s, p, FormatPence(p), back, err)
		}
	})
}

func TestFormatMoney(t *testing.T) {
	for p, want := range map[int64]string{0: "£0.00", 5: "£0.05", -25000: "-£250.00", 123456789: "£1,234,567.89", 100000: "£1,000.00"} {
		if got := FormatMoney(p); got != want {
			t.Errorf("FormatMoney(%d) = %q, want %q", p, got, want)
		}
	}
}

func TestParseThousandsPence(t *testing.T) {
	for in, want := range map[string]int64{"95.4": 9540000, "95.4123": 9541230, "(1.5)": -150000, "-": 0, "1.2E+1": 1200000, "0.0004": 40, "0.000004": 0} {
		got, err := ParseThousandsPence(in)
		if err != nil || got != want {
			t.Errorf("ParseThousandsPence(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

func TestFormatPounds(t *testing.T) {
	for p, want := range map[int64]string{0: "£0", 49: "£0", 50: "£1", -30: "£0", -150: "-£2", 123456789: "£1,234,568", -25000: "-£250"} {
		if got := FormatPounds(p); got != want {
			t.Errorf("FormatPounds(%d) = %q, want %q", p, got, want)
		}
	}
}

// A text amount with three digits after a single dot may be thousands
// written with a dot (a continental export's 12.000 is twelve thousand):
// it is refused, naming the cell, in a CSV file or as a workbook's text.
// A number stored as a number is what it says.
func TestDotThousandsAreAmbiguous(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "kosten.csv")
	if err := os.WriteFile(csvPath, []byte("Kostenstelle;Cost Centre;Description;Amount\nx;HM01;Salaries;12.000\nx;HM01;Repairs;1.500\nx;CI01;Grant;2.250\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(t.TempDir(), "text.xlsx")
	number := filepath.Join(t.TempDir(), "number.xlsx")
	for _, p := range []struct {
		path   string
		amount any
	}{{text, "12.345"}, {number, 12.345}} {
		if err := ingesttest.WriteRawXLSX(p.path, ingesttest.Sheet{Name: "Ledger", Rows: [][]any{
			{"Cost Centre", "Description", "Amount"}, {"HM01", "Salaries", 100}, {"HM01", "Postage", p.amount},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, path string
		want       []string // in the error, or
		total      int64    // the total read
	}{
		{"semicolon CSV", csvPath, []string{"cell D2", `"12.000"`, "is it 12,000 written with a dot for thousands?", "cell D3", "cell D4"}, 0},
		{"text in a workbook", text, []string{`sheet "Ledger" cell C3`, "is it 12,345 written with a dot for thousands?"}, 0},
		{"a number in a workbook", number, nil, 11235},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadBudget(tc.path, Options{})
			if tc.want == nil {
				if err != nil || sumLines(b) != tc.total {
					t.Fatalf("err %v; want %d pence read", err, tc.total)
				}
				return
			}
			if err == nil {
				t.Fatalf("read %d lines totalling %s; want the amounts refused", len(b.Lines()), FormatMoney(sumLines(b)))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to say %q", err, w)
				}
			}
		})
	}
	for in, want := range map[string]bool{"12.000": true, "£1.500": true, "-2.250": true, "(999.999)": true, "12.345 CR": true,
		"0.500": false, "1234.567": false, "12.34": false, "1,234.567": false, "12.3456": false, "12": false, "1.2E+3": false} {
		if got := dotThousands(in); got != want {
			t.Errorf("dotThousands(%q) = %v, want %v", in, got, want)
		}
	}
}

// A TRUE or FALSE cell in the amount column is stored as 1 or 0, and is
// no amount: refused, naming the cell, not read as £1.00.
func TestBooleansAreNotAmounts(t *testing.T) {
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := ingesttest.WriteRawXLSX(p, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Description", "Amount"},
		{"HM1", "Repairs", 12000},
		{"HM1", "Approved?", true},
		{"HM1", "Cancelled", false},
	}}); err != nil {
		t.Fatal(err)
	}
	_, err := ReadBudget(p, Options{})
	for _, want := range []string{`sheet "Budget" cell C3: TRUE (a true-or-false cell) is not an amount`, `cell C4: FALSE (a true-or-false cell) is not an amount`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v; want %s", err, want)
		}
	}
}

// A date in the amount column is not money: a cell shown as a date (a
// built-in or custom date format) is refused, naming the cell.
func TestDatesAreNotAmounts(t *testing.T) {
	p := filepath.Join(t.TempDir(), "spend.xlsx")
	if err := ingesttest.WriteRawXLSX(p, ingesttest.Sheet{Name: "Spend", Rows: [][]any{
		{"Date", "Supplier Name", "Expense Type", "Expense Area", "Amount"},
		{ingesttest.Date(46113), "Anchor", "Supported housing", "Housing", 12000},
		{ingesttest.Date(46114), "Total Solutions", "IT licences", "Corporate", 800},
		{ingesttest.Date(46115), "Crisis", "Homelessness", "Housing", ingesttest.Date(46115)},
	}}); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBudget(p, Options{})
	if err == nil || !strings.Contains(err.Error(), `sheet "Spend" cell E4: 03/04/2026 is a date, not an amount`) {
		t.Fatalf("err = %v; want cell E4 named as a date (read %d lines)", err, len(b.Lines()))
	}
	// With --keep-going it is on the Review list, out of the totals.
	b, err = ReadBudget(p, Options{KeepGoing: true})
	if err != nil || len(b.Lines()) != 3 || sumLines(b) != 1280000 || b.Lines()[2].Unreadable == "" {
		t.Fatalf("--keep-going: %v, lines %+v", err, b.Lines())
	}
}

// The total of absolute amounts that cannot be held is named in plain
// words, with the right sign.
func TestTooLargeATotalSaysWhatTheLimitIs(t *testing.T) {
	var s strings.Builder
	s.WriteString("Cost Centre,Description,Amount\n")
	for i := range 92240 {
		fmt.Fprintf(&s, "HM01,Big %d,999999999999\n", i)
	}
	p := filepath.Join(t.TempDir(), "overflow.csv")
	if err := os.WriteFile(p, []byte(s.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadBudget(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "cell C92235") || !strings.Contains(err.Error(), "£92,233,720,368,547,758") || strings.Contains(err.Error(), "-£") {
		t.Fatalf("err = %v", err)
	}
}

// A number shown as a percentage in the amount column is a rate (0.5 for
// 50%), not money: refused, naming the cell, not read as £0.50.
func TestPercentagesAreNotAmounts(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"Cost Centre", "Description", "Amount"}, {"HM1", "Repairs", 12000}, {"HM1", "Uplift", 0.5}}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "C3", "C3", pct); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBudget(p, Options{}); err == nil || !strings.Contains(err.Error(), `cell C3: 50% is shown as a percentage, not an amount`) {
		t.Errorf("err = %v; want cell C3 named as a percentage", err)
	}
}
