package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// The annotated workbook is made in three steps, so that no budget sheet is
// ever loaded whole, however long:
//
//  1. shell: a copy of the original in which each budget sheet's rows are
//     left out (every other part copied as it is);
//  2. excelize opens the shell, adds the styles the annotations use and the
//     Summary, Review and Reconciliation sheets, and saves it;
//  3. assembly: every part of that result is copied as it is, except the
//     budget sheets, which stream from the original through copySheet,
//     gaining the annotation cells row by row.
//
// A CSV input takes the same road: its shell is a new workbook, and its
// sheet's XML is written from the CSV records on the way through.

// WriteAnnotated writes an input's annotated workbook to w, using a
// temporary folder in dir for its steps.
func WriteAnnotated(w io.Writer, dir string, run *Run, in Input) error {
	b, err := buildWorkbook(dir, run, in)
	if err != nil {
		return err
	}
	defer b.close()
	bw := bufio.NewWriterSize(w, 1<<20)
	zw := newZipWriter(bw)
	if err := b.assemble(zw, run.Framework, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

func newZipWriter(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

// built is an input's workbook but for its budget sheets: the shell with
// the report sheets excelize added, and what assembly needs to put the
// budget sheets in.
type built struct {
	tmp, path string
	looks     annotationLooks
	sheetName func(*ingest.Table) string
	stubbed   map[string]string // sheet name → original part
}

func (b *built) close() { os.RemoveAll(b.tmp) }

func (b *built) assemble(zw *zip.Writer, fw *analysis.Framework, in Input) error {
	return assemble(zw, b.path, fw, in, b.looks, b.sheetName, b.stubbed)
}

// buildWorkbook makes the shell and has excelize add the styles and the
// report sheets.
func buildWorkbook(dir string, run *Run, in Input) (*built, error) {
	path := AnnotatedName(in.Book.Path)
	tmp, err := os.MkdirTemp(dir, ".purpose-")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b := &built{tmp: tmp}
	ok := false
	defer func() {
		if !ok {
			b.close()
		}
	}()
	shell := filepath.Join(tmp, "shell.xlsx")
	var f *excelize.File
	if in.Book.CSV != nil {
		f = excelize.NewFile()
		if err := f.SetSheetName("Sheet1", csvSheetName(in.Book)); err != nil {
			return nil, err
		}
	} else {
		if err := Annotatable(in.Book); err != nil {
			return nil, err
		}
		b.stubbed, err = writeShell(shell, in.Book.Path, in.Book.Tables, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if f, err = ingest.OpenWorkbook(shell); err != nil {
			return nil, err
		}
	}
	defer f.Close()
	st := newStyles(f)
	if in.Book.CSV == nil {
		st.useAmountFormat(in.Book.Path, in.Book.Tables)
	}
	if b.looks, err = annotationStyles(st, in.Book.CSV != nil); err != nil {
		return nil, err
	}
	b.sheetName = func(t *ingest.Table) string { return t.Source.Sheet }
	if in.Book.CSV != nil {
		name := csvSheetName(in.Book)
		b.sheetName = func(*ingest.Table) string { return name }
	}
	if err := addReportSheets(f, st, run, in, b.sheetName); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := st.finish(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// excelize sets the workbook's content type from the extension, so the
	// built shell keeps the output's (.xlsm keeps its macros).
	b.path = filepath.Join(tmp, "built"+filepath.Ext(path))
	if err := f.SaveAs(b.path); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ok = true
	return b, nil
}

// csvSheetName names the sheet a CSV input becomes: its file name.
func csvSheetName(b *ingest.Book) string {
	return sanitiseSheetName(strings.TrimSuffix(filepath.Base(b.Path), filepath.Ext(b.Path)))
}

// partName normalises a zip entry name as OPC compares them.
func partName(name string) string {
	return strings.ToLower(strings.TrimLeft(strings.ReplaceAll(name, "\\", "/"), "/"))
}

// worksheetParts maps a workbook's worksheets' parts to their names.
func worksheetParts(path string) (map[string]string, error) {
	wb, err := sheetxml.Open(path, sheetxml.Limits{})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	parts := map[string]string{}
	for _, s := range wb.Sheets() {
		if s.Part != "" && (s.Kind == "worksheet" || s.Kind == "") {
			parts[partName(s.Part)] = s.Name
		}
	}
	return parts, nil
}

// workbookParts maps the zip parts of the sheets named in keep to their
// names, and finds the shared string table and (if count) how many strings
// it holds.
func workbookParts(path string, keep map[string]bool, count bool) (parts map[string]string, sst string, strings int, err error) {
	wb, err := sheetxml.Open(path, sheetxml.Limits{})
	if err != nil {
		return nil, "", 0, err
	}
	defer wb.Close()
	parts = map[string]string{}
	for _, s := range wb.Sheets() {
		if keep[s.Name] && s.Part != "" {
			parts[partName(s.Part)] = s.Name
		}
	}
	if !count {
		return parts, partName(wb.SharedStringsPart()), 0, nil
	}
	sst, strings, err = wb.SharedStrings()
	return parts, partName(sst), strings, err
}

// writeShell copies the original workbook with a stub for each worksheet,
// and returns the names of the sheets it stubbed (by original part). With
// strs, its shared string table gains their strings.
func writeShell(shell, original string, tables []*ingest.Table, strs *stringIndex) (map[string]string, error) {
	parts, err := worksheetParts(original)
	if err != nil {
		return nil, err
	}
	sstPart := ""
	if strs != nil {
		if _, sstPart, _, err = workbookParts(original, nil, false); err != nil {
			return nil, err
		}
	}
	// A workbook without a shared string table (its strings inline) gets
	// one for the added strings; one without styles, the default styles,
	// which the added cells' are added to.
	added, err := planParts(original, strs != nil && sstPart == "")
	if err != nil {
		return nil, err
	}
	isTable := map[string]bool{}
	for _, t := range tables {
		isTable[t.Source.Sheet] = true
	}
	stubbed := map[string]string{} // sheet name → original part
	zr, err := zip.OpenReader(original)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := os.Create(shell)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	core := corePropsPart(readSmallPart(&zr.Reader, "_rels/.rels"))
	for _, zf := range zr.File {
		if partName(zf.Name) == core {
			if err := writeCoreProps(zw, zf); err != nil {
				return nil, err
			}
			continue
		}
		if sstPart != "" && partName(zf.Name) == sstPart {
			if err := extendPart(zw, zf, strs); err != nil {
				return nil, err
			}
			continue
		}
		if added != nil {
			if ok, err := added.edit(zw, zf); ok || err != nil {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		// A sheet an earlier run added is kept, for excelize to recognise
		// and replace.
		name, ok := parts[partName(zf.Name)]
		if !ok || ingest.MayBeReportSheet(name) && !isTable[name] {
			if err := copyRaw(zw, zf); err != nil {
				return nil, err
			}
			continue
		}
		// The shell needs only a worksheet to stand in for each sheet:
		// assembly puts the originals back, so excelize never loads one, and
		// a large sheet costs it neither time nor memory.
		w, err := zw.Create(zf.Name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(w, stubSheet); err != nil {
			return nil, err
		}
		stubbed[name] = partName(zf.Name)
	}
	if added != nil {
		if err := added.write(zw, strs); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return stubbed, out.Close()
}

// Annotatable refuses a workbook that cannot be annotated: one saved in
// Strict Open XML, whose parts excelize writes back half in the ordinary
// vocabulary, so that the copy would lose its sheets.
func Annotatable(b *ingest.Book) error {
	if b.CSV == nil && strictOOXML(b.Path) {
		return fmt.Errorf("%s: is saved as a Strict Open XML Spreadsheet, which cannot be annotated; save it from Excel as an Excel Workbook (.xlsx) and run again", b.Path)
	}
	return nil
}

// strictOOXML reports whether a workbook is saved in Strict Open XML.
func strictOOXML(path string) bool {
	wb, err := sheetxml.Open(path, sheetxml.Limits{})
	if err != nil {
		return false
	}
	part := wb.Part()
	wb.Close()
	zr, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer zr.Close()
	b := readSmallPart(&zr.Reader, partName(part))
	if i := bytes.Index(b, []byte("<sheets")); i >= 0 {
		b = b[:i]
	}
	return bytes.Contains(b, []byte(`conformance="strict"`)) || bytes.Contains(b, []byte("http://purl.oclc.org/ooxml/spreadsheetml/main"))
}

// readSmallPart is a part of at most 1 MiB, nil if there is none.
func readSmallPart(zr *zip.Reader, name string) []byte {
	for _, zf := range zr.File {
		if partName(zf.Name) == name {
			r, err := zf.Open()
			if err != nil {
				return nil
			}
			defer r.Close()
			b, _ := io.ReadAll(io.LimitReader(r, 1<<20))
			return b
		}
	}
	return nil
}

// writeCoreProps copies the core properties part with Excel's prefixes
// (see excelCoreProps), or as it was if it cannot be read as such.
func writeCoreProps(zw *zip.Writer, zf *zip.File) error {
	r, err := zf.Open()
	if err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	r.Close()
	if err != nil {
		return err
	}
	out, err := excelCoreProps(b)
	if err != nil {
		return copyRaw(zw, zf)
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// addedSST is what is added to a workbook that had no shared string table
// or no styles: the parts, their relationships from the workbook, and
// their content types.
type addedSST struct {
	rels                string
	adds                []addedPart
	relsDone, typesDone bool
}

// addedPart is one part added, its relationship's id and type, and its
// content type; content is its XML, for styles.
type addedPart struct {
	part, target, id, rel, ctype, content string
}

const (
	relSharedStrings  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
	typeSharedStrings = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
	relStyles         = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
	typeStyles        = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	// defaultStyles are Excel's styles of a new workbook.
	defaultStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`
)

// planParts works out what a workbook needs added: a shared string table
// (when sst), and styles if it has none; nil if nothing.
func planParts(original string, sst bool) (*addedSST, error) {
	wb, err := sheetxml.Open(original, sheetxml.Limits{})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	dir, base := path.Split(partName(wb.Part()))
	a := &addedSST{rels: dir + "_rels/" + base + ".rels"}
	zr, err := zip.OpenReader(original)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	taken := map[string]bool{}
	for _, zf := range zr.File {
		taken[partName(zf.Name)] = true
	}
	rels := readSmallPart(&zr.Reader, a.rels)
	// Transitional and strict OOXML name the styles relationship alike
	// but for the namespace.
	styles := !bytes.Contains(rels, []byte(`relationships/styles"`)) && !bytes.Contains(rels, []byte(`relationships/styles'`))
	if !sst && !styles {
		return nil, nil
	}
	if !taken[a.rels] {
		return nil, fmt.Errorf("the workbook has no relationships part %s", a.rels)
	}
	add := func(name, id, rel, ctype, content string) {
		target := name + ".xml"
		for i := 1; taken[dir+target]; i++ {
			target = fmt.Sprintf("%s%d.xml", name, i)
		}
		a.adds = append(a.adds, addedPart{dir + target, target, id, rel, ctype, content})
	}
	if sst {
		add("sharedStrings", "rIdPurposeSST", relSharedStrings, typeSharedStrings, "")
	}
	if styles {
		add("styles", "rIdPurposeStyles", relStyles, typeStyles, defaultStyles)
	}
	return a, nil
}

// edit writes the workbook's relationships or the content types with the
// table added, reporting whether zf was one of them.
func (a *addedSST) edit(zw *zip.Writer, zf *zip.File) (bool, error) {
	var end, add string
	switch partName(zf.Name) {
	case a.rels:
		end = "</Relationships>"
		for _, p := range a.adds {
			add += `<Relationship Id="` + p.id + `" Type="` + p.rel + `" Target="` + p.target + `"/>`
		}
		a.relsDone = true
	case "[content_types].xml":
		end = "</Types>"
		for _, p := range a.adds {
			add += `<Override PartName="/` + p.part + `" ContentType="` + p.ctype + `"/>`
		}
		a.typesDone = true
	default:
		return false, nil
	}
	r, err := zf.Open()
	if err != nil {
		return true, err
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	r.Close()
	if err != nil {
		return true, err
	}
	i := bytes.LastIndex(b, []byte(end))
	if i < 0 || bytes.Contains(b, []byte(`"rIdPurposeSST"`)) || bytes.Contains(b, []byte(`"rIdPurposeStyles"`)) {
		return true, fmt.Errorf("%s: cannot add a shared string table or styles to it", zf.Name)
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
	if err != nil {
		return true, err
	}
	_, err = w.Write(slices.Concat(b[:i], []byte(add), b[i:]))
	return true, err
}

// write adds the parts themselves.
func (a *addedSST) write(zw *zip.Writer, strs *stringIndex) error {
	if !a.relsDone || !a.typesDone {
		return errors.New("cannot add a shared string table or styles: the workbook's relationships or content types were not found")
	}
	for _, p := range a.adds {
		w, err := zw.Create(p.part)
		if err != nil {
			return err
		}
		if p.rel == relStyles {
			_, err = io.WriteString(w, p.content)
		} else {
			err = extendSST(w, strings.NewReader(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>`), strs)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// restoreSheet puts an original sheet back under the name the built
// workbook gave it: its compressed bytes as they are, unless its view is
// marked selected, which beside the selected Summary would open the two as a
// group; then it is streamed through copySheet to drop the mark.
func restoreSheet(zw *zip.Writer, name string, of *zip.File) error {
	selected, err := viewSelected(of)
	if err != nil {
		return err
	}
	if !selected {
		h := of.FileHeader
		h.Name = name
		r, err := of.OpenRaw()
		if err != nil {
			return err
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		return err
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: of.Modified})
	if err != nil {
		return err
	}
	r, err := of.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	return copySheet(w, r, sheetEdit{Unselect: true, AddCells: func(_ int, _ string, b []byte) []byte { return b }})
}

// viewSelected reports whether a sheet's XML marks its view selected
// (tabSelected), looking only at its head, where sheetViews is.
func viewSelected(of *zip.File) (bool, error) {
	r, err := of.Open()
	if err != nil {
		return false, err
	}
	defer r.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	head = head[:n]
	if i := bytes.Index(head, []byte("sheetData")); i >= 0 {
		head = head[:i]
	}
	return bytes.Contains(head, []byte(`tabSelected="1"`)) || bytes.Contains(head, []byte(`tabSelected="true"`)) || bytes.Contains(head, []byte(`tabSelected='1'`)), nil
}

// newInflater inflates zip entries with klauspost/compress, a third faster
// than the standard library's; its deflate at BestSpeed is twice as fast.
func newInflater(r io.Reader) io.ReadCloser { return flate.NewReader(r) }

// stubSheet stands in for a budget sheet in the shell.
const stubSheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData/></worksheet>`

func copyRaw(zw *zip.Writer, zf *zip.File) error {
	r, err := zf.OpenRaw()
	if err != nil {
		return err
	}
	h := zf.FileHeader
	w, err := zw.CreateRaw(&h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

// assemble writes the final workbook: the built shell's parts as they are,
// the budget sheets streamed from the original (or made from the CSV) with
// their annotations.
// originalOf names the sheets the shell stubbed, with their original parts:
// only those are put back (an earlier run's report sheets were not stubbed,
// and the built workbook has new ones by those names).
func assemble(zw *zip.Writer, built string, fw *analysis.Framework, in Input, looks annotationLooks, sheetName func(*ingest.Table) string, originalOf map[string]string) error {
	tables := map[string]*ingest.Table{}
	for _, t := range in.Book.Tables {
		tables[sheetName(t)] = t
	}
	keep := map[string]bool{}
	for name := range tables {
		keep[name] = true
	}
	for name := range originalOf {
		keep[name] = true
	}
	parts, sstPart, sstCount, err := workbookParts(built, keep, true)
	if err != nil {
		return err
	}
	// The annotation texts go in the shared string table, when the built
	// workbook has one (excelize writes one for the report sheets).
	var strs *stringIndex
	if sstPart != "" {
		strs = newStringIndex(sstCount)
	}
	var sstFile *zip.File
	zr, err := zip.OpenReader(built)
	if err != nil {
		return err
	}
	defer zr.Close()
	var original *zip.ReadCloser
	if in.Book.CSV == nil {
		if original, err = zip.OpenReader(in.Book.Path); err != nil {
			return err
		}
		original.RegisterDecompressor(zip.Deflate, newInflater)
		defer original.Close()
	}
	originalParts := map[string]*zip.File{}
	if original != nil {
		for _, zf := range original.File {
			originalParts[partName(zf.Name)] = zf
		}
	}
	zr.RegisterDecompressor(zip.Deflate, newInflater)
	for _, zf := range zr.File {
		if strs != nil && partName(zf.Name) == sstPart {
			sstFile = zf // written last, once the annotations' strings are known
			continue
		}
		sheet, ok := parts[partName(zf.Name)]
		if !ok {
			if err := copyRaw(zw, zf); err != nil {
				return err
			}
			continue
		}
		t := tables[sheet]
		if t == nil {
			// A sheet without a budget table goes back as it was.
			of, ok := originalParts[originalOf[sheet]]
			if !ok {
				return fmt.Errorf("sheet %q: its part is not in the original", sheet)
			}
			if err := restoreSheet(zw, zf.Name, of); err != nil {
				return fmt.Errorf("sheet %q: %w", sheet, err)
			}
			continue
		}
		ow, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
		if err != nil {
			return err
		}
		edit := annotationEdit(fw, t, in.marks[t], in.unreadable[t], looks, strs)
		var src io.ReadCloser
		if in.Book.CSV != nil {
			src = csvSheetXML(in.Book, t, looks)
		} else {
			of, ok := originalParts[originalOf[sheet]]
			if !ok {
				return fmt.Errorf("sheet %q: its part is not in the original", sheet)
			}
			rc, err := of.Open()
			if err != nil {
				return err
			}
			// Inflate, copy and deflate on separate goroutines: three
			// stages, two cores.
			src = sheetxml.ReadAhead(rc, rc.Close)
		}
		aw := newAsyncWriter(ow)
		err = copySheet(aw, src, edit)
		src.Close()
		if cerr := aw.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
	}
	if sstFile != nil {
		if err := extendPart(zw, sstFile, strs); err != nil {
			return err
		}
	}
	return nil
}

// extendPart writes a shared string table part with strs's strings added.
func extendPart(zw *zip.Writer, zf *zip.File, strs *stringIndex) error {
	ow, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
	if err != nil {
		return err
	}
	r, err := zf.Open()
	if err != nil {
		return err
	}
	err = extendSST(ow, r, strs)
	r.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", zf.Name, err)
	}
	return nil
}

// annotationLooks are the style ids the added cells use.
type annotationLooks struct {
	header               int
	text, money, percent map[string]int // by status look
	amount               int            // CSV amounts
}

var lookNames = []string{"mapped", "core", string(analysis.StatusUnmapped), string(analysis.StatusIncome), string(analysis.StatusUnreadable), "excluded"}

// annotationStyles adds the added cells' styles to a workbook. Their ids
// do not depend on the workbook's money format: the styles are made in
// the same order whatever it is, so a sheet annotated as it is read, before
// the format is known, refers to the right ones.
func annotationStyles(st *styles, csv bool) (annotationLooks, error) {
	l := annotationLooks{text: map[string]int{}, money: map[string]int{}, percent: map[string]int{}}
	var err error
	if l.header, err = st.get(styleKey{fill: colourHeader, bold: true, colour: "FFFFFF", wrap: true}); err != nil {
		return l, err
	}
	for _, n := range lookNames {
		k := statusLook(n)
		if l.text[n], err = st.get(k); err != nil {
			return l, err
		}
		k.money = true
		if l.money[n], err = st.get(k); err != nil {
			return l, err
		}
		k.money, k.format = false, formatPercent
		if l.percent[n], err = st.get(k); err != nil {
			return l, err
		}
	}
	// A CSV input's amounts, written as numbers: last, and only for a CSV
	// (a workbook may have a style of its money format alone already).
	if csv {
		if l.amount, err = st.get(styleKey{money: true}); err != nil {
			return l, err
		}
	}
	return l, nil
}

// annotationEdit says how a budget sheet changes: the annotation cells on
// the header and every line and excluded row, the used range, the widths.
func annotationEdit(fw *analysis.Framework, t *ingest.Table, marks *markList, unreadable map[int32]string, looks annotationLooks, strs *stringIndex) sheetEdit {
	first := annotationColumn(t)
	excluded := map[int]int{} // row → index into t.Excluded
	for i, e := range t.Excluded {
		excluded[e.Source.Row] = i
	}
	next := 0 // the first mark not yet passed: rows arrive in order
	lineAt := func(row int) (lineMark, bool) {
		if marks == nil {
			return lineMark{}, false
		}
		for next < marks.len() && int(marks.at(next).row) < row {
			next++
		}
		if next < marks.len() && int(marks.at(next).row) == row {
			return marks.at(next), true
		}
		// A row out of order in the XML: look it up.
		return marks.find(int32(row))
	}
	a := newAnnotator(fw, looks, strs, first, t.Thousands)
	var cells []annotationCell
	head := sheetHeadEdit(t)
	return sheetEdit{
		DimensionFunc: head.DimensionFunc,
		Unselect:      head.Unselect,
		DropFrom:      t.AnnotationCol,
		Cols:          head.Cols,
		AddCells: func(row int, prefix string, buf []byte) []byte {
			switch {
			case row == t.Source.Row:
				return a.header(buf, row, prefix)
			case row > t.Source.Row && row <= t.LastRow:
				if m, ok := lineAt(row); ok {
					return a.line(buf, row, prefix, m, unreadable[m.row])
				} else if i, ok := excluded[row]; ok {
					cells = excludedCells(cells[:0], t.Excluded[i], looks)
				} else if t.AnnotationCol > 0 {
					cells = blankCells(cells[:0], len(annotationHeaders))
				} else {
					return buf
				}
				return a.write(buf, row, prefix, cells)
			}
			return buf
		},
	}
}

// annotator writes the cells added to a budget sheet's rows, from column
// first on; the copy made as the sheet is read and the one made from the
// original afterwards share it.
type annotator struct {
	fw        *analysis.Framework
	looks     annotationLooks
	strs      *stringIndex
	letters   []string
	ref       []byte
	cells     []annotationCell
	templates map[[2]int32]*lineTemplate // by rule and status
	prefix    string                     // the namespace prefix they were made with
	// thousands is set for a table in thousands of pounds (£000): the
	// social amounts are in its units, and headed so.
	thousands bool
}

func newAnnotator(fw *analysis.Framework, looks annotationLooks, strs *stringIndex, first int, thousands bool) *annotator {
	a := &annotator{fw: fw, looks: looks, strs: strs, templates: map[[2]int32]*lineTemplate{}, thousands: thousands}
	for j := range annotationHeaders {
		a.letters = append(a.letters, ingest.ColumnLetter(first+j))
	}
	return a
}

// header writes the added columns' headings.
func (a *annotator) header(buf []byte, row int, prefix string) []byte {
	a.cells = a.cells[:0]
	for j := range annotationHeaders {
		a.cells = append(a.cells, annotationCell{text: annotationHeader(j, a.thousands), style: a.looks.header})
	}
	return a.write(buf, row, prefix, a.cells)
}

// line writes what became of a line; unreadable is its amount's text, for
// an unreadable line.
func (a *annotator) line(buf []byte, row int, prefix string, m lineMark, unreadable string) []byte {
	if m.status.status() == analysis.StatusUnreadable {
		a.cells = lineCells(a.cells[:0], a.fw, m, unreadable, a.looks, a.thousands)
		return a.write(buf, row, prefix, a.cells)
	}
	if prefix != a.prefix {
		clear(a.templates)
		a.prefix = prefix
	}
	key := [2]int32{m.rule, int32(m.status)}
	tm := a.templates[key]
	if tm == nil {
		tm = newLineTemplate(lineCells(nil, a.fw, m, "", a.looks, a.thousands), a.letters, prefix, a.strs)
		a.templates[key] = tm
	}
	return tm.append(buf, row, m, a.fw, a.strs, a.thousands)
}

// write writes cells in the added columns of a row.
func (a *annotator) write(buf []byte, row int, prefix string, cells []annotationCell) []byte {
	for j, c := range cells {
		a.ref = strconv.AppendInt(append(a.ref[:0], a.letters[j]...), int64(row), 10)
		buf = c.appendXML(buf, prefix, a.ref, a.strs)
	}
	return buf
}

// sheetHeadEdit is what changes in a budget sheet before its rows: the
// used range, the view no longer selected, the added columns' widths.
func sheetHeadEdit(t *ingest.Table) sheetEdit {
	first := annotationColumn(t)
	last := first + len(annotationHeaders) - 1
	return sheetEdit{
		DimensionFunc: func(ref string) string { return usedRange(ref, last, t.SheetLastCol, t.SheetLastRow) },
		Unselect:      true,
		Cols:          annotationWidths(first),
	}
}

// usedRange is the <dimension ref> of an annotated sheet: the original's
// (ref), widened to the cells read and the added columns, whose last is
// lastAdded.
func usedRange(ref string, lastAdded, lastCol, lastRow int) string {
	col, row := dimensionEnd(ref)
	return "A1:" + ingest.CellRef(max(lastAdded, lastCol, col), max(lastRow, row, 1))
}

// annotationWidths are the added columns' widths, from column first.
func annotationWidths(first int) []colWidth {
	var out []colWidth
	for j, w := range []float64{34, 24, 12, 13, 15, 8, 18} {
		out = append(out, colWidth{first + j, first + j, w})
	}
	return out
}

// lineTemplate is the XML of a line's added cells for one rule and status,
// made once: per row only the row number and the social amount change.
type lineTemplate struct {
	heads  [][]byte // per cell, up to its column letters: `<c r="J`
	tails  [][]byte // per cell, from the end of its reference on
	amount int      // the cell that holds the social amount, or -1
	// amountHead and amountTail surround the amount in that cell.
	amountHead, amountTail []byte
	refs                   int // shared string references a row makes
}

func newLineTemplate(cells []annotationCell, letters []string, prefix string, strs *stringIndex) *lineTemplate {
	t := &lineTemplate{amount: -1}
	before := 0
	if strs != nil {
		before = strs.refs
	}
	for j, c := range cells {
		number := c.number != ""
		if number && j == 4 {
			c.number = "\x01" // the social amount's place
		}
		x := c.appendXML(nil, prefix, []byte(letters[j]+"\x00"), strs)
		i := bytes.IndexByte(x, 0)
		t.heads = append(t.heads, x[:i])
		tail := x[i+1:]
		if number && j == 4 {
			k := bytes.IndexByte(tail, 1)
			t.amount, t.amountHead, t.amountTail = j, tail[:k], tail[k+1:]
			tail = nil
		}
		t.tails = append(t.tails, tail)
	}
	if strs != nil {
		t.refs = strs.refs - before
		strs.refs = before
	}
	return t
}

// append writes a line's added cells, the social amount in thousands of
// pounds for a table in £000.
func (t *lineTemplate) append(b []byte, row int, m lineMark, fw *analysis.Framework, strs *stringIndex, thousands bool) []byte {
	var digits [20]byte
	r := strconv.AppendInt(digits[:0], int64(row), 10)
	for j, head := range t.heads {
		b = append(b, head...)
		b = append(b, r...)
		if j == t.amount {
			b = append(b, t.amountHead...)
			b = appendNumberUnits(b, analysis.Social(m.amount, m.match(fw)), thousands)
			b = append(b, t.amountTail...)
			continue
		}
		b = append(b, t.tails[j]...)
	}
	if strs != nil {
		strs.refs += t.refs
	}
	return b
}

// annotationCell is one added cell: text, or a number written exactly.
type annotationCell struct {
	text   string
	number string // a decimal, written as is
	style  int
}

// appendXML writes the cell: text as an index into strs, the shared string
// table, or inline when strs is nil.
func (c annotationCell) appendXML(b []byte, prefix string, ref []byte, strs *stringIndex) []byte {
	b = append(b, '<')
	b = append(b, prefix...)
	b = append(b, `c r="`...)
	b = append(b, ref...)
	b = append(b, `" s="`...)
	b = strconv.AppendInt(b, int64(c.style), 10)
	switch {
	case c.number != "":
		b = append(b, `"><`...)
		b = append(b, prefix...)
		b = append(b, `v>`...)
		b = append(b, c.number...)
		b = append(b, `</`...)
		b = append(b, prefix...)
		b = append(b, `v></`...)
	case c.text != "" && strs != nil:
		b = append(b, `" t="s"><`...)
		b = append(b, prefix...)
		b = append(b, `v>`...)
		b = strconv.AppendInt(b, int64(strs.of(c.text)), 10)
		b = append(b, `</`...)
		b = append(b, prefix...)
		b = append(b, `v></`...)
	case c.text != "":
		b = append(b, `" t="inlineStr"><`...)
		b = append(b, prefix...)
		b = append(b, `is><`...)
		b = append(b, prefix...)
		if c.text[0] == ' ' || c.text[len(c.text)-1] == ' ' || strings.ContainsAny(c.text, "\t\n\r") {
			b = append(b, `t xml:space="preserve">`...)
		} else {
			b = append(b, `t>`...)
		}
		b = appendEscaped(b, c.text)
		b = append(b, `</`...)
		b = append(b, prefix...)
		b = append(b, `t></`...)
		b = append(b, prefix...)
		b = append(b, `is></`...)
	default:
		b = append(b, `"/>`...)
		return b
	}
	b = append(b, prefix...)
	return append(b, `c>`...)
}

// appendEscaped writes text for XML, dropping characters XML 1.0 forbids.
func appendEscaped(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF):
			b = append(b, string(r)...)
		}
	}
	return b
}

// subtotalCheck says how a subtotal checked against its lines.
func subtotalCheck(e ingest.Excluded) string {
	switch {
	case e.NoValue:
		return fmt.Sprintf("no saved value; %s add up to %s", e.Check, ingest.FormatMoney(e.Expected))
	case e.Agrees():
		return "agrees with " + e.Check
	case e.Checked:
		return fmt.Sprintf("differs from %s by %s", e.Check, ingest.FormatMoney(e.Amount-e.Expected))
	}
	return e.Check
}

func blankCells(cells []annotationCell, n int) []annotationCell {
	for range n {
		cells = append(cells, annotationCell{})
	}
	return cells
}

// lineCells describes one line in the added columns; thousands puts the
// social amount in thousands of pounds.
func lineCells(cells []annotationCell, fw *analysis.Framework, mark lineMark, unreadable string, looks annotationLooks, thousands bool) []annotationCell {
	m := mark.match(fw)
	cells = describeMatch(cells, fw, m, unreadable, looks)
	if cells[4].number != "" { // income and unreadable lines show no amount
		cells[4].number = string(appendNumberUnits(nil, analysis.Social(mark.amount, m), thousands))
	}
	return cells
}

// describeMatch is what the added columns say of a match, but for the
// social amount (cells[4]), which depends on the line's amount: the same for
// every line a rule maps, so the writer works it out once per rule.
func describeMatch(cells []annotationCell, fw *analysis.Framework, m analysis.Match, unreadable string, looks annotationLooks) []annotationCell {
	allocs := analysis.Allocate(10000, m)
	var outcomes, themes []string
	socialShare := 0
	for _, a := range allocs {
		name := a.Outcome
		if o, ok := fw.Outcome(a.Outcome); ok {
			name = o.Name
			if !containsString(themes, o.Theme) {
				themes = append(themes, o.Theme)
			}
		}
		if len(allocs) > 1 {
			name += " " + analysis.FormatShare(a.Share)
		}
		outcomes = append(outcomes, name)
		if a.Mode.Social() {
			socialShare += a.Share
		}
	}
	look, mode := string(m.Status), ""
	switch m.Status {
	case analysis.StatusMapped:
		mode = string(m.Rule.Mode())
		if socialShare == 0 {
			look = "core" // mapped, but to core work: grey, not green
		}
	case analysis.StatusIncome:
		mode = string(analysis.Income)
	case analysis.StatusUnmapped:
		mode = string(analysis.Unmapped)
	case analysis.StatusUnreadable:
		outcomes = []string{fmt.Sprintf("amount %q could not be read", unreadable)}
	}
	text, money, pct := looks.text[look], looks.money[look], looks.percent[look]
	cells = append(cells,
		annotationCell{text: strings.Join(outcomes, "; "), style: text},
		annotationCell{text: strings.Join(themes, "; "), style: text},
		annotationCell{text: mode, style: text},
		annotationCell{number: analysis.FractionString(socialShare), style: pct},
		annotationCell{number: "0", style: money},
		annotationCell{text: m.RuleID(), style: text},
		annotationCell{text: string(m.Status), style: text},
	)
	if m.Status == analysis.StatusUnreadable || m.Status == analysis.StatusIncome {
		cells[3], cells[4] = annotationCell{style: pct}, annotationCell{style: money}
	}
	return cells
}

// excludedCells marks a row that is not a line: a subtotal (with how it
// checked), a heading, a repeated header.
func excludedCells(cells []annotationCell, e ingest.Excluded, looks annotationLooks) []annotationCell {
	style := looks.text["excluded"]
	check := ""
	if e.Reason == ingest.ReasonSubtotal {
		check = subtotalCheck(e)
	}
	cells = append(cells, annotationCell{text: check, style: style})
	for range 5 {
		cells = append(cells, annotationCell{style: style})
	}
	return append(cells, annotationCell{text: "excluded " + e.Reason, style: style})
}

// csvSheetXML writes a CSV input's records as worksheet XML, the amount
// column as numbers, for copySheet to annotate on the way through.
func csvSheetXML(b *ingest.Book, t *ingest.Table, looks annotationLooks) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		amountCol := t.Column(ingest.FieldAmount)
		var buf []byte
		buf = append(buf, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>`...)
		if n := t.LastCol; n > 0 {
			// Columns wide enough to read, as Excel would not guess them.
			buf = fmt.Appendf(buf, `<cols><col min="1" max="%d" width="18" customWidth="1"/></cols>`, n)
		}
		buf = append(buf, `<sheetData>`...)
		err := ingest.EachCSVRecord(b.Path, b.SHA256, b.CSV, func(row int, rec []string) error {
			buf = append(buf, `<row r="`...)
			buf = strconv.AppendInt(buf, int64(row), 10)
			buf = append(buf, `">`...)
			for j, v := range rec {
				if v == "" {
					continue
				}
				c := annotationCell{text: v}
				if j+1 == amountCol && row > t.Source.Row && strings.TrimSpace(v) != "" {
					if p, err := ingest.ParsePence(v); err == nil {
						c = annotationCell{number: numberPence(p), style: looks.amount}
					}
				}
				buf = c.appendXML(buf, "", []byte(ingest.CellRef(j+1, row)), nil)
			}
			buf = append(buf, `</row>`...)
			if len(buf) > 1<<16 {
				if _, err := bw.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
			return nil
		})
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		buf = append(buf, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
		if _, err := bw.Write(buf); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(bw.Flush())
	}()
	return pr
}

// numberPence writes pence as a spreadsheet number, exactly and as short as
// it goes: 123450 → "1234.5", 100 → "1".
func numberPence(p int64) string { return string(appendNumberPence(nil, p)) }

// appendNumberUnits writes pence as a number of pounds, or with thousands
// of thousands of pounds (£000), exactly: 9540000 → "95.4".
func appendNumberUnits(b []byte, p int64, thousands bool) []byte {
	if !thousands {
		return appendNumberPence(b, p)
	}
	u := uint64(p)
	if p < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/100000, 10)
	frac := u % 100000
	if frac == 0 {
		return b
	}
	digits := []byte{'.', 0, 0, 0, 0, 0}
	for i := 5; i >= 1; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(b, bytes.TrimRight(digits, "0")...)
}

// annotationHeader is the heading of added column j: the social amount's
// says when it is in thousands.
func annotationHeader(j int, thousands bool) string {
	if j == 4 && thousands {
		return annotationHeaders[j] + "000"
	}
	return annotationHeaders[j]
}

func appendNumberPence(b []byte, p int64) []byte {
	b = ingest.AppendPence(b, p)
	switch {
	case bytes.HasSuffix(b, []byte(".00")):
		return b[:len(b)-3]
	case b[len(b)-1] == '0':
		return b[:len(b)-1]
	}
	return b
}
