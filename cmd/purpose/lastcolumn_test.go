package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A budget whose formatting reaches the sheet's last column (XFD): the added
// columns go right of the table's last value, over the formatted blanks,
// and no cell is written past XFD (where one went to XFE, an invalid
// workbook).
func TestFormattingToTheLastColumn(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "wide.xlsx")
	f := excelize.NewFile()
	rows := [][]any{
		{"Cost Centre", "Description", "Budget"},
		{"HM1", "Housing officers", 1000},
		{"CI1", "Money advice", 250},
	}
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	style, _ := f.NewStyle(&excelize.Style{Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	if err := f.SetCellStyle("Sheet1", "D1", "XFD3", style); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r := runCLI(t, "run", "-q", "-o", out, in)
	if r.exit != 0 {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	if !strings.Contains(r.stderr, "added columns go right of the table's last value, in column D on") {
		t.Errorf("no warning of the formatting: %s", r.stderr)
	}
	g, err := excelize.OpenFile(filepath.Join(out, "wide.annotated.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if v, _ := g.GetCellValue("Sheet1", "D1"); v != "Outcome" {
		t.Errorf("D1 = %q, want the first added header, Outcome", v)
	}
	if v, _ := g.GetCellValue("Sheet1", "C2"); v != "1000" {
		t.Errorf("C2 = %q, want the original 1000", v)
	}
	got, err := g.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range got {
		if len(row) > excelize.MaxColumns {
			t.Errorf("row %d has %d columns, more than a sheet can hold", i+1, len(row))
		}
	}
}
