package layout

import (
	"errors"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
)

// Colours: what a reader sees at a glance on the annotated sheet.
const (
	ColourSocial     = "C6EFCE" // green: social purpose
	ColourCore       = "EDEDED" // grey: core landlord work
	ColourUnmapped   = "FFEB9C" // amber: no rule matched, review
	ColourIncome     = "DDEBF7" // blue: income and credits
	ColourUnreadable = "FFC7CE" // red: amount could not be read
	ColourHeader     = "1F4E5F" // dark teal: headers the tool added
	ColourTitle      = "1F4E5F"
	ColourMuted      = "6B6B6B"
)

// Number formats written with every number cell. Money has the
// workbook's money format: the budget table's own amount format where it
// has one (see UseMoneyStyle), else FormatMoney.
const (
	FormatMoney   = `"£"#,##0.00;[Red]-"£"#,##0.00`
	FormatPercent = `0.0%`
)

// Look describes a style; Styles caches the id excelize gives each one,
// so a workbook gets one style per look, not one per cell.
type Look struct {
	Fill   string
	Format string
	Money  bool // the workbook's money format (format is then unused)
	Bold   bool
	Italic bool
	Colour string
	Size   float64
	Wrap   bool
	Border bool
	Right  bool // aligned right, as numbers are
	Top    bool // aligned to the top of a row made tall by wrapped text
}

// Styles makes a workbook's styles, one per look (ID), the money ones in
// the workbook's own money format where it has one (UseMoneyStyle, Finish).
type Styles struct {
	f     *excelize.File
	font  string // the workbook's default font, so added cells match it
	cache map[Look]int
	// The workbook's money format: a built-in number format's id, or else
	// a format's code.
	moneyID     int
	moneyFormat string
	// moneyStyles are the styles made with the money format, which they
	// are given only at the end (see Finish).
	moneyStyles []int
}

// formatMoneyToBe stands for the money format while the styles are made:
// a code no workbook has, so that a money style is always a new one and
// its id depends only on the styles made before it, not on the format,
// which a sheet annotated as it is read does not know yet.
const formatMoneyToBe = `#,##0.00;-#,##0.00;0.00;"purpose: money to be"@`

// Usable reports whether workbook f's styles can be added to: a workbook
// whose styles part is missing, empty or lacks its fonts, fills, borders
// or cell formats would make excelize fail (it panics) on the first one.
// A workbook with no styles part at all gets excelize's own.
func Usable(f *excelize.File) bool {
	ss := f.Styles
	return ss == nil || ss.Fonts != nil && len(ss.Fonts.Font) > 0 && ss.Fills != nil && len(ss.Fills.Fill) > 0 &&
		ss.Borders != nil && len(ss.Borders.Border) > 0 && ss.CellXfs != nil && len(ss.CellXfs.Xf) > 0
}

// NewStyles makes the styles of workbook f, their font its default one.
func NewStyles(f *excelize.File) *Styles {
	font := ""
	if ss := f.Styles; ss != nil && ss.Fonts != nil && len(ss.Fonts.Font) > 0 {
		font, _ = f.GetDefaultFont() // which a workbook without styles has not
	}
	return &Styles{f: f, font: font, cache: map[Look]int{}, moneyFormat: FormatMoney}
}

// ID is the id of look k's style in the workbook, made the first time.
func (s *Styles) ID(k Look) (int, error) {
	if id, ok := s.cache[k]; ok {
		return id, nil
	}
	st := &excelize.Style{}
	if k.Fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{k.Fill}}
	}
	switch {
	case k.Money:
		fmt := formatMoneyToBe
		st.CustomNumFmt = &fmt
	case k.Format != "":
		fmt := k.Format
		st.CustomNumFmt = &fmt
	}
	if k.Bold || k.Italic || k.Colour != "" || k.Size != 0 {
		st.Font = &excelize.Font{Bold: k.Bold, Italic: k.Italic, Color: k.Colour, Size: k.Size, Family: s.font}
	}
	if k.Wrap || k.Right || k.Top {
		st.Alignment = &excelize.Alignment{WrapText: k.Wrap, Vertical: "top"}
		if k.Right {
			st.Alignment.Horizontal = "right"
		}
	}
	if k.Border {
		st.Border = []excelize.Border{{Type: "bottom", Color: "A6A6A6", Style: 1}}
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.cache[k] = id
	if k.Money {
		s.moneyStyles = append(s.moneyStyles, id)
	}
	return id, nil
}

// Finish gives the money styles the workbook's money format, and takes
// away the format that stood for it.
func (s *Styles) Finish() error {
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

// StatusLook is the fill a status gets.
func StatusLook(status string) Look {
	switch status {
	case "mapped":
		return Look{Fill: ColourSocial}
	case "core":
		return Look{Fill: ColourCore}
	case string(analysis.StatusUnmapped):
		return Look{Fill: ColourUnmapped}
	case string(analysis.StatusIncome):
		return Look{Fill: ColourIncome}
	case string(analysis.StatusUnreadable):
		return Look{Fill: ColourUnreadable}
	}
	return Look{Italic: true, Colour: ColourMuted}
}

// UseMoneyStyle makes the money format the number format of style id, a
// style of the workbook's own, when that format shows money, and reports
// whether it did.
func (s *Styles) UseMoneyStyle(id int) bool {
	st, err := s.f.GetStyle(id)
	if err != nil {
		return false
	}
	switch {
	case st.CustomNumFmt != nil && moneyLike(*st.CustomNumFmt):
		s.moneyID, s.moneyFormat = 0, *st.CustomNumFmt
		return true
	case st.CustomNumFmt == nil && builtInMoney[st.NumFmt]:
		s.moneyID = st.NumFmt
		return true
	}
	return false
}

// builtInMoney are the built-in number formats that show an amount:
// 0, 0.00, #,##0, #,##0.00, the currency formats and the accounting ones.
var builtInMoney = map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true,
	37: true, 38: true, 39: true, 40: true, 41: true, 42: true, 43: true, 44: true}

// moneyLike reports whether a number format's code shows a number as an
// amount: digits, and no percentage, date, time, exponent or text alone.
func moneyLike(code string) bool {
	var bare strings.Builder // the code without quoted text, [colours] and escapes
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is shown, or spaced, or repeated
		default:
			bare.WriteByte(c)
		}
	}
	b := strings.ToLower(bare.String())
	return strings.ContainsAny(b, "0#") && !strings.ContainsAny(b, "%ymdhse@/")
}
