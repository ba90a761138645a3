package sheetxml

import (
	"archive/zip"
	"fmt"
	"io"
)

// Limits on the parts read in full. A worksheet streams and is held to
// Limits.MaxUnzipped; every other part this package reads (the workbook
// part, relationships, styles, the shared string table) is read in full
// before the first row, and so is held to a much smaller size.
const (
	// DefaultMaxPart is the most a part other than a worksheet may
	// inflate to, when Limits.MaxPartBytes is zero. The largest such
	// part in the corpus of real workbooks is a 3.4 MB shared string
	// table.
	DefaultMaxPart = 64 << 20
	// MaxDepth is how deep CheckPart lets elements nest. Real parts nest
	// a few dozen deep at most; another library's XML decoder keeps a
	// stack as deep as the part is nested.
	MaxDepth = 1000
)

// PartTooLargeError reports a part that inflates, or says in its zip
// header that it inflates, to more than a limit. errors.Is(err,
// ErrTooLarge) is true.
type PartTooLargeError struct {
	Part  string // zip path of the part
	Limit int64  // bytes
	Size  int64  // the size its zip header gives, or 0 when the limit was passed while inflating
}

func (e *PartTooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("part %s inflates to %s, more than the %s limit for such a part", e.Part, FormatBytes(e.Size), FormatBytes(e.Limit))
	}
	return fmt.Sprintf("part %s inflates to more than the %s limit for such a part", e.Part, FormatBytes(e.Limit))
}

// Unwrap makes errors.Is(err, ErrTooLarge) hold.
func (e *PartTooLargeError) Unwrap() error { return ErrTooLarge }

// FormatBytes writes a size the way the limits are given: "64 MiB",
// "4 GiB", "1.5 KiB", "100 bytes".
func FormatBytes(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[u])
	}
	return fmt.Sprintf("%.1f %s", v, units[u])
}

// checkHeaderSize refuses a part whose zip header says it inflates to more
// than max, before anything is inflated.
func checkHeaderSize(zf *zip.File, name string, max int64) error {
	if zf.UncompressedSize64 > uint64(max) {
		size := int64(zf.UncompressedSize64)
		if zf.UncompressedSize64 > 1<<62 {
			size = 1 << 62
		}
		return &PartTooLargeError{Part: name, Limit: max, Size: size}
	}
	return nil
}

// headerLied is the error for a part that inflates to more than its zip
// header says (archive/zip stops it there with zip.ErrFormat).
func headerLied(name string, zf *zip.File) error {
	return fmt.Errorf("%w: part %s inflates to more than the %d bytes its zip header gives: the file is damaged", ErrMalformed, name, zf.UncompressedSize64)
}

// CheckPart inflates a part that another library is about to read whole
// and refuses it, naming it, if it inflates to more than maxBytes (its
// zip header is checked first, and the bytes counted as they inflate, as
// headers can lie) or nests elements more than maxDepth deep. It holds
// nothing of the part in memory but a buffer. A part that is not XML is
// checked for its size only.
func CheckPart(zf *zip.File, maxBytes int64, maxDepth int) error {
	name := normPart(zf.Name)
	r, closeFn, lr, err := openPart(zf, name, maxBytes, false)
	if err != nil {
		return err
	}
	defer closeFn()
	if !isXMLPart(name) {
		_, err := io.Copy(io.Discard, lr)
		return err
	}
	s := newScanner(r, name, int64(zf.UncompressedSize64))
	depth := 0
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokEOF:
			return nil
		case tokStart:
			if !s.selfClose {
				depth++
				if depth > maxDepth {
					return s.errAt(s.tokOff, fmt.Sprintf("elements nested more than %d deep", maxDepth))
				}
			}
		case tokEnd:
			depth--
		}
	}
}

// isXMLPart reports whether a part's name says it holds XML.
func isXMLPart(name string) bool {
	for _, ext := range []string{".xml", ".rels", ".vml"} {
		if len(name) >= len(ext) && equalFoldASCII(name[len(name)-len(ext):], ext) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
