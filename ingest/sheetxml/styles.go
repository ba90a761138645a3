package sheetxml

import (
	"archive/zip"
	"strconv"
	"strings"
)

// maxCellFormats bounds the cell formats (cellXfs) read from a styles part:
// Excel allows about 64,000. Formats past it are taken as not dates.
const maxCellFormats = 1 << 16

// DateStyles tells which cell styles (a Cell's Style, an index into the
// styles part's cellXfs) show a number as a date or a time.
type DateStyles struct {
	date    []bool
	percent []bool // styles that show a number as a percentage
}

// IsPercent reports whether cells of the given style show their number as
// a percentage (built-in formats 9 and 10, or a custom code with a % sign
// outside quotes).
func (d DateStyles) IsPercent(style int) bool {
	return style >= 0 && style < len(d.percent) && d.percent[style]
}

// IsDate reports whether cells of the given style show their number as a
// date or a time.
func (d DateStyles) IsDate(style int) bool {
	return style >= 0 && style < len(d.date) && d.date[style]
}

// DateStyles reads the workbook's styles part, once a call, streaming it:
// which cell styles have a date or time number format, built in (ids 14 to
// 22 and 45 to 47) or custom (a format code with day, month, year, hour or
// second tokens outside quotes and brackets). A workbook without a styles
// part has none.
func (w *Workbook) DateStyles() (DateStyles, error) {
	zf, name := w.stylesPart()
	if zf == nil {
		return DateStyles{}, nil
	}
	var d DateStyles
	custom := map[int]bool{}  // numFmtId → whether its code is a date
	percent := map[int]bool{} // numFmtId → whether its code is a percentage
	err := w.scanSmallPart(zf, name, func(s *scanner) error {
		var stack []string // open elements' names
		for {
			if err := s.next(); err != nil {
				return err
			}
			switch s.kind {
			case tokEOF:
				return nil
			case tokEnd:
				if n := len(stack); n > 0 {
					stack = stack[:n-1]
				}
			case tokStart:
				parent := ""
				if n := len(stack); n > 0 {
					parent = stack[n-1]
				}
				switch {
				case string(s.name) == "numFmt" && parent == "numFmts" && len(custom) < maxCellFormats:
					id, okID := s.getAttr("numFmtId")
					code, okCode := s.getAttr("formatCode")
					if okID && okCode {
						n, err := strconv.Atoi(strings.TrimSpace(string(id)))
						c, uerr := unescapeAttr(code)
						if err == nil && uerr == nil {
							custom[n], percent[n] = IsDateFormat(c), isPercentFormat(c)
						}
					}
				case string(s.name) == "xf" && parent == "cellXfs" && len(d.date) < maxCellFormats:
					isDate, isPercent := false, false
					if id, ok := s.getAttr("numFmtId"); ok {
						if n, err := strconv.Atoi(strings.TrimSpace(string(id))); err == nil {
							if c, ok := custom[n]; ok {
								isDate, isPercent = c, percent[n]
							} else {
								isDate, isPercent = builtInDate(n), n == 9 || n == 10
							}
						}
					}
					d.date = append(d.date, isDate)
					d.percent = append(d.percent, isPercent)
				}
				if !s.selfClose {
					if len(stack) > 64 {
						return s.errAt(s.tokOff, "elements nested too deep")
					}
					stack = append(stack, string(s.name))
				}
			}
		}
	})
	if err != nil {
		return DateStyles{}, err
	}
	return d, nil
}

// stylesPart finds the styles part through the workbook's relationships,
// else at its usual name.
func (w *Workbook) stylesPart() (*zip.File, string) {
	if rels, err := w.readRels(w.wbPart); err == nil {
		for _, r := range rels {
			if relType(r.typ) == "styles" && !r.external {
				if zf, name := w.lookup(resolveTarget(w.wbPart, r.target)); zf != nil {
					return zf, name
				}
			}
		}
	}
	return w.lookup("xl/styles.xml")
}

// builtInDate reports whether a built-in number format shows a date or a
// time: 14 to 22 (dates, times, both) and 45 to 47 (minutes and seconds).
func builtInDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 45 && id <= 47
}

// isPercentFormat reports whether a number format code's first section
// (the one positive numbers take) shows a percentage: a % outside quoted
// text, escaped characters and bracketed parts.
func isPercentFormat(code string) bool {
	percent := false
	formatTokens(code, func(c byte, bracket string) bool {
		switch {
		case bracket != "" || c == ';':
			return c != ';' // the first section ends
		case c == '%':
			percent = true
			return false
		}
		return true
	})
	return percent
}

// IsDateFormat reports whether a number format code shows a date or a
// time: whether it has a d, m, y, h or s token (or an elapsed time such as
// [h]) outside quoted text, escaped characters and other bracketed parts
// (colours, conditions, locales).
func IsDateFormat(code string) bool {
	date := false
	formatTokens(code, func(c byte, bracket string) bool {
		switch strings.ToLower(bracket) {
		case "h", "hh", "m", "mm", "s", "ss":
			date = true // elapsed time
		case "":
			switch c {
			case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
				date = true
			}
		}
		return !date
	})
	return date
}

// formatTokens walks a number format code, giving f each character that
// is a token (c) or each bracketed part's text ("Red", "h", "$-809") with
// c 0, and skipping quoted text and escaped, width and fill characters; f
// returns false to stop. An unclosed bracket ends the walk.
func formatTokens(code string, f func(c byte, bracket string) bool) {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			for i++; i < len(code) && code[i] != '"'; i++ {
			}
		case '\\', '_', '*':
			i++ // the next character is literal, a width or a fill
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return
			}
			if !f(0, code[i+1:i+j]) {
				return
			}
			i += j
		default:
			if !f(c, "") {
				return
			}
		}
	}
}
