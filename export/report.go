package export

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/samber/lo"
	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/layout"
	"github.com/purpose-hq/purpose/ingest"
)

// dropReportSheets deletes the sheets an earlier run added (its Summary,
// Review, Reconciliation, Staff summary and Lists), which this run's
// replace: left, they would show that run's figures beside this one's.
func dropReportSheets(f *excelize.File) error {
	for _, s := range f.GetSheetList() {
		if !ingest.MayBeReportSheet(s) {
			continue // by name alone, before excelize loads the sheet
		}
		a1, err1 := f.GetCellValue(s, "A1")
		a2, err2 := f.GetCellValue(s, "A2")
		if err1 != nil || err2 != nil || !ingest.ReportTitled(s, a1, a2) {
			continue
		}
		if err := f.DeleteSheet(s); err != nil {
			return err
		}
	}
	return nil
}

// addReportSheets adds Summary, Review and Reconciliation to a workbook and
// makes Summary the sheet it opens on.
func addReportSheets(f *excelize.File, st *layout.Styles, run *Run, in Input, sheetName func(*ingest.Table) string) error {
	names := map[string]string{}
	for _, n := range []string{"Summary", "Review", "Reconciliation"} {
		names[n] = layout.UniqueSheetName(f, n)
		idx, err := f.NewSheet(names[n])
		if err != nil {
			return err
		}
		if n == "Summary" {
			f.SetActiveSheet(idx)
		}
	}
	if err := f.SetSheetView(names["Summary"], -1, &excelize.ViewOptions{ShowGridLines: lo.ToPtr(false)}); err != nil {
		return err
	}
	builders := map[string]*layout.Sheet{}
	for _, n := range names {
		builders[n] = layout.NewSheet(f, st, n)
	}
	if err := writeSummary(builders[names["Summary"]], run, in); err != nil {
		return err
	}
	if err := writeReview(builders[names["Review"]], run, in, sheetName); err != nil {
		return err
	}
	if err := writeReconciliation(builders[names["Reconciliation"]], run, in, sheetName); err != nil {
		return err
	}
	for _, n := range names {
		if err := builders[n].Fit(); err != nil {
			return err
		}
		if err := layout.PrintOnePageWide(f, n); err != nil {
			return err
		}
		// The used range, which excelize does not keep up to date and
		// readers such as openpyxl's read-only mode trust.
		if b := builders[n]; b.LastRow > 0 {
			if err := f.SetSheetDimension(n, "A1:"+ingest.CellRef(b.LastCol, b.LastRow)); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeSummary(b *layout.Sheet, run *Run, in Input) error {
	modeRows, r := summaryHead(b, run, in)
	s := in.Summary
	pct := func(p int64) analysis.Ratio { return analysis.Ratio{Num: p, Den: s.Overall.Expenditure()} }

	// By business unit.
	buFirst, buLast := r+3, unitTable(b, r+1, "By business unit", "Business unit", s.ByBusinessUnit)
	r = buLast

	// By outcome.
	r += 2
	b.Row(r, layout.Text("By outcome", layout.LookSection))
	r++
	b.Row(r, layout.Text("Outcome", layout.LookHead), layout.Text("Theme", layout.LookHead), layout.Text("Specialist", layout.LookHeadNum), layout.Text("Embedded", layout.LookHeadNum), layout.Text("Total", layout.LookHeadNum), layout.Text("% of spend", layout.LookHeadNum))
	outFirst := r + 1
	for _, oc := range s.ByOutcome {
		r++
		b.Row(r, layout.Text(oc.Outcome.Name, layout.Look{}), layout.Text(oc.Outcome.Theme, layout.Look{}), layout.Money(oc.Specialist, layout.LookMoney), layout.Money(oc.Embedded, layout.LookMoney), layout.Money(oc.Total(), layout.LookMoney), layout.Share(pct(oc.Total()), layout.LookPct))
	}
	outLast := r
	if len(s.ByOutcome) == 0 {
		r++
		b.Row(r, layout.Text("No spend was mapped to a social outcome.", layout.LookMuted))
	}

	// By theme.
	r += 2
	b.Row(r, layout.Text("By theme", layout.LookSection))
	r++
	b.Row(r, layout.Text("Theme", layout.LookHead), layout.Text("Specialist", layout.LookHeadNum), layout.Text("Embedded", layout.LookHeadNum), layout.Text("Total", layout.LookHeadNum), layout.Text("% of spend", layout.LookHeadNum))
	for _, t := range s.ByTheme {
		r++
		b.Row(r, layout.Text(t.Label, layout.Look{}), layout.Money(t.Specialist, layout.LookMoney), layout.Money(t.Embedded, layout.LookMoney), layout.Money(t.Social(), layout.LookMoney), layout.Share(pct(t.Social()), layout.LookPct))
	}

	// By cost centre.
	r = unitTable(b, r+2, "By cost centre", "Cost centre", s.ByCostCentre)
	if b.Err != nil {
		return b.Err
	}
	if in.Staff != nil {
		if _, err := writePeopleView(b, r+3, in.Framework(run), in.Staff); err != nil {
			return err
		}
	}
	return addSummaryCharts(b, modeRows, [2]int{buFirst, buLast}, [2]int{outFirst, outLast})
}

// summaryHead writes the Summary's title, headline, where the money goes
// and how to read it, and returns the rows of the modes (specialist …
// unmapped) and the last row written.
func summaryHead(b *layout.Sheet, run *Run, in Input) (modeRows [2]int, last int) {
	o := in.Summary.Overall
	exp := o.Expenditure()
	pct := func(p int64) analysis.Ratio { return analysis.Ratio{Num: p, Den: exp} }
	b.Widths(42, 26, 16, 12, 16, 16, 16)
	b.Row(1, layout.Text(ingest.ReportTitles["Summary"], layout.LookTitle))
	b.Row(2, layout.Text(fmt.Sprintf("%s · framework %s · purpose %s", filepath.Base(in.Book.Path), run.Framework.Name, run.Version), layout.LookSubtitle))
	headline := "No expenditure was found, so there is no share to give."
	if o.Share().Defined() {
		headline = fmt.Sprintf("%s of expenditure is mapped to social outcomes: %s of %s", o.Share().Percent(), ingest.FormatPounds(o.Social()), ingest.FormatPounds(exp))
	}
	b.Row(3, layout.Text(headline, layout.LookHeadline))

	r := 5
	b.Row(r, layout.Text("Where the money goes", layout.LookHead), layout.Text("£", layout.LookHeadNum), layout.Text("% of spend", layout.LookHeadNum))
	headRow := r + 1
	lines := []struct {
		label string
		p     int64
		bold  bool
	}{
		{"Social purpose spend", o.Social(), true},
		{"  Specialist (community investment teams)", o.Specialist, false},
		{"  Embedded in core services", o.Embedded, false},
		{"Core landlord services", o.Core, false},
		{"Unmapped (see Review)", o.Unmapped, false},
		{"Total expenditure", exp, true},
	}
	for i, l := range lines {
		lk, mk, pk := layout.Look{}, layout.LookMoney, layout.LookPct
		if l.bold {
			lk, mk, pk = layout.LookBold, layout.LookBoldM, layout.LookBoldP
		}
		b.Row(headRow+i, layout.Text(l.label, lk), layout.Money(l.p, mk), layout.Share(pct(l.p), pk))
	}
	r = headRow + len(lines)
	b.Row(r, layout.Text("Income and credits (as signed in the file)", layout.Look{}), layout.Money(o.Income, layout.LookMoney))
	b.Row(r+1, layout.Text("Net total of all lines read (as signed in the file)", layout.LookBold), layout.Money(o.Net(), layout.LookBoldM))
	b.Row(r+2, layout.Text(fmt.Sprintf("%s; %s to review; shares are of total expenditure, and read n/a where it is zero.", Counted(o.Lines, "line read", "lines read"), count(reviewCount(in))), layout.LookMuted))
	if said := reviewedBy(in); said != "" {
		b.Row(r+3, layout.Text(said, layout.LookMuted))
	}

	// How to read it.
	r += 4
	b.Row(r, layout.Text("How to read this", layout.LookSection))
	for i, note := range []string{
		"Specialist: teams whose whole job is social purpose, such as community investment, money advice and employment support.",
		"Embedded: the part of core services' spend that delivers social outcomes, such as the share of a housing officer's time spent helping tenants keep their homes.",
		"The shares come from the outcomes framework's rules, which are judgements an adviser can edit; each line shows the rule that mapped it.",
		"Core: landlord work that is not social purpose in itself (repairs, compliance, corporate services). Unmapped: lines no rule matched, counted as not social.",
		"Income and credits (lines an income rule matches, and every negative line) are kept apart from expenditure.",
	} {
		b.Row(r+1+i, layout.Text(note, layout.LookNote))
	}
	return [2]int{headRow + 1, headRow + 4}, r + 6
}

// unitTable writes a table of business units or cost centres from row r,
// titled title, its first column headed heading, and returns its last row.
func unitTable(b *layout.Sheet, r int, title, heading string, keys []analysis.Keyed) int {
	b.Row(r, layout.Text(title, layout.LookSection))
	r++
	b.Row(r, layout.Text(heading, layout.LookHead), layout.Text("Expenditure", layout.LookHeadNum), layout.Text("Social purpose", layout.LookHeadNum), layout.Text("Share", layout.LookHeadNum), layout.Text("Specialist", layout.LookHeadNum), layout.Text("Embedded", layout.LookHeadNum), layout.Text("Unmapped", layout.LookHeadNum))
	for _, k := range keys {
		r++
		b.Row(r, layout.Text(k.Label, layout.Look{}), layout.Money(k.Expenditure(), layout.LookMoney), layout.Money(k.Social(), layout.LookMoney), layout.Share(k.Share(), layout.LookPct), layout.Money(k.Specialist, layout.LookMoney), layout.Money(k.Embedded, layout.LookMoney), layout.Money(k.Unmapped, layout.LookMoney))
	}
	return r
}

const maxChartBars = 20

// barRows is the last table row a bar chart shows (at most maxChartBars,
// the table being largest first) and its title, which says when it shows
// only the largest.
func barRows(rows [2]int, title string) (int, string) {
	last := min(rows[1], rows[0]+maxChartBars-1)
	if last < rows[1] {
		title += fmt.Sprintf(" (largest %d of %d)", last-rows[0]+1, rows[1]-rows[0]+1)
	}
	return last, title
}

func addSummaryCharts(b *layout.Sheet, modes, bu, out [2]int) error {
	q := layout.QuoteSheet(b.Name)
	rng := func(col string, lo, hi int) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, lo, col, hi) }
	titled := func(s string) excelize.ChartTitle {
		return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Bold: true, Size: 12, Color: layout.ColourTitle}}}}
	}
	solid := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	axisFont := excelize.Font{Color: "404040", Size: 9}
	no := false
	charts := []*excelize.Chart{{
		Type:  excelize.Doughnut,
		Title: titled("Where the money goes"),
		Series: []excelize.ChartSeries{{Name: "Expenditure", Categories: rng("A", modes[0], modes[1]), Values: rng("B", modes[0], modes[1]),
			DataPoint: []excelize.ChartDataPoint{{Index: 0, Fill: solid("1F4E5F")}, {Index: 1, Fill: solid("7FB77E")}, {Index: 2, Fill: solid("BFBFBF")}, {Index: 3, Fill: solid("F4B183")}}}},
		Legend:    excelize.ChartLegend{Position: "right"},
		Dimension: excelize.ChartDimension{Width: 560, Height: 300},
		HoleSize:  55,
	}}
	if bu[1] >= bu[0] {
		last, title := barRows(bu, "Social purpose share by business unit")
		charts = append(charts, &excelize.Chart{
			Type:       excelize.Bar,
			Title:      titled(title),
			Series:     []excelize.ChartSeries{{Name: "Share of expenditure", Categories: rng("A", bu[0], last), Values: rng("D", bu[0], last), Fill: solid("2E8B57")}},
			Legend:     excelize.ChartLegend{Position: "none"},
			PlotArea:   excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			XAxis:      excelize.ChartAxis{ReverseOrder: true, Font: axisFont},
			YAxis:      excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: axisFont},
			Dimension:  excelize.ChartDimension{Width: 560, Height: uint(110 + 28*(last-bu[0]+1))},
			VaryColors: &no,
		})
	}
	if out[1] >= out[0] {
		last, title := barRows(out, "Social purpose spend by outcome")
		charts = append(charts, &excelize.Chart{
			Type:  excelize.BarStacked,
			Title: titled(title),
			Series: []excelize.ChartSeries{
				{Name: rng("C", out[0]-1, out[0]-1), Categories: rng("A", out[0], last), Values: rng("C", out[0], last), Fill: solid("1F4E5F")},
				{Name: rng("D", out[0]-1, out[0]-1), Categories: rng("A", out[0], last), Values: rng("D", out[0], last), Fill: solid("7FB77E")},
			},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: axisFont},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: `"£"#,##0,"k"`}, Font: axisFont},
			Dimension: excelize.ChartDimension{Width: 560, Height: uint(130 + 28*(last-out[0]+1))},
		})
	}
	// Stack the charts down column I, a row's gap between them (rows are
	// 20 pixels high by default).
	row := 2
	for _, c := range charts {
		if err := b.File.AddChart(b.Name, fmt.Sprintf("I%d", row), c); err != nil {
			return err
		}
		row += int(c.Dimension.Height)/20 + 2
	}
	return nil
}

// reviewItem is a line or row a person should look at.
type reviewItem struct {
	src  ingest.Source
	line *ingest.CostLine
	why  string
	amt  int64
	show bool
}

func reviewItems(in Input) []reviewItem {
	var items []reviewItem
	for i := range in.Review {
		l := &in.Review[i].Line
		switch in.Review[i].Status {
		case analysis.StatusUnmapped:
			items = append(items, reviewItem{l.Source, l, "no rule matched: counted as not social purpose", l.Amount, true})
		case analysis.StatusUnreadable:
			items = append(items, reviewItem{l.Source, l, fmt.Sprintf("amount %q is not an amount: left out of every total", l.Unreadable), 0, false})
		}
	}
	for _, t := range in.Book.Tables {
		for _, e := range t.Excluded {
			if e.Reason == ingest.ReasonSubtotal && e.Checked && !e.Agrees() {
				items = append(items, reviewItem{e.Source, nil, fmt.Sprintf("subtotal %q shows %s but %s add up to %s", e.Label, ingest.FormatMoney(e.Amount), e.Check, ingest.FormatMoney(e.Expected)), e.Amount, true})
			}
		}
	}
	return items
}

// reviewCount counts everything to review, including lines beyond those
// kept in full.
func reviewCount(in Input) int { return len(reviewItems(in)) + in.Counts.Review - len(in.Review) }

func writeReview(b *layout.Sheet, run *Run, in Input, sheetName func(*ingest.Table) string) error {
	b.Widths(22, 8, 22, 12, 26, 10, 36, 14, 60, 12, 16)
	b.Row(1, layout.Text(ingest.ReportTitles["Review"], layout.LookTitle))
	b.Row(2, layout.Text("Lines no rule matched, amounts that could not be read, and subtotals that do not agree with their lines. Click a row number to go to the line. Record a decision on each (accept, override with the line's Outcome override column, or query) and who made it: they are kept when the workbook is run again.", layout.LookSubtitle))
	b.Row(4, layout.Text("Sheet", layout.LookHead), layout.Text("Row", layout.LookHead), layout.Text("Business unit", layout.LookHead), layout.Text("Cost centre", layout.LookHead), layout.Text("Cost centre name", layout.LookHead), layout.Text("Nominal", layout.LookHead), layout.Text("Description", layout.LookHead), layout.Text("Line £", layout.LookHead), layout.Text("Why", layout.LookHead),
		layout.Text(ingest.DecisionHeader, layout.LookHead), layout.Text(ingest.ReviewerHeader, layout.LookHead))
	sheetOf := map[string]string{}
	for _, t := range in.Book.Tables {
		sheetOf[t.Source.Sheet] = sheetName(t)
	}
	decided := decisionsByLine(in.Book.Decisions)
	listed := map[lineKey]bool{}
	r := 4
	for _, it := range reviewItems(in) {
		r++
		sheet := sheetOf[it.src.Sheet]
		cells := []layout.Cell{layout.Text(sheet, layout.Look{}), {Value: float64(it.src.Row), Style: layout.Look{Colour: "0563C1"}}}
		if it.line != nil {
			l := it.line
			cells = append(cells, layout.Text(l.BusinessUnit, layout.Look{}), layout.Text(l.CostCentre, layout.Look{}), layout.Text(l.CostCentreName, layout.Look{}), layout.Text(l.Nominal, layout.Look{}), layout.Text(l.Described(), layout.Look{}))
		} else {
			cells = append(cells, layout.Text("", layout.Look{}), layout.Text("", layout.Look{}), layout.Text("", layout.Look{}), layout.Text("", layout.Look{}), layout.Text("", layout.Look{}))
		}
		if it.show {
			cells = append(cells, layout.Money(it.amt, layout.LookMoney))
		} else {
			cells = append(cells, layout.Text("", layout.Look{}))
		}
		cells = append(cells, layout.Text(it.why, layout.Look{Wrap: true}))
		k := lineKey{sheet, it.src.Row}
		d := decided[k]
		listed[k] = true
		cells = append(cells, layout.Text(d.Decision, layout.Look{}), layout.Text(d.Reviewer, layout.Look{}))
		b.Row(r, cells...)
		b.Link(2, r, fmt.Sprintf("%s!A%d", layout.QuoteSheet(sheet), it.src.Row))
	}
	if more := in.Counts.Review - len(in.Review); more > 0 {
		r += 2
		b.Row(r, layout.Text(fmt.Sprintf("… and %s more lines to review, not listed here: allocations.csv has every line (outcome unmapped).", count(more)), layout.LookMuted))
	}
	last := r
	if r == 4 {
		b.Row(5, layout.Text("Nothing to review: every line was mapped and every subtotal agrees.", layout.LookMuted))
		last = 5
	}
	if b.Err == nil {
		b.Err = b.File.AutoFilter(b.Name, fmt.Sprintf("A4:K%d", last), nil)
	}
	if b.Err == nil {
		// The drop-down, down to where a list as long as the kept lines
		// would end.
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("J5:J%d", max(last, 5+MaxReviewLines))
		b.Err = dv.SetDropList([]string{ingest.DecisionAccept, ingest.DecisionOverride, ingest.DecisionQuery})
		if b.Err == nil {
			b.Err = b.File.AddDataValidation(b.Name, dv)
		}
	}
	r = writeReviewed(b, r+3, in, sheetOf, decided, listed)
	if b.Err == nil {
		b.Err = b.File.SetPanes(b.Name, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	}
	return b.Err
}

// lineKey is a line by the sheet and row the Review sheet names it by.
type lineKey struct {
	sheet string
	row   int
}

func decisionsByLine(ds []ingest.Decision) map[lineKey]ingest.Decision {
	out := map[lineKey]ingest.Decision{}
	for _, d := range ds {
		out[lineKey{d.Sheet, d.Row}] = d
	}
	return out
}

// writeReviewed lists, from row r, what an adviser's review of a workbook
// sent back did: the overrides taken, the edits to purpose's own columns
// left alone, and the decisions on lines no longer listed above (an
// overridden line is mapped now). It returns the last row written.
func writeReviewed(b *layout.Sheet, r int, in Input, sheetOf map[string]string, decided map[lineKey]ingest.Decision, listed map[lineKey]bool) int {
	var earlier []ingest.Decision
	for _, d := range in.Book.Decisions {
		if !listed[lineKey{d.Sheet, d.Row}] {
			earlier = append(earlier, d)
		}
	}
	if len(in.Reviewed) == 0 && len(earlier) == 0 {
		return r
	}
	b.Row(r, layout.Text("The adviser's review", layout.LookSection))
	b.Row(r+1, layout.Text("Overrides taken (they go above every rule; allocations.csv names their rule override, with the note), edits to purpose's own columns left alone, and decisions on lines no longer listed above.", layout.LookMuted))
	r += 2
	b.Row(r, layout.Text("Sheet", layout.LookHead), layout.Text("Row", layout.LookHead), layout.Text("Cell", layout.LookHead), layout.Text("Column", layout.LookHead), layout.Text("Typed", layout.LookHead), layout.Text("Line £", layout.LookHead), layout.Text("Description", layout.LookHead), layout.Text("Taken as", layout.LookHead), layout.Text("Note", layout.LookHead),
		layout.Text(ingest.DecisionHeader, layout.LookHead), layout.Text(ingest.ReviewerHeader, layout.LookHead))
	for _, rv := range in.Reviewed {
		r++
		sheet := sheetOf[rv.Source.Sheet]
		taken := rv.Why
		if rv.Rule != nil {
			taken = "override: " + overrideText(in, rv.Rule)
		}
		d := decided[lineKey{sheet, rv.Source.Row}]
		b.Row(r, layout.Text(sheet, layout.Look{}), layout.Cell{Value: float64(rv.Source.Row), Style: layout.Look{Colour: "0563C1"}}, layout.Text(rv.Cell, layout.Look{}), layout.Text(rv.Column, layout.Look{}),
			layout.Text(rv.Typed, layout.Look{}), layout.Money(rv.Amount, layout.LookMoney), layout.Text(rv.Description, layout.Look{}), layout.Text(taken, layout.Look{Wrap: true}), layout.Text(rv.Note, layout.Look{Wrap: true}),
			layout.Text(d.Decision, layout.Look{}), layout.Text(d.Reviewer, layout.Look{}))
		b.Link(2, r, fmt.Sprintf("%s!A%d", layout.QuoteSheet(sheet), rv.Source.Row))
	}
	for _, d := range earlier {
		if slices.ContainsFunc(in.Reviewed, func(rv Reviewed) bool { return sheetOf[rv.Source.Sheet] == d.Sheet && rv.Source.Row == d.Row }) {
			continue
		}
		r++
		b.Row(r, layout.Text(d.Sheet, layout.Look{}), layout.Cell{Value: float64(d.Row), Style: layout.Look{Colour: "0563C1"}}, layout.Text("", layout.Look{}), layout.Text("", layout.Look{}), layout.Text("", layout.Look{}),
			layout.Text("", layout.Look{}), layout.Text("", layout.Look{}), layout.Text("decided earlier; the line is no longer to review", layout.Look{Wrap: true}), layout.Text("", layout.Look{}),
			layout.Text(d.Decision, layout.Look{}), layout.Text(d.Reviewer, layout.Look{}))
		b.Link(2, r, fmt.Sprintf("%s!A%d", layout.QuoteSheet(d.Sheet), d.Row))
	}
	if more := in.Counts.Overrides + in.Counts.EditsLeft - len(in.Reviewed); more > 0 {
		r += 2
		b.Row(r, layout.Text(fmt.Sprintf("… and %s more, not listed here: allocations.csv names every override.", count(more)), layout.LookMuted))
	}
	return r
}

// reviewedBy says how many lines an adviser's review reached and by whom:
// a decision on the Review sheet, or an override; "" when none.
func reviewedBy(in Input) string {
	byWhom := map[string]map[lineKey]bool{}
	all := map[lineKey]bool{}
	add := func(who string, k lineKey) {
		if byWhom[who] == nil {
			byWhom[who] = map[lineKey]bool{}
		}
		byWhom[who][k] = true
		all[k] = true
	}
	named := map[lineKey]bool{}
	for _, d := range in.Book.Decisions {
		k := lineKey{d.Sheet, d.Row}
		if d.Reviewer != "" {
			add(d.Reviewer, k)
			named[k] = true
		} else {
			add("", k)
		}
	}
	for _, rv := range in.Reviewed {
		if k := (lineKey{rv.Source.Sheet, rv.Source.Row}); rv.Rule != nil && !named[k] {
			add("", k)
		}
	}
	if len(all) == 0 {
		return ""
	}
	var who []string
	for _, name := range slices.Sorted(maps.Keys(byWhom)) {
		if name != "" {
			who = append(who, fmt.Sprintf("%s (%s)", name, count(len(byWhom[name]))))
		}
	}
	if len(who) == 0 {
		return fmt.Sprintf("Reviewed: %s, no reviewer named; see the Review sheet.", Counted(len(all), "line", "lines"))
	}
	if n := len(byWhom[""]); n > 0 {
		who = append(who, fmt.Sprintf("no reviewer named (%s)", count(n)))
	}
	return fmt.Sprintf("Reviewed: %s, by %s; see the Review sheet.", Counted(len(all), "line", "lines"), strings.Join(who, ", "))
}

// overrideText says what an override gives a line: "Money and debt advice
// 50% (specialist)", "core".
func overrideText(in Input, r *analysis.Rule) string {
	if len(r.Parts) == 0 {
		return analysis.OutcomeCore
	}
	p := r.Parts[0]
	name := p.Outcome
	if fw := in.framework; fw != nil {
		if o, ok := fw.Outcome(p.Outcome); ok {
			name = o.Name
		}
	}
	return fmt.Sprintf("%s %s (%s)", name, analysis.FormatShare(p.Share), p.Mode)
}

func writeReconciliation(b *layout.Sheet, run *Run, in Input, sheetName func(*ingest.Table) string) error {
	o := in.Summary.Overall
	b.Widths(44, 16, 14, 12, 18, 14, 18, 40, 12, 60)
	b.Row(1, layout.Text(ingest.ReportTitles["Reconciliation"], layout.LookTitle))
	b.Row(2, layout.Text("Every line read is allocated in full: what went in comes out, to the penny.", layout.LookSubtitle))
	var linesTotal int64
	for _, t := range in.Book.Tables {
		linesTotal += t.Total()
	}
	allocated, unreadable := in.Allocated, in.Counts.Unreadable
	diff := allocated - linesTotal
	r := 4
	b.Row(r, layout.Text("Totals", layout.LookHead), layout.Text("£", layout.LookHeadNum))
	b.Row(r+1, layout.Text(fmt.Sprintf("Sum of the %s read (net)", Counted(in.Counts.Lines-unreadable, "line", "lines")), layout.Look{}), layout.Money(linesTotal, layout.LookMoney))
	b.Row(r+2, layout.Text("  of which expenditure", layout.Look{}), layout.Money(o.Expenditure(), layout.LookMoney))
	b.Row(r+3, layout.Text("  of which income and credits", layout.Look{}), layout.Money(o.Income, layout.LookMoney))
	b.Row(r+4, layout.Text("Allocated to outcomes, core, unmapped and income", layout.Look{}), layout.Money(allocated, layout.LookMoney))
	look, verdict := layout.LookGood, "Reconciles to the penny"
	if diff != 0 {
		look, verdict = layout.LookBad, "DOES NOT RECONCILE: please report this"
	}
	b.Row(r+5, layout.Text("Difference", layout.LookBold), layout.Money(diff, layout.LookBoldM), layout.Text(verdict, look))
	r += 6
	if unreadable > 0 {
		b.Row(r, layout.Long(Counted(unreadable, "line had an amount that could not be read and is in no total (see Review)", "lines had amounts that could not be read and are in no total (see Review)"), layout.LookBad))
		r++
	}

	r++
	b.Row(r, layout.Text("Tables read", layout.LookSection))
	r++
	b.Row(r, layout.Text("Sheet", layout.LookHead), layout.Text("Header row", layout.LookHeadNum), layout.Text("Last row", layout.LookHeadNum), layout.Text("Lines", layout.LookHeadNum), layout.Text("Lines total £", layout.LookHeadNum), layout.Text("Subtotal rows", layout.LookHeadNum), layout.Text("Headings, notes, repeated headers", layout.LookHeadNum), layout.Text("Blank rows", layout.LookHeadNum))
	for _, t := range in.Book.Tables {
		r++
		subs, other := 0, 0
		for _, e := range t.Excluded {
			if e.Reason == ingest.ReasonSubtotal {
				subs++
			} else {
				other++
			}
		}
		b.Row(r, layout.Text(sheetName(t), layout.Look{}), layout.Cell{Value: float64(t.Source.Row), Style: layout.Look{}}, layout.Cell{Value: float64(t.LastRow), Style: layout.Look{}}, layout.Cell{Value: float64(t.Lines), Style: layout.Look{}}, layout.Money(t.Total(), layout.LookMoney), layout.Cell{Value: float64(subs), Style: layout.Look{}}, layout.Cell{Value: float64(other), Style: layout.Look{}}, layout.Cell{Value: float64(t.BlankRows), Style: layout.Look{}})
	}
	if len(in.Book.Skipped) > 0 {
		r += 2
		b.Row(r, layout.Text("Sheets skipped", layout.LookSection))
		r++
		b.Row(r, layout.Text("Sheet", layout.LookHead), layout.Text("Why", layout.LookHead))
		for _, s := range in.Book.Skipped {
			r++
			b.Row(r, layout.Text(s.Name, layout.Look{}), layout.Long(s.Reason, layout.Look{}))
		}
	}

	r += 2
	b.Row(r, layout.Text("Rows excluded: not spend", layout.LookSection))
	r++
	b.Row(r, layout.Text("Text", layout.LookHead), layout.Text("Sheet", layout.LookHead), layout.Text("Row", layout.LookHeadNum), layout.Text("Reason", layout.LookHead), layout.Text("Amount shown £", layout.LookHeadNum), layout.Text("Its lines add to £", layout.LookHeadNum), layout.Text("Difference £", layout.LookHeadNum), layout.Text("Checked against", layout.LookHead))
	any := false
	for _, t := range in.Book.Tables {
		for _, e := range t.Excluded {
			any = true
			r++
			cells := []layout.Cell{layout.Text(e.Label, layout.Look{}), layout.Text(sheetName(t), layout.Look{}), {Value: float64(e.Source.Row), Style: layout.Look{Colour: "0563C1"}}, layout.Text(e.Reason, layout.Look{})}
			if e.Reason == ingest.ReasonSubtotal {
				cells = append(cells, layout.Money(e.Amount, layout.LookMoney))
				if e.Checked {
					dl := layout.LookGood
					if !e.Agrees() {
						dl = layout.LookBad
					}
					dl.Money = true
					cells = append(cells, layout.Money(e.Expected, layout.LookMoney), layout.Money(e.Amount-e.Expected, dl))
				} else {
					cells = append(cells, layout.Text("", layout.Look{}), layout.Text("", layout.Look{}))
				}
				cells = append(cells, layout.Text(e.Check, layout.Look{}))
			}
			b.Row(r, cells...)
			b.Link(3, r, fmt.Sprintf("%s!A%d", layout.QuoteSheet(sheetName(t)), e.Source.Row))
		}
	}
	if !any {
		r++
		b.Row(r, layout.Text("None.", layout.LookMuted))
	}
	if in.Staff != nil {
		writePayReconciliation(b, r+3, in.Staff)
	}
	return b.Err
}

// count is a count as people read it: 12,499.
func count(n int) string { return FormatCount(int64(n)) }

// Counted is a count and what it counts, one or many: "1 line", "12,499
// lines".
func Counted(n int, one, many string) string {
	if n == 1 {
		return count(n) + " " + one
	}
	return count(n) + " " + many
}

// FormatCount writes a count as people read it: 12,499.
func FormatCount(n int64) string {
	if n < 0 {
		return "-" + FormatCount(-n)
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// addListsSheet adds a hidden sheet listing core and the framework's
// outcomes, which the Outcome override drop-downs offer, and returns its
// range.
func addListsSheet(f *excelize.File, fw *analysis.Framework) (string, error) {
	name := layout.UniqueSheetName(f, "Lists")
	if _, err := f.NewSheet(name); err != nil {
		return "", err
	}
	values := []string{ingest.ReportTitles["Lists"], analysis.OutcomeCore}
	for _, o := range fw.Outcomes {
		if o.Code != analysis.OutcomeCore && o.Code != analysis.OutcomeIncome && o.Code != analysis.OutcomeUnmapped {
			values = append(values, o.Name)
		}
	}
	for i, v := range values {
		if err := layout.SetText(f, name, ingest.CellRef(1, i+1), v); err != nil {
			return "", err
		}
	}
	if err := f.SetSheetVisible(name, false); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s!$A$2:$A$%d", layout.QuoteSheet(name), len(values)), nil
}
