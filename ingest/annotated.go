package ingest

import "strings"

// A workbook purpose annotated may come back, reviewed, to be run again:
// its added columns and report sheets are known by what purpose writes,
// so that they are not read as data, and a new run replaces them.

// AnnotationHeaders head the columns purpose adds beside a budget table. A
// table whose header ends with them was annotated before: those columns are
// not read as data, and a new annotation writes over them.
var AnnotationHeaders = []string{"Outcome", "Theme", "Mode", "Social share", "Social £", "Rule", "Status"}

// ReportTitles are the A1 titles of the sheets purpose adds to an annotated
// workbook, by the sheet's base name. A sheet so named (or named so with a
// " (purpose…)" suffix) whose A1 holds its title is one of ours: a run on an
// annotated workbook skips it, and a new annotation replaces it.
var ReportTitles = map[string]string{
	"Summary":        "Social purpose in our spend",
	"Review":         "Lines to review",
	"Reconciliation": "Reconciliation",
}

// MayBeReportSheet reports whether a sheet's name is one purpose gives
// the sheets it adds (its A1 tells for sure: see ReportTitled).
func MayBeReportSheet(sheet string) bool {
	base, _, _ := strings.Cut(sheet, " (purpose")
	_, ok := ReportTitles[base]
	return ok
}

func isReportSheet(sheet string, head []rowCells) bool {
	if len(head) == 0 || head[0].Row != 1 {
		return false
	}
	a1, _ := head[0].at(1)
	return ReportTitled(sheet, a1.Value)
}

// ReportTitled reports whether a sheet whose A1 holds a1 is one purpose
// added: named as one of its report sheets, with that sheet's title.
func ReportTitled(sheet, a1 string) bool {
	base, _, _ := strings.Cut(sheet, " (purpose")
	title, ok := ReportTitles[base]
	return ok && a1 == title
}
