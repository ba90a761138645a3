package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"strconv"

	"github.com/purpose-hq/purpose/export/layout"
	"github.com/purpose-hq/purpose/export/ooxml"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// The money the tool adds to a workbook (the Social £ column, and every
// amount on the report sheets) looks like the workbook's own: the number
// format of the budget table's amount cells, where they have one that
// shows money, else £#,##0.00.

// useAmountFormat makes st's money format the one the first table (of the
// original workbook at path) with a money format on its amount cells has.
func useAmountFormat(st *layout.Styles, path string, tables []*ingest.Table) {
	for _, t := range tables {
		if id, ok := amountStyle(path, t); ok && st.UseMoneyStyle(id) {
			return
		}
	}
}

// maxStyleScan bounds the XML read to find a table's amount style.
const maxStyleScan = 8 << 20

// amountStyle finds the style (an index into cellXfs) of the first amount
// cell of a line of table t that holds a number, reading the sheet's XML
// from its start only as far as that cell.
func amountStyle(path string, t *ingest.Table) (int, bool) {
	col := t.Column(ingest.FieldAmount)
	if col <= 0 || t.Source.Sheet == "" {
		return 0, false
	}
	parts, err := ooxml.WorksheetParts(path)
	if err != nil {
		return 0, false
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, false
	}
	defer zr.Close()
	var zf *zip.File
	for _, f := range zr.File {
		if parts[ooxml.PartName(f.Name)] == t.Source.Sheet {
			zf = f
		}
	}
	if zf == nil {
		return 0, false
	}
	r, err := zf.Open()
	if err != nil {
		return 0, false
	}
	defer r.Close()
	excluded := map[int]bool{}
	for _, e := range t.Excluded {
		excluded[e.Source.Row] = true
	}
	line := func(row int) bool { return row > t.Source.Row && row <= t.LastRow && !excluded[row] }
	return firstNumberStyle(io.LimitReader(r, maxStyleScan), col, line, t.LastRow)
}

// firstNumberStyle scans worksheet XML for the first cell in column col,
// on a row line accepts, that holds a number, and returns its style; it
// stops past lastRow.
func firstNumberStyle(r io.Reader, col int, line func(row int) bool, lastRow int) (int, bool) {
	br := bufio.NewReaderSize(r, 64<<10)
	row, c := 0, 0
	for {
		chunk, err := br.ReadSlice('>')
		if err == bufio.ErrBufferFull {
			continue // text longer than the buffer: no tag ends in it
		}
		if err != nil {
			return 0, false
		}
		i := bytes.LastIndexByte(chunk, '<')
		if i < 0 {
			continue
		}
		tag := chunk[i:]
		closing, name, self := sheetxml.Tag(tag).Closing(), sheetxml.Tag(tag).Name(), sheetxml.Tag(tag).SelfClosing()
		if closing {
			continue
		}
		switch string(name) {
		case "row":
			if v := sheetxml.Tag(tag).Attr("r"); v != nil {
				if n, err := strconv.Atoi(string(v)); err == nil {
					row = n
				} else {
					row++
				}
			} else {
				row++
			}
			if row > lastRow {
				return 0, false
			}
			c = 0
		case "c":
			c++
			if ref := sheetxml.Tag(tag).Attr("r"); ref != nil {
				if n, _, ok := sheetxml.ParseCellRef(ref); ok {
					c = n
				}
			}
			if c != col || self || !line(row) {
				continue
			}
			if typ := sheetxml.Tag(tag).Attr("t"); typ != nil && string(typ) != "n" {
				continue // text, a boolean, an error
			}
			s := 0
			if v := sheetxml.Tag(tag).Attr("s"); v != nil {
				n, err := strconv.Atoi(string(v))
				if err != nil {
					continue
				}
				s = n
			}
			return s, true
		}
	}
}
