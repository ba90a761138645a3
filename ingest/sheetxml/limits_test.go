package sheetxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPartLimits: a part read in full (the shared string table, the
// workbook part, relationships) is held to Limits.MaxPartBytes, by its zip
// header before anything is inflated and while it inflates, and the error
// names the part and the limit. The scaled-down form of an 18 MB workbook
// whose shared strings inflate to 4 GB.
func TestPartLimits(t *testing.T) {
	// Shared strings padded with whitespace between items: what the
	// table keeps is small, what is inflated is not.
	pad := strings.Repeat(" ", 4096)
	var items []string
	for i := 0; i < 64; i++ {
		items = append(items, `<si><t>a</t></si>`+pad)
	}
	bigSST := sstDoc(items...)
	for _, tc := range []struct {
		name  string
		parts map[string]string
		lie   string // a part whose zip header understates its size
		open  bool   // the error comes from Open, not from Rows
		part  string
	}{
		{name: "shared strings", parts: onePackage(sheetDoc(`<row><c t="s"><v>0</v></c></row>`), bigSST), part: "xl/sharedStrings.xml"},
		{name: "shared strings, header lies", parts: onePackage(sheetDoc(`<row><c t="s"><v>0</v></c></row>`), bigSST), lie: "xl/sharedStrings.xml", part: "xl/sharedStrings.xml"},
		{name: "workbook part", parts: func() map[string]string {
			p := onePackage(sheetDoc(`<row><c><v>1</v></c></row>`), "")
			p["xl/workbook.xml"] = strings.Replace(p["xl/workbook.xml"], "<sheets>", pad+pad+pad+pad+pad+pad+pad+pad+pad+"<sheets>", 1)
			return p
		}(), open: true, part: "xl/workbook.xml"},
		{name: "relationships", parts: func() map[string]string {
			p := onePackage(sheetDoc(`<row><c><v>1</v></c></row>`), "")
			p["xl/_rels/workbook.xml.rels"] = strings.Replace(p["xl/_rels/workbook.xml.rels"], "<Relationship ", strings.Repeat(pad, 10)+"<Relationship ", 1)
			return p
		}(), open: true, part: "xl/_rels/workbook.xml.rels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeZipLying(t, tc.parts, tc.lie)
			lim := Limits{MaxPartBytes: 32 << 10}
			w, err := Open(path, lim)
			if err == nil {
				defer w.Close()
				if tc.open {
					t.Fatalf("Open: no error, want one naming %s", tc.part)
				}
				_, err = w.Rows("Sheet1")
			}
			if err == nil {
				t.Fatalf("no error, want one naming %s and the limit", tc.part)
			}
			if !errors.Is(err, ErrTooLarge) && tc.lie == "" {
				t.Errorf("err = %v, want ErrTooLarge", err)
			}
			var pe *PartTooLargeError
			if tc.lie == "" && !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want a *PartTooLargeError", err, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.part) || tc.lie == "" && !strings.Contains(msg, "32 KiB") {
				t.Errorf("err = %q, want the part %s and the limit (32 KiB) named", msg, tc.part)
			}
			// The same workbook opens and reads under the default limits.
			w2, err := Open(path, Limits{})
			if tc.lie != "" {
				if err == nil {
					w2.Close()
				}
				return
			}
			if err != nil {
				t.Fatalf("default limits: %v", err)
			}
			defer w2.Close()
			rows, err := w2.Rows("Sheet1")
			if err != nil {
				t.Fatalf("default limits: %v", err)
			}
			for rows.Next() {
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("default limits: %v", err)
			}
			rows.Close()
		})
	}
}

// writeZipLying writes parts like writeZip; the zip header of the part
// named lie gives its size as 100 bytes, whatever it holds.
func writeZipLying(t testing.TB, parts map[string]string, lie string) string {
	t.Helper()
	path := writeZip(t, parts)
	if lie == "" {
		return path
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		fh := zf.FileHeader
		if zf.Name == lie {
			fh.UncompressedSize64 = 100
		}
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			t.Fatal(err)
		}
		r, err := zf.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		raw := new(bytes.Buffer)
		if _, err := raw.ReadFrom(r); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(raw.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "lying.xlsx")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCheckPart: a part another library will read whole is checked for
// its size and its nesting before it is handed over. The scaled-down form
// of a 70 KB workbook.xml nested 10 million deep.
func TestCheckPart(t *testing.T) {
	deep := `<?xml version="1.0"?><workbook>` + strings.Repeat("<a>", 5000) + strings.Repeat("</a>", 5000) + `</workbook>`
	deepSelfClosing := `<workbook>` + strings.Repeat("<a>", 2000) + `<b/>` // unclosed too: depth is found first
	fine := `<?xml version="1.0"?><workbook>` + strings.Repeat("<a><b/><c>x</c></a>", 5000) + `</workbook>`
	for _, tc := range []struct {
		name, doc string
		maxBytes  int64
		want      string // "" for no error
		sentinel  error
	}{
		{"deep", deep, 1 << 20, "nested more than 1000 deep", ErrMalformed},
		{"deep and unclosed", deepSelfClosing, 1 << 20, "nested more than 1000 deep", ErrMalformed},
		{"wide but shallow", fine, 1 << 20, "", nil},
		{"too large", fine, 16 << 10, "16 KiB", ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("xl/workbook.xml")
			_, _ = w.Write([]byte(tc.doc))
			_ = zw.Close()
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			err = CheckPart(zr.File[0], tc.maxBytes, 1000)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("err = %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "xl/workbook.xml")):
				t.Fatalf("err = %v, want one naming xl/workbook.xml and %q", err, tc.want)
			case tc.sentinel != nil && !errors.Is(err, tc.sentinel):
				t.Fatalf("err = %v, want %v", err, tc.sentinel)
			}
		})
	}
}

// TestDeepWorkbookPart: a workbook part nested very deep is refused by
// Open, naming it, as excelize would be spared it (the scaled-down 70 KB
// workbook.xml nested 10 million deep).
func TestDeepWorkbookPart(t *testing.T) {
	p := onePackage(sheetDoc(`<row><c><v>1</v></c></row>`), "")
	p["xl/workbook.xml"] = strings.Replace(p["xl/workbook.xml"], "<sheets>", strings.Repeat("<a>", 2000)+strings.Repeat("</a>", 2000)+"<sheets>", 1)
	w, err := Open(writeZip(t, p), Limits{})
	if err == nil {
		w.Close()
		t.Fatal("no error")
	}
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "xl/workbook.xml") || !strings.Contains(err.Error(), "nested more than 1000 deep") {
		t.Errorf("err = %v, want one naming xl/workbook.xml and its nesting", err)
	}
}
