package export

import (
	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/layout"
)

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
func annotationStyles(st *layout.Styles, csv bool) (annotationLooks, error) {
	l := annotationLooks{text: map[string]int{}, money: map[string]int{}, percent: map[string]int{}}
	var err error
	if l.header, err = st.ID(layout.LookHead); err != nil {
		return l, err
	}
	for _, n := range lookNames {
		k := layout.StatusLook(n)
		if l.text[n], err = st.ID(k); err != nil {
			return l, err
		}
		k.Money = true
		if l.money[n], err = st.ID(k); err != nil {
			return l, err
		}
		k.Money, k.Format = false, layout.FormatPercent
		if l.percent[n], err = st.ID(k); err != nil {
			return l, err
		}
	}
	// A CSV input's amounts, written as numbers: last, and only for a CSV
	// (a workbook may have a style of its money format alone already).
	if csv {
		if l.amount, err = st.ID(layout.Look{Money: true}); err != nil {
			return l, err
		}
	}
	return l, nil
}
