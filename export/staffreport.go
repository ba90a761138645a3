package export

// The people view and the pay reconciliation: sections of the Summary and
// Reconciliation sheets when a staffing establishment was used, and the
// Staff summary sheet of a staffing workbook's annotated copy.

import (
	"fmt"
	"math/big"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/layout"
	"github.com/purpose-hq/purpose/ingest"
)

// lookFTE is FTE to one decimal place.
var (
	lookFTE     = layout.Look{Format: "#,##0.0"}
	lookBoldFTE = layout.Look{Format: "#,##0.0", Bold: true, Border: true}
)

// fteCell is FTE (billionths) as a number of FTE. A float64 holds the
// FTE of any establishment to well past the one decimal shown.
func fteCell(n int64, k layout.Look) layout.Cell {
	f, _ := new(big.Rat).SetFrac64(n, ingest.FTEUnit).Float64()
	return layout.Cell{Value: f, Style: k}
}

func countCell(n int) layout.Cell { return layout.Cell{Value: float64(n), Style: layout.Look{}} }

// staffHeadline is the people view in a sentence.
func staffHeadline(t analysis.StaffFigures) string {
	return fmt.Sprintf("Staff time: %s of %s FTE (%s) on social purpose; embedded %s, specialist %s FTE",
		FormatFTE(t.SocialFTE()), FormatFTE(t.FTE), analysis.Ratio{Num: t.SocialFTE(), Den: t.FTE}.Percent(), FormatFTE(t.EmbeddedFTE), FormatFTE(t.SpecialistFTE))
}

// writePeopleView writes the people view from row r: social FTE by
// business unit (embedded and specialist, with a chart beside it) and by
// outcome; it returns the last row written.
func writePeopleView(b *layout.Sheet, r int, fw *analysis.Framework, s *Staffing) (int, error) {
	sum := s.Summary
	b.Row(r, layout.Text("People: staff time on social purpose", layout.LookSection))
	b.Row(r+1, layout.Text(staffHeadline(sum.Total), layout.LookBold))
	b.Row(r+2, layout.Long(fmt.Sprintf("From %s: %s (%s vacant, kept in: they are budgeted). A post's time is split by its own time-survey columns, else by the framework's staff rules; the rest is core.",
		s.Where(), Counted(sum.Total.Posts, "post", "posts"), count(sum.Total.VacantPosts)), layout.LookMuted))
	r += 4
	b.Row(r, layout.Text("Business unit", layout.LookHead), layout.Text("Posts", layout.LookHeadNum), layout.Text("FTE", layout.LookHeadNum), layout.Text("Specialist FTE", layout.LookHeadNum), layout.Text("Embedded FTE", layout.LookHeadNum),
		layout.Text("Social FTE", layout.LookHeadNum), layout.Text("Social share", layout.LookHeadNum), layout.Text("Social staff cost", layout.LookHeadNum))
	first := r + 1
	for _, k := range sum.ByBusinessUnit {
		r++
		b.Row(r, layout.Text(k.Key, layout.Look{}), countCell(k.Posts), fteCell(k.FTE, lookFTE), fteCell(k.SpecialistFTE, lookFTE), fteCell(k.EmbeddedFTE, lookFTE),
			fteCell(k.SocialFTE(), lookFTE), layout.Share(analysis.Ratio{Num: k.SocialFTE(), Den: k.FTE}, layout.LookPct), layout.Money(k.SocialCost(), layout.LookMoney))
	}
	last := r
	t := sum.Total
	r++
	b.Row(r, layout.Text("All posts", layout.LookBold), layout.Cell{Value: float64(t.Posts), Style: layout.LookBold}, fteCell(t.FTE, lookBoldFTE), fteCell(t.SpecialistFTE, lookBoldFTE), fteCell(t.EmbeddedFTE, lookBoldFTE),
		fteCell(t.SocialFTE(), lookBoldFTE), layout.Share(analysis.Ratio{Num: t.SocialFTE(), Den: t.FTE}, layout.LookBoldP), layout.Money(t.SocialCost(), layout.LookBoldM))
	chartRow := first - 1
	r += 2
	b.Row(r, layout.Text("Outcome", layout.LookHead), layout.Text("Posts with time on it", layout.LookHeadNum), layout.Text("Specialist FTE", layout.LookHeadNum), layout.Text("Embedded FTE", layout.LookHeadNum), layout.Text("Social FTE", layout.LookHeadNum), layout.Text("Staff cost", layout.LookHeadNum))
	for _, k := range sum.ByOutcome {
		r++
		name := k.Key
		if o, ok := fw.Outcome(k.Key); ok {
			name = o.Name
		}
		b.Row(r, layout.Text(name, layout.Look{}), countCell(k.Posts), fteCell(k.SpecialistFTE, lookFTE), fteCell(k.EmbeddedFTE, lookFTE), fteCell(k.SocialFTE(), lookFTE), layout.Money(k.SocialCost(), layout.LookMoney))
	}
	if len(sum.ByOutcome) == 0 {
		r++
		b.Row(r, layout.Text("No post's time goes to a social outcome.", layout.LookMuted))
	}
	if b.Err != nil || last < first {
		return r, b.Err
	}
	return r, addPeopleChart(b, chartRow, [2]int{first, last})
}

// addPeopleChart is social FTE by business unit, specialist and embedded
// stacked, beside the people view's table.
func addPeopleChart(b *layout.Sheet, at int, rows [2]int) error {
	q := layout.QuoteSheet(b.Name)
	rng := func(col string, lo, hi int) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, lo, col, hi) }
	last, title := barRows(rows, "Staff time on social purpose by business unit (FTE)")
	solid := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	axisFont := excelize.Font{Color: "404040", Size: 9}
	return b.File.AddChart(b.Name, fmt.Sprintf("J%d", at), &excelize.Chart{
		Type:  excelize.BarStacked,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Bold: true, Size: 12, Color: layout.ColourTitle}}}},
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
func writePayReconciliation(b *layout.Sheet, r int, s *Staffing) {
	p := s.Pay
	b.Row(r, layout.Text("Pay and posts: budget pay lines set against the staffing establishment", layout.LookSection))
	b.Row(r+1, layout.Long(fmt.Sprintf("Budget pay is the lines the framework's pay nominals name (salaries, employer's NI, pension, overtime, agency staff); the posts' cost is from %s. A cost centre agrees when the two differ by at most %s (whichever is more). Differences are shown both ways; vacant posts are counted and flagged.",
		s.Where(), p.Tolerance), layout.LookMuted))
	if s.inputs > 1 {
		r++
		b.Row(r+1, layout.Long(fmt.Sprintf("The establishment is shared by the %d budgets of this run, so the budget pay here is theirs together: a cost centre budgeted in another of them shows here too.", s.inputs), layout.LookMuted))
	}
	r += 3
	b.Row(r, layout.Text("Cost centre", layout.LookHead), layout.Text("Business unit", layout.LookHead), layout.Text("Budget pay £", layout.LookHeadNum), layout.Text("Pay lines", layout.LookHeadNum), layout.Text("Posts", layout.LookHeadNum),
		layout.Text("Vacant posts", layout.LookHeadNum), layout.Text("Posts cost £", layout.LookHeadNum), layout.Text("Difference £ (budget − posts)", layout.LookHeadNum), layout.Text("Within tolerance", layout.LookHead), layout.Text("What it shows", layout.LookHead))
	// A row's explanation wraps in its column; the row's other cells
	// stand at its top, beside the explanation's first line.
	plain, amount := layout.Look{Top: true}, layout.Look{Money: true, Top: true}
	count := func(n int) layout.Cell { return layout.Cell{Value: float64(n), Style: plain} }
	for _, row := range p.Rows {
		r++
		within, look := "yes", layout.LookGood
		if !row.Within {
			within, look = "NO", layout.LookBad
		}
		look.Top = true
		dl := look
		dl.Money = true
		label := row.CostCentre
		if row.CostCentreName != "" {
			label += " " + row.CostCentreName
		}
		b.Row(r, layout.Text(label, plain), layout.Text(row.BusinessUnit, plain), layout.Money(row.Budget, amount), count(row.PayLines), count(row.Posts),
			count(row.VacantPosts), layout.Money(row.Establishment, amount), layout.Money(row.Difference, dl), layout.Text(within, look), layout.Text(row.Explain(p.Tolerance, p.Kinds), layout.Look{Wrap: true}))
	}
	r++
	b.Row(r, layout.Text("Total", layout.LookBold), layout.Text("", layout.LookBold), layout.Money(p.Budget, layout.LookBoldM), layout.Text("", layout.LookBold), layout.Cell{Value: float64(len(s.Posts)), Style: layout.LookBold}, layout.Text("", layout.LookBold),
		layout.Money(p.Establishment, layout.LookBoldM), layout.Money(p.Budget-p.Establishment, layout.LookBoldM), layout.Text(fmt.Sprintf("%d outside", p.Outside), layout.LookBold))
}

// addStaffReport adds the Staff summary sheet of a staffing workbook's
// annotated copy.
func addStaffReport(f *excelize.File, st *layout.Styles, run *Run, s *Staffing) error {
	name := layout.UniqueSheetName(f, "Staff summary")
	idx, err := f.NewSheet(name)
	if err != nil {
		return err
	}
	f.SetActiveSheet(idx)
	b := layout.NewSheet(f, st, name)
	b.Widths(34, 16, 14, 12, 12, 12, 14, 18, 12, 60)
	b.Row(1, layout.Text(ingest.ReportTitles["Staff summary"], layout.LookTitle))
	b.Row(2, layout.Text(fmt.Sprintf("framework %s · purpose %s", run.Framework.Name, run.Version), layout.LookSubtitle))
	r, err := writePeopleView(b, 4, run.Framework, s)
	if err != nil {
		return err
	}
	writePayReconciliation(b, r+3, s)
	if b.Err != nil {
		return b.Err
	}
	if err := b.Fit(); err != nil {
		return err
	}
	if err := layout.PrintOnePageWide(f, name); err != nil {
		return err
	}
	if b.LastRow > 0 {
		return f.SetSheetDimension(name, "A1:"+ingest.CellRef(b.LastCol, b.LastRow))
	}
	return nil
}
