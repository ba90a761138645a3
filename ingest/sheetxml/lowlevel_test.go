package sheetxml

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// A formula saved with an empty value element, as openpyxl and other
// writers save every formula, has no saved value: it must not read as a
// value of "" (which a reader of amounts takes for zero). An empty string
// result (t="str") is a value.
func TestEmptyValueIsNoValue(t *testing.T) {
	rows := `<row r="2"><c r="A2"><f>F2*12</f><v></v></c><c r="B2"><f>F2*12</f><v/></c>` +
		`<c r="C2"><f>F2*12</f><v> </v></c><c r="D2" t="str"><f>F2&amp;""</f><v></v></c>` +
		`<c r="E2" t="e"><f>1/0</f><v/></c><c r="F2"><f>1+1</f><v>2</v></c><c r="G2"><v/></c></row>`
	g, err := readAll(t, writeZip(t, onePackage(sheetDoc(rows), "")), "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{2, 1, "", "", false, "F2*12", "f"},
		{2, 2, "", "", false, "F2*12", "f"},
		{2, 3, "", " ", false, "F2*12", "f"},
		{2, 4, "str", "", true, `F2&""`, "f"},
		{2, 5, "e", "", false, "1/0", "f"},
		{2, 6, "", "2", true, "1+1", "f"},
		{2, 7, "", "", false, "", ""},
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got\n%s\nwant\n%s", dumpGot(g), dumpGot(want))
	}
}

// A row or a cell given twice in the XML is a damaged file: reading it
// would count the row twice, or pick one of two values without saying so.
// Rows merely out of order are each read once.
func TestRowsAndCellsGivenTwice(t *testing.T) {
	for _, tc := range []struct {
		name, rows, msg string
	}{
		{"same row twice", `<row r="2"><c r="A2"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>`, "row 2 is given twice"},
		{"row going back to one read", `<row r="2"><c r="A2"><v>1</v></c></row><row r="3"/><row r="2"><c r="B2"><v>1</v></c></row>`, "row 2 is given twice"},
		{"implied number repeats a row", `<row r="2"/><row/><row r="3"/>`, "row 3 is given twice"},
		{"same cell twice", `<row r="4"><c r="G4"><v>1</v></c><c r="G4"><v>2</v></c></row>`, "cell G4 is given twice"},
		{"same cell twice, apart", `<row r="4"><c r="G4"><v>1</v></c><c r="H4"><v>2</v></c><c r="G4"><v>3</v></c></row>`, "cell G4 is given twice"},
		{"implied column repeats a cell", `<row r="4"><c r="A4"><v>1</v></c><c><v>2</v></c><c r="B4"><v>3</v></c></row>`, "cell B4 is given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, writeZip(t, onePackage(sheetDoc(tc.rows), "")), "Sheet1")
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(se.Msg, tc.msg) {
				t.Fatalf("err = %v, want a *SyntaxError saying %q", err, tc.msg)
			}
		})
	}
	g, err := readAll(t, writeZip(t, onePackage(sheetDoc(`<row r="3"><c r="A3"><v>3</v></c></row><row r="1"><c r="A1"><v>1</v></c></row><row><c r="A2"><v>2</v></c></row>`), "")), "Sheet1")
	if err != nil || len(g) != 3 || g[0].Row != 3 || g[1].Row != 1 || g[2].Row != 2 {
		t.Errorf("rows out of order: %v, %v", g, err)
	}
}
