package sheetxml

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// sharedStrings is the shared string table. The items' text is packed into
// chunks of up to sstChunk bytes, each a single string, and item i is
// located by off[i], a position in a virtual address space where chunk c
// starts at c<<sstChunkBits. An item never straddles chunks; one larger
// than a chunk gets a chunk of its own and the following slots are left
// empty. So a million items cost a few dozen allocations and 8 bytes of
// index each, and building the table never copies it.
type sharedStrings struct {
	chunks []string
	off    []int // len = items+1; off[n] ends the last item
}

const (
	sstChunkBits = 20
	sstChunk     = 1 << sstChunkBits
)

func (t *sharedStrings) len() int {
	if len(t.off) == 0 {
		return 0
	}
	return len(t.off) - 1
}

func (t *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= t.len() {
		return "", false
	}
	a, b := t.off[i], t.off[i+1]
	c := a >> sstChunkBits
	chunk := t.chunks[c]
	lo, hi := a&(sstChunk-1), len(chunk)
	if b>>sstChunkBits == c {
		hi = b & (sstChunk - 1)
	}
	return chunk[lo:hi], true
}

// sstBuilder appends items to a sharedStrings.
type sstBuilder struct {
	t   *sharedStrings
	cur strings.Builder // chunk being filled: t.chunks[len(t.chunks)-1] once closed
}

func (b *sstBuilder) pos() int {
	return len(b.t.chunks)<<sstChunkBits | b.cur.Len()
}

func (b *sstBuilder) add(item []byte) {
	if b.cur.Cap() == 0 || b.cur.Len()+len(item) > b.cur.Cap() {
		if b.cur.Cap() > 0 {
			b.t.chunks = append(b.t.chunks, b.cur.String())
			b.cur = strings.Builder{}
		}
		if len(item) > sstChunk {
			// A chunk of its own, and empty slots for the virtual space
			// it covers.
			b.t.off = append(b.t.off, b.pos())
			b.t.chunks = append(b.t.chunks, string(item))
			for k := sstChunk; k < len(item); k += sstChunk {
				b.t.chunks = append(b.t.chunks, "")
			}
			return
		}
		b.cur.Grow(sstChunk)
	}
	b.t.off = append(b.t.off, b.pos())
	b.cur.Write(item)
}

func (b *sstBuilder) finish() *sharedStrings {
	end := b.pos()
	if b.cur.Cap() > 0 {
		b.t.chunks = append(b.t.chunks, b.cur.String())
	}
	b.t.off = append(b.t.off, end)
	return b.t
}

// loadSharedStrings reads the sst part. Each <si> is the concatenation of
// its <t> and rich-text run <r><t> texts, phonetic runs (<rPh>) and other
// children ignored, with _xHHHH_ escapes resolved.
func loadSharedStrings(zf *zip.File, name string, lim Limits) (*sharedStrings, error) {
	r, closeFn, _, err := openPart(zf, name, lim.MaxPartBytes, true)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	s := newScanner(r, name, int64(zf.UncompressedSize64))

	t := &sharedStrings{}
	bld := sstBuilder{t: t}
	var item []byte
	depth := 0
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokEOF:
			if depth > 0 {
				return nil, s.errAt(s.tokOff, "unexpected end of part: unclosed element")
			}
			return bld.finish(), nil
		case tokEnd:
			depth--
		case tokStart:
			if depth == 0 { // the root, <sst>
				if !s.selfClose {
					depth++
				}
				if t.off == nil {
					t.off = make([]int, 0, sstCapHint(s, zf, lim))
				}
				continue
			}
			if depth != 1 || string(s.name) != "si" {
				if err := s.skipElement(); err != nil {
					return nil, err
				}
				continue
			}
			if len(t.off) >= lim.MaxSharedStrings {
				return nil, fmt.Errorf("%w: %s holds more than %d strings (Limits.MaxSharedStrings)", ErrTooLarge, name, lim.MaxSharedStrings)
			}
			if fast, ok := s.fastSharedString(item[:0]); ok {
				bld.add(fast)
				item = fast
				continue
			}
			if item, err = s.appendRichText(item[:0]); err != nil {
				if err == errTextTooLong {
					return nil, s.errAt(s.tokOff, fmt.Sprintf("shared string %d holds more than %d characters, more than Excel allows in a cell", len(t.off), MaxCellChars))
				}
				return nil, err
			}
			if bytes.Contains(item, []byte("_x")) {
				item = append(item[:0], decodeEscapes(string(item))...)
			}
			bld.add(item)
		}
	}
}

// fastSharedString consumes "<t>text</t></si>" if that is exactly what
// follows the current <si> start tag and is all in the buffer, appending
// the text to dst. Otherwise it leaves the scanner untouched.
func (s *scanner) fastSharedString(dst []byte) ([]byte, bool) {
	if s.selfClose {
		return dst, false
	}
	b := s.buf[s.pos:s.end]
	if len(b) < 3 || b[0] != '<' || b[1] != 't' || b[2] != '>' {
		return dst, false
	}
	i := bytes.IndexByte(b[3:], '<')
	if i < 0 {
		return dst, false
	}
	rest := b[3+i:]
	if len(rest) < 9 || string(rest[:9]) != "</t></si>" {
		return dst, false
	}
	text := b[3 : 3+i]
	if bytes.Contains(text, []byte("_x")) {
		return dst, false
	}
	out, err := appendUnescaped(dst, text)
	if err != nil {
		return dst, false
	}
	s.pos += 3 + i + 9
	return out, true
}

// sstCapHint sizes the offset table from the uniqueCount attribute, within
// what the part's size and the limit make plausible.
func sstCapHint(s *scanner, zf *zip.File, lim Limits) int {
	v, ok := s.getAttr("uniqueCount")
	if !ok {
		v, ok = s.getAttr("count")
	}
	if !ok {
		return 16
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 0 {
		return 16
	}
	// A hint only: never trust it for more than a few million entries.
	n = min(n, lim.MaxSharedStrings, int(min(zf.UncompressedSize64/8, 1<<22)))
	return n + 1
}

// appendRichText appends the text of a string item (<si> or <is>, the
// current start tag): direct <t> children and <r><t> runs in document
// order; <rPh>, <phoneticPr> and anything else are skipped.
func (s *scanner) appendRichText(dst []byte) ([]byte, error) { return s.appendTexts(dst, true) }

// appendTexts appends the text of the current element's <t> children, and
// with runs that of its <r> children's.
func (s *scanner) appendTexts(dst []byte, runs bool) ([]byte, error) {
	if s.selfClose {
		return dst, nil
	}
	var err error
	start := len(dst)
	for {
		if len(dst)-start > maxTextBytes {
			return dst, errTextTooLong
		}
		if err = s.next(); err != nil {
			return dst, err
		}
		switch s.kind {
		case tokStart:
			switch {
			case string(s.name) == "t":
				dst, err = s.collectText(dst)
			case runs && string(s.name) == "r":
				dst, err = s.appendTexts(dst, false)
			default:
				err = s.skipElement()
			}
			if err != nil {
				return dst, err
			}
		case tokEnd:
			return dst, nil
		case tokEOF:
			return dst, s.errAt(s.tokOff, "unexpected end of part: unclosed element")
		}
	}
}
