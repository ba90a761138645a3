package export

import (
	"strings"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// The columns added beside each budget table, in order.
var annotationHeaders = ingest.AnnotationHeaders

// outCell is one cell of a report sheet: a string or a float64, and its
// look.
type outCell struct {
	Value any
	Style styleKey
	spill bool // text that may run on across empty cells to its right
}

// statusLook is the fill a status gets.
func statusLook(status string) styleKey {
	switch status {
	case "mapped":
		return styleKey{fill: colourSocial}
	case "core":
		return styleKey{fill: colourCore}
	case string(analysis.StatusUnmapped):
		return styleKey{fill: colourUnmapped}
	case string(analysis.StatusIncome):
		return styleKey{fill: colourIncome}
	case string(analysis.StatusUnreadable):
		return styleKey{fill: colourUnreadable}
	}
	return styleKey{italic: true, colour: colourMuted}
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// annotationColumn is where the added columns go: right of the table, or
// over the columns an earlier run added, so annotating an annotated
// workbook replaces its annotations rather than adding more.
func annotationColumn(t *ingest.Table) int {
	if t.AnnotationCol > 0 {
		return t.AnnotationCol
	}
	return t.LastCol + 1
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
