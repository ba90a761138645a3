package ingest

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// This file holds regression tests for low-level reading defects: values
// as the sheet's XML holds them, CSV quoting, and amounts too large to
// hold. Their workbooks are written here by hand, XML and all, since the
// point is XML that excelize would not write.

// xcell writes one cell of a hand-written sheet: "=EXPR" is a formula
// saved with an empty value element (as openpyxl saves every formula),
// "=EXPR|V" one saved with the value V, a number a number, and anything
// else an inline string.
func xcell(ref, v string) string {
	if expr, ok := strings.CutPrefix(v, "="); ok {
		expr, cached, hasCache := strings.Cut(expr, "|")
		expr = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(expr)
		if !hasCache {
			return fmt.Sprintf(`<c r="%s"><f>%s</f><v></v></c>`, ref, expr)
		}
		return fmt.Sprintf(`<c r="%s"><f>%s</f><v>%s</v></c>`, ref, expr, cached)
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return fmt.Sprintf(`<c r="%s"><v>%s</v></c>`, ref, v)
	}
	v = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(v)
	return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, v)
}

// xrow writes row n with cells from column A; "" leaves a cell out.
func xrow(n int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, n)
	for i, v := range cells {
		if v != "" {
			b.WriteString(xcell(CellRef(i+1, n), v))
		}
	}
	b.WriteString(`</row>`)
	return b.String()
}

// writeSheetXML writes a workbook of one sheet, "Costs", whose sheetData
// holds rows as given.
func writeSheetXML(t testing.TB, rows ...string) string {
	t.Helper()
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	const rel = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + `><sheets><sheet name="Costs" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + ns + `><sheetData>` + strings.Join(rows, "") + `</sheetData></worksheet>`},
	}
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, part := range parts {
		w, err := zw.Create(part.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(part.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

var lowHeader = xrow(1, "Cost Centre", "Nominal", "Description", "Monthly", "Annual Budget")

// A formula saved with an empty value element has no saved value: it is
// calculated, never read as £0, and a subtotal over such cells is checked
// against what they come to.
func TestEmptyCachedValueIsCalculated(t *testing.T) {
	for _, v := range []string{`<v></v>`, `<v/>`} {
		t.Run(v, func(t *testing.T) {
			p := writeSheetXML(t, lowHeader,
				strings.ReplaceAll(xrow(2, "HM1", "5000", "Officer", "1500.25", "=D2*12"), "<v></v>", v),
				strings.ReplaceAll(xrow(3, "HM1", "5010", "NI", "100", "=D3*12"), "<v></v>", v),
				xrow(4, "Total HM1", "", "", "", "=SUM(E2:E3)"),
			)
			b, err := ReadBudget(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			ls := b.Lines()
			if len(ls) != 2 || ls[0].Amount != 1800300 || ls[1].Amount != 120000 {
				t.Fatalf("lines %+v, want £18,003.00 and £1,200.00", ls)
			}
			ex := b.Tables[0].Excluded
			if len(ex) != 1 || ex[0].Reason != ReasonSubtotal || !ex[0].NoValue || !ex[0].Agrees() || ex[0].Amount != 1920300 {
				t.Errorf("subtotal %+v", ex)
			}
			if w := strings.Join(b.Warnings, "\n"); strings.Contains(w, "calculat") {
				t.Errorf("warnings %q", w)
			}
		})
	}
}

// A row or cell given twice in a sheet's XML is refused, naming the file,
// the sheet and the row or cell: counting it twice would be a wrong total.
func TestRowGivenTwiceIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows []string
		want string
	}{
		{"row twice", []string{lowHeader, xrow(2, "HM1", "5000", "Officer", "", "100"), xrow(2, "HM1", "5000", "Officer", "", "100")}, "row 2 is given twice"},
		{"row back", []string{lowHeader, xrow(2, "HM1", "5000", "Officer", "", "100"), xrow(3, "HM1", "5000", "Van", "", "5"), xrow(2, "HM1", "5000", "Officer", "", "100")}, "row 2 is given twice"},
		{"cell twice", []string{lowHeader, strings.Replace(xrow(2, "HM1", "5000", "Officer", "", "100"), "</row>", xcell("E2", "900")+"</row>", 1)}, "cell E2 is given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeSheetXML(t, tc.rows...)
			_, err := ReadBudget(p, Options{})
			if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), `sheet "Costs"`) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming the file, sheet \"Costs\" and %q", err, tc.want)
			}
		})
	}
}

// A quote that does not end its field is read as a character, as Excel
// reads it, and every line after it is read; a quote that opens a field
// and never closes it is refused with its line number.
func TestCSVStrayQuotes(t *testing.T) {
	const head = "Directorate,Cost Centre,Nominal,Description,Amount\n"
	const rest = "Housing,HM1,5010,Gas servicing,200\nHousing,HM1,5020,Electrical tests,300\nHousing,HM2,5030,Lift repairs,400\n"
	for _, tc := range []struct {
		name, text string
		desc       string // the first line's description
		warn       string // a warning that must be given ("" for none)
		err        string // or the error
	}{
		{"stray quote after a quoted word", head + `Housing,HM1,5000,"Boiler 24" replacement,100` + "\n" + rest, `Boiler 24" replacement`, "line 2", ""},
		{"stray quote, CRLF", strings.ReplaceAll(head+`Housing,HM1,5000,"Boiler 24" replacement,100`+"\n"+rest, "\n", "\r\n"), `Boiler 24" replacement`, "line 2", ""},
		{"quote inside an unquoted field", head + `Housing,HM1,5000,Boiler 24" replacement,100` + "\n" + rest, `Boiler 24" replacement`, "", ""},
		{"doubled quotes", head + `Housing,HM1,5000,"Boiler ""24"" replacement",100` + "\n" + rest, `Boiler "24" replacement`, "", ""},
		{"space after the closing quote", head + `Housing,HM1,5000,"Boiler replacement" ,100` + "\n" + rest, `Boiler replacement`, "", ""},
		{"quoted line break", head + "Housing,HM1,5000,\"Boiler\nreplacement\",100\n" + rest, "Boiler\nreplacement", "", ""},
		{"quote never closed", head + `Housing,HM1,5000,"Boiler replacement,100` + "\n" + rest, "", "", "line 2"},
		{"quote closed lines later", head + `Housing,HM1,5000,"Boiler replacement,100` + "\n" + rest + `Housing,HM3,5040,"Roof" tiles,500` + "\n", "", "", "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "budget.csv")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := ReadBudget(p, Options{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), p) {
					t.Fatalf("err = %v, want one naming the file and %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ls := b.Lines()
			if len(ls) != 4 || b.Tables[0].Total() != 100000 {
				t.Fatalf("%d lines, total %d, want 4 lines of £1,000.00: %+v", len(ls), b.Tables[0].Total(), ls)
			}
			if ls[0].Description != tc.desc || ls[0].Amount != 10000 || ls[3].Source.Row != 5 {
				t.Errorf("first line %+v, last %+v", ls[0], ls[3])
			}
			w := strings.Join(b.Warnings, "\n")
			if tc.warn != "" && !strings.Contains(w, tc.warn) || tc.warn == "" && strings.Contains(w, "quote") {
				t.Errorf("warnings %q, want one saying %q", w, tc.warn)
			}
		})
	}
}

// Where the standard library's strict reader reads a file, the CSV reader
// reads it the same: it differs only on quotes that break the rules.
func FuzzCSVReaderAgreesWithEncodingCSV(f *testing.F) {
	f.Add("a,b\n1,2\n", byte(','))
	f.Add("\"x\ny\",2\n\n\"q\"\"\",\n", byte(','))
	f.Add("a;\"b;c\";d\n", byte(';'))
	f.Add("a\t\"\"\n", byte('\t'))
	f.Fuzz(func(t *testing.T, text string, delim byte) {
		if delim != ',' && delim != ';' && delim != '\t' {
			return
		}
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
		std := csv.NewReader(strings.NewReader(text))
		std.Comma, std.FieldsPerRecord = rune(delim), -1
		want, err := std.ReadAll()
		if err != nil {
			return
		}
		r := newCSVReader(strings.NewReader(text), delim)
		for i := 0; ; i++ {
			rec, err := r.read()
			if err == io.EOF {
				if i != len(want) {
					t.Fatalf("%d records, want %d", i, len(want))
				}
				return
			}
			if err != nil {
				t.Fatalf("record %d: %v (encoding/csv read %q)", i, err, want)
			}
			if i >= len(want) || !slices.Equal(rec, want[i]) {
				t.Fatalf("record %d: %q, want %q", i, rec, want)
			}
		}
	})
}

// The formulas budgets use are calculated as the sheet is read; only
// others load the whole workbook (slow on a large ledger), and a warning
// says so, once per table.
func TestFormulasCalculatedAsRead(t *testing.T) {
	p := writeSheetXML(t,
		xrow(1, "Cost Centre", "Nominal", "Description", "Monthly", "Months", "Annual Budget"),
		xrow(2, "HM1", "5000", "Officer", "1500.25", "12", "=D2*E2"),
		xrow(3, "HM1", "5010", "NI", "100", "", "=ROUND(D3*12*1.138,2)"),
		xrow(4, "HM1", "5020", "Pension", "50", "12", "=SUM(D4:E4)*10"),
		xrow(5, "HM1", "5030", "Uplift", "", "", "=(F2+0)*2.5%"), // another row: excelize
		xrow(6, "HM1", "5040", "Travel", "10", "=D6*12", "=E6*2"),
		xrow(7, "HM1", "5050", "Contingency", "", "", "=SUM(F2:F3)*5%"),
		xrow(8, "HM1", "5060", "Audit", "40", "", "=$D$8*-1.5"),
	)
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{1800300, 136560, 62000, 45008, 24000, 96843, -6000}
	ls := b.Lines()
	if len(ls) != len(want) {
		t.Fatalf("%d lines, want %d: %+v", len(ls), len(want), ls)
	}
	for i, l := range ls {
		if l.Amount != want[i] {
			t.Errorf("row %d: %d pence, want %d", l.Source.Row, l.Amount, want[i])
		}
	}
	w := strings.Join(b.Warnings, "\n")
	if strings.Count(w, "whole workbook") != 1 || !strings.Contains(w, "cell F5: formula =(F2+0)*2.5% was saved without its value") || strings.Contains(w, "so were") {
		t.Errorf("warnings %q, want one naming F5 alone", w)
	}
}

// An amount or a total too large to hold is an error naming the file (and
// the cell, for one amount), never a wrapped number.
func TestAmountsTooLargeAreRefused(t *testing.T) {
	csvOf := func(amount string, n int) string {
		var b strings.Builder
		b.WriteString("Nominal,Description,Amount\n")
		for i := range n {
			fmt.Fprintf(&b, "%d,Line %d,%s\n", 5000+i%100, i, amount)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"ten lines of £90 quadrillion", csvOf("90000000000000000", 10), []string{"cell C2", `£90,000,000,000,000,000.00 is too large: more than £1,000,000,000,000`}},
		{"beyond what pence can hold", csvOf("99999999999999999999", 1), []string{"cell C2", `"99999999999999999999" is too large: more than £1,000,000,000,000`}},
		{"a line just over the bound", csvOf("1000000000000.01", 1), []string{"cell C2", "more than £1,000,000,000,000"}},
		{"lines at the bound whose total cannot be held", csvOf("1000000000000", 93000), []string{"cell C92235", "a total too large to hold"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "huge.csv")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := ReadBudget(p, Options{})
			if err == nil {
				t.Fatalf("read %d lines totalling %d pence; want an error", len(b.Lines()), b.Tables[0].Total())
			}
			for _, w := range append(tc.want, p) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to say %q", err, w)
				}
			}
		})
	}
	// With --keep-going, a line too large is unreadable: on the Review
	// list, out of the totals.
	p := filepath.Join(t.TempDir(), "huge.csv")
	if err := os.WriteFile(p, []byte(csvOf("90000000000000000", 2)+"5999,Fine,100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBudget(p, Options{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if ls := b.Lines(); len(ls) != 3 || ls[0].Unreadable == "" || ls[0].Amount != 0 || b.Tables[0].Unreadable != 2 || b.Tables[0].Total() != 10000 {
		t.Errorf("--keep-going: lines %+v, total %d", ls, b.Tables[0].Total())
	}
	// At the bound, a line is read.
	p = filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(p, []byte(csvOf("-1000000000000", 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadBudget(p, Options{}); err != nil || b.Tables[0].Total() != -3*MaxLinePence {
		t.Errorf("three lines of -£1,000,000,000,000: %v", err)
	}
}
