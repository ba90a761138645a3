package export

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/samber/lo"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/layout"
	"github.com/purpose-hq/purpose/export/ooxml"
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
//     budget sheets, which stream from the original through ooxml.CopySheet,
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
	zw := ooxml.NewZipWriter(bw)
	if err := b.assemble(zw, in.Framework(run), in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteAnnotatedStaffing writes a --staffing workbook's annotated copy to
// w: its sheets as they were, columns added beside each staffing table,
// and a Staff summary sheet (the people view and the pay reconciliation).
func WriteAnnotatedStaffing(w io.Writer, dir string, run *Run, sb *ingest.StaffBook) error {
	var s *Staffing
	for _, x := range run.Staffing {
		if slices.Contains(x.Books, sb) {
			s = x
		}
	}
	in := Input{Book: &ingest.Book{Path: sb.Path, Format: sb.Format, SHA256: sb.SHA256, CSV: sb.CSV}, Staff: s, staffOnly: true}
	return WriteAnnotated(w, dir, run, in)
}

// built is an input's workbook but for its budget sheets: the shell with
// the report sheets excelize added, and what assembly needs to put the
// budget sheets in.
type built struct {
	tmp, path string
	looks     annotationLooks
	sheetName func(*ingest.Table) string
	stubbed   map[string]string // sheet name → original part
	// lists is the range the Outcome override drop-downs take their
	// outcomes from (see addListsSheet).
	lists string
}

func (b *built) close() { os.RemoveAll(b.tmp) }

func (b *built) assemble(zw *zip.Writer, fw *analysis.Framework, in Input) error {
	return assemble(zw, b.path, fw, in, b.looks, b.sheetName, b.stubbed, b.lists)
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
	if !layout.Usable(f) {
		return nil, fmt.Errorf("%s: its styles (xl/styles.xml) are missing or damaged, so nothing can be added to it; open it in Excel, save it, and run again", in.Book.Path)
	}
	st := layout.NewStyles(f)
	if in.Book.CSV == nil {
		useAmountFormat(st, in.Book.Path, in.Book.Tables)
	}
	if b.looks, err = annotationStyles(st, in.Book.CSV != nil); err != nil {
		return nil, err
	}
	b.sheetName = func(t *ingest.Table) string { return t.Source.Sheet }
	if in.Book.CSV != nil {
		name := csvSheetName(in.Book)
		b.sheetName = func(*ingest.Table) string { return name }
	}
	if err := dropReportSheets(f); err != nil { // replaced, not added to
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if in.staffOnly {
		err = addStaffReport(f, st, run, in.Staff)
	} else {
		err = addReportSheets(f, st, run, in, b.sheetName)
	}
	if err == nil {
		b.lists, err = addListsSheet(f, in.Framework(run))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := st.Finish(); err != nil {
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

// Annotatable refuses a workbook that cannot be annotated: one saved in
// Strict Open XML, whose parts excelize writes back half in the ordinary
// vocabulary, so that the copy would lose its sheets.
func Annotatable(b *ingest.Book) error {
	if b.CSV == nil && ooxml.Strict(b.Path) {
		return fmt.Errorf("%s: is saved as a Strict Open XML Spreadsheet, which cannot be annotated; save it from Excel as an Excel Workbook (.xlsx) and run again", b.Path)
	}
	return nil
}

// assemble writes the final workbook: the built shell's parts as they are,
// the budget sheets streamed from the original (or made from the CSV) with
// their annotations.
// originalOf names the sheets the shell stubbed, with their original parts:
// only those are put back (an earlier run's report sheets were not stubbed,
// and the built workbook has new ones by those names).
func assemble(zw *zip.Writer, built string, fw *analysis.Framework, in Input, looks annotationLooks, sheetName func(*ingest.Table) string, originalOf map[string]string, lists string) error {
	a := &assembly{zw: zw, fw: fw, in: in, looks: looks, originalOf: originalOf, lists: lists, tables: map[string]*ingest.Table{}, staff: staffSheetsOf(in.Staff, in.Book)}
	keep := map[string]bool{}
	if in.Book.CSV != nil {
		for name := range a.staff {
			keep[name] = true // a CSV staffing file's one sheet
		}
	}
	for _, t := range in.Book.Tables {
		a.tables[sheetName(t)] = t
		keep[sheetName(t)] = true
	}
	for name := range originalOf {
		keep[name] = true
	}
	parts, sstPart, sstCount, err := ooxml.WorkbookParts(built, keep, true)
	if err != nil {
		return err
	}
	// The annotation texts go in the shared string table, when the built
	// workbook has one (excelize writes one for the report sheets).
	if sstPart != "" {
		a.strs = ooxml.NewStringIndex(sstCount)
	}
	zr, err := ooxml.Open(built)
	if err != nil {
		return err
	}
	defer zr.Close()
	if in.Book.CSV == nil {
		original, err := ooxml.Open(in.Book.Path)
		if err != nil {
			return err
		}
		defer original.Close()
		a.original = lo.KeyBy(original.File, func(zf *zip.File) string { return ooxml.PartName(zf.Name) })
	}
	var sstFile *zip.File
	for _, zf := range zr.File {
		sheet, isSheet := parts[ooxml.PartName(zf.Name)]
		switch {
		case a.strs != nil && ooxml.PartName(zf.Name) == sstPart:
			sstFile = zf // written last, once the annotations' strings are known
		case ooxml.PartName(zf.Name) == "[content_types].xml":
			err = ooxml.WriteContentTypes(zw, zf, lo.Map(zr.File, func(f *zip.File, _ int) string { return f.Name }))
		case !isSheet:
			err = ooxml.CopyRaw(zw, zf)
		default:
			err = a.sheet(zf, sheet)
		}
		if err != nil {
			return err
		}
	}
	if sstFile != nil {
		return ooxml.ExtendPart(zw, sstFile, a.strs)
	}
	return nil
}

// assembly is what assemble needs for each sheet.
type assembly struct {
	zw         *zip.Writer
	fw         *analysis.Framework
	in         Input
	looks      annotationLooks
	strs       *ooxml.StringIndex
	tables     map[string]*ingest.Table // by sheet name
	originalOf map[string]string        // sheet name → its part in the original
	original   map[string]*zip.File     // the original's parts, by name
	staff      map[string]staffSheet    // staffing tables, by sheet name
	lists      string                   // the Outcome override drop-downs' range
}

// sheet writes a worksheet part of the built workbook: a budget sheet
// annotated, any other as it was in the original.
func (a *assembly) sheet(zf *zip.File, sheet string) error {
	t := a.tables[sheet]
	of, ok := a.original[a.originalOf[sheet]]
	sh, isStaff := a.staff[sheet]
	if !ok && a.in.Book.CSV == nil || !ok && t == nil && !isStaff {
		return fmt.Errorf("sheet %q: its part is not in the original", sheet)
	}
	var err error
	switch {
	case t == nil && isStaff && a.in.Book.CSV != nil:
		err = ooxml.WriteSheet(a.zw, zf.Name, zf.Modified, csvStaffSheetXML(a.in.Book, sh.t, a.looks), staffEdit(a.fw, sh, a.lists, a.looks, a.strs))
	case t == nil && isStaff && ok:
		var rc io.ReadCloser
		if rc, err = of.Open(); err == nil {
			err = ooxml.WriteSheet(a.zw, zf.Name, zf.Modified, sheetxml.ReadAhead(rc, rc.Close), staffEdit(a.fw, sh, a.lists, a.looks, a.strs))
		}
	case t == nil:
		err = ooxml.RestoreSheet(a.zw, zf.Name, of)
	case a.in.Book.CSV != nil:
		err = ooxml.WriteSheet(a.zw, zf.Name, zf.Modified, csvSheetXML(a.in.Book, t, a.looks), annotationEdit(a.fw, t, a.in.marks[t], a.in.unreadable[t], a.in.moved[t], a.lists, a.looks, a.strs))
	default:
		top := t
		if isStaff {
			// The budget's rows end where the posts' begin: its checks on
			// the override columns must not reach theirs.
			c := *t
			c.LastRow = min(c.LastRow, sh.t.Source.Row-1)
			top = &c
		}
		edit := annotationEdit(a.fw, top, a.in.marks[t], a.in.unreadable[t], a.in.moved[t], a.lists, a.looks, a.strs)
		if isStaff {
			// Posts below the budget on its own sheet.
			edit = stackEdits(edit, staffEdit(a.fw, sh, a.lists, a.looks, a.strs), sh.t.Source.Row)
		}
		var rc io.ReadCloser
		if rc, err = of.Open(); err == nil {
			// Inflated on a goroutine of its own, a few chunks ahead.
			err = ooxml.WriteSheet(a.zw, zf.Name, zf.Modified, sheetxml.ReadAhead(rc, rc.Close), edit)
		}
	}
	if err != nil {
		return fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return nil
}
