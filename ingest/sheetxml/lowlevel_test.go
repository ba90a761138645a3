package sheetxml

import (
	"errors"
	"io"
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
		// Read as row 3's, D7's value would move to another row.
		{"cell of another row", `<row r="3"><c r="A3"><v>1</v></c><c r="D7"><v>250.5</v></c></row>`, "cell D7 is inside row 3"},
		{"cell of an implied row", `<row r="2"/><row><c r="B2"><v>1</v></c></row>`, "cell B2 is inside row 3"},
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

// chunkReader hands its bytes on in reads of at most n, as an inflater
// does, and counts the bytes.
type chunkReader struct {
	b []byte
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[k:]
	return k, nil
}

// A long run of text without markup (whitespace between rows, a huge
// value) is scanned once, in a buffer that does not grow to hold it: the
// scanner used to rescan the whole run after every read, and double its
// buffer until the run fitted, taking time in the square of its length.
func TestLongTextIsScannedOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  string
	}{
		{"whitespace between rows", strings.Repeat(" \r\n\t", 1<<21)},
		{"text with entities and line ends", strings.Repeat("ab&amp;c\r\n&#x263A;", 1<<19)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := []byte(sheetDoc(`<row r="1"><c r="A1"><v>1</v></c></row>` + tc.run + `<row r="2"><c r="A2"><v>2</v></c></row>`))
			s := newScanner(&chunkReader{b: doc, n: 32 << 10}, "sheet.xml", int64(len(doc)))
			rows := newRows(s, func() error { return nil }, &sharedStrings{})
			var got []string
			for rows.Next() {
				for _, c := range rows.Cells() {
					got = append(got, c.Value)
				}
			}
			if err := rows.Err(); err != nil || strings.Join(got, ",") != "1,2" {
				t.Fatalf("read %q, %v", got, err)
			}
			if len(s.buf) > maxBufSize {
				t.Errorf("the buffer grew to %d bytes for a run of %d; want at most %d", len(s.buf), len(tc.run), maxBufSize)
			}
		})
	}
}

// A value long enough to be handed on in pieces decodes as it would whole:
// no piece ends inside an entity reference or a "\r\n".
func TestLongValueInPieces(t *testing.T) {
	unit, want := "ab&amp;c\r\n&#x263A;", "ab&c\n☺"
	n := MaxCellChars / len([]rune(want))
	doc := []byte(sheetDoc(`<row r="1"><c r="A1" t="str"><v>` + strings.Repeat(unit, n) + `</v></c></row>`))
	for _, chunk := range []int{1000, 4096, 32 << 10} {
		s := newScanner(&chunkReader{b: doc, n: chunk}, "sheet.xml", 0)
		rows := newRows(s, func() error { return nil }, &sharedStrings{})
		if !rows.Next() || rows.Cells()[0].Value != strings.Repeat(want, n) {
			t.Fatalf("reads of %d: value not decoded whole: %v", chunk, rows.Err())
		}
	}
}

// A cell holds at most 32,767 characters, as in Excel: text past that is
// an error naming the cell, found before more of it is held.
func TestCellTextIsCapped(t *testing.T) {
	ok := strings.Repeat("é", MaxCellChars)
	for _, tc := range []struct {
		name, rows, err string
	}{
		{"value at the limit", `<row r="3"><c r="B3" t="str"><v>` + ok + `</v></c></row>`, ""},
		{"inline string at the limit", `<row r="3"><c r="B3" t="inlineStr"><is><t>` + ok + `</t></is></c></row>`, ""},
		{"value one past", `<row r="3"><c r="B3" t="str"><v>` + ok + `x</v></c></row>`, "cell B3 holds more than 32767 characters"},
		{"inline string far past", `<row r="3"><c r="B3" t="inlineStr"><is><t>` + strings.Repeat("x", 1<<20) + `</t></is></c></row>`, "cell B3 holds more than 32767 characters"},
		{"rich text runs past", `<row r="3"><c r="C3" t="inlineStr"><is>` + strings.Repeat(`<r><t>`+strings.Repeat("x", 30000)+`</t></r>`, 6) + `</is></c></row>`, "cell C3 holds more than 32767 characters"},
		{"formula past", `<row r="3"><c r="D3"><f>` + strings.Repeat("1+", 100000) + `1</f></c></row>`, "cell D3 holds more than 32767 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := readAll(t, writeZip(t, onePackage(sheetDoc(tc.rows), "")), "Sheet1")
			if tc.err == "" {
				if err != nil || len(g) != 1 || g[0].Value != ok {
					t.Fatalf("err %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
		})
	}
	p := writeZip(t, onePackage(sheetDoc(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`), sstDoc(`<si><t>`+strings.Repeat("x", 200000)+`</t></si>`)))
	if _, err := readAll(t, p, "Sheet1"); err == nil || !strings.Contains(err.Error(), "shared string 0 holds more than 32767 characters") {
		t.Errorf("a shared string too long: err = %v", err)
	}
}
