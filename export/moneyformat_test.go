package export

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/export/layout"
	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// budgetWithFormat writes a budget whose amount cells have format code
// (none for ""), headed amountHeader.
func budgetWithFormat(t *testing.T, code, amountHeader string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Directorate", "Cost Centre", "Nominal", "Description", amountHeader},
		{"Housing", "HM101", "5000", "Tenancy sustainment officer", 95.4},
		{"Housing", "HM101", "5100", "Money advice service", 12.25},
		{"Housing", "HM101", "5200", "Repairs and maintenance", 1043},
		{"Housing", "HM101", "5300", "Something nobody has a rule for", 7.5},
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	if code != "" {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", "E2", fmt.Sprintf("E%d", len(rows)), id); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// numberFormat is a cell's number format's code, or "builtin N".
func numberFormat(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return "builtin " + strconv.Itoa(st.NumFmt)
}

// The Social £ column and every amount on the report sheets have the
// workbook's money format: the amount column's own, or £#,##0.00; in a
// £000 table the social amounts are in thousands too, and headed so.
func TestMoneyHasTheWorkbooksFormat(t *testing.T) {
	fw := defaultFramework(t)
	for _, c := range []struct {
		name, code, header string
		want               string // the money format expected
		thousands          bool
	}{
		{"own format", `#,##0.00;[Red](#,##0.00)`, "Budget 2026/27 £", `#,##0.00;[Red](#,##0.00)`, false},
		{"no format", "", "Budget 2026/27 £", layout.FormatMoney, false},
		{"thousands", `#,##0.0`, "Budget £000", `#,##0.0`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := budgetWithFormat(t, c.code, c.header)
			out := annotateForTest(t, fw, path)
			checkMoneyFormats(t, out, c.want, c.thousands)
			// Run again on it, the added columns are known as ours
			// (Social £000 too), to be replaced.
			again := readForTest(t, fw, out)
			if len(again.Book.Tables) != 1 || again.Book.Tables[0].AnnotationCol != 6 {
				t.Errorf("%s read again: its added columns are not known as ours", out)
			}
		})
	}
}

func checkMoneyFormats(t *testing.T, path, want string, thousands bool) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The added columns start at F: Outcome, Theme, Mode, Social share,
	// Social £ (J), Rule, Status.
	head, _ := f.GetCellValue("Sheet1", "J1")
	wantHead := "Social £"
	if thousands {
		wantHead = "Social £000"
	}
	if head != wantHead {
		t.Errorf("J1 heads %q, want %q", head, wantHead)
	}
	socialCells := 0
	for r := 2; r <= 5; r++ {
		ref := fmt.Sprintf("J%d", r)
		v, _ := f.GetCellValue("Sheet1", ref, excelize.Options{RawCellValue: true})
		if v == "" {
			continue
		}
		socialCells++
		if got := numberFormat(t, f, "Sheet1", ref); got != want {
			t.Errorf("%s (social amount) has format %q, want %q", ref, got, want)
		}
		// In the table's units: the line's amount times its social share.
		amount, _ := f.GetCellValue("Sheet1", fmt.Sprintf("E%d", r), excelize.Options{RawCellValue: true})
		share, _ := f.GetCellValue("Sheet1", fmt.Sprintf("I%d", r), excelize.Options{RawCellValue: true})
		a, _ := strconv.ParseFloat(amount, 64)
		s, _ := strconv.ParseFloat(share, 64)
		got, _ := strconv.ParseFloat(v, 64)
		if d := got - a*s; d > 0.005 || d < -0.005 {
			t.Errorf("%s: social amount %s, but the line is %s at a share of %s", ref, v, amount, share)
		}
	}
	if socialCells == 0 {
		t.Fatal("no social amounts written: the test proves nothing")
	}
	// Every number on the report sheets is money in that format, a
	// percentage or a count; the known money cells are money.
	for _, sheet := range []string{"Summary", "Review", "Reconciliation"} {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				if _, err := strconv.ParseFloat(v, 64); err != nil || v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				got := numberFormat(t, f, sheet, ref)
				if got != want && got != layout.FormatPercent && got != "builtin 0" {
					t.Errorf("%s!%s (%s) has format %q, want the money format %q", sheet, ref, v, got, want)
				}
			}
		}
	}
	for _, ref := range [][2]string{{"Summary", "B6"}, {"Summary", "B11"}, {"Reconciliation", "B5"}, {"Reconciliation", "B9"}, {"Review", "H5"}} {
		if got := numberFormat(t, f, ref[0], ref[1]); got != want {
			v, _ := f.GetCellValue(ref[0], ref[1])
			t.Errorf("%s!%s (%q) has format %q, want %q", ref[0], ref[1], v, got, want)
		}
	}
	if strings.Contains(want, "purpose") {
		t.Error("the stand-in format was left")
	}
}

// withoutStyles copies a workbook without its styles part, as some
// writers save one.
func withoutStyles(t *testing.T, from string) string {
	t.Helper()
	rel := regexp.MustCompile(`<Relationship [^>]*relationships/styles"[^>]*>(</Relationship>)?`)
	override := regexp.MustCompile(`<Override PartName="/xl/styles.xml"[^>]*>(</Override>)?`)
	p := filepath.Join(t.TempDir(), "nostyles.xlsx")
	err := ingesttest.RewriteParts(from, p, func(name string, data []byte) ([]byte, bool) {
		return override.ReplaceAll(rel.ReplaceAll(data, nil), nil), name != "xl/styles.xml"
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A workbook saved without styles is given Excel's default ones, which the
// added cells' styles join: no panic, and the money is money.
func TestWorkbookWithoutStyles(t *testing.T) {
	fw := defaultFramework(t)
	path := withoutStyles(t, budgetWithFormat(t, "", "Budget 2026/27 £"))
	if strings.Contains(zipPart(t, path, "xl/_rels/workbook.xml.rels"), "styles") {
		t.Fatal("the styles are still there: the test proves nothing")
	}
	checkMoneyFormats(t, annotateForTest(t, fw, path), layout.FormatMoney, false)
}
