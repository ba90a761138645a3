package export

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// excelizeDocPropsBook writes a small budget whose core properties are as
// excelize's SetDocProps writes them: in the default namespace, which
// ExcelJS refuses ("Unexpected xml node in parseOpen: lastModifiedBy").
func excelizeDocPropsBook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	rows := [][]any{{"Cost Centre", "Description", "Budget"}, {"HM1", "Tenancy sustainment officer", 1200.5}, {"HM1", "Boiler servicing", 300}}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Budget & plan", Creator: "Finance", Created: "2026-02-14T09:12:00Z", Modified: "2026-02-14T09:12:00Z"}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func zipPart(t *testing.T, path, name string) string {
	t.Helper()
	b, err := ingesttest.ReadPart(path, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAnnotatedCorePropertiesAsExcelWritesThem(t *testing.T) {
	fw := defaultFramework(t)
	path := excelizeDocPropsBook(t)
	if core := zipPart(t, path, "docProps/core.xml"); !strings.Contains(core, "<lastModifiedBy") {
		t.Fatalf("the input is not as excelize writes it any more; the test proves nothing:\n%s", core)
	}
	want := []string{"<dc:title>Budget &amp; plan</dc:title>", "<dc:creator>Finance</dc:creator>", "<cp:lastModifiedBy>",
		`<dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created>`}
	out := annotateForTest(t, fw, path)
	core := zipPart(t, out, "docProps/core.xml")
	for _, w := range append([]string{"<cp:coreProperties ", "</cp:coreProperties>"}, want...) {
		if !strings.Contains(core, w) {
			t.Errorf("core properties lack %q:\n%s", w, core)
		}
	}
}
