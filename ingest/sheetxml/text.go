package sheetxml

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// appendUnescaped appends raw character data to dst, decoding the five
// predefined entities and numeric character references, and normalising
// "\r\n" and a lone "\r" to "\n" as an XML processor must (encoding/xml,
// and so excelize, does the same).
func appendUnescaped(dst, b []byte) ([]byte, error) {
	for len(b) > 0 {
		i := indexAmpCR(b)
		if i < 0 {
			return append(dst, b...), nil
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		if b[0] == '\r' {
			dst = append(dst, '\n')
			if len(b) > 1 && b[1] == '\n' {
				b = b[2:]
			} else {
				b = b[1:]
			}
			continue
		}
		// b[0] == '&'
		end := bytes.IndexByte(b, ';')
		if end < 0 || end > 40 {
			return dst, errors.New("invalid character entity (no semicolon)")
		}
		ent := b[1:end]
		b = b[end+1:]
		switch string(ent) {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				return dst, fmt.Errorf("invalid character entity &%s;", ent)
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, nil
}

func indexAmpCR(b []byte) int {
	i := bytes.IndexByte(b, '&')
	if j := bytes.IndexByte(b, '\r'); j >= 0 && (i < 0 || j < i) {
		return j
	}
	return i
}

// charRef decodes the body of a numeric character reference ("#10",
// "#x263A"). Surrogate code points decode to U+FFFD as in encoding/xml;
// zero and values past U+10FFFF are rejected.
func charRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	d := ent[1:]
	base := rune(10)
	if d[0] == 'x' {
		base, d = 16, d[1:]
	}
	if len(d) == 0 {
		return 0, false
	}
	var n rune
	for _, c := range d {
		var v rune
		switch {
		case '0' <= c && c <= '9':
			v = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return 0, false
		}
		n = n*base + v
		if n > utf8.MaxRune {
			return 0, false
		}
	}
	if n == 0 {
		return 0, false
	}
	return n, true
}

// unescapeAttr decodes an attribute value to a string.
func unescapeAttr(b []byte) (string, error) {
	if indexAmpCR(b) < 0 {
		return string(b), nil
	}
	d, err := appendUnescaped(nil, b)
	return string(d), err
}

// decodeEscapes resolves the _xHHHH_ escapes that OOXML uses for
// characters XML 1.0 cannot carry (ECMA-376 Part 1, 22.9.2.19), exactly as
// excelize does for shared and inline strings: _x005F_ yields "_", an
// escape of a valid code point yields it, and an escape of a surrogate is
// dropped. Matches do not overlap and are taken left to right.
func decodeEscapes(s string) string {
	i := strings.Index(s, "_x")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for i < len(s) {
		j := strings.Index(s[i:], "_x")
		if j < 0 {
			break
		}
		i += j
		if i+7 <= len(s) && s[i+6] == '_' && isHex4(s[i+2:i+6]) {
			b.WriteString(s[last:i])
			h := s[i+2 : i+6]
			if h == "005F" {
				b.WriteByte('_')
			} else {
				var r rune
				for k := 0; k < 4; k++ {
					r = r<<4 | hexVal(h[k])
				}
				if utf8.ValidRune(r) {
					b.WriteRune(r)
				}
			}
			i += 7
			last = i
			continue
		}
		i++
	}
	b.WriteString(s[last:])
	return b.String()
}

func isHex4(s string) bool {
	for k := 0; k < 4; k++ {
		c := s[k]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hexVal(c byte) rune {
	switch {
	case c <= '9':
		return rune(c - '0')
	case c >= 'a':
		return rune(c-'a') + 10
	default:
		return rune(c-'A') + 10
	}
}

// decodeReader sniffs a part's byte-order mark and XML declaration and
// returns a reader of UTF-8. UTF-16 (either byte order, with or without
// BOM) and ISO-8859-1/Windows-1252 are transcoded; a UTF-8 BOM is dropped;
// anything else declared is an error.
func decodeReader(r io.Reader, part string) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1024)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		_, _ = br.Discard(2)
		return UTF16Reader(br, true), nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		_, _ = br.Discard(2)
		return UTF16Reader(br, false), nil
	case bytes.HasPrefix(head, []byte{0, '<'}):
		return UTF16Reader(br, true), nil
	case bytes.HasPrefix(head, []byte{'<', 0}):
		return UTF16Reader(br, false), nil
	}
	enc := declaredEncoding(head)
	switch strings.ToLower(enc) {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf16":
		// A "UTF-16" declaration on 8-bit bytes is a lie most readers forgive.
		return br, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "windows-1252", "cp1252", "x-cp1252":
		return &cp1252Reader{r: br}, nil
	}
	return nil, &SyntaxError{Part: part, Offset: 0, Msg: fmt.Sprintf("unsupported encoding %q", enc)}
}

// declaredEncoding returns the encoding pseudo-attribute of an XML
// declaration at the start of head, or "".
func declaredEncoding(head []byte) string {
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := head[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// UTF16Reader transcodes UTF-16 without a byte order mark (big endian if
// bigEndian) to UTF-8; unpaired surrogates and an odd last byte become
// U+FFFD. It is the one UTF-16 decoder: sheets' and CSV files' both.
func UTF16Reader(r io.Reader, bigEndian bool) io.Reader {
	order := unicode.LittleEndian
	if bigEndian {
		order = unicode.BigEndian
	}
	return transform.NewReader(r, unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder())
}

// cp1252Reader transcodes Windows-1252 (a superset of ISO-8859-1's
// printable range, which is how browsers and golang.org/x/net/html/charset
// read "ISO-8859-1") to UTF-8.
type cp1252Reader struct {
	r    io.Reader
	in   [4096]byte
	out  []byte
	obuf []byte
	err  error
}

var cp1252High = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

func (c *cp1252Reader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		m, err := c.r.Read(c.in[:])
		c.err = err
		out := c.obuf[:0]
		for _, b := range c.in[:m] {
			switch {
			case b < 0x80:
				out = append(out, b)
			case b < 0xA0:
				out = utf8.AppendRune(out, cp1252High[b-0x80])
			default:
				out = utf8.AppendRune(out, rune(b))
			}
		}
		c.out, c.obuf = out, out
	}
	k := copy(p, c.out)
	c.out = c.out[k:]
	return k, nil
}
