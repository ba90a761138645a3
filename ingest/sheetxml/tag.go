package sheetxml

import (
	"bytes"
	"strings"
)

// This file serves code that copies or edits XML as bytes, a tag at a
// time, rather than reading it as rows (the annotated copy of a sheet,
// the shared string table extended): tags, attributes and cell references
// by the rules the scanner reads them by, with the scanner's own code.

// A Tag is one whole tag as it stands in the XML: `<x:row r="5">`,
// `</row>`, `<c r="A1"/>`.
type Tag []byte

// Closing reports whether the tag is an end tag (`</row>`).
func (t Tag) Closing() bool { return len(t) > 1 && t[1] == '/' }

// SelfClosing reports whether the tag closes itself (`<c/>`).
func (t Tag) SelfClosing() bool { return len(t) >= 2 && t[len(t)-2] == '/' }

// qname is the tag's name as written, prefix and all.
func (t Tag) qname() []byte {
	b := t[1:]
	if len(b) > 0 && b[0] == '/' {
		b = b[1:]
	}
	end := 0
	for end < len(b) && !isNameEnd(b[end]) {
		end++
	}
	return b[:end]
}

// Name is the tag's local name: "row" for `<x:row>`.
func (t Tag) Name() []byte {
	q := t.qname()
	return q[bytes.IndexByte(q, ':')+1:]
}

// Prefix is the tag's namespace prefix with its colon ("x:"), or "".
func (t Tag) Prefix() string {
	q := t.qname()
	return string(q[:bytes.IndexByte(q, ':')+1])
}

// attrs appends the start tag's attributes to buf, as the scanner reads
// them; none for an end tag or one that is not well formed.
func (t Tag) attrs(buf []attrSpan) []attrSpan {
	if t.Closing() || len(t) < 2 {
		return buf
	}
	attrs, _, _, _, msg := scanAttrs(t, 1+len(t.qname()), 0, buf)
	if msg != "" {
		return buf[:0]
	}
	return attrs
}

// Attr returns the raw (still escaped) value of the attribute with local
// name name, or nil if the tag has none.
func (t Tag) Attr(name string) []byte {
	var buf [16]attrSpan
	for _, a := range t.attrs(buf[:0]) {
		if string(t[a.n0:a.n1]) == name {
			return t[a.v0:a.v1]
		}
	}
	return nil
}

// SetAttr returns a copy of the tag with the attribute set to value, or
// removed when value is "": added at the end if it was not there.
func (t Tag) SetAttr(name, value string) Tag {
	out := make(Tag, 0, len(t)+len(name)+len(value)+4)
	var buf [16]attrSpan
	for _, a := range t.attrs(buf[:0]) {
		if string(t[a.n0:a.n1]) != name {
			continue
		}
		start := a.n0 // back over a prefix and the space before it
		for start > 0 && !isSpace(t[start-1]) {
			start--
		}
		if start > 0 {
			start--
		}
		out = append(out, t[:start]...)
		if value != "" {
			out = appendAttr(out, name, value)
		}
		return append(out, t[a.v1+1:]...)
	}
	if value == "" {
		return t
	}
	cut := len(t) - 1 // before ">" or "/>"
	if t.SelfClosing() {
		cut--
	}
	out = append(out, t[:cut]...)
	out = appendAttr(out, name, value)
	return append(out, t[cut:]...)
}

// appendAttr appends ` name="value"`.
func appendAttr(b []byte, name, value string) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, '=', '"')
	b = append(b, value...)
	return append(b, '"')
}

// ParseCellRef reads a cell reference such as "B7" or "$AB$12" (letters in
// either case): its column and row, both 1-based; ok is false for anything
// else, or a column or row past the sheet's edge.
func ParseCellRef(ref []byte) (col, row int, ok bool) {
	i := 0
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	letters := 0
	for i < len(ref) {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		letters++
		if letters > 3 {
			return 0, 0, false
		}
		i++
	}
	if letters == 0 || col > MaxColumns {
		return 0, 0, false
	}
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	row, ok = parseUint(ref[i:])
	if !ok || row < 1 || row > MaxRows {
		return 0, 0, false
	}
	return col, row, true
}

// RangeEnd is the bottom right of a range such as a <dimension ref>:
// "A1:I100" gives 9, 100; a single cell, itself; 0, 0 if it cannot be
// read.
func RangeEnd(ref string) (col, row int) {
	ref = ref[strings.LastIndexByte(ref, ':')+1:]
	col, row, _ = ParseCellRef([]byte(ref))
	return col, row
}
