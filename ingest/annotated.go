package ingest

import (
	"slices"
	"strings"
)

// A workbook purpose annotated may come back, reviewed, to be run again:
// its added columns and report sheets are known by what purpose writes,
// so that they are not read as data, and a new run replaces them.

// The columns an adviser fills in to overrule purpose on a line: an
// outcome (or core), the share of the line that goes to it, and why.
const (
	OutcomeOverrideHeader = "Outcome override"
	ShareOverrideHeader   = "Share override"
	ReviewerNoteHeader    = "Reviewer note"
)

// AnnotationHeaders head the columns purpose adds beside a budget table:
// what it made of each line, then the three an adviser fills in. A table
// whose header has them was annotated before: they are found by their
// headings wherever they now stand (see toolColumns), are not read as
// data, and a new annotation writes over them where they are.
var AnnotationHeaders = []string{"Outcome", "Theme", "Mode", "Social share", "Social £", "Rule", "Status",
	OutcomeOverrideHeader, ShareOverrideHeader, ReviewerNoteHeader}

// ToolColumn is a column an earlier run added, where it stands now.
type ToolColumn struct {
	Col    int
	Header string // as in AnnotationHeaders ("Social £" for "Social £000")
}

// toolColumns finds the columns an earlier run added among a header row's
// texts, each by its heading, wherever an adviser has moved it; sorted by
// column. They are taken for purpose's only when the row has the four an
// annotation always has (Outcome, Social share, Rule, Status), so that a
// budget's own "Status" or "Rule" column is never taken for one; of two
// columns headed alike (an adviser's copy), the left-hand one is purpose's.
func toolColumns(texts map[int]string) []ToolColumn {
	var out []ToolColumn
	for col, text := range texts {
		text = strings.TrimSpace(text)
		if text == "Social £000" {
			text = "Social £"
		}
		if slices.Contains(AnnotationHeaders, text) {
			out = append(out, ToolColumn{Col: col, Header: text})
		}
	}
	out = leftmostByHeading(out)
	for _, h := range []string{"Outcome", "Social share", "Rule", "Status"} {
		if !slices.ContainsFunc(out, func(t ToolColumn) bool { return t.Header == h }) {
			return nil
		}
	}
	return out
}

// leftmostByHeading sorts columns found by their headings into column
// order and keeps the first of any headed alike: the right-hand one is a
// copy an adviser made; only the first is purpose's.
func leftmostByHeading(cols []ToolColumn) []ToolColumn {
	slices.SortFunc(cols, func(a, b ToolColumn) int { return a.Col - b.Col })
	seen := map[string]bool{}
	return slices.DeleteFunc(cols, func(t ToolColumn) bool {
		dup := seen[t.Header]
		seen[t.Header] = true
		return dup
	})
}

// annotationFrom is where the columns an earlier run added begin: its
// first computed column (Outcome … Status), which it put right of the
// table; cells from there on are not data. 0 when there are none.
func annotationFrom(tools []ToolColumn) int {
	for _, t := range tools {
		if slices.Index(AnnotationHeaders, t.Header) < 7 {
			return t.Col
		}
	}
	return 0
}

// LineReview is what a workbook sent back after review says of a line:
// the cells of the columns purpose added, by heading, as they now read.
// The override columns are an adviser's; the others were purpose's, and
// differ from what it wrote only where someone typed over them.
type LineReview struct {
	Cells []ReviewCell // the cells with something in them
}

// ReviewCell is one cell of a line's review: its column's heading, where
// it is, and its text.
type ReviewCell struct {
	Header   string
	Col, Row int
	Value    string
}

// Ref is the cell's reference ("O12"), "" for no cell.
func (c ReviewCell) Ref() string {
	if c.Col == 0 {
		return ""
	}
	return CellRef(c.Col, c.Row)
}

// Get is the cell under a heading, blank when there is none.
func (r *LineReview) Get(header string) ReviewCell {
	if r != nil {
		for _, c := range r.Cells {
			if c.Header == header {
				return c
			}
		}
	}
	return ReviewCell{}
}

// lineReview reads a row's cells in the columns an earlier run added; nil
// when the table has none.
func lineReview(r rowCells, tools []ToolColumn) *LineReview {
	if len(tools) == 0 {
		return nil
	}
	lr := &LineReview{}
	for _, t := range tools {
		if c, ok := r.at(t.Col); ok {
			v := strings.TrimSpace(c.Value)
			if v == "" && c.HasFormula && (!c.HasValue || c.Kind != kindText) {
				// A formula saved without its value (an empty <v> on a
				// number cell is none either) is no blank: shown as the
				// formula, an override so typed is refused by cell, not
				// left out in silence. A text result saved as "" is blank.
				v = "=" + c.Formula
			}
			if v != "" {
				lr.Cells = append(lr.Cells, ReviewCell{Header: t.Header, Col: t.Col, Row: r.Row, Value: v})
			}
		}
	}
	return lr
}

// ReportTitles are the A1 titles of the sheets purpose adds to an annotated
// workbook, by the sheet's base name. A sheet so named (or named so with a
// " (purpose…)" suffix) whose A1 holds its title and whose A2 reads as
// purpose writes it (reportSubtitled) is one of ours: a run on an annotated
// workbook skips it, and a new annotation replaces it.
var ReportTitles = map[string]string{
	"Summary":        "Social purpose in our spend",
	"Review":         "Lines to review",
	"Reconciliation": "Reconciliation",
	"Staff summary":  "Staff time and pay",
	"Lists":          "Outcomes for the Outcome override drop-downs",
}

// MayBeReportSheet reports whether a sheet's name is one purpose gives
// the sheets it adds (its A1 tells for sure: see ReportTitled).
func MayBeReportSheet(sheet string) bool {
	_, ok := ReportTitles[ReportBase(sheet)]
	return ok
}

// ReportBase is a sheet's name without the " (purpose…)" suffix a report
// sheet is given when its own name is taken: "Review" for "Review
// (purpose)" and "Review (purpose 2)"; the name itself when it has none.
func ReportBase(sheet string) string {
	base, _, _ := strings.Cut(sheet, " (purpose")
	return base
}

func isReportSheet(sheet string, head []rowCells) bool {
	if len(head) < 2 || head[0].Row != 1 || head[1].Row != 2 {
		return false
	}
	a1, _ := head[0].at(1)
	a2, _ := head[1].at(1)
	return ReportTitled(sheet, a1.Value, a2.Value)
}

// ReportTitled reports whether a sheet whose A1 holds a1 and A2 a2 is one
// purpose added: named as one of its report sheets, with that sheet's
// title, and under it what purpose writes there. A1 alone is not enough:
// a finance workbook's own "Reconciliation" is often titled so, and must
// be neither left unread nor replaced.
func ReportTitled(sheet, a1, a2 string) bool {
	base := ReportBase(sheet)
	title, ok := ReportTitles[base]
	return ok && a1 == title && reportSubtitled(base, a2)
}

// reportSubtitled reports whether a2 is what purpose writes in A2 of its
// report sheet base: the file, framework and version on the summaries, the
// opening words of the Review's and the Reconciliation's explanations, and
// the first outcome (core) on the hidden Lists sheet.
func reportSubtitled(base, a2 string) bool {
	switch base {
	case "Summary":
		return strings.Contains(a2, " · framework ") && strings.Contains(a2, " · purpose ")
	case "Staff summary":
		return strings.HasPrefix(a2, "framework ") && strings.Contains(a2, " · purpose ")
	case "Review":
		return strings.HasPrefix(a2, "Lines no rule matched")
	case "Reconciliation":
		return strings.HasPrefix(a2, "Every line read is allocated in full")
	case "Lists":
		return a2 == "core"
	}
	return false
}
