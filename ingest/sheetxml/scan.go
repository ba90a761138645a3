package sheetxml

import (
	"bytes"
	"errors"
	"io"
)

// This file holds the hand-written XML tokenizer used for every part. It
// is not a validating parser: it finds tags, attributes and character
// data, matches element names by local name (the prefix is dropped), and
// reports structural damage (an unterminated tag, a bad attribute, an
// unknown entity) as a *SyntaxError naming the part and byte offset.
// Tokens point into the scanner's buffer and are valid until the next call
// to next.

type tokKind uint8

const (
	tokEOF   tokKind = iota
	tokStart         // start tag; selfClose tells whether it was <x/>
	tokEnd           // end tag
	tokText          // character data, raw (entities not decoded)
	tokCDATA         // contents of a CDATA section, literal
)

// attrSpan locates one attribute of the current start tag in the buffer:
// local name buf[n0:n1], raw (still escaped) value buf[v0:v1]. Offsets
// rather than slices keep pointer writes (and GC write barriers) out of
// the hot loop.
type attrSpan struct {
	n0, n1, v0, v1 int
}

const (
	minBufSize = 64 << 10
	maxBufSize = 1 << 20 // read chunk; the buffer only grows past it for a single huge token
)

// MaxCellChars is the most characters Excel holds in a cell.
const MaxCellChars = 32767

// maxTextBytes is the most bytes MaxCellChars characters take in UTF-8:
// text past it is refused as it is read, so a cell never holds more.
const maxTextBytes = 4 * MaxCellChars

var (
	// errTextTooLong is returned by collectText for text past
	// maxTextBytes; the caller names the cell or string.
	errTextTooLong = errors.New("text too long")
	errNeedMore    = errors.New("need more input")
	errSkipped     = errors.New("skipped markup") // comment, PI or DOCTYPE consumed, no token
)

type scanner struct {
	src  io.Reader
	part string

	buf      []byte
	pos, end int
	base     int64 // stream offset of buf[0]
	rerr     error // sticky error from src (io.EOF at the end)

	// current token
	kind      tokKind
	name      []byte // local name of a start or end tag
	selfClose bool
	attrs     []attrSpan
	text      []byte // tokText / tokCDATA payload
	tokOff    int64  // stream offset of the token
}

func newScanner(src io.Reader, part string, sizeHint int64) *scanner {
	n := minBufSize
	if sizeHint > int64(n) {
		n = maxBufSize
		if sizeHint < int64(n) {
			n = int(sizeHint) + 1
		}
	}
	return &scanner{src: src, part: part, buf: make([]byte, n), attrs: make([]attrSpan, 0, 8)}
}

func (s *scanner) errAt(off int64, msg string) error {
	return &SyntaxError{Part: s.part, Offset: off, Msg: msg}
}

// fill keeps buf[keep:end], moves it to the front, and reads more input.
// It returns with s.rerr set if no more input can come.
func (s *scanner) fill(keep int) {
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:s.end])
		s.base += int64(keep)
		s.pos -= keep
		s.end = n
	}
	if s.end == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.rerr = err
			return
		}
		if n > 0 {
			return
		}
	}
	s.rerr = io.ErrNoProgress
}

// next advances to the next token.
func (s *scanner) next() error {
	for {
		if s.pos >= s.end {
			if s.rerr != nil {
				return s.eof()
			}
			s.fill(s.pos)
			continue
		}
		err := s.parse()
		if err == nil {
			return nil
		}
		if err == errSkipped {
			continue
		}
		if err != errNeedMore {
			return err
		}
		if s.rerr != nil {
			if s.rerr == io.EOF {
				return s.errAt(s.base+int64(s.pos), "unexpected end of part inside markup")
			}
			return s.rerr
		}
		s.fill(s.pos)
	}
}

func (s *scanner) eof() error {
	if s.rerr == io.EOF {
		s.kind = tokEOF
		s.tokOff = s.base + int64(s.end)
		return nil
	}
	return s.rerr
}

// minTextChunk is the least text handed on as part of a longer run.
const minTextChunk = 4096

// textCut is how much of text b (with no markup) can be handed on before
// more comes: all of it, less an entity reference or "\r" the end may cut
// short (the pieces of a run are decoded one by one).
func textCut(b []byte) int {
	cut := len(b)
	if i := bytes.LastIndexByte(b[max(0, cut-41):], '&'); i >= 0 {
		if i += max(0, cut-41); bytes.IndexByte(b[i:], ';') < 0 {
			cut = i
		}
	}
	if cut > 0 && b[cut-1] == '\r' {
		cut--
	}
	return cut
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// parse reads one token at s.pos, or returns errNeedMore if the buffer
// ends inside it (s.pos is then unchanged).
func (s *scanner) parse() error {
	b := s.buf[s.pos:s.end]
	s.tokOff = s.base + int64(s.pos)
	if b[0] != '<' {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			if s.rerr == nil {
				// Text with no markup in sight: hand on what is here, so
				// a long run (of whitespace, or a huge value) is scanned
				// once and held in no more than the buffer, rather than
				// rescanned as the buffer grows to hold all of it.
				if cut := textCut(b); len(b) >= minTextChunk && cut > 0 {
					s.kind, s.text = tokText, b[:cut]
					s.pos += cut
					return nil
				}
				return errNeedMore
			}
			i = len(b)
		}
		s.kind, s.text = tokText, b[:i]
		s.pos += i
		return nil
	}
	if len(b) < 2 {
		return errNeedMore
	}
	switch b[1] {
	case '/':
		// </name> with optional whitespace before '>'.
		i, colon := 2, -1
		for ; i < len(b); i++ {
			c := b[i]
			if c == '>' || isSpace(c) {
				break
			}
			if c == ':' {
				colon = i
			}
		}
		ne := i
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return errNeedMore
		}
		if b[i] != '>' || ne == 2 || colon == ne-1 {
			return s.errAt(s.tokOff, "malformed end tag")
		}
		s.kind, s.name = tokEnd, b[max(2, colon+1):ne]
		s.pos += i + 1
		return nil
	case '?':
		i := bytes.Index(b[2:], []byte("?>"))
		if i < 0 {
			return errNeedMore
		}
		s.pos += i + 4
		return errSkipped
	case '!':
		return s.parseBang(b)
	}
	return s.parseStart(b)
}

func (s *scanner) parseBang(b []byte) error {
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		i := bytes.Index(b[4:], []byte("-->"))
		if i < 0 {
			return errNeedMore
		}
		s.pos += 4 + i + 3
		return errSkipped
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		i := bytes.Index(b[9:], []byte("]]>"))
		if i < 0 {
			return errNeedMore
		}
		s.kind, s.text = tokCDATA, b[9:9+i]
		s.pos += 9 + i + 3
		return nil
	case len(b) < 9:
		if s.rerr == nil {
			return errNeedMore
		}
	case bytes.HasPrefix(b, []byte("<!DOCTYPE")):
		// Skip it, internal subset included. Entities it declares are
		// not expanded (an undeclared-entity reference is an error later).
		depth := 0
		var quote byte
		for i := 9; i < len(b); i++ {
			c := b[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '[':
				depth++
			case c == ']':
				depth--
			case c == '>' && depth <= 0:
				s.pos += i + 1
				return errSkipped
			}
		}
		return errNeedMore
	}
	return s.errAt(s.tokOff, "unexpected '<!'")
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '>' || c == '/' || c == '\n' || c == '\t' || c == '\r'
}

func (s *scanner) parseStart(b []byte) error {
	i, colon := 1, -1
	for ; i < len(b); i++ {
		c := b[i]
		if isNameEnd(c) {
			break
		}
		if c == ':' {
			colon = i
		}
	}
	if i == len(b) {
		return errNeedMore
	}
	if i == 1 || colon == i-1 {
		return s.errAt(s.tokOff, "malformed start tag")
	}
	name := b[max(1, colon+1):i]
	attrs, n, selfClose, at, msg := scanAttrs(b, i, s.pos, s.attrs[:0])
	switch {
	case msg == needMore:
		return errNeedMore
	case msg != "":
		return s.errAt(s.tokOff+int64(at), msg)
	}
	s.kind, s.name, s.selfClose, s.attrs = tokStart, name, selfClose, attrs
	s.pos += n
	return nil
}

// needMore is scanAttrs's message for a tag the buffer ends inside.
const needMore = "need more"

// scanAttrs reads the attributes of a start tag, b[i:] following its
// name, through the tag's end: each attribute's local name and raw value
// as spans of b offset by off. It returns the tag's length and whether it
// closes itself; or, for a tag that is not well formed, where and why
// (msg needMore when b ends inside the tag). The scanner reads every start
// tag with it, and Attr and SetAttr the tags copied as bytes.
func scanAttrs(b []byte, i, off int, attrs []attrSpan) (_ []attrSpan, n int, selfClose bool, at int, msg string) {
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return attrs, 0, false, i, needMore
		}
		switch b[i] {
		case '>':
			return attrs, i + 1, false, 0, ""
		case '/':
			if i+1 == len(b) {
				return attrs, 0, false, i, needMore
			}
			if b[i+1] != '>' {
				return attrs, 0, false, i, "expected '/>' in start tag"
			}
			return attrs, i + 2, true, 0, ""
		}
		// attribute name
		j, acolon := i, -1
		for ; j < len(b); j++ {
			c := b[j]
			if c == '=' || isNameEnd(c) {
				break
			}
			if c == ':' {
				acolon = j
			}
		}
		if j == len(b) {
			return attrs, 0, false, j, needMore
		}
		if j == i || acolon == j-1 {
			return attrs, 0, false, i, "malformed attribute"
		}
		n0, n1 := max(i, acolon+1), j
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j == len(b) {
			return attrs, 0, false, j, needMore
		}
		if b[j] != '=' {
			return attrs, 0, false, j, "attribute without value"
		}
		j++
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j == len(b) {
			return attrs, 0, false, j, needMore
		}
		q := b[j]
		if q != '"' && q != '\'' {
			return attrs, 0, false, j, "unquoted attribute value"
		}
		k := j + 1
		for k < len(b) && b[k] != q {
			k++
		}
		if k == len(b) {
			return attrs, 0, false, k, needMore
		}
		attrs = append(attrs, attrSpan{n0: off + n0, n1: off + n1, v0: off + j + 1, v1: off + k})
		i = k + 1
	}
}

// attr returns the local name and raw value of attribute i of the current
// start tag.
func (s *scanner) attr(i int) (name, val []byte) {
	a := s.attrs[i]
	return s.buf[a.n0:a.n1], s.buf[a.v0:a.v1]
}

// skipElement skips the content of the element whose start tag is the
// current token, through its end tag.
func (s *scanner) skipElement() error {
	if s.selfClose {
		return nil
	}
	depth := 1
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokStart:
			if !s.selfClose {
				depth++
			}
		case tokEnd:
			depth--
			if depth == 0 {
				return nil
			}
		case tokEOF:
			return s.errAt(s.tokOff, "unexpected end of part: unclosed element")
		}
	}
}

// getAttr returns the raw value of the attribute with the given local name.
func (s *scanner) getAttr(name string) ([]byte, bool) {
	for _, a := range s.attrs {
		if string(s.buf[a.n0:a.n1]) == name {
			return s.buf[a.v0:a.v1], true
		}
	}
	return nil, false
}

// collectText appends the decoded character data directly inside the
// current element (nested elements are skipped) to dst and consumes the
// element's end tag.
func (s *scanner) collectText(dst []byte) ([]byte, error) {
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
		case tokText:
			if dst, err = appendUnescaped(dst, s.text); err != nil {
				return dst, s.errAt(s.tokOff, err.Error())
			}
		case tokCDATA:
			dst = append(dst, s.text...)
		case tokStart:
			if err = s.skipElement(); err != nil {
				return dst, err
			}
		case tokEnd:
			return dst, nil
		case tokEOF:
			return dst, s.errAt(s.tokOff, "unexpected end of part: unclosed element")
		}
	}
}
