package export

import (
	"errors"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
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

// Number formats written with every number cell. Money has the
// workbook's money format: the budget table's own amount format where it
// has one (see useAmountFormat), else formatMoney.
const (
	formatMoney   = `"£"#,##0.00;[Red]-"£"#,##0.00`
	formatPercent = `0.0%`
)

// styleKey describes a style; styles caches the id excelize gives each one,
// so a workbook gets one style per look, not one per cell.
type styleKey struct {
	fill   string
	format string
	money  bool // the workbook's money format (format is then unused)
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
	// The workbook's money format: a built-in number format's id, or else
	// a format's code.
	moneyID     int
	moneyFormat string
	// moneyStyles are the styles made with the money format, which they
	// are given only at the end (see finish).
	moneyStyles []int
}

// formatMoneyToBe stands for the money format while the styles are made:
// a code no workbook has, so that a money style is always a new one and
// its id depends only on the styles made before it, not on the format,
// which a sheet annotated as it is read does not know yet.
const formatMoneyToBe = `#,##0.00;-#,##0.00;0.00;"purpose: money to be"@`

func newStyles(f *excelize.File) *styles {
	font := ""
	if ss := f.Styles; ss != nil && ss.Fonts != nil && len(ss.Fonts.Font) > 0 {
		font, _ = f.GetDefaultFont() // which a workbook without styles has not
	}
	return &styles{f: f, font: font, cache: map[styleKey]int{}, moneyFormat: formatMoney}
}

func (s *styles) get(k styleKey) (int, error) {
	if id, ok := s.cache[k]; ok {
		return id, nil
	}
	st := &excelize.Style{}
	if k.fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{k.fill}}
	}
	switch {
	case k.money:
		fmt := formatMoneyToBe
		st.CustomNumFmt = &fmt
	case k.format != "":
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
	if k.money {
		s.moneyStyles = append(s.moneyStyles, id)
	}
	return id, nil
}

// finish gives the money styles the workbook's money format, and takes
// away the format that stood for it.
func (s *styles) finish() error {
	ss := s.f.Styles
	if ss == nil || ss.CellXfs == nil || len(s.moneyStyles) == 0 {
		return nil
	}
	id := s.moneyID
	if id == 0 {
		// excelize adds the format (or finds it) with a style; the style
		// itself, if new, is not wanted.
		before := len(ss.CellXfs.Xf)
		fmt := s.moneyFormat
		made, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &fmt})
		if err != nil {
			return err
		}
		if ss.CellXfs.Xf[made].NumFmtID == nil {
			return errors.New("the money format was not added")
		}
		id = *ss.CellXfs.Xf[made].NumFmtID
		if made == before && len(ss.CellXfs.Xf) == before+1 {
			ss.CellXfs.Xf = ss.CellXfs.Xf[:before]
			ss.CellXfs.Count = before
		}
	}
	for _, m := range s.moneyStyles {
		v := id
		ss.CellXfs.Xf[m].NumFmtID = &v
	}
	if ss.NumFmts != nil {
		kept := ss.NumFmts.NumFmt[:0]
		for _, n := range ss.NumFmts.NumFmt {
			if n.FormatCode != formatMoneyToBe {
				kept = append(kept, n)
			}
		}
		ss.NumFmts.NumFmt = kept
		ss.NumFmts.Count = len(kept)
	}
	return nil
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

// annotationLooks are the style ids the added cells use.
type annotationLooks struct {
	header               int
	text, money, percent map[string]int // by status look
	amount               int            // CSV amounts
}

var lookNames = []string{"mapped", "core", string(analysis.StatusUnmapped), string(analysis.StatusIncome), string(analysis.StatusUnreadable), "excluded"}

// annotationStyles adds the added cells' styles to a workbook. Their ids
// do not depend on the workbook's money format: the styles are made in
// the same order whatever it is, so a sheet annotated as it is read, before
// the format is known, refers to the right ones.
func annotationStyles(st *styles, csv bool) (annotationLooks, error) {
	l := annotationLooks{text: map[string]int{}, money: map[string]int{}, percent: map[string]int{}}
	var err error
	if l.header, err = st.get(styleKey{fill: colourHeader, bold: true, colour: "FFFFFF", wrap: true}); err != nil {
		return l, err
	}
	for _, n := range lookNames {
		k := statusLook(n)
		if l.text[n], err = st.get(k); err != nil {
			return l, err
		}
		k.money = true
		if l.money[n], err = st.get(k); err != nil {
			return l, err
		}
		k.money, k.format = false, formatPercent
		if l.percent[n], err = st.get(k); err != nil {
			return l, err
		}
	}
	// A CSV input's amounts, written as numbers: last, and only for a CSV
	// (a workbook may have a style of its money format alone already).
	if csv {
		if l.amount, err = st.get(styleKey{money: true}); err != nil {
			return l, err
		}
	}
	return l, nil
}
