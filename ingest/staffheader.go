package ingest

// Header detection for staffing establishments: which row of a sheet heads
// a table of posts, and which column holds what. It reads headings with the
// same word machinery as budget headers (analyseHeader: synonyms,
// abbreviations, slips, two-word names such as "job title"), and judges a
// candidate row by the cells below it as detectHeader does (kindOf).
//
// A row qualifies when it names a post (a post id or a job title), an FTE
// column, and something a post's cost comes from (a salary, a pay or cost
// column, or a grade or spinal point for a pay scale).

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// StaffField is a column of a staffing establishment the tool understands.
type StaffField int

// The staffing fields, in the order they are reported.
const (
	StaffPostID StaffField = iota
	StaffJobTitle
	StaffName // the post holder's name: blank is a vacancy
	StaffTeam
	StaffBusinessUnit
	StaffCostCentre
	StaffCostCentreName
	StaffFTE
	StaffSalary // full-time annual salary
	StaffPay    // pay for the row's FTE, no on-costs ("Salary cost")
	StaffCost   // the whole cost of the row ("Budget 2026/27", "Total cost")
	StaffVacant
	StaffGrade
	StaffSpinalPoint
	numStaffFields
)

var staffFieldNames = [numStaffFields]string{"post id", "job title", "name", "team", "business unit", "cost centre",
	"cost centre name", "FTE", "salary", "pay", "cost", "vacant", "grade", "spinal point"}

func (f StaffField) String() string { return staffFieldNames[f] }

// staffHeader is a detected header of a staffing table.
type staffHeader struct {
	Row     int
	Columns [numStaffFields]int
	// OnCosts and OnCostRates are on-cost columns as amounts and as
	// percentages of pay; a table may split them (NI, pension).
	OnCosts, OnCostRates []int
	Splits               []splitColumn
	Texts                map[int]string
	// OtherCosts are cost columns not chosen (an earlier year's budget).
	OtherCosts []string
	score      float64
}

// splitColumn is a time-split column: its heading and the outcome text in it.
type splitColumn struct {
	col     int
	outcome string
}

// A time-split heading: "% Tenancy sustainment", "Tenancy sustainment %",
// "Time: Money advice", "% time on money advice", "Money advice (%)".
var (
	splitPrefix = regexp.MustCompile(`(?i)^\s*(%|percent(age)?\b|pct\b|share\b)?\s*(of\s+)?(time\b|hours\b)?\s*(spent\s+)?(on\b|in\b|:|-|–)?\s*(%)?\s*`)
	splitSuffix = regexp.MustCompile(`(?i)\s*(\(\s*%\s*\)|%|\(\s*percent\s*\)|\bpercent|\btime|\bshare)\s*$`)
	splitMarked = regexp.MustCompile(`(?i)(^\s*%|%\s*\)?\s*$|^\s*(time|% time|percent(age)? of time|share of time)\s*(:|-|–|on\b|spent on\b)|\(\s*%\s*\)\s*$)`)
)

// splitOutcome is the outcome a time-split heading names, or "" when the
// heading is not one.
func splitOutcome(text string) string {
	if !splitMarked.MatchString(text) {
		return ""
	}
	s := splitPrefix.ReplaceAllString(text, "")
	s = splitSuffix.ReplaceAllString(s, "")
	s = strings.Trim(s, " :-–()")
	if s == "" || !strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'z' }) {
		return ""
	}
	return oneLine(s)
}

// onCostWords head on-cost columns: "On-costs", "Employer's NI",
// "Pension (employer)", "Apprenticeship levy".
var onCostHeading = regexp.MustCompile(`(?i)\b(on[\s-]?costs?|employer'?s?\s+(ni|nic|national insurance|pension|contributions?)|national insurance|\bnic?\b|pension|superannuation|apprenticeship levy)\b`)

// staffRole says which staffing field a heading names, if any. onCost is
// 1 for an on-cost amount, 2 for an on-cost percentage.
func staffRole(text string) (f StaffField, onCost int, ok bool) {
	n := normaliseHeader(text)
	pct := strings.Contains(text, "%") || strings.Contains(n, "percent") || strings.Contains(n, "rate")
	if onCostHeading.MatchString(text) && !strings.Contains(n, "number") && !strings.HasSuffix(n, " no") &&
		!strings.Contains(n, "scheme") && !strings.Contains(n, "type") && !strings.Contains(n, "name") {
		if pct {
			return 0, 2, true
		}
		return 0, 1, true
	}
	w := analyseHeader(text)
	switch {
	case (w.has("fte") || n == "wte") && !w.has("salary", "pay", "cost", "budget") || strings.Contains(n, "full time equivalent") || strings.Contains(n, "whole time equivalent"):
		return StaffFTE, 0, true
	case splitOutcome(text) != "":
		return 0, 0, false
	case w.has("posttitle") || n == "post" || n == "position" || n == "role" || n == "job" || strings.Contains(n, "job role"):
		return StaffJobTitle, 0, true
	case w.has("post") && (w.hasAny(codeHeads) || strings.HasSuffix(n, " no") || strings.HasSuffix(n, " ref")):
		return StaffPostID, 0, true
	case w.has("employee", "staff") && w.hasAny(codeHeads), w.has("payroll"):
		return 0, 0, false // a person's number, not the post's
	case n == "name" || n == "employee" || n == "postholder" || n == "post holder" || n == "holder" || n == "full name" ||
		w.has("employee", "staff", "holder") && w.has("name") || strings.Contains(n, "postholder") || strings.Contains(n, "post holder"):
		return StaffName, 0, true
	case w.has("vacant") || w.has("vacancy") || n == "filled" || n == "status" || n == "filled vacant" || n == "vacant filled":
		return StaffVacant, 0, true
	case w.has("spinalpoint") || n == "scp" || n == "point" || n == "spine point":
		return StaffSpinalPoint, 0, true
	case w.has("grade") || w.has("band"):
		return StaffGrade, 0, true
	case w.has("team") || w.has("section") || w.has("unit") && !w.has("businessunit"):
		return StaffTeam, 0, true
	case w.has("costcentre"):
		if nameHeads[w.head] {
			return StaffCostCentreName, 0, true
		}
		return StaffCostCentre, 0, true
	case w.hasAny(buWords) || w.has("service"):
		return StaffBusinessUnit, 0, true
	case w.has("salary") && !w.has("cost", "budget", "total", "actual"), n == "basic pay" || n == "annual pay" || n == "fte salary":
		return StaffSalary, 0, true
	case w.has("salary", "pay") && w.has("cost", "actual"), strings.Contains(n, "pro rata"):
		return StaffPay, 0, true
	case w.has("cost", "budget", "total") && !pct && !w.hasAny(notAmount) && !w.hasAny(periodWords):
		return StaffCost, 0, true
	}
	return 0, 0, false
}

// detectStaffHeader picks the header of a staffing table among the first
// rows of a sheet: the qualifying row naming the most staffing columns
// whose columns below hold what their headings say, the first on a tie.
func detectStaffHeader(rows []rowCells) (*staffHeader, bool) {
	s := newHeadScan(rows)
	var best *staffHeader
	for i, r := range rows {
		h := evaluateStaffRow(s, i, r)
		if h == nil || !h.qualifies() {
			continue
		}
		if best == nil || h.score > best.score+1e-9 {
			best = h
		}
	}
	return best, best != nil
}

func (h *staffHeader) qualifies() bool {
	c := h.Columns
	return (c[StaffPostID] > 0 || c[StaffJobTitle] > 0) && c[StaffFTE] > 0 &&
		(c[StaffSalary] > 0 || c[StaffPay] > 0 || c[StaffCost] > 0 || c[StaffGrade] > 0 || c[StaffSpinalPoint] > 0)
}

func evaluateStaffRow(s *headScan, i int, r rowCells) *staffHeader {
	h := &staffHeader{Row: r.Row, Texts: s.texts(i)}
	if len(h.Texts) < 3 {
		return nil
	}
	costYear := -1
	for _, col := range slices.Sorted(mapsKeys(h.Texts)) {
		text := h.Texts[col]
		if kindOf(text).number && !strings.ContainsAny(text, "%") {
			return nil // a row of figures is no header
		}
		f, onCost, ok := staffRole(text)
		st := s.stats(col, i, text)
		numeric := 0.5
		if st.n > 0 {
			numeric = float64(st.number) / float64(st.n)
		}
		switch {
		case onCost == 1:
			h.OnCosts = append(h.OnCosts, col)
			h.score += 0.5 * numeric
		case onCost == 2:
			h.OnCostRates = append(h.OnCostRates, col)
			h.score += 0.5 * numeric
		case !ok:
			if o := splitOutcome(text); o != "" {
				h.Splits = append(h.Splits, splitColumn{col, o})
				h.score += 0.25 * numeric
			}
		case f == StaffCost:
			// Of several cost columns, the latest year's; the first on a tie.
			y := latestYear(text)
			if h.Columns[f] == 0 || y > costYear {
				if h.Columns[f] > 0 {
					h.OtherCosts = append(h.OtherCosts, oneLine(h.Texts[h.Columns[f]]))
				}
				h.Columns[f], costYear = col, y
				h.score += numeric
			} else {
				h.OtherCosts = append(h.OtherCosts, oneLine(text))
			}
		case h.Columns[f] > 0:
			// A second column of the same kind: the first is read.
		default:
			h.Columns[f] = col
			switch f {
			case StaffFTE, StaffSalary, StaffPay:
				h.score += numeric
			case StaffJobTitle, StaffName, StaffTeam, StaffBusinessUnit, StaffCostCentreName:
				if st.n > 0 {
					h.score += float64(st.text) / float64(st.n)
				} else {
					h.score += 0.5
				}
			default:
				h.score += 1
			}
		}
	}
	return h
}

func mapsKeys(m map[int]string) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Explain says which row is the header and which columns are read.
func (h *staffHeader) Explain() string {
	var parts []string
	for f := StaffField(0); f < numStaffFields; f++ {
		if c := h.Columns[f]; c > 0 {
			parts = append(parts, fmt.Sprintf("%s %q", f, oneLine(h.Texts[c])))
		}
	}
	for _, c := range h.OnCosts {
		parts = append(parts, fmt.Sprintf("on-costs %q", oneLine(h.Texts[c])))
	}
	for _, c := range h.OnCostRates {
		parts = append(parts, fmt.Sprintf("on-cost rate %q", oneLine(h.Texts[c])))
	}
	for _, sc := range h.Splits {
		parts = append(parts, fmt.Sprintf("time split %q", oneLine(h.Texts[sc.col])))
	}
	return fmt.Sprintf("read staffing header on row %d: %s", h.Row, strings.Join(parts, ", "))
}
