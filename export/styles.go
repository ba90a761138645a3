package export

import (
	"github.com/xuri/excelize/v2"
)

// Colours: what a reader sees at a glance on the annotated sheet.
const (
	colourSocial     = "C6EFCE" // green: social purpose
	colourCore       = "EDEDED" // grey: core landlord work
	colourUnmapped   = "FFEB9C" // amber: no rule matched, review
	colourIncome     = "DDEBF7" // blue: income and credits
	colourUnreadable = "FFC7CE" // red: amount could not be read
	colourHeader     = "1F4E5F" // dark teal: headers the tool added
	colourTitle      = "1F4E5F"
	colourMuted      = "6B6B6B"
)

// Number formats written with every number cell.
const (
	formatMoney      = `#,##0.00;[Red]-#,##0.00`
	formatMoneyWhole = `"£"#,##0;[Red]-"£"#,##0`
	formatMoneyPlain = `"£"#,##0;-"£"#,##0`
	formatPercent    = `0.0%`
)

// styleKey describes a style; styles caches the id excelize gives each one,
// so a workbook gets one style per look, not one per cell.
type styleKey struct {
	fill   string
	format string
	bold   bool
	italic bool
	colour string
	size   float64
	wrap   bool
	border bool
	right  bool // aligned right, as numbers are
}

type styles struct {
	f     *excelize.File
	font  string // the workbook's default font, so added cells match it
	cache map[styleKey]int
}

func newStyles(f *excelize.File) *styles {
	font, _ := f.GetDefaultFont()
	return &styles{f: f, font: font, cache: map[styleKey]int{}}
}

func (s *styles) get(k styleKey) (int, error) {
	if id, ok := s.cache[k]; ok {
		return id, nil
	}
	st := &excelize.Style{}
	if k.fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{k.fill}}
	}
	if k.format != "" {
		fmt := k.format
		st.CustomNumFmt = &fmt
	}
	if k.bold || k.italic || k.colour != "" || k.size != 0 {
		st.Font = &excelize.Font{Bold: k.bold, Italic: k.italic, Color: k.colour, Size: k.size, Family: s.font}
	}
	if k.wrap || k.right {
		st.Alignment = &excelize.Alignment{WrapText: k.wrap, Vertical: "top"}
		if k.right {
			st.Alignment.Horizontal = "right"
		}
	}
	if k.border {
		st.Border = []excelize.Border{{Type: "bottom", Color: "A6A6A6", Style: 1}}
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.cache[k] = id
	return id, nil
}
