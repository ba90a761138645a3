package export

// The people view and the pay reconciliation: sections of the Summary and
// Reconciliation sheets when a staffing establishment was used, and the
// Staff summary sheet of a staffing workbook's annotated copy.

import (
	"fmt"
	"math/big"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// lookFTE is FTE to one decimal place.
var (
	lookFTE     = styleKey{format: "#,##0.0"}
	lookBoldFTE = styleKey{format: "#,##0.0", bold: true, border: true}
)

// fteCell is FTE (billionths) as a number of FTE. A float64 holds the
// FTE of any establishment to well past the one decimal shown.
func fteCell(n int64, k styleKey) outCell {
	f, _ := new(big.Rat).SetFrac64(n, ingest.FTEUnit).Float64()
	return outCell{Value: f, Style: k}
}

func countCell(n int) outCell { return outCell{Value: float64(n), Style: styleKey{}} }

// staffHeadline is the people view in a sentence.
func staffHeadline(t analysis.StaffFigures) string {
	return fmt.Sprintf("Staff time: %s of %s FTE (%s) on social purpose; embedded %s, specialist %s FTE",
		FormatFTE(t.SocialFTE()), FormatFTE(t.FTE), analysis.Ratio{Num: t.SocialFTE(), Den: t.FTE}.Percent(), FormatFTE(t.EmbeddedFTE), FormatFTE(t.SpecialistFTE))
}

// writePeopleView writes the people view from row r: social FTE by
// business unit (embedded and specialist, with a chart beside it) and by
// outcome; it returns the last row written.
func writePeopleView(b *sheetBuilder, r int, fw *analysis.Framework, s *Staffing) (int, error) {
	sum := s.Summary
	b.row(r, text("People: staff time on social purpose", lookSection))
	b.row(r+1, text(staffHeadline(sum.Total), lookBold))
	b.row(r+2, long(fmt.Sprintf("From %s: %s posts (%s vacant, kept in: they are budgeted). A post's time is split by its own time-survey columns, else by the framework's staff rules; the rest is core.",
		s.Where(), count(sum.Total.Posts), count(sum.Total.VacantPosts)), lookMuted))
	r += 4
	b.row(r, text("Business unit", lookHead), text("Posts", lookHeadNum), text("FTE", lookHeadNum), text("Specialist FTE", lookHeadNum), text("Embedded FTE", lookHeadNum),
		text("Social FTE", lookHeadNum), text("Social share", lookHeadNum), text("Social staff cost", lookHeadNum))
	first := r + 1
	for _, k := range sum.ByBusinessUnit {
		r++
		b.row(r, text(k.Key, styleKey{}), countCell(k.Posts), fteCell(k.FTE, lookFTE), fteCell(k.SpecialistFTE, lookFTE), fteCell(k.EmbeddedFTE, lookFTE),
			fteCell(k.SocialFTE(), lookFTE), share(analysis.Ratio{Num: k.SocialFTE(), Den: k.FTE}, lookPct), money(k.SocialCost(), lookMoney))
	}
	last := r
	t := sum.Total
	r++
	b.row(r, text("All posts", lookBold), outCell{Value: float64(t.Posts), Style: lookBold}, fteCell(t.FTE, lookBoldFTE), fteCell(t.SpecialistFTE, lookBoldFTE), fteCell(t.EmbeddedFTE, lookBoldFTE),
		fteCell(t.SocialFTE(), lookBoldFTE), share(analysis.Ratio{Num: t.SocialFTE(), Den: t.FTE}, lookBoldP), money(t.SocialCost(), lookBoldM))
	chartRow := first - 1
	r += 2
	b.row(r, text("Outcome", lookHead), text("Posts with time on it", lookHeadNum), text("Specialist FTE", lookHeadNum), text("Embedded FTE", lookHeadNum), text("Social FTE", lookHeadNum), text("Staff cost", lookHeadNum))
	for _, k := range sum.ByOutcome {
		r++
		name := k.Key
		if o, ok := fw.Outcome(k.Key); ok {
			name = o.Name
		}
		b.row(r, text(name, styleKey{}), countCell(k.Posts), fteCell(k.SpecialistFTE, lookFTE), fteCell(k.EmbeddedFTE, lookFTE), fteCell(k.SocialFTE(), lookFTE), money(k.SocialCost(), lookMoney))
	}
	if len(sum.ByOutcome) == 0 {
		r++
		b.row(r, text("No post's time goes to a social outcome.", lookMuted))
	}
	if b.err != nil || last < first {
		return r, b.err
	}
	return r, addPeopleChart(b, chartRow, [2]int{first, last})
}

// addPeopleChart is social FTE by business unit, specialist and embedded
// stacked, beside the people view's table.
func addPeopleChart(b *sheetBuilder, at int, rows [2]int) error {
	q := quoteSheet(b.sheet)
	rng := func(col string, lo, hi int) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, lo, col, hi) }
	last, title := barRows(rows, "Staff time on social purpose by business unit (FTE)")
	solid := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	axisFont := excelize.Font{Color: "404040", Size: 9}
	return b.f.AddChart(b.sheet, fmt.Sprintf("J%d", at), &excelize.Chart{
		Type:  excelize.BarStacked,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Bold: true, Size: 12, Color: colourTitle}}}},
		Series: []excelize.ChartSeries{
			{Name: rng("D", rows[0]-1, rows[0]-1), Categories: rng("A", rows[0], last), Values: rng("D", rows[0], last), Fill: solid("1F4E5F")},
			{Name: rng("E", rows[0]-1, rows[0]-1), Categories: rng("A", rows[0], last), Values: rng("E", rows[0], last), Fill: solid("7FB77E")},
		},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: axisFont},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0"}, Font: axisFont},
		Dimension: excelize.ChartDimension{Width: 520, Height: uint(130 + 28*(last-rows[0]+1))},
	})
}

// writePayReconciliation writes budget pay against the posts, cost centre
// by cost centre, from row r.
func writePayReconciliation(b *sheetBuilder, r int, s *Staffing) {
	p := s.Pay
	b.row(r, text("Pay and posts: budget pay lines set against the staffing establishment", lookSection))
	b.row(r+1, long(fmt.Sprintf("Budget pay is the lines the framework's pay nominals name (salaries, employer's NI, pension, overtime, agency staff); the posts' cost is from %s. A cost centre agrees when the two differ by at most %s (whichever is more). Differences are shown both ways; vacant posts are counted and flagged.",
		s.Where(), p.Tolerance), lookMuted))
	if s.inputs > 1 {
		r++
		b.row(r+1, long(fmt.Sprintf("The establishment is shared by the %d budgets of this run, so the budget pay here is theirs together: a cost centre budgeted in another of them shows here too.", s.inputs), lookMuted))
	}
	r += 3
	b.row(r, text("Cost centre", lookHead), text("Business unit", lookHead), text("Budget pay £", lookHeadNum), text("Pay lines", lookHeadNum), text("Posts", lookHeadNum),
		text("Vacant posts", lookHeadNum), text("Posts cost £", lookHeadNum), text("Difference £ (budget − posts)", lookHeadNum), text("Within tolerance", lookHead), text("What it shows", lookHead))
	for _, row := range p.Rows {
		r++
		within, look := "yes", lookGood
		if !row.Within {
			within, look = "NO", lookBad
		}
		dl := look
		dl.money = true
		label := row.CostCentre
		if row.CostCentreName != "" {
			label += " " + row.CostCentreName
		}
		b.row(r, text(label, styleKey{}), text(row.BusinessUnit, styleKey{}), money(row.Budget, lookMoney), countCell(row.PayLines), countCell(row.Posts),
			countCell(row.VacantPosts), money(row.Establishment, lookMoney), money(row.Difference, dl), text(within, look), long(row.Explain(p.Tolerance, p.Kinds), styleKey{}))
	}
	r++
	b.row(r, text("Total", lookBold), text("", lookBold), money(p.Budget, lookBoldM), text("", lookBold), outCell{Value: float64(len(s.Posts)), Style: lookBold}, text("", lookBold),
		money(p.Establishment, lookBoldM), money(p.Budget-p.Establishment, lookBoldM), text(fmt.Sprintf("%d outside", p.Outside), lookBold))
}

// addStaffReport adds the Staff summary sheet of a staffing workbook's
// annotated copy.
func addStaffReport(f *excelize.File, st *styles, run *Run, s *Staffing) error {
	name := uniqueSheetName(f, "Staff summary")
	idx, err := f.NewSheet(name)
	if err != nil {
		return err
	}
	f.SetActiveSheet(idx)
	b := &sheetBuilder{f: f, st: st, sheet: name}
	b.widths(34, 16, 14, 12, 12, 12, 14, 18, 12, 40)
	b.row(1, text("Staff time and pay", lookTitle))
	b.row(2, text(fmt.Sprintf("framework %s · purpose %s", run.Framework.Name, run.Version), lookSubtitle))
	r, err := writePeopleView(b, 4, run.Framework, s)
	if err != nil {
		return err
	}
	writePayReconciliation(b, r+3, s)
	if b.err != nil {
		return b.err
	}
	if err := b.fit(); err != nil {
		return err
	}
	if b.lastRow > 0 {
		return f.SetSheetDimension(name, "A1:"+ingest.CellRef(b.lastCol, b.lastRow))
	}
	return nil
}
