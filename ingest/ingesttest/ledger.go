package ingesttest

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

// LedgerOptions shape a generated ledger workbook.
type LedgerOptions struct {
	Lines         int    // detail lines
	InlineStrings bool   // text as inline strings, as some exporters write; else shared strings
	Staffing      bool   // add a "Staffing" sheet of Lines/50 posts
	Seed          uint64 // the same seed makes the same workbook
}

// WriteLedger writes a fictional actuals ledger as a finance system
// exports it: a title block, a header, one row per transaction (date,
// journal, directorate, cost centre, nominal, description, amount; about
// 1% of amounts typed as text and 0.1% as formulas with cached values) and
// a SUM total at the foot. It writes the XML itself, so a million lines
// take seconds, not minutes.
func WriteLedger(path string, o LedgerOptions) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := zip.NewWriter(bw)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	sst := newStringTable()
	write := func(name, body string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, body)
		return err
	}
	sheets := []string{"Ledger"}
	if o.Staffing {
		sheets = append(sheets, "Staffing")
	}
	if err := write("[Content_Types].xml", contentTypes(len(sheets), !o.InlineStrings)); err != nil {
		return err
	}
	if err := write("_rels/.rels", rootRels); err != nil {
		return err
	}
	if err := write("xl/workbook.xml", workbookXML(sheets)); err != nil {
		return err
	}
	if err := write("xl/_rels/workbook.xml.rels", workbookRels(len(sheets), !o.InlineStrings)); err != nil {
		return err
	}
	if err := write("xl/styles.xml", ledgerStyles); err != nil {
		return err
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	if err := writeLedgerSheet(w, o, sst); err != nil {
		return err
	}
	if o.Staffing {
		w, err := zw.Create("xl/worksheets/sheet2.xml")
		if err != nil {
			return err
		}
		if err := writeStaffingSheet(w, o, sst); err != nil {
			return err
		}
	}
	if !o.InlineStrings {
		w, err := zw.Create("xl/sharedStrings.xml")
		if err != nil {
			return err
		}
		if err := sst.write(w); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

type ledgerCC struct {
	directorate, code, name string
}

var ledgerCCs = func() []ledgerCC {
	dirs := []struct {
		name   string
		prefix string
		names  []string
	}{
		{"Housing Services", "HM", []string{"Neighbourhood Housing", "Tenancy Sustainment", "Income Recovery", "ASB & Community Safety", "Lettings", "Homelessness Prevention"}},
		{"Property Services", "PS", []string{"Responsive Repairs", "Planned Maintenance", "Gas Servicing", "Fire Safety", "Void Works", "Aids and Adaptations", "Retrofit Programme", "Estate Services"}},
		{"Communities & Customer", "CI", []string{"Community Investment", "Money Advice", "Employment and Skills", "Digital Inclusion", "Youth Work", "Customer Contact Centre"}},
		{"Care & Support", "SH", []string{"Sheltered Housing", "Supported Housing", "Extra Care", "Telecare"}},
		{"Corporate Services", "CO", []string{"Finance", "ICT", "Human Resources", "Governance", "Treasury"}},
	}
	var out []ledgerCC
	for d, dir := range dirs {
		for i, n := range dir.names {
			out = append(out, ledgerCC{dir.name, fmt.Sprintf("%s%d%02d", dir.prefix, d+1, i+1), n})
		}
	}
	return out
}()

var ledgerNominals = []struct {
	code, name string
	descs      []string
}{
	{"5000", "Salaries", []string{"Payroll", "Overtime", "Agency cover"}},
	{"5010", "Employer's NI", []string{"Payroll NI"}},
	{"6000", "Repairs contract", []string{"Responsive repairs invoice", "Planned works invoice", "Gas servicing visit", "Fire door inspection"}},
	{"6100", "Materials", []string{"Van stock", "Materials order"}},
	{"7000", "Supplies and services", []string{"Stationery", "Printing", "Community event", "Youth club sessions", "Money advice sessions", "Digital inclusion tablets"}},
	{"7300", "ICT", []string{"Software licence", "Mobile phones"}},
	{"7500", "Grants", []string{"Community grants to resident groups", "Hardship fund award"}},
	{"7900", "Sundry", []string{"Miscellaneous", "Sundry expenses"}},
}

func writeLedgerSheet(w io.Writer, o LedgerOptions, sst *stringTable) error {
	r := rand.New(rand.NewPCG(o.Seed, 2026))
	bw := bufio.NewWriterSize(w, 1<<20)
	b := make([]byte, 0, 1<<12)
	b = append(b, sheetHead...)
	b = fmt.Appendf(b, `<dimension ref="A1:I%d"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="5" topLeftCell="A6" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="9" width="16" customWidth="1"/></cols><sheetData>`, o.Lines+7)
	text := func(b []byte, ref string, s string) []byte {
		if o.InlineStrings {
			b = append(b, `<c r="`...)
			b = append(b, ref...)
			b = append(b, `" t="inlineStr"><is><t>`...)
			b = append(b, xmlEscaper.Replace(s)...)
			return append(b, `</t></is></c>`...)
		}
		b = append(b, `<c r="`...)
		b = append(b, ref...)
		b = append(b, `" t="s"><v>`...)
		b = strconv.AppendInt(b, int64(sst.index(s)), 10)
		return append(b, `</v></c>`...)
	}
	title := []string{"Fictional Homes (generated ledger, fictional data)", "General ledger: actuals 2026/27", "Exported 01/04/2027 06:00"}
	for i, t := range title {
		b = fmt.Appendf(b, `<row r="%d">`, i+1)
		b = text(b, fmt.Sprintf("A%d", i+1), t)
		b = append(b, `</row>`...)
	}
	b = append(b, `<row r="5">`...)
	for i, h := range []string{"Date", "Journal", "Directorate", "Cost Centre", "Cost Centre Name", "Nominal", "Nominal Description", "Description", "Amount"} {
		b = text(b, string(rune('A'+i))+"5", h)
	}
	b = append(b, `</row>`...)
	var ref []byte
	for i := 0; i < o.Lines; i++ {
		row := i + 6
		cc := ledgerCCs[r.IntN(len(ledgerCCs))]
		nom := ledgerNominals[r.IntN(len(ledgerNominals))]
		desc := nom.descs[r.IntN(len(nom.descs))]
		pence := r.Int64N(500000) + 100
		if r.IntN(20) == 0 {
			pence = -pence
		}
		rs := strconv.Itoa(row)
		b = append(b, `<row r="`...)
		b = append(b, rs...)
		b = append(b, `">`...)
		b = append(b, `<c r="A`...)
		b = append(b, rs...)
		b = append(b, `" s="1"><v>`...)
		b = strconv.AppendInt(b, int64(46113+r.IntN(365)), 10)
		b = append(b, `</v></c><c r="B`...)
		b = append(b, rs...)
		b = append(b, `"><v>`...)
		b = strconv.AppendInt(b, int64(100000+i), 10)
		b = append(b, `</v></c>`...)
		for j, s := range []string{cc.directorate, cc.code, cc.name, nom.code, nom.name, desc} {
			ref = append(ref[:0], byte('C'+j))
			ref = append(ref, rs...)
			b = text(b, string(ref), s)
		}
		amount := strconv.FormatFloat(float64(pence)/100, 'f', -1, 64)
		switch {
		case i%1000 == 999:
			b = append(b, `<c r="I`...)
			b = append(b, rs...)
			b = append(b, `" s="2"><f>`...)
			b = append(b, amount...)
			b = append(b, `*1</f><v>`...)
			b = append(b, amount...)
			b = append(b, `</v></c>`...)
		case i%100 == 42:
			b = text(b, "I"+rs, "£"+amount)
		default:
			b = append(b, `<c r="I`...)
			b = append(b, rs...)
			b = append(b, `" s="2"><v>`...)
			b = append(b, amount...)
			b = append(b, `</v></c>`...)
		}
		b = append(b, `</row>`...)
		if len(b) > 1<<11 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	total := o.Lines + 7
	b = fmt.Appendf(b, `<row r="%d">`, total)
	b = text(b, fmt.Sprintf("H%d", total), "Total")
	b = fmt.Appendf(b, `<c r="I%d" s="2"><f>SUM(I6:I%d)</f></c></row>`, total, total-2)
	b = append(b, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

func writeStaffingSheet(w io.Writer, o LedgerOptions, sst *stringTable) error {
	r := rand.New(rand.NewPCG(o.Seed, 50))
	bw := bufio.NewWriterSize(w, 1<<20)
	posts := max(1, o.Lines/50)
	fmt.Fprintf(bw, `%s<dimension ref="A1:G%d"/><sheetData>`, sheetHead, posts+1)
	cell := func(ref, s string) {
		if o.InlineStrings {
			fmt.Fprintf(bw, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, xmlEscaper.Replace(s))
			return
		}
		fmt.Fprintf(bw, `<c r="%s" t="s"><v>%d</v></c>`, ref, sst.index(s))
	}
	fmt.Fprint(bw, `<row r="1">`)
	for i, h := range []string{"Team", "Cost Centre", "Post", "FTE", "Salary", "On-costs %", "Time split"} {
		cell(fmt.Sprintf("%c1", 'A'+i), h)
	}
	fmt.Fprint(bw, `</row>`)
	for i := 0; i < posts; i++ {
		cc := ledgerCCs[r.IntN(len(ledgerCCs))]
		row := i + 2
		fmt.Fprintf(bw, `<row r="%d">`, row)
		cell(fmt.Sprintf("A%d", row), cc.name)
		cell(fmt.Sprintf("B%d", row), cc.code)
		cell(fmt.Sprintf("C%d", row), fmt.Sprintf("%s officer %d", cc.name, i+1))
		fmt.Fprintf(bw, `<c r="D%d"><v>%s</v></c><c r="E%d"><v>%d</v></c><c r="F%d"><v>%d</v></c>`, row, []string{"1", "0.8", "0.5", "1"}[r.IntN(4)], row, 24000+r.IntN(30000), row, 22+r.IntN(8))
		cell(fmt.Sprintf("G%d", row), []string{"100% service", "70% service; 30% community", "50% tenancy; 50% money advice"}[r.IntN(3)])
		fmt.Fprint(bw, `</row>`)
	}
	fmt.Fprint(bw, `</sheetData></worksheet>`)
	return bw.Flush()
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

type stringTable struct {
	ids   map[string]int
	order []string
}

func newStringTable() *stringTable { return &stringTable{ids: map[string]int{}} }

func (s *stringTable) index(v string) int {
	if i, ok := s.ids[v]; ok {
		return i
	}
	s.ids[v] = len(s.order)
	s.order = append(s.order, v)
	return len(s.order) - 1
}

func (s *stringTable) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(s.order), len(s.order))
	for _, v := range s.order {
		fmt.Fprintf(bw, `<si><t>%s</t></si>`, xmlEscaper.Replace(v))
	}
	fmt.Fprint(bw, `</sst>`)
	return bw.Flush()
}

func contentTypes(sheets int, sst bool) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(&b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
	}
	if sst {
		b.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
	}
	b.WriteString(`</Types>`)
	return b.String()
}

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

func workbookXML(sheets []string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	for i, s := range sheets {
		fmt.Fprintf(&b, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s, i+1, i+1)
	}
	b.WriteString(`</sheets></workbook>`)
	return b.String()
}

func workbookRels(sheets int, sst bool) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
	}
	fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, sheets+1)
	if sst {
		fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, sheets+2)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

const ledgerStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
