// Command gen writes the hostile inputs of ingest/hostile/run.sh into a
// folder: workbooks and frameworks made to exhaust a reader that trusts
// them, each small on disk.
//
//	go run ./ingest/hostile/gen DIR
package main

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
)

// part is one zip entry: its content written by fill.
type part struct {
	name string
	fill func(w io.Writer) error
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// repeat writes head, then s n times, then tail.
func repeat(head, s string, n int, tail string) func(io.Writer) error {
	return func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(head)
		chunk := strings.Repeat(s, max(1, (1<<20)/max(1, len(s))))
		per := len(chunk) / len(s)
		for n >= per {
			bw.WriteString(chunk)
			n -= per
		}
		bw.WriteString(strings.Repeat(s, n))
		bw.WriteString(tail)
		return bw.Flush()
	}
}

// writeZip writes a package, every part deflated at the best compression
// (so the whitespace of a bomb costs a few bytes a kilobyte on disk).
func writeZip(path string, parts []part) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		if err := p.fill(w); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// book is a workbook with the given sheets (name → XML writer), a shared
// string table and the workbook part, each replaceable.
func book(sheets []string, sheetXML []func(io.Writer) error, sst, workbook func(io.Writer) error) []part {
	var wbSheets, rels, types strings.Builder
	for i, name := range sheets {
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, relNS, i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	if workbook == nil {
		workbook = text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + nsMain + `><sheets>` + wbSheets.String() + `</sheets></workbook>`)
	}
	parts := []part{
		{"[Content_Types].xml", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` + types.String() +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)},
		{"_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", workbook},
		{"xl/_rels/workbook.xml.rels", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() +
			fmt.Sprintf(`<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>`, len(sheets)+1, relNS) + `</Relationships>`)},
	}
	for i := range sheets {
		parts = append(parts, part{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), sheetXML[i]})
	}
	return append(parts, part{"xl/sharedStrings.xml", sst})
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` + nsMain + `><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// budgetRows is a small budget in inline strings: a header and lines.
func budgetRows(from, n int) string {
	var b strings.Builder
	if from == 1 {
		b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Cost Centre</t></is></c><c r="B1" t="inlineStr"><is><t>Description</t></is></c><c r="C1" t="inlineStr"><is><t>Amount</t></is></c></row>`)
		from, n = 2, n-1
	}
	for r := from; r < from+n; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>HM%03d</t></is></c><c r="B%d" t="inlineStr"><is><t>Repairs</t></is></c><c r="C%d"><v>%d</v></c></row>`, r, r, r%50, r, r, 100+r)
	}
	return b.String()
}

var smallSST = text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst ` + nsMain + ` count="1" uniqueCount="1"><si><t>x</t></si></sst>`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	must := func(err error) {
		if err != nil {
			fail(err)
		}
	}
	budget := []string{"Budget"}

	// 128 MiB of whitespace between two rows of a budget sheet.
	must(writeZip(filepath.Join(dir, "whitespace-128mib.xlsx"), book(budget,
		[]func(io.Writer) error{repeat(sheetHead+budgetRows(1, 2), " ", 128<<20, budgetRows(3, 10)+sheetTail)}, smallSST, nil)))

	// A shared string table that inflates to 4 GB (whitespace between
	// two items), for a budget sheet that uses it.
	must(writeZip(filepath.Join(dir, "shared-strings-4gb.xlsx"), book(budget,
		[]func(io.Writer) error{text(sheetHead + budgetRows(1, 10) + `<row r="20"><c r="B20" t="s"><v>0</v></c><c r="C20"><v>5</v></c></row>` + sheetTail)},
		repeat(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst `+nsMain+` count="2" uniqueCount="2"><si><t>Grounds maintenance</t></si>`, " ", 4_000_000_000, `<si><t>Boilers</t></si></sst>`), nil)))

	// workbook.xml nested 10 million deep (30 MB inflated).
	deepWorkbook := repeat(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook `+nsMain+`><sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets>`, "<a>", 10_000_000, strings.Repeat("</a>", 0)+"</workbook>")
	must(writeZip(filepath.Join(dir, "deep-workbook.xlsx"), book(budget,
		[]func(io.Writer) error{text(sheetHead + budgetRows(1, 10) + sheetTail)}, smallSST, deepWorkbook)))

	// Frameworks: outcomes and rules.
	outcomesCSV := "code,name,theme\nyouth,Youth,Community\n"
	ruleRow := func(i int, outcome string) string {
		return fmt.Sprintf("R%d,,,,youth club %d,%s,100%%,specialist\n", i, i, outcome)
	}
	rulesCSV := func(n int, outcome string) func(io.Writer) error {
		return func(w io.Writer) error {
			bw := bufio.NewWriterSize(w, 1<<20)
			bw.WriteString("id,business_unit,cost_centre,nominal,keywords,outcome,share,mode\n")
			for i := 0; i < n; i++ {
				bw.WriteString(ruleRow(i, outcome))
			}
			return bw.Flush()
		}
	}
	for _, fw := range []struct {
		name    string
		outcome string
		n       int
	}{{"framework-1m-rules", "youth", 1_000_000}, {"framework-1m-bad-rows", "nope", 1_000_000}, {"framework-100k-bad-rows", "nope", 99_999}} {
		d := filepath.Join(dir, fw.name)
		must(os.MkdirAll(d, 0o755))
		must(os.WriteFile(filepath.Join(d, "outcomes.csv"), []byte(outcomesCSV), 0o644))
		f, err := os.Create(filepath.Join(d, "rules.csv"))
		must(err)
		must(rulesCSV(fw.n, fw.outcome)(f))
		must(f.Close())
	}

	// A framework workbook with a million rules in its Rules sheet.
	cellRow := func(r int, vals ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, `<row r="%d">`, r)
		for j, v := range vals {
			if v != "" {
				fmt.Fprintf(&b, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+j, r, v)
			}
		}
		b.WriteString(`</row>`)
		return b.String()
	}
	rulesSheet := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(sheetHead + cellRow(1, "id", "business_unit", "cost_centre", "nominal", "keywords", "outcome", "share", "mode"))
		for i := 0; i < 1_000_000; i++ {
			bw.WriteString(cellRow(i+2, fmt.Sprintf("R%d", i), "", "", "", fmt.Sprintf("youth club %d", i), "youth", "100%", "specialist"))
		}
		bw.WriteString(sheetTail)
		return bw.Flush()
	}
	outcomesSheet := text(sheetHead + cellRow(1, "code", "name", "theme") + cellRow(2, "youth", "Youth", "Community") + sheetTail)
	must(writeZip(filepath.Join(dir, "framework-1m-rules.xlsx"), book([]string{"Outcomes", "Rules"}, []func(io.Writer) error{outcomesSheet, rulesSheet}, smallSST, nil)))
	// A framework workbook with its workbook part nested 10 million deep.
	must(writeZip(filepath.Join(dir, "framework-deep.xlsx"), book([]string{"Outcomes", "Rules"}, []func(io.Writer) error{outcomesSheet, text(sheetHead + cellRow(1, "id", "business_unit", "cost_centre", "nominal", "keywords", "outcome", "share", "mode") + cellRow(2, "R1", "", "", "", "youth", "youth", "100%", "specialist") + sheetTail)}, smallSST,
		repeat(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook `+nsMain+`><sheets><sheet name="Outcomes" sheetId="1" r:id="rId1"/><sheet name="Rules" sheetId="2" r:id="rId2"/></sheets>`, "<a>", 10_000_000, "</workbook>"))))

	// A CSV budget with 20,000 columns on a line.
	var csv strings.Builder
	csv.WriteString("Cost Centre,Description,Amount\nHM101,Repairs,100\nHM102,Boilers,200" + strings.Repeat(",x", 20_000) + "\n")
	must(os.WriteFile(filepath.Join(dir, "wide-20000-columns.csv"), []byte(csv.String()), 0o644))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
