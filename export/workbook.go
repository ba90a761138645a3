package export

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
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
	if err := b.assemble(zw, run.Framework, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
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
	parts, sstPart, sstCount, err := ooxml.WorkbookParts(built, keep, true)
	if err != nil {
		return err
	}
	// The annotation texts go in the shared string table, when the built
	// workbook has one (excelize writes one for the report sheets).
	var strs *ooxml.StringIndex
	if sstPart != "" {
		strs = ooxml.NewStringIndex(sstCount)
	}
	var sstFile *zip.File
	zr, err := ooxml.Open(built)
	if err != nil {
		return err
	}
	defer zr.Close()
	var original *zip.ReadCloser
	if in.Book.CSV == nil {
		if original, err = ooxml.Open(in.Book.Path); err != nil {
			return err
		}
		defer original.Close()
	}
	originalParts := map[string]*zip.File{}
	if original != nil {
		for _, zf := range original.File {
			originalParts[ooxml.PartName(zf.Name)] = zf
		}
	}
	for _, zf := range zr.File {
		if strs != nil && ooxml.PartName(zf.Name) == sstPart {
			sstFile = zf // written last, once the annotations' strings are known
			continue
		}
		sheet, ok := parts[ooxml.PartName(zf.Name)]
		if !ok {
			if err := ooxml.CopyRaw(zw, zf); err != nil {
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
			if err := ooxml.RestoreSheet(zw, zf.Name, of); err != nil {
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
		aw := ooxml.NewAsyncWriter(ow)
		err = ooxml.CopySheet(aw, src, edit)
		src.Close()
		if cerr := aw.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
	}
	if sstFile != nil {
		if err := ooxml.ExtendPart(zw, sstFile, strs); err != nil {
			return err
		}
	}
	return nil
}
