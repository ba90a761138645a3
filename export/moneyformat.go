package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/purpose-hq/purpose/export/ooxml"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// The money the tool adds to a workbook (the Social £ column, and every
// amount on the report sheets) looks like the workbook's own: the number
// format of the budget table's amount cells, where they have one that
// shows money, else £#,##0.00.

// useAmountFormat makes the money format the one the first table (of the
// original workbook at path) with a money format on its amount cells has.
func (s *styles) useAmountFormat(path string, tables []*ingest.Table) {
	for _, t := range tables {
		id, ok := amountStyle(path, t)
		if !ok {
			continue
		}
		st, err := s.f.GetStyle(id)
		if err != nil {
			continue
		}
		switch {
		case st.CustomNumFmt != nil && moneyLike(*st.CustomNumFmt):
			s.moneyID, s.moneyFormat = 0, *st.CustomNumFmt
			return
		case st.CustomNumFmt == nil && builtInMoney[st.NumFmt]:
			s.moneyID = st.NumFmt
			return
		}
	}
}

// builtInMoney are the built-in number formats that show an amount:
// 0, 0.00, #,##0, #,##0.00, the currency formats and the accounting ones.
var builtInMoney = map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true,
	37: true, 38: true, 39: true, 40: true, 41: true, 42: true, 43: true, 44: true}

// moneyLike reports whether a number format's code shows a number as an
// amount: digits, and no percentage, date, time, exponent or text alone.
func moneyLike(code string) bool {
	var bare strings.Builder // the code without quoted text, [colours] and escapes
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is shown, or spaced, or repeated
		default:
			bare.WriteByte(c)
		}
	}
	b := strings.ToLower(bare.String())
	return strings.ContainsAny(b, "0#") && !strings.ContainsAny(b, "%ymdhse@/")
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
