package sheetxml

import (
	"testing"
)

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy":                   true,
		"d-mmm-yy":                     true,
		"[$-809]dd mmmm yyyy":          true,
		"h:mm AM/PM":                   true,
		"[h]:mm:ss":                    true,
		"mm:ss.0":                      true,
		"yyyy-mm-dd h:mm:ss":           true,
		"General":                      false,
		"#,##0.00":                     false,
		`"£"#,##0.00`:                  false,
		`£#,##0.00_);[Red](£#,##0.00)`: false,
		`#,##0.00" days"`:              false,
		`0.00\ \D\r`:                   false,
		"0.00E+00":                     false,
		"[Red]#,##0;[Blue]-#,##0":      false,
		"[$GBP] #,##0.00":              false,
		`_-* #,##0.00_-;\-* #,##0.00_-;_-* "-"??_-;_-@_-`: false,
		"@": false,
	} {
		if got := IsDateFormat(code); got != want {
			t.Errorf("IsDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
}

// DateStyles reads cellXfs in order, custom formats by id (a custom code
// may reuse a built-in id), and ignores cellStyleXfs and dxfs.
func TestDateStyles(t *testing.T) {
	styles := `<?xml version="1.0"?><styleSheet ` + nsMain + `>` +
		`<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;£&quot;#,##0.00"/><numFmt numFmtId="14" formatCode="#,##0"/></numFmts>` +
		`<cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>` +
		`<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"><alignment horizontal="left"/></xf><xf numFmtId="165"/><xf numFmtId="22"/><xf numFmtId="14"/><xf numFmtId="4"/><xf numFmtId="46"/></cellXfs>` +
		`<dxfs count="1"><dxf><numFmt numFmtId="166" formatCode="yyyy"/></dxf></dxfs></styleSheet>`
	parts := onePackage(sheetDoc(`<row r="1"><c r="A1" s="1"><v>46115</v></c></row>`), "")
	parts["xl/styles.xml"] = styles
	w, err := Open(writeZip(t, parts), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	d, err := w.DateStyles()
	if err != nil {
		t.Fatal(err)
	}
	for style, want := range []bool{false, true, false, true, false, false, true, false} {
		if got := d.IsDate(style); got != want {
			t.Errorf("style %d: IsDate = %v, want %v", style, got, want)
		}
	}
	if d.IsDate(-1) || d.IsDate(1000) {
		t.Error("a style out of range is a date")
	}

	// No styles part: no dates.
	w2, err := Open(writeZip(t, onePackage(sheetDoc(""), "")), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if d, err := w2.DateStyles(); err != nil || d.IsDate(0) {
		t.Errorf("no styles part: %v, %v", d, err)
	}
}

func TestIsPercentFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"0%":                         true,
		"0.0%":                       true,
		`0.00%;[Red]-0.00%`:          true,
		`#,##0.00`:                   false,
		`"%"#,##0`:                   false, // a quoted % is text
		`\%0`:                        false, // an escaped one too
		`#,##0;"-"%`:                 false, // the positive section has none
		`[$%-809]#,##0`:              false,
		`"£"#,##0.00;[Red]-"£"#,##0`: false,
	} {
		if got := isPercentFormat(code); got != want {
			t.Errorf("isPercentFormat(%q) = %v, want %v", code, got, want)
		}
	}
}
