package ooxml

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

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
func TestExcelCoreProps(t *testing.T) {
	for _, c := range []struct{ name, in string }{
		{"excelize", `<?xml version="1.0" encoding="UTF-8"?>
<coreProperties xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>A &lt;b&gt;</dc:title><dc:creator>Me</dc:creator><keywords>k</keywords><lastModifiedBy></lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created><revision>3</revision></coreProperties>`},
		{"other prefixes", `<p:coreProperties xmlns:p="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:e="http://purl.org/dc/elements/1.1/" xmlns:t="http://purl.org/dc/terms/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><e:title>A &lt;b&gt;</e:title><e:creator>Me</e:creator><p:keywords>k</p:keywords><p:lastModifiedBy/><t:created i:type="t:W3CDTF">2026-02-14T09:12:00Z</t:created><p:revision>3</p:revision></p:coreProperties>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := ExcelCoreProps([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			checkExcelCoreProps(t, string(out), "<dc:title>A &lt;b&gt;</dc:title>", "<dc:creator>Me</dc:creator>", "<cp:keywords>k</cp:keywords>",
				"<cp:lastModifiedBy></cp:lastModifiedBy>", `<dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created>`, "<cp:revision>3</cp:revision>")
			again, err := ExcelCoreProps(out)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("rewriting Excel's form changes it:\n%s\n%s", out, again)
			}
		})
	}
	if _, err := ExcelCoreProps([]byte(`<Properties xmlns="x"/>`)); err == nil {
		t.Error("a part that is not core properties was rewritten")
	}
}
