package ingesttest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// EmptyValue is a formula cell saved with an empty value, as openpyxl and
// other non-Excel writers save every formula: `<f>F2*12</f><v></v>`, or
// `<v/>` when SelfClosing. There is no saved result to read.
type EmptyValue struct {
	Expr        string
	SelfClosing bool
}

// Date is a date cell: an Excel serial day number with a date format.
type Date int

// RawNumber is a number cell whose <v> text is written as given, such as
// the 17 significant digits Excel saves for many decimals
// ("4168.3900000000003").
type RawNumber string

// WriteRawXLSX writes a workbook by writing its XML directly, as openpyxl
// and other non-Excel writers do, so that every cell is exactly as given:
// strings go to the shared string table (a number typed as text stays
// text), numbers get a money format, a Formula with NoCache has no <v> at
// all and an EmptyValue an empty one. Cells are string, int, float64, Date,
// RawNumber, Formula, EmptyValue or nil; a Formula's Cached value may be a
// RawNumber too. Unlike WriteXLSX, the same sheets always make
// the same bytes, so generated fixtures can be checked against the code that
// made them.
func WriteRawXLSX(path string, sheets ...Sheet) error {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	sst := newStringTable()
	parts := map[string]string{}
	var order []string
	add := func(name, body string) {
		parts[name] = body
		order = append(order, name)
	}
	add("[Content_Types].xml", contentTypes(len(sheets), true))
	add("_rels/.rels", rootRels)
	add("xl/workbook.xml", rawWorkbookXML(sheets))
	add("xl/_rels/workbook.xml.rels", workbookRels(len(sheets), true))
	add("xl/styles.xml", ledgerStyles)
	for i, s := range sheets {
		body, err := rawSheetXML(s, sst)
		if err != nil {
			return fmt.Errorf("sheet %q: %w", s.Name, err)
		}
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), body)
	}
	var sb strings.Builder
	if err := sst.write(&sb); err != nil {
		return err
	}
	add("xl/sharedStrings.xml", sb.String())
	for _, name := range order {
		// No modification time: the same parts make the same zip.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(parts[name])); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func rawWorkbookXML(sheets []Sheet) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	for i, s := range sheets {
		state := ""
		if s.Hidden {
			state = ` state="hidden"`
		}
		fmt.Fprintf(&b, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, xmlAttrEscaper.Replace(s.Name), i+1, state, i+1)
	}
	b.WriteString(`</sheets><calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>`)
	return b.String()
}

var xmlAttrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func rawSheetXML(s Sheet, sst *stringTable) (string, error) {
	lastCol := 1
	for _, row := range s.Rows {
		lastCol = max(lastCol, len(row))
	}
	var b strings.Builder
	b.WriteString(sheetHead)
	fmt.Fprintf(&b, `<dimension ref="A1:%s%d"/><sheetData>`, sheetxml.ColumnLetter(lastCol), max(1, len(s.Rows)))
	for r, row := range s.Rows {
		if len(row) == 0 {
			continue
		}
		fmt.Fprintf(&b, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := sheetxml.ColumnLetter(c+1) + strconv.Itoa(r+1)
			switch v := v.(type) {
			case nil:
			case string:
				if v == "" {
					continue
				}
				fmt.Fprintf(&b, `<c r="%s" t="s"><v>%d</v></c>`, ref, sst.index(v))
			case int:
				fmt.Fprintf(&b, `<c r="%s" s="2"><v>%d</v></c>`, ref, v)
			case float64:
				fmt.Fprintf(&b, `<c r="%s" s="2"><v>%s</v></c>`, ref, strconv.FormatFloat(v, 'f', -1, 64))
			case Date:
				fmt.Fprintf(&b, `<c r="%s" s="1"><v>%d</v></c>`, ref, v)
			case bool: // TRUE or FALSE, stored as 1 or 0
				fmt.Fprintf(&b, `<c r="%s" t="b"><v>%d</v></c>`, ref, map[bool]int{false: 0, true: 1}[v])
			case RawNumber:
				fmt.Fprintf(&b, `<c r="%s" s="2"><v>%s</v></c>`, ref, v)
			case Formula:
				fmt.Fprintf(&b, `<c r="%s" s="2"><f>%s</f>`, ref, xmlEscaper.Replace(v.Expr))
				if !v.NoCache {
					switch c := v.Cached.(type) {
					case int:
						fmt.Fprintf(&b, `<v>%d</v>`, c)
					case float64:
						fmt.Fprintf(&b, `<v>%s</v>`, strconv.FormatFloat(c, 'f', -1, 64))
					case RawNumber:
						fmt.Fprintf(&b, `<v>%s</v>`, c)
					default:
						return "", fmt.Errorf("cell %s: cached value %T", ref, v.Cached)
					}
				}
				b.WriteString(`</c>`)
			case EmptyValue:
				v2 := `<v></v>`
				if v.SelfClosing {
					v2 = `<v/>`
				}
				fmt.Fprintf(&b, `<c r="%s" s="2"><f>%s</f>%s</c>`, ref, xmlEscaper.Replace(v.Expr), v2)
			default:
				return "", fmt.Errorf("cell %s: cannot write a %T", ref, v)
			}
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	return b.String(), nil
}
