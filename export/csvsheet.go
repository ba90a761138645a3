package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
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
	amountCol := t.Column(ingest.FieldAmount)
	number := func(col, row int, v string) (annotationCell, bool) {
		if col == amountCol && row > t.Source.Row {
			if p, err := ingest.ParsePence(v); err == nil {
				return annotationCell{number: numberPence(p), style: looks.amount}, true
			}
		}
		return annotationCell{}, false
	}
	return ooxml.Produce(func(w io.Writer) error { return writeCSVSheet(w, b, t.LastCol, number) })
}

// csvStaffSheetXML is a CSV staffing file's records as worksheet XML, its
// FTE and money columns as numbers.
func csvStaffSheetXML(b *ingest.Book, t *ingest.StaffTable, looks annotationLooks) io.ReadCloser {
	money := map[int]bool{t.Column(ingest.StaffSalary): true, t.Column(ingest.StaffPay): true, t.Column(ingest.StaffCost): true}
	fte := t.Column(ingest.StaffFTE)
	number := func(col, row int, v string) (annotationCell, bool) {
		if row <= t.Source.Row || col == 0 {
			return annotationCell{}, false
		}
		if money[col] {
			if p, err := ingest.ParsePence(v); err == nil {
				return annotationCell{number: numberPence(p), style: looks.amount}, true
			}
		}
		if col == fte {
			if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
				return annotationCell{number: strconv.FormatFloat(x, 'f', -1, 64)}, true
			}
		}
		return annotationCell{}, false
	}
	lastCol := 0
	for c := range t.HeaderTexts {
		lastCol = max(lastCol, c)
	}
	return ooxml.Produce(func(w io.Writer) error { return writeCSVSheet(w, b, lastCol, number) })
}

// writeCSVSheet writes a CSV input's records as worksheet XML: text, but
// for the cells number makes numbers.
func writeCSVSheet(w io.Writer, b *ingest.Book, lastCol int, number func(col, row int, v string) (annotationCell, bool)) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf []byte
	buf = append(buf, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>`...)
	if n := lastCol; n > 0 {
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
			c, ok := number(j+1, row, v)
			if !ok {
				c = annotationCell{text: v}
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
