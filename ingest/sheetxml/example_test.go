package sheetxml_test

import (
	"archive/zip"
	"bytes"
	"fmt"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// budgetWorkbook is a small workbook's bytes: one sheet, a text cell kept
// in the shared string table, an inline string, a number and a formula.
func budgetWorkbook() []byte {
	const rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	parts := []struct{ name, xml string }{
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rels + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + rels + `"><sheets><sheet name="Costs" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rels + `/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="` + rels + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Description</t></si></sst>`},
		{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Amount</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>Boiler servicing</t></is></c><c r="B2"><v>1250.5</v></c></row>` +
			`<row r="4"><c r="B4"><f>SUM(B2:B3)</f><v>1250.5</v></c></row>` +
			`</sheetData></worksheet>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, _ := zw.Create(p.name)
		w.Write([]byte(p.xml))
	}
	zw.Close()
	return buf.Bytes()
}

// Rows reads a sheet row by row, each cell as written: its type, its raw
// value (a shared string resolved), its formula.
func ExampleWorkbook_Rows() {
	data := budgetWorkbook()
	wb, err := sheetxml.OpenReader(bytes.NewReader(data), int64(len(data)), sheetxml.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer wb.Close()
	rows, err := wb.Rows(wb.Sheets()[0].Name)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		for _, c := range rows.Cells() {
			fmt.Printf("row %d column %d: %q type %q formula %q\n", rows.Row(), c.Col, c.Value, c.Type, c.Formula)
		}
	}
	if err := rows.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// row 1 column 1: "Description" type "s" formula ""
	// row 1 column 2: "Amount" type "inlineStr" formula ""
	// row 2 column 1: "Boiler servicing" type "inlineStr" formula ""
	// row 2 column 2: "1250.5" type "" formula ""
	// row 4 column 2: "1250.5" type "" formula "SUM(B2:B3)"
}

// A Tag is read and edited with the rules the row reader uses, for code
// that copies sheet XML as bytes.
func ExampleTag() {
	row := sheetxml.Tag(`<x:row r="7" spans="1:9">`)
	fmt.Println(string(row.Name()), row.Prefix(), string(row.Attr("r")))
	fmt.Println(string(row.SetAttr("spans", "")))
	col, r, ok := sheetxml.ParseCellRef([]byte("$AB$12"))
	fmt.Println(col, r, ok)
	// Output:
	// row x: 7
	// <x:row r="7">
	// 28 12 true
}
