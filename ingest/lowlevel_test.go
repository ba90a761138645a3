package ingest

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
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
