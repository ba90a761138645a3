package main

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// parseAmount reads an amount cell as the sample writes it, in pence.
func parseAmount(t *testing.T, s string) int64 {
	t.Helper()
	s = strings.TrimSpace(s)
	if s == "-" {
		return 0
	}
	neg := strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")")
	s = strings.NewReplacer("(", "", ")", "", "£", "", ",", "").Replace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	p := int64(math.Round(v * 100))
	if neg {
		p = -p
	}
	return p
}

func TestSampleWorkbook(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.xlsx"), filepath.Join(dir, "b.xlsx")
	st, err := build(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := build(b); err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("two runs wrote different files")
	}
	if st.lines < 400 || st.lines > 550 || st.costCentres < 18 || st.costCentres > 28 {
		t.Errorf("lines %d, cost centres %d: outside the intended size", st.lines, st.costCentres)
	}

	// Its core properties are spelt as Excel spells them: ExcelJS refuses
	// excelize's <lastModifiedBy> in the default namespace.
	zr, err := zip.OpenReader(a)
	if err != nil {
		t.Fatal(err)
	}
	core := ""
	for _, zf := range zr.File {
		if zf.Name == "docProps/core.xml" {
			r, _ := zf.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			core = string(b)
		}
	}
	zr.Close()
	for _, want := range []string{"<cp:coreProperties ", "<cp:lastModifiedBy>", "<dc:title>Brookvale Homes revenue budget 2026/27 (fictional sample data)</dc:title>", "<dc:creator>purpose samples/gen</dc:creator>", `<dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created>`} {
		if !strings.Contains(core, want) {
			t.Errorf("docProps/core.xml lacks %q:\n%s", want, core)
		}
	}
	if strings.Contains(core, "<lastModifiedBy") || strings.Contains(core, "<coreProperties") {
		t.Errorf("docProps/core.xml has elements in the default namespace, which ExcelJS refuses:\n%s", core)
	}

	f, err := excelize.OpenFile(a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetSheetVisible("Lookups"); v {
		t.Error("Lookups sheet should be hidden")
	}
	rows, err := f.GetRows(sheetName, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[headerRow-1], "|"); got != strings.Join(header, "|") {
		t.Fatalf("header row %d = %q", headerRow, got)
	}
	var ccSum, dirSum, grand, details, text int64
	for i, row := range rows[headerRow:] {
		r := headerRow + 1 + i
		if len(row) < 7 || row[6] == "" {
			continue
		}
		cell := "G" + strconv.Itoa(r)
		typ, _ := f.GetCellType(sheetName, cell)
		formula, _ := f.GetCellFormula(sheetName, cell)
		amount := parseAmount(t, row[6])
		check := func(what string, want int64) {
			if formula == "" || amount != want {
				t.Errorf("row %d %s: formula %q cached %d, detail lines sum to %d", r, what, formula, amount, want)
			}
		}
		switch label := row[2]; {
		case label == "GRAND TOTAL":
			check(label, grand)
		case strings.HasPrefix(label, "Total ") && row[1] == "" && row[3] == "" && len(label) == len("Total HM101"):
			check(label, ccSum)
			ccSum = 0
		case strings.HasPrefix(label, "Total ") && row[1] == "":
			check(label, dirSum)
			dirSum = 0
		default:
			details++
			if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
				text++
			}
			ccSum += amount
			dirSum += amount
			grand += amount
		}
	}
	if details != int64(st.lines) || text != int64(st.textAmounts) || text == 0 {
		t.Errorf("read %d detail lines (%d text), built %d (%d text)", details, text, st.lines, st.textAmounts)
	}
}
