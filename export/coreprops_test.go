package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == name {
			r, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s has no %s", path, name)
	return ""
}

// checkExcelCoreProps fails unless a core properties part is spelt as
// Excel spells it, holding what want holds.
func checkExcelCoreProps(t *testing.T, core string, want ...string) {
	t.Helper()
	for _, w := range append([]string{"<cp:coreProperties ", `xmlns:cp="` + nsCoreProps + `"`, "</cp:coreProperties>"}, want...) {
		if !strings.Contains(core, w) {
			t.Errorf("core properties lack %q:\n%s", w, core)
		}
	}
	for _, bad := range []string{"<lastModifiedBy", "<coreProperties", "<keywords", "<revision"} {
		if strings.Contains(core, bad) {
			t.Errorf("core properties have %q, which ExcelJS refuses:\n%s", bad, core)
		}
	}
	if err := xml.Unmarshal([]byte(core), new(struct{})); err != nil {
		t.Errorf("core properties are not XML: %v", err)
	}
}

// Every annotated workbook has its core properties as Excel writes them,
// whichever way its sheets were annotated.
func TestAnnotatedCorePropertiesAsExcelWritesThem(t *testing.T) {
	fw := defaultFramework(t)
	path := excelizeDocPropsBook(t)
	if core := zipPart(t, path, "docProps/core.xml"); !strings.Contains(core, "<lastModifiedBy") {
		t.Fatalf("the input is not as excelize writes it any more; the test proves nothing:\n%s", core)
	}
	want := []string{"<dc:title>Budget &amp; plan</dc:title>", "<dc:creator>Finance</dc:creator>", "<cp:lastModifiedBy>",
		`<dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created>`}
	out := annotateForTest(t, fw, path)
	checkExcelCoreProps(t, zipPart(t, out, "docProps/core.xml"), want...)
}

func TestExcelCoreProps(t *testing.T) {
	for _, c := range []struct{ name, in string }{
		{"excelize", `<?xml version="1.0" encoding="UTF-8"?>
<coreProperties xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>A &lt;b&gt;</dc:title><dc:creator>Me</dc:creator><keywords>k</keywords><lastModifiedBy></lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created><revision>3</revision></coreProperties>`},
		{"other prefixes", `<p:coreProperties xmlns:p="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:e="http://purl.org/dc/elements/1.1/" xmlns:t="http://purl.org/dc/terms/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><e:title>A &lt;b&gt;</e:title><e:creator>Me</e:creator><p:keywords>k</p:keywords><p:lastModifiedBy/><t:created i:type="t:W3CDTF">2026-02-14T09:12:00Z</t:created><p:revision>3</p:revision></p:coreProperties>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := excelCoreProps([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			checkExcelCoreProps(t, string(out), "<dc:title>A &lt;b&gt;</dc:title>", "<dc:creator>Me</dc:creator>", "<cp:keywords>k</cp:keywords>",
				"<cp:lastModifiedBy></cp:lastModifiedBy>", `<dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created>`, "<cp:revision>3</cp:revision>")
			again, err := excelCoreProps(out)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("rewriting Excel's form changes it:\n%s\n%s", out, again)
			}
		})
	}
	if _, err := excelCoreProps([]byte(`<Properties xmlns="x"/>`)); err == nil {
		t.Error("a part that is not core properties was rewritten")
	}
}
