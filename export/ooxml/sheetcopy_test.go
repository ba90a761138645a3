package ooxml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

const sheetXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1"/><x:sheetViews><x:sheetView tabSelected="1" workbookViewId="0"/></x:sheetViews>` +
	`<!-- a <row> in a comment --><x:sheetData><x:row r="1" spans="1:2"><x:c r="A1" t="inlineStr"><x:is><x:t>Cost &lt;centre&gt;</x:t></x:is></x:c><x:c r="B1" t="s"><x:v>0</x:v></x:c></x:row>` +
	`<x:row><x:c r="A2"><x:v>1</x:v></x:c><x:c r="H2" t="str"><x:f>"old"</x:f><x:v>old</x:v></x:c><x:c r="I2"/></x:row>` +
	`<x:row r="3"/><x:row r="5" customHeight="1" ht="20"><x:c r="A5"><x:v>5</x:v></x:c></x:row></x:sheetData><x:pageMargins left="0.7"/></x:worksheet>`

func addMarks(row int, p string, buf []byte) []byte {
	if row == 4 {
		return buf
	}
	return fmt.Appendf(buf, `<%sc r="H%d" t="inlineStr"><%sis><%st>row %d</%st></%sis></%sc>`, p, row, p, p, row, p, p, p)
}

func TestCopySheetEdits(t *testing.T) {
	var out bytes.Buffer
	err := CopySheet(&out, iotest.OneByteReader(strings.NewReader(sheetXML)), SheetEdit{
		Dimension: "A1:N5", Unselect: true, Drop: func(_, col int) bool { return col >= 8 },
		Cols:     []ColWidth{{8, 8, 30}},
		AddCells: addMarks,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		`<x:dimension ref="A1:N5"/>`,
		`<x:sheetView workbookViewId="0"/>`,
		`<!-- a <row> in a comment -->`,
		`<x:cols><x:col min="8" max="8" width="30" customWidth="1"/></x:cols><x:sheetData>`,
		`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Cost &lt;centre&gt;</x:t></x:is></x:c><x:c r="B1" t="s"><x:v>0</x:v></x:c><x:c r="H1" t="inlineStr"><x:is><x:t>row 1</x:t></x:is></x:c></x:row>`,
		`<x:row><x:c r="A2"><x:v>1</x:v></x:c><x:c r="H2" t="inlineStr"><x:is><x:t>row 2</x:t></x:is></x:c></x:row>`,
		`<x:row r="3"><x:c r="H3" t="inlineStr"><x:is><x:t>row 3</x:t></x:is></x:c></x:row>`,
		`<x:row r="5" customHeight="1" ht="20"><x:c r="A5"><x:v>5</x:v></x:c><x:c r="H5"`,
		`<x:pageMargins left="0.7"/></x:worksheet>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %s\n%s", want, got)
		}
	}
	if err := xml.Unmarshal(out.Bytes(), new(struct{})); err != nil {
		t.Errorf("output is not XML: %v", err)
	}
}

func TestCopySheetWithoutEditsIsIdentity(t *testing.T) {
	none := func(int, string, []byte) []byte { return nil }
	// An edit without AddCells (a table with no room for the added
	// columns) adds none, as one adding none does.
	for _, e := range []SheetEdit{{AddCells: none}, {}} {
		var out bytes.Buffer
		if err := CopySheet(&out, iotest.HalfReader(strings.NewReader(sheetXML)), e); err != nil {
			t.Fatal(err)
		}
		if out.String() != sheetXML {
			t.Errorf("changed:\n%s", out.String())
		}
	}
}

func TestCopySheetExistingColsAndTruncation(t *testing.T) {
	in := `<worksheet><cols><col min="1" max="16384" width="9"/></cols><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`
	var out bytes.Buffer
	if err := CopySheet(&out, strings.NewReader(in), SheetEdit{Cols: []ColWidth{{2, 2, 30}}, AddCells: addMarks}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), `width="30"`) {
		t.Errorf("added a width over an existing <col>: %s", out.String())
	}
	for _, cut := range []int{20, 60, len(in) - 20} {
		var o bytes.Buffer
		err := CopySheet(&o, strings.NewReader(in[:cut]), SheetEdit{AddCells: addMarks})
		if err == nil && strings.Contains(in[:cut], "<row") && !strings.Contains(in[:cut], "</row>") {
			t.Errorf("cut at %d: no error for a row that never ends", cut)
		}
	}
}

func FuzzCopySheet(f *testing.F) {
	f.Add(sheetXML)
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`)
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		_ = CopySheet(&out, strings.NewReader(in), SheetEdit{Drop: func(_, col int) bool { return col >= 3 }, Dimension: "A1:B2", Unselect: true, Cols: []ColWidth{{3, 3, 10}}, AddCells: addMarks})
	})
}

// However the input arrives, a byte at a time or in halves, the copy is the
// same: the row ends it looks for may straddle any two reads.
func TestCopySheetReadSizes(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>`)
	for r := 1; r <= 300; r++ {
		fmt.Fprintf(&sb, `<x:row r="%d"><x:c r="A%d" t="inlineStr"><x:is><x:t>w row&lt;/x:row&gt; wow %d</x:t></x:is></x:c></x:row>`, r, r, r)
	}
	sb.WriteString(`</x:sheetData></x:worksheet>`)
	in := sb.String()
	copyWith := func(r io.Reader) string {
		var out bytes.Buffer
		if err := CopySheet(&out, r, SheetEdit{AddCells: addMarks}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	want := copyWith(strings.NewReader(in))
	if strings.Count(want, "</x:row>") != 300 {
		t.Fatalf("%d rows copied", strings.Count(want, "</x:row>"))
	}
	for name, r := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(strings.NewReader(in)),
		"halves":   iotest.HalfReader(strings.NewReader(in)),
	} {
		if got := copyWith(r); got != want {
			t.Errorf("%s at a time: the copy differs", name)
		}
	}
}

// Added cells go between a row's own where their columns fall, replacing
// the cells Drop names and any in their columns; a row's other cells stay.
func TestCopySheetMergesCellsInColumnOrder(t *testing.T) {
	in := `<worksheet><sheetData><row r="2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>old</t></is></c><c r="E2" t="inlineStr"><is><t>adviser</t></is></c><c r="G2"/><c r="J2"><v>9</v></c></row></sheetData></worksheet>`
	add := func(row int, prefix string, b []byte) []byte {
		for _, ref := range []string{"C", "G", "H"} {
			b = append(b, `<c r="`+ref+"2"+`"><v>7</v></c>`...)
		}
		return b
	}
	var out strings.Builder
	err := CopySheet(&out, strings.NewReader(in), SheetEdit{AddCells: add, Drop: func(_, col int) bool { return col == 10 }})
	if err != nil {
		t.Fatal(err)
	}
	want := `<row r="2"><c r="A2"><v>1</v></c><c r="C2"><v>7</v></c><c r="E2" t="inlineStr"><is><t>adviser</t></is></c><c r="G2"><v>7</v></c><c r="H2"><v>7</v></c></row>`
	if !strings.Contains(out.String(), want) {
		t.Errorf("got  %s\nwant %s", out.String(), want)
	}
}

// Data validations go in where the schema wants them: into the sheet's
// own <dataValidations> (an earlier run's, known by promptTitle, dropped;
// a person's kept), or as a new element before what must follow it.
func TestCopySheetValidations(t *testing.T) {
	ours := []byte(`<dataValidation type="list" promptTitle="purpose" sqref="C2:C9"><formula1>Lists!$A$2:$A$5</formula1></dataValidation>`)
	for _, c := range []struct{ in, want string }{
		{`<worksheet><sheetData/><pageMargins left="1"/></worksheet>`,
			`<worksheet><sheetData/><dataValidations>` + string(ours) + `</dataValidations><pageMargins left="1"/></worksheet>`},
		{`<worksheet><sheetData/></worksheet>`,
			`<worksheet><sheetData/><dataValidations>` + string(ours) + `</dataValidations></worksheet>`},
		{`<x:worksheet><x:sheetData/><x:dataValidations count="2"><x:dataValidation type="whole" sqref="A1"><x:formula1>1</x:formula1></x:dataValidation><x:dataValidation type="list" promptTitle="purpose" sqref="C2:C5"><x:formula1>old</x:formula1></x:dataValidation></x:dataValidations><x:hyperlinks/></x:worksheet>`,
			`<x:worksheet><x:sheetData/><x:dataValidations>` + strings.ReplaceAll(strings.ReplaceAll(string(ours), "<dataValidation ", "<x:dataValidation "), "</dataValidation>", "</x:dataValidation>") + `<x:dataValidation type="whole" sqref="A1"><x:formula1>1</x:formula1></x:dataValidation></x:dataValidations><x:hyperlinks/></x:worksheet>`},
		{`<worksheet><sheetData/><dataValidations count="0"/><pageMargins/></worksheet>`,
			`<worksheet><sheetData/><dataValidations>` + string(ours) + `</dataValidations><pageMargins/></worksheet>`},
	} {
		var out strings.Builder
		if err := CopySheet(&out, strings.NewReader(c.in), SheetEdit{Validations: ours, AddCells: func(_ int, _ string, b []byte) []byte { return b }}); err != nil {
			t.Fatal(err)
		}
		if out.String() != c.want {
			t.Errorf("%s\ngot  %s\nwant %s", c.in, out.String(), c.want)
		}
	}
}
