package export

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/purpose-hq/purpose/export/ooxml"
	"github.com/purpose-hq/purpose/ingest"
)

// csvSheetXML is a CSV input's records as worksheet XML, the amount
// column as numbers, for ooxml.CopySheet to annotate on the way through;
// it is written as it is read (ooxml.Produce).
func csvSheetXML(b *ingest.Book, t *ingest.Table, looks annotationLooks) io.ReadCloser {
	return ooxml.Produce(func(w io.Writer) error { return writeCSVSheet(w, b, t, looks) })
}

// writeCSVSheet writes a CSV input's records as worksheet XML.
func writeCSVSheet(w io.Writer, b *ingest.Book, t *ingest.Table, looks annotationLooks) error {
	bw := bufio.NewWriterSize(w, 1<<20)
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
		return err
	}
	buf = append(buf, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// csvSheetName names the sheet a CSV input becomes: its file name.
func csvSheetName(b *ingest.Book) string {
	return sanitiseSheetName(strings.TrimSuffix(filepath.Base(b.Path), filepath.Ext(b.Path)))
}

// sanitiseSheetName makes a valid, short sheet name from a file name.
func sanitiseSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Budget"
	}
	return s
}
