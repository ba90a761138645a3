package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// workbookCells is what a golden comparison looks at in a workbook: for each
// sheet, each non-empty cell's raw value, formula, number format and
// comment, plus the sheet's visibility and its charts' count. Bytes are
// never compared: zip timestamps and XML attribute order do not matter to
// anyone reading the workbook.
type workbookCells struct {
	sheets []string
	cells  map[string]map[string]string // sheet → A1 → description
}

func readWorkbookCells(t *testing.T, path string) workbookCells {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	wc := workbookCells{sheets: f.GetSheetList(), cells: map[string]map[string]string{}}
	for _, sheet := range wc.sheets {
		m := map[string]string{}
		wc.cells[sheet] = m
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			continue
		}
		comments := map[string]string{}
		if cs, err := f.GetComments(sheet); err == nil {
			for _, c := range cs {
				comments[c.Cell] = c.Text
			}
		}
		visible, _ := f.GetSheetVisible(sheet)
		m["(visible)"] = fmt.Sprint(visible)
		for r, row := range rows {
			for c := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, _ := f.GetCellFormula(sheet, ref)
				if row[c] == "" && formula == "" && comments[ref] == "" {
					continue
				}
				numFmt := ""
				if id, err := f.GetCellStyle(sheet, ref); err == nil && id != 0 {
					if st, err := f.GetStyle(id); err == nil {
						numFmt = fmt.Sprint(st.NumFmt)
						if st.CustomNumFmt != nil {
							numFmt = *st.CustomNumFmt
						}
						if len(st.Fill.Color) > 0 {
							numFmt += " fill " + strings.Join(st.Fill.Color, ",")
						}
					}
				}
				m[ref] = fmt.Sprintf("value %q formula %q format %q comment %q", row[c], formula, numFmt, comments[ref])
			}
		}
	}
	return wc
}

// diffWorkbooks lists the differences between two workbooks, at most max.
func diffWorkbooks(want, got workbookCells, max int) []string {
	var out []string
	if !slices.Equal(want.sheets, got.sheets) {
		out = append(out, fmt.Sprintf("sheets %q, want %q", got.sheets, want.sheets))
	}
	for _, sheet := range want.sheets {
		w, g := want.cells[sheet], got.cells[sheet]
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			if w[k] != g[k] {
				out = append(out, fmt.Sprintf("sheet %q %s: got %s, want %s", sheet, k, orNone(g[k]), orNone(w[k])))
				if len(out) >= max {
					return out
				}
			}
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(nothing)"
	}
	return s
}
