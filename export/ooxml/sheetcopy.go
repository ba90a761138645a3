package ooxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// SheetEdit says how CopySheet changes a worksheet's XML on its way
// through. Everything not named here is copied byte for byte.
type SheetEdit struct {
	Dimension string // the <dimension ref> to write ("" keeps it)
	// DimensionFunc, if set, is given the sheet's own <dimension ref> and
	// returns the one to write instead of Dimension.
	DimensionFunc func(ref string) string
	Unselect      bool       // drop tabSelected from the sheet's views
	Cols          []ColWidth // <col> widths to add, unless a <col> already covers them
	// Drop, if set, says which of a row's own cells go, in the rows
	// AddCells adds to (an earlier run's annotations, in the columns the
	// new ones take); what is left and the added cells are then merged in
	// column order, so added cells may fall between the row's own (columns
	// an adviser put beside or between purpose's). Unset, added cells go
	// after the row's own.
	Drop func(row, col int) bool
	// Validations are <dataValidation> elements to add, without the
	// namespace prefix; each must carry promptTitle="purpose", by which
	// those of an earlier run are known and dropped.
	Validations []byte
	// AddCells appends the XML of the cells to add to a row (none, for most
	// rows outside a table), their element names with the sheet's namespace
	// prefix ("x:" or ""), and returns the extended buffer. Unset, no cells
	// are added (a table with no room beside it for the added columns).
	AddCells func(row int, prefix string, buf []byte) []byte
}

type ColWidth struct {
	Min, Max int
	Width    float64
}

// CopySheet streams a worksheet part from r to w with the edits applied. It
// reads the XML with a byte scanner, holding one row at a time, so its memory
// does not grow with the sheet. Text content never holds a raw '<' (XML
// escapes it), which is what lets it find rows without parsing cells.
func CopySheet(w io.Writer, r io.Reader, e SheetEdit) error {
	c := &copier{src: r, w: w, e: e, buf: make([]byte, 0, 1<<20)}
	return c.run()
}

// WriteSheet writes a worksheet part into zw, deflated, dated modified: src's XML copied
// through CopySheet with edit, and closed. With src read ahead
// (sheetxml.ReadAhead) and zw deflating in blocks (NewZipWriter),
// inflating, copying and deflating use the machine's cores.
func WriteSheet(zw *zip.Writer, name string, modified time.Time, src io.ReadCloser, edit SheetEdit) error {
	defer src.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return err
	}
	return CopySheet(w, src, edit)
}

type copier struct {
	src      io.Reader
	w        io.Writer
	e        SheetEdit
	buf      []byte // unread input is buf[pos:]
	pos      int
	eof      bool
	out      []byte // pending output, flushed in large writes
	row      int    // the last row number seen
	cols     [][2]int
	colsOut  bool // our <col> elements are written (or not needed)
	scratch  []byte
	merged   []byte
	cells    [2][]rowCell // mergeCells's, kept from row to row
	startTag []byte
	// closeTag is "</row>" with closePrefix, the sheet's namespace prefix.
	closeTag    []byte
	closePrefix string
	// validationsOut is set once the edit's validations are written;
	// dropping is set inside an earlier run's <dataValidation>.
	validationsOut, dropping bool
}

var errTruncated = errors.New("the sheet's XML ends early")

// more reads more input, keeping buf[pos:]. It returns false at the end.
func (c *copier) more() (bool, error) {
	if c.eof {
		return false, nil
	}
	if c.pos > 0 {
		n := copy(c.buf, c.buf[c.pos:])
		c.buf = c.buf[:n]
		c.pos = 0
	}
	if len(c.buf) == cap(c.buf) {
		c.buf = append(c.buf, make([]byte, cap(c.buf))...)[:len(c.buf)]
	}
	n, err := c.src.Read(c.buf[len(c.buf):cap(c.buf)])
	c.buf = c.buf[:len(c.buf)+n]
	if err == io.EOF {
		c.eof = true
		return n > 0, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

func (c *copier) emit(b []byte) error {
	c.out = append(c.out, b...)
	if len(c.out) >= 1<<20 {
		return c.flush()
	}
	return nil
}

func (c *copier) flush() error {
	if len(c.out) == 0 {
		return nil
	}
	_, err := c.w.Write(c.out)
	c.out = c.out[:0]
	return err
}

// index finds b in the input at or after the read position, reading more
// as needed; the index is relative to c.pos.
func (c *copier) index(b []byte, from int) (int, error) { return c.search(b, from, bytes.Index) }

// indexTag is index for a tag, such as "</row>", whose last letter but
// one is rare in a sheet's XML (see indexRare).
func (c *copier) indexTag(tag []byte, from int) (int, error) { return c.search(tag, from, indexRare) }

func (c *copier) search(b []byte, from int, find func(s, sep []byte) int) (int, error) {
	for {
		if i := find(c.buf[c.pos+from:], b); i >= 0 {
			return from + i, nil
		}
		from = max(0, len(c.buf)-c.pos-len(b)+1)
		ok, err := c.more()
		if err != nil {
			return -1, err
		}
		if !ok {
			return -1, nil
		}
	}
}

// indexRare is bytes.Index for a tag whose last letter but one is rare (the
// 'w' of "</row>"): it looks for that byte, many times faster than looking
// for the whole tag when '<' is everywhere.
func indexRare(s, tag []byte) int {
	k := len(tag) - 2
	for i := k; i < len(s); {
		j := bytes.IndexByte(s[i:], tag[k])
		if j < 0 {
			return -1
		}
		i += j
		if start := i - k; start+len(tag) <= len(s) && bytes.Equal(s[start:start+len(tag)], tag) {
			return start
		}
		i++
	}
	return -1
}

// tagEnd finds the '>' closing the tag that starts at c.pos, outside
// quoted attribute values.
func (c *copier) tagEnd() (int, error) {
	i := 1
	var quote byte
	for {
		for ; c.pos+i < len(c.buf); i++ {
			ch := c.buf[c.pos+i]
			switch {
			case quote != 0:
				if ch == quote {
					quote = 0
				}
			case ch == '"' || ch == '\'':
				quote = ch
			case ch == '>':
				return i, nil
			}
		}
		ok, err := c.more()
		if err != nil {
			return -1, err
		}
		if !ok {
			return -1, errTruncated
		}
	}
}

func (c *copier) run() error {
	inSheetData := false
	for {
		// Text between tags (whitespace between rows, however long) is
		// copied as it comes, so the buffer never holds more than a tag.
		i := bytes.IndexByte(c.buf[c.pos:], '<')
		if i < 0 {
			if err := c.emit(c.buf[c.pos:]); err != nil {
				return err
			}
			c.pos = len(c.buf)
			ok, err := c.more()
			if err != nil {
				return err
			}
			if !ok {
				return c.flush()
			}
			continue
		}
		if !c.dropping {
			if err := c.emit(c.buf[c.pos : c.pos+i]); err != nil {
				return err
			}
		}
		c.pos += i
		// Comments, CDATA and processing instructions are copied whole.
		if ok, err := c.copySpecial(); ok || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		end, err := c.tagEnd()
		if err != nil {
			return err
		}
		tag := c.buf[c.pos : c.pos+end+1]
		closing, name, selfClosing := sheetxml.Tag(tag).Closing(), sheetxml.Tag(tag).Name(), sheetxml.Tag(tag).SelfClosing()
		if len(c.e.Validations) > 0 && !inSheetData {
			if skip, err := c.validations(tag, closing, selfClosing, name); skip || err != nil {
				c.pos += end + 1
				if err != nil {
					return err
				}
				continue
			}
		}
		switch {
		case inSheetData && !closing && bytes.Equal(name, []byte("row")):
			if err := c.copyRow(end, selfClosing); err != nil {
				return err
			}
			continue
		case !closing && bytes.Equal(name, []byte("dimension")) && c.e.DimensionFunc != nil:
			tag = sheetxml.Tag(tag).SetAttr("ref", c.e.DimensionFunc(string(sheetxml.Tag(tag).Attr("ref"))))
		case !closing && bytes.Equal(name, []byte("dimension")) && c.e.Dimension != "":
			tag = sheetxml.Tag(tag).SetAttr("ref", c.e.Dimension)
		case !closing && bytes.Equal(name, []byte("sheetView")) && c.e.Unselect:
			tag = sheetxml.Tag(tag).SetAttr("tabSelected", "")
		case !closing && bytes.Equal(name, []byte("col")):
			lo, _ := strconv.Atoi(string(sheetxml.Tag(tag).Attr("min")))
			hi, _ := strconv.Atoi(string(sheetxml.Tag(tag).Attr("max")))
			c.cols = append(c.cols, [2]int{lo, hi})
		case closing && bytes.Equal(name, []byte("cols")):
			if err := c.emit(c.colElements(sheetxml.Tag(tag).Prefix())); err != nil {
				return err
			}
			c.colsOut = true
		case !closing && bytes.Equal(name, []byte("sheetData")):
			if !c.colsOut {
				if cols := c.colElements(sheetxml.Tag(tag).Prefix()); len(cols) > 0 {
					p := sheetxml.Tag(tag).Prefix()
					if err := c.emit([]byte("<" + p + "cols>" + string(cols) + "</" + p + "cols>")); err != nil {
						return err
					}
				}
				c.colsOut = true
			}
			inSheetData = !selfClosing
		case closing && bytes.Equal(name, []byte("sheetData")):
			inSheetData = false
		}
		if err := c.emit(tag); err != nil {
			return err
		}
		c.pos += end + 1
	}
}

// afterValidations are the worksheet's elements that come after
// <dataValidations>, in the order the schema gives them.
var afterValidations = []string{"hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
	"customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF",
	"picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"}

// validations puts the edit's data validations in: inside the sheet's
// own <dataValidations>, an earlier run's dropped, or as a new element
// where the schema wants it. It reports whether the tag was dealt with
// (written or dropped).
func (c *copier) validations(tag []byte, closing, selfClosing bool, name []byte) (bool, error) {
	prefix := string(sheetxml.Tag(tag).Prefix())
	ours := func() []byte {
		return bytes.ReplaceAll(bytes.ReplaceAll(c.e.Validations, []byte("<dataValidation "), []byte("<"+prefix+"dataValidation ")),
			[]byte("</dataValidation>"), []byte("</"+prefix+"dataValidation>"))
	}
	switch {
	case c.dropping:
		if closing && bytes.Equal(name, []byte("dataValidation")) {
			c.dropping = false
		}
		return true, nil
	case !closing && bytes.Equal(name, []byte("dataValidations")) && !c.validationsOut:
		c.validationsOut = true
		start := sheetxml.Tag(tag).SetAttr("count", "")
		if selfClosing {
			start = append(bytes.TrimSuffix(bytes.TrimSuffix(bytes.TrimSuffix(start, []byte(">")), []byte("/")), []byte(" ")), '>')
			return true, c.emit(slices.Concat(start, ours(), []byte("</"+prefix+"dataValidations>")))
		}
		return true, c.emit(slices.Concat(start, ours()))
	case !closing && bytes.Equal(name, []byte("dataValidation")) && string(sheetxml.Tag(tag).Attr("promptTitle")) == "purpose":
		c.dropping = !selfClosing // an earlier run's
		return true, nil
	case c.validationsOut:
		return false, nil
	case !closing && slices.Contains(afterValidations, string(name)), closing && bytes.Equal(name, []byte("worksheet")):
		c.validationsOut = true
		return false, c.emit(slices.Concat([]byte("<"+prefix+"dataValidations>"), ours(), []byte("</"+prefix+"dataValidations>")))
	}
	return false, nil
}

// copySpecial copies a comment, CDATA section or processing instruction
// starting at c.pos, reporting whether there was one.
func (c *copier) copySpecial() (bool, error) {
	for len(c.buf)-c.pos < 9 {
		ok, err := c.more()
		if err != nil {
			return false, err
		}
		if !ok {
			break
		}
	}
	rest := c.buf[c.pos:]
	var term []byte
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		term = []byte("-->")
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		term = []byte("]]>")
	case bytes.HasPrefix(rest, []byte("<?")):
		term = []byte("?>")
	default:
		return false, nil
	}
	i, err := c.index(term, 2)
	if err != nil {
		return true, err
	}
	if i < 0 {
		return true, errTruncated
	}
	n := i + len(term)
	err = c.emit(c.buf[c.pos : c.pos+n])
	c.pos += n
	return true, err
}

// colElements are the <col> elements for the added columns that no
// existing <col> covers.
func (c *copier) colElements(prefix string) []byte {
	var b []byte
	for _, w := range c.e.Cols {
		covered := false
		for _, have := range c.cols {
			if have[0] <= w.Max && w.Min <= have[1] {
				covered = true
			}
		}
		if covered {
			continue
		}
		b = fmt.Appendf(b, `<%scol min="%d" max="%d" width="%s" customWidth="1"/>`, prefix, w.Min, w.Max, strconv.FormatFloat(w.Width, 'f', -1, 64))
	}
	return b
}

// copyRow copies one <row> element whose start tag ends at c.pos+end,
// dropping and adding cells as the edit says.
func (c *copier) copyRow(end int, selfClosing bool) error {
	// A copy: reading on may move the buffer under a slice of it.
	c.startTag = append(c.startTag[:0], c.buf[c.pos:c.pos+end+1]...)
	start := c.startTag
	if r := sheetxml.Tag(start).Attr("r"); r != nil {
		if n, err := strconv.Atoi(string(r)); err == nil {
			c.row = n
		} else {
			c.row++
		}
	} else {
		c.row++
	}
	prefix := sheetxml.Tag(start).Prefix()
	add := c.scratch[:0]
	if c.e.AddCells != nil {
		add = c.e.AddCells(c.row, prefix, add)
	}
	c.scratch = add[:0]
	if selfClosing {
		if len(add) == 0 {
			err := c.emit(start)
			c.pos += end + 1
			return err
		}
		open := append(bytes.TrimSuffix(bytes.TrimSuffix(start[:len(start)-1], []byte("/")), []byte(" ")), '>')
		if err := c.emit(sheetxml.Tag(open).SetAttr("spans", "")); err != nil {
			return err
		}
		c.pos += end + 1
		if err := c.emit(add); err != nil {
			return err
		}
		return c.emit([]byte("</" + prefix + "row>"))
	}
	if c.closePrefix != prefix || c.closeTag == nil {
		c.closePrefix, c.closeTag = prefix, []byte("</"+prefix+"row>")
	}
	closeTag := c.closeTag
	i, err := c.indexTag(closeTag, end+1)
	if err != nil {
		return err
	}
	if i < 0 {
		return errTruncated
	}
	if len(add) == 0 {
		err := c.emit(c.buf[c.pos : c.pos+i+len(closeTag)])
		c.pos += i + len(closeTag)
		return err
	}
	// The row changes: its spans hint would be wrong, so it goes (looked
	// for first: most rows have none, and a copy a row costs).
	if sheetxml.Tag(start).Attr("spans") != nil {
		start = sheetxml.Tag(start).SetAttr("spans", "")
	}
	if err := c.emit(start); err != nil {
		return err
	}
	body := c.buf[c.pos+end+1 : c.pos+i]
	if c.e.Drop != nil {
		c.merged = mergeCells(c.merged[:0], body, add, func(col int) bool { return c.e.Drop(c.row, col) }, &c.cells)
		body, add = c.merged, nil
	}
	if err := c.emit(body); err != nil {
		return err
	}
	if err := c.emit(add); err != nil {
		return err
	}
	if err := c.emit(closeTag); err != nil {
		return err
	}
	c.pos += i + len(closeTag)
	return nil
}

// rowCell is one <c> element of a row's content (or what lies between
// cells: col 0), as bytes.
type rowCell struct {
	col int
	xml []byte
}

// splitCells cuts a row's content into its <c> elements, each with its
// column (from its reference, or the one after the cell before), and what
// lies between them.
func splitCells(out []rowCell, body []byte) []rowCell {
	var endTag []byte // "</c>", with the sheet's namespace prefix
	endPrefix := ""
	col := 0
	for len(body) > 0 {
		i := bytes.IndexByte(body, '<')
		if i < 0 {
			return append(out, rowCell{xml: body})
		}
		if i > 0 {
			out = append(out, rowCell{xml: body[:i]})
			body = body[i:]
		}
		j := bytes.IndexByte(body, '>')
		if j < 0 {
			return append(out, rowCell{xml: body})
		}
		tag := body[:j+1]
		closing, name, self := sheetxml.Tag(tag).Closing(), sheetxml.Tag(tag).Name(), sheetxml.Tag(tag).SelfClosing()
		if closing || !bytes.Equal(name, []byte("c")) {
			out = append(out, rowCell{xml: tag})
			body = body[j+1:]
			continue
		}
		col++
		if ref := sheetxml.Tag(tag).Attr("r"); ref != nil {
			if n, _, ok := sheetxml.ParseCellRef(ref); ok {
				col = n
			}
		}
		n := j + 1
		if !self {
			if p := sheetxml.Tag(tag).Prefix(); endTag == nil || p != endPrefix {
				endPrefix, endTag = p, []byte("</"+p+"c>")
			}
			k := bytes.Index(body, endTag)
			if k < 0 {
				return append(out, rowCell{xml: body})
			}
			n = k + len(endTag)
		}
		out = append(out, rowCell{col: col, xml: body[:n]})
		body = body[n:]
	}
	return out
}

// mergeCells writes a row's own cells but those drop names, and the added
// ones (in any order), in column order; an added cell replaces a cell of
// the row in its column.
// cells are two buffers kept from row to row.
func mergeCells(out, body, add []byte, drop func(col int) bool, cells *[2][]rowCell) []byte {
	own := splitCells(cells[0][:0], body)
	added := slices.DeleteFunc(splitCells(cells[1][:0], add), func(a rowCell) bool { return a.col == 0 })
	cells[0], cells[1] = own, added
	slices.SortStableFunc(added, func(a, b rowCell) int { return a.col - b.col })
	k := 0
	for _, c := range own {
		if c.col == 0 {
			out = append(out, c.xml...)
			continue
		}
		if drop(c.col) {
			continue
		}
		// added is sorted: a look-up, not a scan, for each of a row's cells.
		if _, replaced := slices.BinarySearchFunc(added, c.col, func(a rowCell, col int) int { return a.col - col }); replaced {
			continue
		}
		for ; k < len(added) && added[k].col < c.col; k++ {
			out = append(out, added[k].xml...)
		}
		out = append(out, c.xml...)
	}
	for ; k < len(added); k++ {
		out = append(out, added[k].xml...)
	}
	return out
}

// RestoreSheet puts an original sheet back under the name the built
// workbook gave it: its compressed bytes as they are, unless its view is
// marked selected, which beside the selected Summary would open the two as a
// group; then it is streamed through CopySheet to drop the mark.
func RestoreSheet(zw *zip.Writer, name string, of *zip.File) error {
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
	return CopySheet(w, r, SheetEdit{Unselect: true, AddCells: func(_ int, _ string, b []byte) []byte { return b }})
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
