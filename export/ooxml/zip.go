// Package ooxml writes the Office Open XML package a workbook is, at the
// level of its bytes: zip entries copied raw or deflated in blocks on every
// core (Open, NewZipWriter, CopyRaw), parts added with their relationships
// and content types (PlanAdded, ExtendPart, WriteContentTypes), the shared
// string table extended with new strings (StringIndex, ExtendSST), core
// properties in Excel's spelling (WriteCoreProps), and a worksheet's XML
// copied with edits, row by row, without being loaded (CopySheet,
// WriteSheet, RestoreSheet; Produce makes a sheet's XML on a goroutine of
// its own). It reads tags and cell references with ingest/sheetxml's
// tokenizer. It knows nothing of budgets: export decides what the cells
// say.
package ooxml

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// NewZipWriter writes a zip whose entries are deflated in blocks, on all
// the machine's cores (see newBlockDeflater).
func NewZipWriter(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return newBlockDeflater(out), nil
	})
	return zw
}

// Open opens a workbook's zip, its entries inflated by sheetxml.Inflater.
func Open(path string) (*zip.ReadCloser, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	zr.RegisterDecompressor(zip.Deflate, sheetxml.Inflater)
	return zr, nil
}

func CopyRaw(zw *zip.Writer, zf *zip.File) error {
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

// PartName normalises a zip entry name as OPC compares them.
func PartName(name string) string {
	return strings.ToLower(strings.TrimLeft(strings.ReplaceAll(name, "\\", "/"), "/"))
}

// ReadSmallPart is a part of at most 1 MiB, nil if there is none.
func ReadSmallPart(zr *zip.Reader, name string) []byte {
	for _, zf := range zr.File {
		if PartName(zf.Name) == name {
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

// WorksheetParts maps a workbook's worksheets' parts to their names.
func WorksheetParts(path string) (map[string]string, error) {
	wb, err := sheetxml.Open(path, sheetxml.Limits{})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	parts := map[string]string{}
	for _, s := range wb.Sheets() {
		if s.Part != "" && (s.Kind == "worksheet" || s.Kind == "") {
			parts[PartName(s.Part)] = s.Name
		}
	}
	return parts, nil
}

// WorkbookParts maps the zip parts of the sheets named in keep to their
// names, and finds the shared string table and (if count) how many strings
// it holds.
func WorkbookParts(path string, keep map[string]bool, count bool) (parts map[string]string, sst string, strings int, err error) {
	wb, err := sheetxml.Open(path, sheetxml.Limits{})
	if err != nil {
		return nil, "", 0, err
	}
	defer wb.Close()
	parts = map[string]string{}
	for _, s := range wb.Sheets() {
		if keep[s.Name] && s.Part != "" {
			parts[PartName(s.Part)] = s.Name
		}
	}
	if !count {
		return parts, PartName(wb.SharedStringsPart()), 0, nil
	}
	sst, strings, err = wb.SharedStrings()
	return parts, PartName(sst), strings, err
}

// Strict reports whether a workbook is saved in Strict Open XML.
func Strict(path string) bool {
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
	b := ReadSmallPart(&zr.Reader, PartName(part))
	if i := bytes.Index(b, []byte("<sheets")); i >= 0 {
		b = b[:i]
	}
	return bytes.Contains(b, []byte(`conformance="strict"`)) || bytes.Contains(b, []byte("http://purl.oclc.org/ooxml/spreadsheetml/main"))
}
