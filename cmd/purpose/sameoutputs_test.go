package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// TestSameOutputs compares two folders of outputs, written by two builds
// of purpose on the same inputs (say, before and after a change to how
// outputs are written): PURPOSE_SAME_OUTPUTS=before:after. Text files must
// be byte for byte the same, but for the folders' own names and run.json's
// version; workbooks must hold the same parts, every part but the sheets
// and shared strings byte for byte (the relationships and content types
// as sets of elements: excelize writes content types in map order), and
// every sheet the same XML before and after its rows and the same cells,
// row by row (value with shared strings resolved, style, formula). Text
// may be a shared string in one and inline in the other, and a workbook
// that had no shared string table may have gained one in one of them: a
// reader sees the same cells. It streams the sheets, so it holds
// million-line workbooks to that without loading them.
func TestSameOutputs(t *testing.T) {
	dirs := os.Getenv("PURPOSE_SAME_OUTPUTS")
	if dirs == "" {
		t.Skip("set PURPOSE_SAME_OUTPUTS=before:after to compare two folders of outputs")
	}
	before, after, ok := strings.Cut(dirs, ":")
	if !ok {
		t.Fatalf("PURPOSE_SAME_OUTPUTS=%s: want before:after", dirs)
	}
	// PURPOSE_SAME_OUTPUTS_SKIP, a regular expression, leaves out files
	// that differ between two runs of the same build.
	skip := regexp.MustCompile(os.Getenv("PURPOSE_SAME_OUTPUTS_SKIP"))
	compared := 0
	err := filepath.WalkDir(before, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(before, p)
		if os.Getenv("PURPOSE_SAME_OUTPUTS_SKIP") != "" && skip.MatchString(rel) {
			return nil
		}
		other := filepath.Join(after, rel)
		if _, err := os.Stat(other); err != nil {
			t.Errorf("%s: not in %s", rel, after)
			return nil
		}
		compared++
		switch strings.ToLower(filepath.Ext(p)) {
		case ".xlsx", ".xlsm":
			for _, d := range diffPackages(t, p, other) {
				t.Errorf("%s: %s", rel, d)
			}
		default:
			a, b := readText(t, p, before), readText(t, other, after)
			if a != b {
				t.Errorf("%s differs:\n%s", rel, firstDifference(a, b))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if compared == 0 {
		t.Fatalf("no files in %s", before)
	}
	t.Logf("%d files compared", compared)
}

var versionLine = regexp.MustCompile(`(?m)^  "version": ".*",$`)

// readText reads a text output with its folder's name taken out, and
// run.json's version.
func readText(t *testing.T, path, root string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(b), root, "ROOT")
	if filepath.Base(path) == "run.json" {
		s = versionLine.ReplaceAllString(s, `  "version": "",`)
	}
	return s
}

func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("before: …%q…\nafter:  …%q…", a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

// diffPackages lists how two workbooks differ, at most a few ways.
func diffPackages(t *testing.T, a, b string) []string {
	t.Helper()
	za, zb := openZip(t, a), openZip(t, b)
	defer za.Close()
	defer zb.Close()
	names := func(z *zip.ReadCloser) []string {
		var out []string
		for _, f := range z.File {
			out = append(out, f.Name)
		}
		slices.Sort(out)
		return out
	}
	if na, nb := withoutSST(names(za)), withoutSST(names(zb)); !slices.Equal(na, nb) {
		return []string{fmt.Sprintf("parts %q, after %q", na, nb)}
	}
	var out []string
	for _, fa := range za.File {
		name := fa.Name
		if strings.HasPrefix(name, "xl/worksheets/sheet") || isSST(name) {
			continue // compared as cells
		}
		pa, pb := readPart(t, za, name), readPart(t, zb, name)
		if name == "[Content_Types].xml" || strings.HasSuffix(name, ".rels") {
			pa, pb = elementSet(pa), elementSet(pb)
		}
		if !bytes.Equal(pa, pb) {
			out = append(out, fmt.Sprintf("part %s differs:\n%s", name, firstDifference(string(pa), string(pb))))
		}
	}
	for _, f := range za.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") && strings.HasSuffix(f.Name, ".xml") {
			if ha, hb := sheetOutside(t, za, f.Name), sheetOutside(t, zb, f.Name); ha != hb {
				out = append(out, fmt.Sprintf("%s outside its rows differs:\n%s", f.Name, firstDifference(ha, hb)))
			}
		}
	}
	return append(out, diffCells(t, a, b)...)
}

func isSST(name string) bool { return strings.HasSuffix(strings.ToLower(name), "sharedstrings.xml") }

func withoutSST(names []string) []string { return slices.DeleteFunc(names, isSST) }

var element = regexp.MustCompile(`<[A-Za-z][^>]*>`)

// elementSet is a small part's start tags, sorted, but for those naming
// the shared string table.
func elementSet(b []byte) []byte {
	var tags []string
	for _, e := range element.FindAll(b, -1) {
		if !bytes.Contains(bytes.ToLower(e), []byte("sharedstrings")) {
			tags = append(tags, string(e))
		}
	}
	slices.Sort(tags)
	return []byte(strings.Join(tags, "\n"))
}

func openZip(t *testing.T, path string) *zip.ReadCloser {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func readPart(t *testing.T, z *zip.ReadCloser, name string) []byte {
	t.Helper()
	r, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sheetOutside is a sheet's XML before its first row and after its last:
// the used range, views, column widths, merged cells, page setup.
func sheetOutside(t *testing.T, z *zip.ReadCloser, name string) string {
	t.Helper()
	r, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// The head, then the tail: a window of the last 64 KiB.
	var head, tail []byte
	buf := make([]byte, 1<<20)
	inHead := true
	for {
		n, err := r.Read(buf)
		chunk := buf[:n]
		if inHead {
			head = append(head, chunk...)
			if i := bytes.Index(head, []byte("<sheetData")); i >= 0 {
				tail = append(tail, head[i:]...)
				head, inHead = head[:i], false
			}
		} else {
			tail = append(tail, chunk...)
		}
		if len(tail) > 1<<17 {
			tail = append(tail[:0], tail[len(tail)-1<<16:]...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if i := bytes.LastIndex(tail, []byte("</row>")); i >= 0 {
		tail = tail[i:]
	} else {
		tail = nil // no rows: all is in the head
	}
	return string(head) + "\n…\n" + string(tail)
}

// diffCells compares every worksheet's cells, streaming both.
func diffCells(t *testing.T, a, b string) []string {
	t.Helper()
	wa, err := sheetxml.Open(a, sheetxml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wa.Close()
	wb, err := sheetxml.Open(b, sheetxml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var out []string
	for _, s := range wa.Sheets() {
		ra, errA := wa.Rows(s.Name)
		rb, errB := wb.Rows(s.Name)
		if errA != nil || errB != nil {
			if (errA == nil) != (errB == nil) {
				out = append(out, fmt.Sprintf("sheet %q: %v, after %v", s.Name, errA, errB))
			}
			continue
		}
		rows := 0
		for {
			na, nb := ra.Next(), rb.Next()
			if na != nb {
				out = append(out, fmt.Sprintf("sheet %q: rows end at different places, after %d rows", s.Name, rows))
				break
			}
			if !na {
				break
			}
			rows++
			if ca, cb := rowText(ra), rowText(rb); ca != cb {
				out = append(out, fmt.Sprintf("sheet %q row %d: %s, after %s", s.Name, ra.Row(), ca, cb))
				if len(out) > 5 {
					break
				}
			}
		}
		if ea, eb := fmt.Sprint(ra.Err()), fmt.Sprint(rb.Err()); ea != eb {
			out = append(out, fmt.Sprintf("sheet %q: %s, after %s", s.Name, ea, eb))
		}
		ra.Close()
		rb.Close()
	}
	return out
}

func rowText(r *sheetxml.Rows) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:", r.Row())
	for _, c := range r.Cells() {
		typ := c.Type
		if typ == "s" || typ == "inlineStr" {
			typ = "text"
		}
		fmt.Fprintf(&b, " %d %q s%d f%q t%s;", c.Col, c.Value, c.Style, c.Formula, typ)
	}
	return b.String()
}
