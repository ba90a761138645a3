package ingest

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Field is a budget column the tool understands.
type Field int

// The budget fields, in the order they are reported.
const (
	FieldBusinessUnit Field = iota
	FieldCostCentre
	FieldCostCentreName
	FieldNominal
	FieldNominalName
	FieldDescription
	FieldAmount
	FieldPayee    // the supplier or beneficiary paid: kept, never a description
	FieldLineType // the first column that says what a line is (an expense type, a service area)
	numFields
)

var fieldNames = [numFields]string{"business unit", "cost centre", "cost centre name", "nominal", "nominal description", "description", "amount", "payee", "line type"}

func (f Field) String() string { return fieldNames[f] }

// headerWords maps a normalised header (lower case, punctuation and £ removed,
// single spaces) to the field it names. Amount headers are recognised by
// pattern in fieldOf as well, since they carry years ("Budget 2026/27 £").
var headerWords = map[string]Field{
	"directorate": FieldBusinessUnit, "business unit": FieldBusinessUnit, "service": FieldBusinessUnit,
	"service area": FieldBusinessUnit, "division": FieldBusinessUnit, "department": FieldBusinessUnit,
	"bu": FieldBusinessUnit, "business area": FieldBusinessUnit, "directorate name": FieldBusinessUnit,

	"cost centre": FieldCostCentre, "cost center": FieldCostCentre, "cc": FieldCostCentre,
	"cost ctr": FieldCostCentre, "cost centre code": FieldCostCentre, "cost center code": FieldCostCentre,
	"cc code": FieldCostCentre, "cost ctr code": FieldCostCentre, "costcentre": FieldCostCentre,

	"cost centre name": FieldCostCentreName, "cost center name": FieldCostCentreName,
	"cost centre description": FieldCostCentreName, "cost center description": FieldCostCentreName,
	"cc name": FieldCostCentreName, "cc description": FieldCostCentreName, "cost ctr name": FieldCostCentreName,
	"cost centre desc": FieldCostCentreName, "cc desc": FieldCostCentreName,

	"nominal": FieldNominal, "nominal code": FieldNominal, "account": FieldNominal, "account code": FieldNominal,
	"gl code": FieldNominal, "gl": FieldNominal, "gl account": FieldNominal, "nominal account": FieldNominal,
	"subjective": FieldNominal, "subjective code": FieldNominal, "nominal ledger code": FieldNominal,
	"account no": FieldNominal, "nl code": FieldNominal,

	"nominal description": FieldNominalName, "nominal name": FieldNominalName, "nominal desc": FieldNominalName,
	"account description": FieldNominalName, "account name": FieldNominalName, "gl description": FieldNominalName,
	"gl name": FieldNominalName, "subjective description": FieldNominalName, "account desc": FieldNominalName,

	"description": FieldDescription, "narrative": FieldDescription, "detail": FieldDescription,
	"details": FieldDescription, "line description": FieldDescription, "item": FieldDescription,
	"budget description": FieldDescription, "desc": FieldDescription,

	"amount": FieldAmount, "budget": FieldAmount, "annual budget": FieldAmount, "value": FieldAmount,
	"total budget": FieldAmount, "full year budget": FieldAmount, "budget amount": FieldAmount,
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func normaliseHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "£", " ")
	return strings.TrimSpace(nonWord.ReplaceAllString(s, " "))
}

var notBudget = regexp.MustCompile(`\b(variance|var|actual|actuals|forecast|outturn|commitment|commitments|movement|change|diff|difference|pct|percent)\b`)

// fieldOf says which field a header cell names, if any.
func fieldOf(header string) (Field, bool) {
	n := normaliseHeader(header)
	if n == "" {
		return 0, false
	}
	if f, ok := headerWords[n]; ok {
		return f, true
	}
	// "Budget 2026/27", "2026/27 Budget £", "Original budget", "Revised budget 2026-27".
	if strings.Contains(" "+n+" ", " budget ") && !notBudget.MatchString(n) {
		return FieldAmount, true
	}
	return 0, false
}

var yearPattern = regexp.MustCompile(`\b(20\d\d)\b`)

// latestYear is the largest 20xx year a header names, or 0.
func latestYear(header string) int {
	best := 0
	for _, m := range yearPattern.FindAllString(normaliseHeader(header), -1) {
		if y, _ := strconv.Atoi(m); y > best {
			best = y
		}
	}
	return best
}

// headerScanRows is how far down a sheet a header row is looked for.
const headerScanRows = 60

// header is a detected header row: where each field is (1-based columns).
type header struct {
	Row     int
	Columns [numFields]int
	Texts   map[int]string // every non-blank header cell by column
	LastCol int
	// OtherAmounts are further amount-like columns that were not chosen.
	OtherAmounts []string
	// Thousands is set when the amount column is in thousands of pounds.
	Thousands bool
	// LineTypeCols are further line-type columns after Columns[FieldLineType].
	LineTypeCols []int
}

var (
	thousandsPattern = regexp.MustCompile(`(?i)(£\s*'?000|\(000\)|\b000s\b|£\s*k\b|\bthousands\b)`)
	currentPattern   = regexp.MustCompile(`\b(revised|current|latest|approved)\b`)
)

func (h *header) has(f Field) bool { return h.Columns[f] > 0 }

// detectHeader picks the header row among the first rows of a sheet. A row
// qualifies when it names an amount column and at least one of cost centre,
// nominal or description; the row naming the most fields wins, the first on
// a tie. amountColumn, when set, chooses the amount column by header text or
// column letter.
func detectHeader(rows []rowCells, forceRow int, amountColumn string) (*header, bool) {
	var best *header
	bestScore := 0
	for _, r := range rows {
		if forceRow > 0 && r.Row != forceRow {
			continue
		}
		h := headerFromRow(r, amountColumn)
		if h == nil {
			continue
		}
		score := 0
		for _, c := range h.Columns {
			if c > 0 {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = h, score
		}
	}
	return best, best != nil
}

func headerFromRow(r rowCells, amountColumn string) *header {
	h := &header{Row: r.Row, Texts: map[int]string{}}
	type amountCandidate struct {
		col  int
		text string
		year int
		kind int // 3: a revised or current budget, 2: says budget, 1: amount/value
	}
	var amounts []amountCandidate
	for _, c := range r.Cells {
		text := strings.TrimSpace(c.Value)
		if text == "" {
			continue
		}
		h.Texts[c.Col] = text
		h.LastCol = max(h.LastCol, c.Col)
		f, ok := fieldOf(text)
		if !ok {
			continue
		}
		if f == FieldAmount {
			kind := 1
			if n := normaliseHeader(text); strings.Contains(n, "budget") {
				kind = 2
				if currentPattern.MatchString(n) {
					kind = 3
				}
			}
			amounts = append(amounts, amountCandidate{c.Col, text, latestYear(text), kind})
			continue
		}
		if h.Columns[f] == 0 {
			h.Columns[f] = c.Col
		}
	}
	if amountColumn != "" {
		col := columnByName(h.Texts, amountColumn)
		if col == 0 {
			return nil
		}
		h.Columns[FieldAmount] = col
		for _, a := range amounts {
			if a.col != col {
				h.OtherAmounts = append(h.OtherAmounts, a.text)
			}
		}
	} else if len(amounts) > 0 {
		// Prefer a revised or current budget, then a column that says
		// "budget", then the latest year, then the first.
		slices.SortStableFunc(amounts, func(a, b amountCandidate) int {
			if a.kind != b.kind {
				return b.kind - a.kind
			}
			return b.year - a.year
		})
		h.Columns[FieldAmount] = amounts[0].col
		for _, a := range amounts[1:] {
			h.OtherAmounts = append(h.OtherAmounts, a.text)
		}
	}
	h.Thousands = h.has(FieldAmount) && thousandsPattern.MatchString(h.Texts[h.Columns[FieldAmount]])
	if !h.has(FieldAmount) || !(h.has(FieldCostCentre) || h.has(FieldNominal) || h.has(FieldDescription) || h.has(FieldCostCentreName) || h.has(FieldNominalName)) {
		return nil
	}
	// A lone "Description" becomes the line description; with only a nominal
	// or cost centre description present, those serve as the description too.
	return h
}

// columnByName finds a column by its header text (case and punctuation
// ignored) or by its letter ("G").
func columnByName(texts map[int]string, name string) int {
	want := normaliseHeader(name)
	for col, t := range texts {
		if normaliseHeader(t) == want {
			return col
		}
	}
	// A column letter, but only one inside the header: "Amt" is not
	// column AMT.
	last := 0
	for col := range texts {
		last = max(last, col)
	}
	if col, err := columnNumber(strings.TrimSpace(name)); err == nil && col <= last {
		return col
	}
	return 0
}
