package export

import (
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/csvout"
	"github.com/purpose-hq/purpose/ingest"
)

// outCell is one cell of a report sheet: a string or a float64, and its
// look.
type outCell struct {
	Value any
	Style styleKey
	spill bool // text that may run on across empty cells to its right
}

// sheetBuilder writes rows of styled cells to one sheet and keeps the first
// error, so the layout code reads as a layout.
type sheetBuilder struct {
	f     *excelize.File
	st    *styles
	sheet string
	err   error
	// lastRow and lastCol bound the cells given a value: the used range.
	lastRow, lastCol int
	// base are the columns' widths as laid out, need what their cells
	// need; wraps are the cells whose text wraps, to make their rows tall
	// enough (see fit).
	base  []float64
	need  map[int]float64
	wraps []wrapped
}

// wrapped is a cell whose text wraps in its column.
type wrapped struct {
	col, row int
	width    float64 // its text's, on one line
}

// maxFitWidth bounds how wide a column is made to fit its cells.
const maxFitWidth = 60

// spills are the looks of text that runs on across empty cells to its
// right (titles, notes), which no column is widened for.
var spills = map[styleKey]bool{lookTitle: true, lookSubtitle: true, lookSection: true, lookHeadline: true, lookMuted: true, lookNote: true}

// cellWidth is about how wide a cell's content shows, in column width
// units (a character of the default font is about one).
func (b *sheetBuilder) cellWidth(c outCell) float64 {
	var n float64
	switch v := c.Value.(type) {
	case string:
		n = float64(utf8.RuneCountInString(v)) * 1.05
	case float64:
		switch {
		case c.Style.money:
			n = float64(len(ingest.FormatMoney(int64(math.Round(v*100))))) + 1
		case c.Style.format == formatPercent:
			n = 7
		default:
			n = float64(len(strconv.FormatFloat(v, 'f', -1, 64)))
		}
	}
	if c.Style.bold {
		n *= 1.1
	}
	if c.Style.size > 11 {
		n *= c.Style.size / 11
	}
	return n + 2
}

// fit sets the columns' widths, each as laid out or as wide as its cells
// need (to maxFitWidth), and makes each row with wrapped text tall enough
// for it.
func (b *sheetBuilder) fit() error {
	widths := map[int]float64{}
	for i, w := range b.base {
		widths[i+1] = w
	}
	for col, w := range b.need {
		widths[col] = max(widths[col], min(w, maxFitWidth))
	}
	for col := 1; col <= max(b.lastCol, len(b.base)); col++ {
		w, ok := widths[col]
		if !ok {
			continue
		}
		if b.err == nil {
			name := ingest.ColumnLetter(col)
			b.err = b.f.SetColWidth(b.sheet, name, name, w)
		}
	}
	lines := map[int]float64{}
	for _, c := range b.wraps {
		w, ok := widths[c.col]
		if !ok {
			w = 8.43 // Excel's default
		}
		lines[c.row] = max(lines[c.row], math.Ceil(c.width/max(w-2, 1)))
	}
	for row, n := range lines {
		if n > 1 && b.err == nil {
			b.err = b.f.SetRowHeight(b.sheet, row, 15*n)
		}
	}
	return b.err
}

func (b *sheetBuilder) set(col, row int, c outCell) {
	if b.err != nil {
		return
	}
	ref := ingest.CellRef(col, row)
	if c.Value != nil && c.Value != "" {
		b.lastRow, b.lastCol = max(b.lastRow, row), max(b.lastCol, col)
		switch w := b.cellWidth(c); {
		case c.spill || spills[c.Style]:
		case c.Style.wrap && c.Style.fill == "": // text that wraps, not a heading
			b.wraps = append(b.wraps, wrapped{col, row, w})
		default:
			if b.need == nil {
				b.need = map[int]float64{}
			}
			b.need[col] = max(b.need[col], w)
		}
	}
	if text, ok := c.Value.(string); ok && text != "" {
		b.err = setText(b.f, b.sheet, ref, text)
	} else if c.Value != nil && c.Value != "" {
		b.err = b.f.SetCellValue(b.sheet, ref, c.Value)
	}
	if b.err == nil && c.Style != (styleKey{}) {
		var id int
		if id, b.err = b.st.get(c.Style); b.err == nil {
			b.err = b.f.SetCellStyle(b.sheet, ref, ref, id)
		}
	}
}

// setText writes text into a cell of a report sheet. Text that cannot be
// read as a number (what excelize checks) goes in the cell itself:
// excelize then never reads the workbook's shared string table, which for
// a large ledger is slow to read and to write back (50 ms of a
// million-line ledger's run, when the Lists sheet read it).
func setText(f *excelize.File, sheet, ref, text string) error {
	if _, err := strconv.ParseFloat(text, 64); err != nil {
		return f.SetCellDefault(sheet, ref, text)
	}
	return f.SetCellStr(sheet, ref, text)
}

func (b *sheetBuilder) row(row int, cells ...outCell) {
	for i, c := range cells {
		b.set(i+1, row, c)
	}
}

// widths lays out the columns' widths; fit widens them for their cells.
func (b *sheetBuilder) widths(ws ...float64) { b.base = ws }

func (b *sheetBuilder) link(col, row int, target string) {
	if b.err == nil {
		b.err = b.f.SetCellHyperLink(b.sheet, ingest.CellRef(col, row), target, "Location")
	}
}

// Looks used on the report sheets.
var (
	lookTitle    = styleKey{bold: true, size: 16, colour: colourTitle}
	lookSubtitle = styleKey{italic: true, colour: colourMuted}
	lookSection  = styleKey{bold: true, size: 12, colour: colourTitle}
	lookHead     = styleKey{bold: true, fill: colourHeader, colour: "FFFFFF", wrap: true}
	lookHeadNum  = styleKey{bold: true, fill: colourHeader, colour: "FFFFFF", wrap: true, right: true}
	lookHeadline = styleKey{bold: true, size: 14}
	lookNote     = styleKey{colour: "404040"}
	lookMoney    = styleKey{money: true}
	lookPct      = styleKey{format: formatPercent}
	lookBold     = styleKey{bold: true, border: true}
	lookBoldM    = styleKey{bold: true, border: true, money: true}
	lookBoldP    = styleKey{bold: true, border: true, format: formatPercent}
	lookMuted    = styleKey{italic: true, colour: colourMuted}
	lookGood     = styleKey{bold: true, fill: colourSocial}
	lookBad      = styleKey{bold: true, fill: colourUnreadable}
)

func text(s string, k styleKey) outCell { return outCell{Value: s, Style: k} }

// long is text that may run on across the empty cells to its right.
func long(s string, k styleKey) outCell { return outCell{Value: s, Style: k, spill: true} }

func money(p int64, k styleKey) outCell { return outCell{Value: float64(p) / 100, Style: k} }

// share is a ratio as a number cell, or "n/a" when its total is zero.
func share(r analysis.Ratio, k styleKey) outCell {
	if !r.Defined() {
		return outCell{Value: "n/a", Style: styleKey{italic: true, colour: colourMuted, border: k.border}}
	}
	return outCell{Value: r.Float(), Style: k}
}

// uniqueSheetName returns name, or name with " (purpose)" and a number if
// the workbook already has a sheet so called.
func uniqueSheetName(f *excelize.File, name string) string {
	taken := map[string]bool{}
	for _, s := range f.GetSheetList() {
		taken[strings.ToLower(s)] = true
	}
	try := name
	for i := 2; taken[strings.ToLower(try)]; i++ {
		try = fmt.Sprintf("%s (purpose %d)", name, i)
		if i == 2 {
			try = name + " (purpose)"
		}
	}
	return try
}

// isReportSheet reports whether a sheet was added by an earlier run.
func isReportSheet(f *excelize.File, sheet string) bool {
	if !ingest.MayBeReportSheet(sheet) {
		return false // by name alone, before excelize loads the sheet
	}
	a1, err := f.GetCellValue(sheet, "A1")
	return err == nil && ingest.ReportTitled(sheet, a1)
}

func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// addReportSheets adds Summary, Review and Reconciliation to a workbook and
// makes Summary the sheet it opens on.
func addReportSheets(f *excelize.File, st *styles, run *Run, in Input, sheetName func(*ingest.Table) string) error {
	// Sheets an earlier run added are replaced, not added to.
	for _, s := range f.GetSheetList() {
		if isReportSheet(f, s) {
			if err := f.DeleteSheet(s); err != nil {
				return err
			}
		}
	}
	names := map[string]string{}
	for _, n := range []string{"Summary", "Review", "Reconciliation"} {
		names[n] = uniqueSheetName(f, n)
		idx, err := f.NewSheet(names[n])
		if err != nil {
			return err
		}
		if n == "Summary" {
			f.SetActiveSheet(idx)
		}
	}
	if err := f.SetSheetView(names["Summary"], -1, &excelize.ViewOptions{ShowGridLines: boolPtr(false)}); err != nil {
		return err
	}
	builders := map[string]*sheetBuilder{}
	for _, n := range names {
		builders[n] = &sheetBuilder{f: f, st: st, sheet: n}
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
		if err := builders[n].fit(); err != nil {
			return err
		}
		if err := printOnePageWide(f, n); err != nil {
			return err
		}
		// The used range, which excelize does not keep up to date and
		// readers such as openpyxl's read-only mode trust.
		if b := builders[n]; b.lastRow > 0 {
			if err := f.SetSheetDimension(n, "A1:"+ingest.CellRef(b.lastCol, b.lastRow)); err != nil {
				return err
			}
		}
	}
	return nil
}

func boolPtr(b bool) *bool { return &b }

// printOnePageWide sets a sheet to print landscape on A4, one page wide.
func printOnePageWide(f *excelize.File, sheet string) error {
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: boolPtr(true)}); err != nil {
		return err
	}
	a4, landscape, one, any := 9, "landscape", 1, 0
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &any})
}

func writeSummary(b *sheetBuilder, run *Run, in Input) error {
	modeRows, r := summaryHead(b, run, in)
	s := in.Summary
	pct := func(p int64) analysis.Ratio { return analysis.Ratio{Num: p, Den: s.Overall.Expenditure()} }

	// By business unit.
	buFirst, buLast := r+3, unitTable(b, r+1, "By business unit", "Business unit", s.ByBusinessUnit)
	r = buLast

	// By outcome.
	r += 2
	b.row(r, text("By outcome", lookSection))
	r++
	b.row(r, text("Outcome", lookHead), text("Theme", lookHead), text("Specialist", lookHeadNum), text("Embedded", lookHeadNum), text("Total", lookHeadNum), text("% of spend", lookHeadNum))
	outFirst := r + 1
	for _, oc := range s.ByOutcome {
		r++
		b.row(r, text(oc.Outcome.Name, styleKey{}), text(oc.Outcome.Theme, styleKey{}), money(oc.Specialist, lookMoney), money(oc.Embedded, lookMoney), money(oc.Total(), lookMoney), share(pct(oc.Total()), lookPct))
	}
	outLast := r
	if len(s.ByOutcome) == 0 {
		r++
		b.row(r, text("No spend was mapped to a social outcome.", lookMuted))
	}

	// By theme.
	r += 2
	b.row(r, text("By theme", lookSection))
	r++
	b.row(r, text("Theme", lookHead), text("Specialist", lookHeadNum), text("Embedded", lookHeadNum), text("Total", lookHeadNum), text("% of spend", lookHeadNum))
	for _, t := range s.ByTheme {
		r++
		b.row(r, text(t.Label, styleKey{}), money(t.Specialist, lookMoney), money(t.Embedded, lookMoney), money(t.Social(), lookMoney), share(pct(t.Social()), lookPct))
	}

	// By cost centre.
	r = unitTable(b, r+2, "By cost centre", "Cost centre", s.ByCostCentre)
	if b.err != nil {
		return b.err
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
func summaryHead(b *sheetBuilder, run *Run, in Input) (modeRows [2]int, last int) {
	o := in.Summary.Overall
	exp := o.Expenditure()
	pct := func(p int64) analysis.Ratio { return analysis.Ratio{Num: p, Den: exp} }
	b.widths(42, 26, 16, 12, 16, 16, 16)
	b.row(1, text(ingest.ReportTitles["Summary"], lookTitle))
	b.row(2, text(fmt.Sprintf("%s · framework %s · purpose %s", filepath.Base(in.Book.Path), run.Framework.Name, run.Version), lookSubtitle))
	headline := "No expenditure was found, so there is no share to give."
	if o.Share().Defined() {
		headline = fmt.Sprintf("%s of expenditure is mapped to social outcomes: %s of %s", o.Share().Percent(), ingest.FormatPounds(o.Social()), ingest.FormatPounds(exp))
	}
	b.row(3, text(headline, lookHeadline))

	r := 5
	b.row(r, text("Where the money goes", lookHead), text("£", lookHeadNum), text("% of spend", lookHeadNum))
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
		lk, mk, pk := styleKey{}, lookMoney, lookPct
		if l.bold {
			lk, mk, pk = lookBold, lookBoldM, lookBoldP
		}
		b.row(headRow+i, text(l.label, lk), money(l.p, mk), share(pct(l.p), pk))
	}
	r = headRow + len(lines)
	b.row(r, text("Income and credits (as signed in the file)", styleKey{}), money(o.Income, lookMoney))
	b.row(r+1, text("Net total of all lines read (as signed in the file)", lookBold), money(o.Net(), lookBoldM))
	b.row(r+2, text(fmt.Sprintf("%s lines read; %s to review; shares are of total expenditure, and read n/a where it is zero.", count(o.Lines), count(reviewCount(in))), lookMuted))
	if said := reviewedBy(in); said != "" {
		b.row(r+3, text(said, lookMuted))
	}

	// How to read it.
	r += 4
	b.row(r, text("How to read this", lookSection))
	for i, note := range []string{
		"Specialist: teams whose whole job is social purpose, such as community investment, money advice and employment support.",
		"Embedded: the part of core services' spend that delivers social outcomes, such as the share of a housing officer's time spent helping tenants keep their homes.",
		"The shares come from the outcomes framework's rules, which are judgements an adviser can edit; each line shows the rule that mapped it.",
		"Core: landlord work that is not social purpose in itself (repairs, compliance, corporate services). Unmapped: lines no rule matched, counted as not social.",
		"Income and credits (lines an income rule matches, and every negative line) are kept apart from expenditure.",
	} {
		b.row(r+1+i, text(note, lookNote))
	}
	return [2]int{headRow + 1, headRow + 4}, r + 6
}

// unitTable writes a table of business units or cost centres from row r,
// titled title, its first column headed heading, and returns its last row.
func unitTable(b *sheetBuilder, r int, title, heading string, keys []analysis.Keyed) int {
	b.row(r, text(title, lookSection))
	r++
	b.row(r, text(heading, lookHead), text("Expenditure", lookHeadNum), text("Social purpose", lookHeadNum), text("Share", lookHeadNum), text("Specialist", lookHeadNum), text("Embedded", lookHeadNum), text("Unmapped", lookHeadNum))
	for _, k := range keys {
		r++
		b.row(r, text(k.Label, styleKey{}), money(k.Expenditure(), lookMoney), money(k.Social(), lookMoney), share(k.Share(), lookPct), money(k.Specialist, lookMoney), money(k.Embedded, lookMoney), money(k.Unmapped, lookMoney))
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

func addSummaryCharts(b *sheetBuilder, modes, bu, out [2]int) error {
	q := quoteSheet(b.sheet)
	rng := func(col string, lo, hi int) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, lo, col, hi) }
	titled := func(s string) excelize.ChartTitle {
		return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Bold: true, Size: 12, Color: colourTitle}}}}
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
		if err := b.f.AddChart(b.sheet, fmt.Sprintf("I%d", row), c); err != nil {
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

func writeReview(b *sheetBuilder, run *Run, in Input, sheetName func(*ingest.Table) string) error {
	b.widths(22, 8, 22, 12, 26, 10, 36, 14, 60, 12, 16)
	b.row(1, text(ingest.ReportTitles["Review"], lookTitle))
	b.row(2, text("Lines no rule matched, amounts that could not be read, and subtotals that do not agree with their lines. Click a row number to go to the line. Record a decision on each (accept, override with the line's Outcome override column, or query) and who made it: they are kept when the workbook is run again.", lookSubtitle))
	b.row(4, text("Sheet", lookHead), text("Row", lookHead), text("Business unit", lookHead), text("Cost centre", lookHead), text("Cost centre name", lookHead), text("Nominal", lookHead), text("Description", lookHead), text("Line £", lookHead), text("Why", lookHead),
		text(ingest.DecisionHeader, lookHead), text(ingest.ReviewerHeader, lookHead))
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
		cells := []outCell{text(sheet, styleKey{}), {Value: float64(it.src.Row), Style: styleKey{colour: "0563C1"}}}
		if it.line != nil {
			l := it.line
			cells = append(cells, text(l.BusinessUnit, styleKey{}), text(l.CostCentre, styleKey{}), text(l.CostCentreName, styleKey{}), text(l.Nominal, styleKey{}), text(csvout.LineDescription(l), styleKey{}))
		} else {
			cells = append(cells, text("", styleKey{}), text("", styleKey{}), text("", styleKey{}), text("", styleKey{}), text("", styleKey{}))
		}
		if it.show {
			cells = append(cells, money(it.amt, lookMoney))
		} else {
			cells = append(cells, text("", styleKey{}))
		}
		cells = append(cells, text(it.why, styleKey{wrap: true}))
		k := lineKey{sheet, it.src.Row}
		d := decided[k]
		listed[k] = true
		cells = append(cells, text(d.Decision, styleKey{}), text(d.Reviewer, styleKey{}))
		b.row(r, cells...)
		b.link(2, r, fmt.Sprintf("%s!A%d", quoteSheet(sheet), it.src.Row))
	}
	if more := in.Counts.Review - len(in.Review); more > 0 {
		r += 2
		b.row(r, text(fmt.Sprintf("… and %s more lines to review, not listed here: allocations.csv has every line (outcome unmapped).", count(more)), lookMuted))
	}
	last := r
	if r == 4 {
		b.row(5, text("Nothing to review: every line was mapped and every subtotal agrees.", lookMuted))
		last = 5
	}
	if b.err == nil {
		b.err = b.f.AutoFilter(b.sheet, fmt.Sprintf("A4:K%d", last), nil)
	}
	if b.err == nil {
		// The drop-down, down to where a list as long as the kept lines
		// would end.
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("J5:J%d", max(last, 5+MaxReviewLines))
		b.err = dv.SetDropList([]string{ingest.DecisionAccept, ingest.DecisionOverride, ingest.DecisionQuery})
		if b.err == nil {
			b.err = b.f.AddDataValidation(b.sheet, dv)
		}
	}
	r = writeReviewed(b, r+3, in, sheetOf, decided, listed)
	if b.err == nil {
		b.err = b.f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	}
	return b.err
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
func writeReviewed(b *sheetBuilder, r int, in Input, sheetOf map[string]string, decided map[lineKey]ingest.Decision, listed map[lineKey]bool) int {
	var earlier []ingest.Decision
	for _, d := range in.Book.Decisions {
		if !listed[lineKey{d.Sheet, d.Row}] {
			earlier = append(earlier, d)
		}
	}
	if len(in.Reviewed) == 0 && len(earlier) == 0 {
		return r
	}
	b.row(r, text("The adviser's review", lookSection))
	b.row(r+1, text("Overrides taken (they go above every rule; allocations.csv names their rule override, with the note), edits to purpose's own columns left alone, and decisions on lines no longer listed above.", lookMuted))
	r += 2
	b.row(r, text("Sheet", lookHead), text("Row", lookHead), text("Cell", lookHead), text("Column", lookHead), text("Typed", lookHead), text("Line £", lookHead), text("Description", lookHead), text("Taken as", lookHead), text("Note", lookHead),
		text(ingest.DecisionHeader, lookHead), text(ingest.ReviewerHeader, lookHead))
	for _, rv := range in.Reviewed {
		r++
		sheet := sheetOf[rv.Source.Sheet]
		taken := rv.Why
		if rv.Rule != nil {
			taken = "override: " + overrideText(in, rv.Rule)
		}
		d := decided[lineKey{sheet, rv.Source.Row}]
		b.row(r, text(sheet, styleKey{}), outCell{Value: float64(rv.Source.Row), Style: styleKey{colour: "0563C1"}}, text(rv.Cell, styleKey{}), text(rv.Column, styleKey{}),
			text(rv.Typed, styleKey{}), money(rv.Amount, lookMoney), text(rv.Description, styleKey{}), text(taken, styleKey{wrap: true}), text(rv.Note, styleKey{wrap: true}),
			text(d.Decision, styleKey{}), text(d.Reviewer, styleKey{}))
		b.link(2, r, fmt.Sprintf("%s!A%d", quoteSheet(sheet), rv.Source.Row))
	}
	for _, d := range earlier {
		if slices.ContainsFunc(in.Reviewed, func(rv Reviewed) bool { return sheetOf[rv.Source.Sheet] == d.Sheet && rv.Source.Row == d.Row }) {
			continue
		}
		r++
		b.row(r, text(d.Sheet, styleKey{}), outCell{Value: float64(d.Row), Style: styleKey{colour: "0563C1"}}, text("", styleKey{}), text("", styleKey{}), text("", styleKey{}),
			text("", styleKey{}), text("", styleKey{}), text("decided earlier; the line is no longer to review", styleKey{wrap: true}), text("", styleKey{}),
			text(d.Decision, styleKey{}), text(d.Reviewer, styleKey{}))
		b.link(2, r, fmt.Sprintf("%s!A%d", quoteSheet(d.Sheet), d.Row))
	}
	if more := in.Counts.Overrides + in.Counts.EditsLeft - len(in.Reviewed); more > 0 {
		r += 2
		b.row(r, text(fmt.Sprintf("… and %s more, not listed here: allocations.csv names every override.", count(more)), lookMuted))
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
		return fmt.Sprintf("Reviewed: %s lines, no reviewer named; see the Review sheet.", count(len(all)))
	}
	if n := len(byWhom[""]); n > 0 {
		who = append(who, fmt.Sprintf("no reviewer named (%s)", count(n)))
	}
	return fmt.Sprintf("Reviewed: %s lines, by %s; see the Review sheet.", count(len(all)), strings.Join(who, ", "))
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

func writeReconciliation(b *sheetBuilder, run *Run, in Input, sheetName func(*ingest.Table) string) error {
	o := in.Summary.Overall
	b.widths(44, 16, 14, 12, 18, 14, 18, 40)
	b.row(1, text(ingest.ReportTitles["Reconciliation"], lookTitle))
	b.row(2, text("Every line read is allocated in full: what went in comes out, to the penny.", lookSubtitle))
	var linesTotal int64
	for _, t := range in.Book.Tables {
		linesTotal += t.Total()
	}
	allocated, unreadable := in.Allocated, in.Counts.Unreadable
	diff := allocated - linesTotal
	r := 4
	b.row(r, text("Totals", lookHead), text("£", lookHeadNum))
	b.row(r+1, text(fmt.Sprintf("Sum of the %s lines read (net)", count(in.Counts.Lines-unreadable)), styleKey{}), money(linesTotal, lookMoney))
	b.row(r+2, text("  of which expenditure", styleKey{}), money(o.Expenditure(), lookMoney))
	b.row(r+3, text("  of which income and credits", styleKey{}), money(o.Income, lookMoney))
	b.row(r+4, text("Allocated to outcomes, core, unmapped and income", styleKey{}), money(allocated, lookMoney))
	look, verdict := lookGood, "Reconciles to the penny"
	if diff != 0 {
		look, verdict = lookBad, "DOES NOT RECONCILE: please report this"
	}
	b.row(r+5, text("Difference", lookBold), money(diff, lookBoldM), text(verdict, look))
	r += 6
	if unreadable > 0 {
		b.row(r, long(fmt.Sprintf("%s lines had amounts that could not be read and are in no total (see Review)", count(unreadable)), lookBad))
		r++
	}

	r++
	b.row(r, text("Tables read", lookSection))
	r++
	b.row(r, text("Sheet", lookHead), text("Header row", lookHeadNum), text("Last row", lookHeadNum), text("Lines", lookHeadNum), text("Lines total £", lookHeadNum), text("Subtotal rows", lookHeadNum), text("Headings, notes, repeated headers", lookHeadNum), text("Blank rows", lookHeadNum))
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
		b.row(r, text(sheetName(t), styleKey{}), outCell{Value: float64(t.Source.Row), Style: styleKey{}}, outCell{Value: float64(t.LastRow), Style: styleKey{}}, outCell{Value: float64(t.Lines), Style: styleKey{}}, money(t.Total(), lookMoney), outCell{Value: float64(subs), Style: styleKey{}}, outCell{Value: float64(other), Style: styleKey{}}, outCell{Value: float64(t.BlankRows), Style: styleKey{}})
	}
	if len(in.Book.Skipped) > 0 {
		r += 2
		b.row(r, text("Sheets skipped", lookSection))
		r++
		b.row(r, text("Sheet", lookHead), text("Why", lookHead))
		for _, s := range in.Book.Skipped {
			r++
			b.row(r, text(s.Name, styleKey{}), long(s.Reason, styleKey{}))
		}
	}

	r += 2
	b.row(r, text("Rows excluded: not spend", lookSection))
	r++
	b.row(r, text("Text", lookHead), text("Sheet", lookHead), text("Row", lookHeadNum), text("Reason", lookHead), text("Amount shown £", lookHeadNum), text("Its lines add to £", lookHeadNum), text("Difference £", lookHeadNum), text("Checked against", lookHead))
	any := false
	for _, t := range in.Book.Tables {
		for _, e := range t.Excluded {
			any = true
			r++
			cells := []outCell{text(e.Label, styleKey{}), text(sheetName(t), styleKey{}), {Value: float64(e.Source.Row), Style: styleKey{colour: "0563C1"}}, text(e.Reason, styleKey{})}
			if e.Reason == ingest.ReasonSubtotal {
				cells = append(cells, money(e.Amount, lookMoney))
				if e.Checked {
					dl := lookGood
					if !e.Agrees() {
						dl = lookBad
					}
					dl.money = true
					cells = append(cells, money(e.Expected, lookMoney), money(e.Amount-e.Expected, dl))
				} else {
					cells = append(cells, text("", styleKey{}), text("", styleKey{}))
				}
				cells = append(cells, text(e.Check, styleKey{}))
			}
			b.row(r, cells...)
			b.link(3, r, fmt.Sprintf("%s!A%d", quoteSheet(sheetName(t)), e.Source.Row))
		}
	}
	if !any {
		r++
		b.row(r, text("None.", lookMuted))
	}
	if in.Staff != nil {
		writePayReconciliation(b, r+3, in.Staff)
	}
	return b.err
}

// count is a count as people read it: 12,499.
func count(n int) string { return FormatCount(int64(n)) }

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
	for _, s := range f.GetSheetList() {
		if ingest.ReportBase(s) == "Lists" && isReportSheet(f, s) { // an earlier run's
			if err := f.DeleteSheet(s); err != nil {
				return "", err
			}
		}
	}
	name := uniqueSheetName(f, "Lists")
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
		if err := setText(f, name, ingest.CellRef(1, i+1), v); err != nil {
			return "", err
		}
	}
	if err := f.SetSheetVisible(name, false); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s!$A$2:$A$%d", quoteSheet(name), len(values)), nil
}
