package sheetxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf16"
)

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
)

// writeZip writes the given parts (in sorted order) to a zip in a temp dir.
func writeZip(t testing.TB, parts map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sortStrings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// onePackage is a minimal transitional package: one sheet "Sheet1", and
// a shared string table if sst is not "".
func onePackage(sheet, sst string) map[string]string {
	p := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":         `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":     `<?xml version="1.0"?><workbook ` + nsMain + `><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + relNS + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheet,
	}
	if sst != "" {
		p["xl/sharedStrings.xml"] = sst
	}
	return p
}

func sheetDoc(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet ` + nsMain + `><dimension ref="A1"/><sheetData>` + rows + `</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`
}

func sstDoc(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><sst ` + nsMain + ` count="9" uniqueCount="9">` + strings.Join(items, "") + `</sst>`
}

// got is a compact rendering of a cell for comparisons.
type got struct {
	Row, Col int
	Type     string
	Value    string
	HasValue bool
	Formula  string
	Extra    string // formula attributes, style
}

func render(row int, c Cell) got {
	g := got{Row: row, Col: c.Col, Type: c.Type, Value: c.Value, HasValue: c.HasValue, Formula: c.Formula}
	var extra []string
	if c.HasFormula {
		extra = append(extra, "f")
	}
	if c.FormulaType != "" {
		extra = append(extra, "ft="+c.FormulaType)
	}
	if c.FormulaRef != "" {
		extra = append(extra, "ref="+c.FormulaRef)
	}
	if c.Shared {
		extra = append(extra, fmt.Sprintf("si=%d", c.SharedIndex))
	}
	if c.Style != 0 {
		extra = append(extra, fmt.Sprintf("s=%d", c.Style))
	}
	g.Extra = strings.Join(extra, " ")
	return g
}

func readAll(t testing.TB, path, sheet string) ([]got, error) {
	t.Helper()
	w, err := Open(path, Limits{})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	rows, err := w.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []got
	for rows.Next() {
		for _, c := range rows.Cells() {
			out = append(out, render(rows.Row(), c))
		}
		if len(rows.Cells()) == 0 {
			out = append(out, got{Row: rows.Row()})
		}
	}
	return out, rows.Err()
}

func TestSheetData(t *testing.T) {
	sst := sstDoc(
		`<si><t>zero</t></si>`,
		`<si><r><rPr><b/></rPr><t>a</t></r><r><t xml:space="preserve"> b </t></r></si>`,
		`<si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh><phoneticPr fontId="1"/></si>`,
		`<si><t>line_x000D_break _x005F_x000D_ kept</t></si>`,
		`<si/>`,
		`<si><t>&lt;&amp;&gt;</t></si>`,
	)
	tests := []struct {
		name string
		rows string
		want []got
	}{
		{
			"types",
			`<row r="1"><c r="A1"><v>1.5</v></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="b"><v>1</v></c>` +
				`<c r="D1" t="e"><v>#DIV/0!</v></c><c r="E1" t="d"><v>2024-02-29T00:00:00</v></c><c r="F1" t="n"><v>-2E-3</v></c></row>`,
			[]got{
				{1, 1, "", "1.5", true, "", ""},
				{1, 2, "s", "zero", true, "", ""},
				{1, 3, "b", "1", true, "", ""},
				{1, 4, "e", "#DIV/0!", true, "", ""},
				{1, 5, "d", "2024-02-29T00:00:00", true, "", ""},
				{1, 6, "n", "-2E-3", true, "", ""},
			},
		},
		{
			"attributes in any order, single quotes, whitespace",
			`<row r='3'  spans="1:2"><c t='s' s="7" r='B3' ><v>0</v></c><c
				s = "2"
				r = "C3"><v> 4 </v></c></row>`,
			[]got{
				{3, 2, "s", "zero", true, "", "s=7"},
				{3, 3, "", " 4 ", true, "", "s=2"},
			},
		},
		{
			"self-closing cells and rows",
			`<row r="1"/><row r="2"><c r="A2" s="3"/><c r="B2"></c><c r="C2"><v/></c></row>`,
			[]got{
				{Row: 1},
				{2, 1, "", "", false, "", "s=3"},
				{2, 2, "", "", false, "", ""},
				{2, 3, "", "", false, "", ""}, // an empty <v> is no value
			},
		},
		{
			"implied row and column numbers",
			`<row><c><v>1</v></c><c><v>2</v></c></row><row r="5"><c r="C5"><v>3</v></c><c><v>4</v></c></row><row><c r="$AA$6"><v>5</v></c><c><v>6</v></c></row>`,
			[]got{
				{1, 1, "", "1", true, "", ""},
				{1, 2, "", "2", true, "", ""},
				{5, 3, "", "3", true, "", ""},
				{5, 4, "", "4", true, "", ""},
				{6, 27, "", "5", true, "", ""},
				{6, 28, "", "6", true, "", ""},
			},
		},
		{
			"shared strings: rich text, phonetic runs, escapes, empty item",
			`<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="s"><v>3</v></c><c r="D1" t="s"><v>4</v></c><c r="E1" t="s"><v> 5 </v></c></row>`,
			[]got{
				{1, 1, "s", "a b ", true, "", ""},
				{1, 2, "s", "漢字", true, "", ""},
				{1, 3, "s", "line\rbreak _x000D_ kept", true, "", ""},
				{1, 4, "s", "", true, "", ""},
				{1, 5, "s", "<&>", true, "", ""},
			},
		},
		{
			"inline strings",
			`<row r="1"><c r="A1" t="inlineStr"><is><t>plain</t></is></c>` +
				`<c r="B1" t="inlineStr"><is><r><t>ri</t></r><r><rPr><i/></rPr><t xml:space="preserve">ch </t></r><rPh><t>x</t></rPh></is></c>` +
				`<c r="C1" t="inlineStr"><is><t>tab_x0009_here</t></is></c>` +
				`<c r="D1" t="inlineStr"><v>from v</v></c>` +
				`<c r="E1" t="inlineStr"><is/></c></row>`,
			[]got{
				{1, 1, "inlineStr", "plain", true, "", ""},
				{1, 2, "inlineStr", "rich ", true, "", ""},
				{1, 3, "inlineStr", "tab\there", true, "", ""},
				{1, 4, "inlineStr", "from v", true, "", ""},
				{1, 5, "inlineStr", "", true, "", ""},
			},
		},
		{
			"entities, character references, CDATA, line ends",
			`<row r="1"><c r="A1" t="str"><v>&amp;&lt;&gt;&quot;&apos;&#10;&#x263A;&#9731;</v></c>` +
				`<c r="B1" t="str"><v><![CDATA[<raw & text>]]></v></c>` +
				"<c r=\"C1\" t=\"str\"><v>a\r\nb\rc</v></c>" +
				`<c r="D1" t="str"><v>x_x000D_y</v></c></row>`,
			[]got{
				{1, 1, "str", "&<>\"'\n☺☃", true, "", ""},
				{1, 2, "str", "<raw & text>", true, "", ""},
				{1, 3, "str", "a\nb\nc", true, "", ""},
				{1, 4, "str", "x_x000D_y", true, "", ""}, // excelize leaves <v> escapes alone
			},
		},
		{
			"formulas",
			`<row r="2"><c r="A2"><f>SUM(B2:C2)&amp;"&lt;"</f><v>3</v></c>` +
				`<c r="B2"><f t="shared" ref="B2:B4" si="0">C2*2</f><v>4</v></c>` +
				`<c r="C2" t="str"><f t="array" ref="C2:C3">TRANSPOSE(A1:B1)</f><v>x</v></c>` +
				`<c r="D2"><f/></c></row>` +
				`<row r="3"><c r="B3"><f t="shared" si="0"/><v>6</v></c><c r="E3"><f t='shared' si='12'></f></c></row>`,
			[]got{
				{2, 1, "", "3", true, `SUM(B2:C2)&"<"`, "f"},
				{2, 2, "", "4", true, "C2*2", "f ft=shared ref=B2:B4 si=0"},
				{2, 3, "str", "x", true, "TRANSPOSE(A1:B1)", "f ft=array ref=C2:C3"},
				{2, 4, "", "", false, "", "f"},
				{3, 2, "", "6", true, "", "f ft=shared si=0"},
				{3, 5, "", "", false, "", "f ft=shared si=12"},
			},
		},
		{
			"unknown elements skipped",
			`<row r="1"><c r="A1"><extLst><ext uri="x"><v>99</v></ext></extLst><v>1</v><foo/></c><x14:thing xmlns:x14="u"><c r="Z1"><v>9</v></c></x14:thing><c r="B1"><!-- note --><v>2<?pi x?></v></c></row>`,
			[]got{
				{1, 1, "", "1", true, "", ""},
				{1, 2, "", "2", true, "", ""},
			},
		},
		{
			"cells out of order are sorted",
			`<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>`,
			[]got{
				{1, 1, "", "1", true, "", ""},
				{1, 2, "", "2", true, "", ""},
				{1, 3, "", "3", true, "", ""},
			},
		},
		{
			"lower-case and absolute references",
			`<row r="1"><c r="b1"><v>2</v></c><c r="$D$1"><v>4</v></c><c r="XFD1"><v>last</v></c></row>`,
			[]got{
				{1, 2, "", "2", true, "", ""},
				{1, 4, "", "4", true, "", ""},
				{1, 16384, "", "last", true, "", ""},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeZip(t, onePackage(sheetDoc(tc.rows), sst))
			g, err := readAll(t, p, "Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", dumpGot(g), dumpGot(tc.want))
			}
		})
	}
}

func dumpGot(g []got) string {
	var b strings.Builder
	for _, x := range g {
		fmt.Fprintf(&b, "\t%+v\n", x)
	}
	return b.String()
}

func TestPrefixedAndStrict(t *testing.T) {
	strictRel := "http://purl.oclc.org/ooxml/officeDocument/relationships"
	parts := map[string]string{
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R1" Type="` + strictRel + `/officeDocument" Target="/book/wb.xml"/></Relationships>`,
		"book/wb.xml": `<x:workbook xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="` + strictRel + `"><x:workbookPr date1904="true"/>` +
			`<x:sheets><x:sheet name="Data &amp; more" sheetId="4" state="hidden" r:id="R7"/><x:sheet name="Chart" sheetId="5" r:id="R8"/></x:sheets></x:workbook>`,
		"book/_rels/wb.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="R7" Type="` + strictRel + `/worksheet" Target="sheets\data.xml"/>` +
			`<Relationship Id="R8" Type="` + strictRel + `/chartsheet" Target="/book/charts/c1.xml"/>` +
			`<Relationship Id="R9" Type="` + strictRel + `/sharedStrings" Target="../strings/sst.xml"/></Relationships>`,
		"book/sheets/data.xml": `<x:worksheet xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"><x:sheetData><x:row x:r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:f>A1</x:f><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		"book/charts/c1.xml":   `<chartsheet/>`,
		"strings/sst.xml":      `<x:sst xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"><x:si><x:t>strict</x:t></x:si></x:sst>`,
	}
	p := writeZip(t, parts)
	w, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !w.Date1904() {
		t.Error("Date1904 = false")
	}
	wantSheets := []Sheet{
		{Name: "Data & more", State: "hidden", Part: "book/sheets/data.xml", Kind: "worksheet", SheetID: 4},
		{Name: "Chart", State: "visible", Part: "book/charts/c1.xml", Kind: "chartsheet", SheetID: 5},
	}
	if got := w.Sheets(); !reflect.DeepEqual(got, wantSheets) {
		t.Errorf("Sheets() = %+v, want %+v", got, wantSheets)
	}
	if _, err := w.Rows("Chart"); !errors.Is(err, ErrNotWorksheet) {
		t.Errorf("Rows(Chart) err = %v, want ErrNotWorksheet", err)
	}
	g, err := readAll(t, p, "data & MORE")
	if err != nil {
		t.Fatal(err)
	}
	want := []got{{1, 1, "s", "strict", true, "", ""}, {1, 2, "", "1", true, "A1", "f"}}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got\n%s\nwant\n%s", dumpGot(g), dumpGot(want))
	}
	if _, err := w.Rows("nope"); !errors.Is(err, ErrSheetNotFound) {
		t.Errorf("Rows(nope) err = %v, want ErrSheetNotFound", err)
	}
}

func TestStructureFallbacks(t *testing.T) {
	// No package relationships, no shared strings relationship, a
	// relationship target that is absolute, and a sheet whose
	// relationship is missing.
	parts := map[string]string{
		"xl/workbook.xml": `<workbook ` + nsMain + `><workbookPr date1904="0"/><sheets>` +
			`<sheet name="One" sheetId="1" r:id="rId1"/><sheet name="Lost" sheetId="2" r:id="rId9" state="veryHidden"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="/xl/worksheets/Sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   sheetDoc(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`),
		"xl/sharedStrings.xml":       sstDoc(`<si><t>fallback</t></si>`),
	}
	p := writeZip(t, parts)
	w, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.Date1904() {
		t.Error("Date1904 = true")
	}
	sh := w.Sheets()
	if len(sh) != 2 || sh[0].Part != "xl/worksheets/sheet1.xml" || sh[1].Part != "" || sh[1].State != "veryHidden" {
		t.Fatalf("Sheets() = %+v", sh)
	}
	if _, err := w.Rows("Lost"); !errors.Is(err, ErrSheetNotFound) {
		t.Errorf("Rows(Lost) err = %v, want ErrSheetNotFound", err)
	}
	g, err := readAll(t, p, "One")
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 1 || g[0].Value != "fallback" {
		t.Errorf("got %+v", g)
	}
}

func TestNoSharedStrings(t *testing.T) {
	p := writeZip(t, onePackage(sheetDoc(`<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>`), ""))
	_, err := readAll(t, p, "Sheet1")
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "shared string index") || se.Part != "xl/worksheets/sheet1.xml" {
		t.Fatalf("err = %v, want a shared string index error", err)
	}
}

func utf16le(s string, bom bool) string {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestEncodings(t *testing.T) {
	sheet := sheetDoc(`<row r="1"><c r="A1" t="inlineStr"><is><t>héllo 😀</t></is></c></row>`)
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"utf-8 BOM", "\xEF\xBB\xBF" + sheet, "héllo 😀"},
		{"utf-16le BOM", utf16le(strings.Replace(sheet, "UTF-8", "UTF-16", 1), true), "héllo 😀"},
		{"utf-16le no BOM", utf16le(strings.Replace(sheet, "UTF-8", "UTF-16", 1), false), "héllo 😀"},
		{"latin-1", strings.Replace(strings.Replace(sheet, "UTF-8", "ISO-8859-1", 1), "héllo 😀", "h\xe9llo \x80", 1), "héllo €"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := readAll(t, writeZip(t, onePackage(tc.doc, "")), "Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			if len(g) != 1 || g[0].Value != tc.want {
				t.Errorf("got %+v, want %q", g, tc.want)
			}
		})
	}
	_, err := readAll(t, writeZip(t, onePackage(strings.Replace(sheet, "UTF-8", "EBCDIC", 1), "")), "Sheet1")
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("EBCDIC: err = %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	ole := filepath.Join(dir, "enc.xlsx")
	if err := os.WriteFile(ole, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ole, Limits{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("OLE: err = %v, want ErrEncrypted", err)
	}
	txt := filepath.Join(dir, "text.xlsx")
	if err := os.WriteFile(txt, []byte("not a zip at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(txt, Limits{}); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("text: err = %v, want ErrNotXLSX", err)
	}
	empty := filepath.Join(dir, "empty.xlsx")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(empty, Limits{}); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("empty: err = %v, want ErrNotXLSX", err)
	}
	noWB := writeZip(t, map[string]string{"hello.txt": "hi"})
	if _, err := Open(noWB, Limits{}); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("zip without workbook: err = %v, want ErrNotXLSX", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.xlsx"), Limits{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: err = %v", err)
	}
}

func TestMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, rows, msg string
	}{
		{"unclosed cell", `<row r="1"><c r="A1"><v>1</v></row>`, "unexpected </row> in <c>"},
		{"unknown entity", `<row r="1"><c r="A1" t="str"><v>a &nbsp; b</v></c></row>`, "invalid character entity &nbsp;"},
		{"bad cell reference", `<row r="1"><c r="1A"><v>1</v></c></row>`, `invalid cell reference "1A"`},
		{"column past XFD", `<row r="1"><c r="XFE1"><v>1</v></c></row>`, `invalid cell reference "XFE1"`},
		{"bad row number", `<row r="x1"><c><v>1</v></c></row>`, `invalid row number "x1"`},
		{"row past the last", `<row r="1048577"/>`, `invalid row number "1048577"`},
		{"unquoted attribute", `<row r=1/>`, "unquoted attribute value"},
		{"shared string out of range", `<row r="1"><c r="A1" t="s"><v>5</v></c></row>`, `shared string index "5" out of range (table has 1)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := sheetDoc(tc.rows)
			_, err := readAll(t, writeZip(t, onePackage(doc, sstDoc(`<si><t>x</t></si>`))), "Sheet1")
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if se.Part != "xl/worksheets/sheet1.xml" || !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("err = %v, want part xl/worksheets/sheet1.xml and %q", err, tc.msg)
			}
			if se.Offset <= 0 || se.Offset >= int64(len(doc)) {
				t.Errorf("offset %d outside the part (%d bytes)", se.Offset, len(doc))
			}
		})
	}
	// Truncated part: the error names the end.
	doc := sheetDoc(`<row r="1"><c r="A1"><v>1</v></c></row>`)
	doc = doc[:strings.Index(doc, "</sheetData>")]
	_, err := readAll(t, writeZip(t, onePackage(doc, "")), "Sheet1")
	var se *SyntaxError
	if !errors.As(err, &se) || se.Offset != int64(len(doc)) {
		t.Errorf("truncated: err = %v, want offset %d", err, len(doc))
	}
	// An error in the first row is reported after Next returns false.
	p := writeZip(t, onePackage(sheetDoc(`<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="!"/></row>`), ""))
	w, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() || rows.Row() != 1 || rows.Next() || rows.Err() == nil || rows.Next() {
		t.Errorf("iteration over a bad second row: err = %v", rows.Err())
	}
	rows.Close()
}

func TestEmptySheets(t *testing.T) {
	for _, doc := range []string{
		`<worksheet/>`,
		`<worksheet><sheetData/></worksheet>`,
		`<worksheet><sheetData></sheetData></worksheet>`,
		``,
	} {
		g, err := readAll(t, writeZip(t, onePackage(doc, "")), "Sheet1")
		if err != nil || len(g) != 0 {
			t.Errorf("%q: got %v, %v", doc, g, err)
		}
	}
}

func TestLimits(t *testing.T) {
	big := sheetDoc(strings.Repeat(`<row><c><v>12345</v></c></row>`, 2000))
	p := writeZip(t, onePackage(big, sstDoc(`<si><t>a</t></si>`, `<si><t>b</t></si>`, `<si><t>c</t></si>`)))
	w, err := Open(p, Limits{MaxUnzipped: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// The zip header gives the sheet's size: it is refused before a row.
	if _, err := w.Rows("Sheet1"); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "xl/worksheets/sheet1.xml") {
		t.Errorf("err = %v, want ErrTooLarge naming the part", err)
	}
	// A header that understates the size is caught as the part inflates.
	zf, name := w.lookup("xl/worksheets/sheet1.xml")
	r, closeFn, lr, err := openPart(zf, name, 10_000, false)
	if err == nil {
		t.Fatal("openPart: no error for a part larger than its limit")
	}
	lying := *zf
	lying.UncompressedSize64 = 1_000 // what a lying header would say; Open is not fooled either
	if r, closeFn, lr, err = openPart(&lying, name, 10_000, false); err == nil {
		_ = lr
		defer closeFn()
		_, err = io.Copy(io.Discard, r)
	}
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "xl/worksheets/sheet1.xml") || !strings.Contains(err.Error(), "its zip header") {
		t.Errorf("lying header: err = %v, want one naming the part and its header", err)
	}
	lr2 := &limitReader{r: strings.NewReader(big), max: 10_000, part: name}
	rows := newRows(newScanner(lr2, name, 0), func() error { return nil }, &sharedStrings{})
	n := 0
	for rows.Next() {
		n++
	}
	if !errors.Is(rows.Err(), ErrTooLarge) || !strings.Contains(rows.Err().Error(), "xl/worksheets/sheet1.xml") {
		t.Errorf("after %d rows: err = %v, want ErrTooLarge naming the part", n, rows.Err())
	}
	if n == 0 || n >= 2000 {
		t.Errorf("read %d rows before the limit", n)
	}

	w2, err := Open(p, Limits{MaxSharedStrings: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if _, err := w2.Rows("Sheet1"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxSharedStrings: err = %v, want ErrTooLarge", err)
	}
}

// readerCells reads a sheet document through a scanner fed by r.
func readerCells(doc []byte, wrap func([]byte) []byte, sst *sharedStrings) ([]got, error) {
	src := bytes.NewReader(wrap(doc))
	var rd = iotest.OneByteReader(src)
	rows := newRows(newScanner(rd, "sheet.xml", 0), func() error { return nil }, sst)
	var out []got
	for rows.Next() {
		for _, c := range rows.Cells() {
			out = append(out, render(rows.Row(), c))
		}
		out = append(out, got{Row: -rows.Row()})
	}
	return out, rows.Err()
}

// TestOneByteReads checks that every token split across reads parses the
// same as when the whole part is in the buffer.
func TestOneByteReads(t *testing.T) {
	sst := &sharedStrings{}
	b := sstBuilder{t: sst}
	b.add([]byte("s0"))
	b.add([]byte("s1"))
	b.finish()
	doc := []byte(sheetDoc(`<row r="1" spans="1:3"><c r="A1" t="s"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B2" si="0">A1&amp;"x"</f><v>2</v></c>` +
		`<c r="C1" t="inlineStr"><is><r><t>a</t></r><r><t xml:space="preserve">&#x263A; b</t></r></is></c><!-- comment --><c r="D1" t="str"><v><![CDATA[x<y]]></v></c></row>` +
		`<row><c/><c s="4"/><c t="b"><v>0</v></c></row><x:row xmlns:x="y" r="9"><x:c r="B9"><x:v>9</x:v></x:c></x:row>`))
	whole, err := readerCells(doc, func(b []byte) []byte { return b }, sst)
	if err != nil {
		t.Fatal(err)
	}
	p := writeZip(t, onePackage(string(doc), sstDoc(`<si><t>s0</t></si>`, `<si><t>s1</t></si>`)))
	viaZip, err := readAll(t, p, "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var flat []got
	for _, g := range whole {
		if g.Row > 0 {
			flat = append(flat, g)
		}
	}
	if !reflect.DeepEqual(flat, viaZip) {
		t.Errorf("one-byte reads\n%s\nwhole part\n%s", dumpGot(flat), dumpGot(viaZip))
	}
	if len(viaZip) != 8 {
		t.Errorf("read %d cells, want 8", len(viaZip))
	}
}

// TestLargeSheetAsync reads a sheet big enough to be inflated on a second
// goroutine, with long values that span buffer refills, then checks that
// closing an iterator early leaves no goroutine behind.
func TestLargeSheetAsync(t *testing.T) {
	var sb strings.Builder
	long := strings.Repeat("x", MaxCellChars) // the most a cell may hold
	const n = 40_000
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="str"><v>row %d &amp; more</v></c></row>`, i, i, i, i, i)
		if i%10_000 == 0 {
			// A row number of its own (past the others, so out of order):
			// a row given twice is an error.
			fmt.Fprintf(&sb, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>`, n+i/10_000, n+i/10_000, long)
		}
	}
	p := writeZip(t, onePackage(sheetDoc(sb.String()), ""))
	before := runtime.NumGoroutine()
	w, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	count, longs := 0, 0
	for rows.Next() {
		c := rows.Cells()
		if len(c) == 1 && c[0].Value == long {
			longs++
			continue
		}
		count++
		if len(c) != 2 || c[0].Value != fmt.Sprint(rows.Row()) || c[1].Value != fmt.Sprintf("row %d & more", rows.Row()) {
			t.Fatalf("row %d: %+v", rows.Row(), c)
		}
	}
	if err := rows.Err(); err != nil || count != n || longs != n/10_000 {
		t.Fatalf("read %d rows, %d long ones, err %v", count, longs, err)
	}
	rows.Close()

	for i := 0; i < 3; i++ {
		rows, err := w.Rows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		rows.Next()
		rows.Close()
		if rows.Next() {
			t.Fatal("Next after Close")
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines after Close, %d before", g, before)
	}
}

func TestDecodeEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"plain":              "plain",
		"_x000D_":            "\r",
		"a_x000a_b":          "a\nb",
		"_x005F_x000D_":      "_x000D_",
		"_x005f_":            "_",
		"_xD800_":            "", // a lone surrogate is dropped, as in excelize
		"_x00_ _x0041":       "_x00_ _x0041",
		"__x0041_x0042_":     "_Ax0042_", // matches do not overlap
		"_x263A__x263a_":     "☺☺",
		"x_x0041_y_x0042_z_": "xAyBz_",
	} {
		if got := decodeEscapes(in); got != want {
			t.Errorf("decodeEscapes(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSharedStringChunks(t *testing.T) {
	sst := &sharedStrings{}
	b := sstBuilder{t: sst}
	var want []string
	for i := 0; i < 3000; i++ {
		s := strings.Repeat(string(rune('a'+i%26)), i%700)
		if i == 1500 {
			s = strings.Repeat("B", 3*sstChunk+5)
		}
		want = append(want, s)
		b.add([]byte(s))
	}
	b.finish()
	if sst.len() != len(want) {
		t.Fatalf("len %d", sst.len())
	}
	for i, w := range want {
		if g, ok := sst.get(i); !ok || g != w {
			t.Fatalf("item %d: len %d, want len %d", i, len(g), len(w))
		}
	}
	if _, ok := sst.get(len(want)); ok {
		t.Error("get past the end")
	}
}

// FuzzRows wraps fuzzed sheet XML in a package and iterates over it: it
// must not panic or hang, and reading it one byte at a time must give the
// same cells and the same error.
func FuzzRows(f *testing.F) {
	for _, s := range []string{
		sheetDoc(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>A1</f><v>1</v></c></row>`),
		sheetDoc(`<row><c t="inlineStr"><is><r><t>a&amp;b</t></r></is></c></row><row r="4"/>`),
		`<worksheet><sheetData><row r="1"><c r="A1" t="str"><v><![CDATA[x]]>&#x41;_x000D_</v></c></row></sheetData></worksheet>`,
		`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData><row><c><v>&a;</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r='2'><x:c r='c2' s='1'><x:v>3</x:v></x:c></row>`,
	} {
		f.Add([]byte(s))
	}
	sstXML := sstDoc(`<si><t>zero</t></si>`, `<si><r><t>o</t></r><r><t>ne</t></r></si>`)
	f.Fuzz(func(t *testing.T, doc []byte) {
		parts := onePackage(string(doc), sstXML)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range []string{"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"} {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
			_, _ = w.Write([]byte(parts[n]))
		}
		_ = zw.Close()
		w, err := OpenReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{MaxUnzipped: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		rows, err := w.Rows("Sheet1")
		if err != nil {
			if !errors.Is(err, ErrMalformed) { // an unsupported encoding
				t.Fatal(err)
			}
			return
		}
		var all []got
		for i := 0; rows.Next(); i++ {
			for _, c := range rows.Cells() {
				all = append(all, render(rows.Row(), c))
			}
			all = append(all, got{Row: -rows.Row()})
			if i > 1<<20 {
				t.Fatal("too many rows")
			}
		}
		zerr := rows.Err()
		rows.Close()

		sst, err := w.sharedStrings()
		if err != nil {
			t.Fatal(err)
		}
		dec, err := decodeReader(bytes.NewReader(doc), "x")
		if err != nil {
			return // unsupported encoding: Rows failed the same way
		}
		one, err := readerCells(mustRead(t, dec), func(b []byte) []byte { return b }, sst)
		if !reflect.DeepEqual(one, all) {
			t.Fatalf("one-byte reads differ:\n%s\nvs\n%s", dumpGot(one), dumpGot(all))
		}
		if (err == nil) != (zerr == nil) || (err != nil && err.Error() != zerr.Error()) {
			if !(err != nil && zerr != nil) || !strings.Contains(zerr.Error(), "sheet1.xml") {
				t.Fatalf("errors differ: one-byte %v, whole %v", err, zerr)
			}
			if strings.TrimPrefix(err.Error(), "sheetxml: sheet.xml") != strings.TrimPrefix(zerr.Error(), "sheetxml: xl/worksheets/sheet1.xml") {
				t.Fatalf("errors differ: one-byte %v, whole %v", err, zerr)
			}
		}
	})
}

func mustRead(t *testing.T, r interface{ Read([]byte) (int, error) }) []byte {
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzOpen fuzzes a whole package (stored, so that mutations reach the
// XML of every part): Open and reading every sheet must not panic.
func FuzzOpen(f *testing.F) {
	seed := func(parts map[string]string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		names := make([]string, 0, len(parts))
		for n := range parts {
			names = append(names, n)
		}
		sortStrings(names)
		for _, n := range names {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
			_, _ = w.Write([]byte(parts[n]))
		}
		_ = zw.Close()
		return buf.Bytes()
	}
	f.Add(seed(onePackage(sheetDoc(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>`), sstDoc(`<si><t>a</t></si>`))))
	f.Add(seed(map[string]string{
		"xl/workbook.xml":            `<workbook><workbookPr date1904="1"/><sheets><sheet name="S" sheetId="1" r:id="a"/><sheet name="C" sheetId="2" r:id="b"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="a" Type="x/worksheet" Target="/s.xml"/><Relationship Id="b" Type="x/chartsheet" Target="c.xml"/></Relationships>`,
		"s.xml":                      `<worksheet><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>`,
	}))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := OpenReader(bytes.NewReader(data), int64(len(data)), Limits{MaxUnzipped: 1 << 20, MaxSharedStrings: 1000})
		if err != nil {
			return
		}
		defer w.Close()
		_ = w.Date1904()
		for _, sh := range w.Sheets() {
			rows, err := w.Rows(sh.Name)
			if err != nil {
				continue
			}
			for rows.Next() {
				_ = rows.Cells()
			}
			rows.Close()
		}
	})
}

// TestConcurrentRows reads the sheets of one workbook from several
// goroutines at once (run with -race).
func TestConcurrentRows(t *testing.T) {
	parts := onePackage(sheetDoc(strings.Repeat(`<row><c t="s"><v>1</v></c><c><v>2</v></c></row>`, 5000)), sstDoc(`<si><t>a</t></si>`, `<si><t>b</t></si>`))
	parts["xl/workbook.xml"] = `<workbook ` + nsMain + `><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Again" sheetId="2" r:id="rId1"/></sheets></workbook>`
	w, err := Open(writeZip(t, parts), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			rows, err := w.Rows([]string{"Sheet1", "Again"}[i%2])
			if err != nil {
				errs <- err
				return
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				if c := rows.Cells(); len(c) != 2 || c[0].Value != "b" || c[1].Value != "2" {
					errs <- fmt.Errorf("row %d: %+v", rows.Row(), c)
					return
				}
				n++
			}
			if rows.Err() == nil && n != 5000 {
				errs <- fmt.Errorf("%d rows", n)
				return
			}
			errs <- rows.Err()
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
