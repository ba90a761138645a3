package ingest

import (
	"fmt"
	"regexp"
	"strings"
)

// How a person reads a line's labels: a "CODE - Name" cell is a code and a
// name; a label given once at the top of its group holds for the rows
// below it; and a table of posts (FTE, grade, salary) is staffing, not
// spend.

// codeAndName is a cell that holds a code and its name: "NB02 - Tenancy
// Sustainment", "5001 Salaries", "HM101 Housing Management".
var codeAndName = regexp.MustCompile(`^([A-Za-z]{0,6}[0-9][A-Za-z0-9./_]*)(\s*[-–—:|]\s*|\s+)([A-Za-z(].*)$`)

// splitCode splits a "CODE - Name" cell; ok is false for a plain code or
// a name. A code joined to its name by a space alone must have three
// characters or more, so "24 hour concierge" stays whole.
func splitCode(v string) (code, name string, ok bool) {
	if strings.IndexByte(v, ' ') < 0 {
		return "", "", false
	}
	m := codeAndName.FindStringSubmatch(v)
	if m == nil {
		return "", "", false
	}
	if strings.TrimSpace(m[2]) == "" && len(m[1]) < 3 {
		return "", "", false
	}
	return m[1], strings.TrimSpace(m[3]), true
}

// codeSplit remembers the last cell split in a column: codes repeat down
// a ledger.
type codeSplit struct {
	raw, code, name string
	ok              bool
}

func (s *codeSplit) split(v string) (string, string, bool) {
	if v != s.raw {
		code, name, ok := splitCode(v)
		*s = codeSplit{raw: v, code: code, name: name, ok: ok}
	}
	return s.code, s.name, s.ok
}

// splitCodes splits "CODE - Name" cost centres and nominals, so the code
// and the name can each match rules. A name the file gives in its own
// column is kept.
func (b *tableBuilder) splitCodes(l *CostLine) {
	if code, name, ok := b.splits[0].split(l.CostCentre); ok {
		l.CostCentre = code
		if l.CostCentreName == "" {
			l.CostCentreName = name
		}
	}
	if code, name, ok := b.splits[1].split(l.Nominal); ok {
		l.Nominal = code
		if l.NominalName == "" {
			l.NominalName = name
		}
	}
}

// filledFields are the labels filled down a group: business unit, cost
// centre, cost centre name. Never amounts, payees or descriptions.
var filledFields = [3]Field{FieldBusinessUnit, FieldCostCentre, FieldCostCentreName}

// fillDown gives a line with a blank label the label of the rows above it
// in its group. A new business unit starts a new group of cost centres; a
// new cost centre drops the name of the one before. A label is kept as it
// was read, not copied: the strings of a row stay valid after the next
// row is read, and holding one holds at most its row's text.
func (b *tableBuilder) fillDown(l *CostLine) {
	fields := [3]*string{&l.BusinessUnit, &l.CostCentre, &l.CostCentreName}
	if v := *fields[0]; v != "" && v != b.fill[0] {
		b.fill[1], b.fill[2] = "", ""
	}
	if v := *fields[1]; v != "" && v != b.fill[1] {
		b.fill[2] = ""
	}
	for j, f := range fields {
		if b.t.Columns[filledFields[j]] == 0 {
			continue
		}
		switch {
		case *f != "":
			if *f != b.fill[j] {
				b.fill[j] = ""
				if !saysTotal(*f) { // a total's label heads no group
					b.fill[j] = *f
				}
			}
		case b.fill[j] != "":
			*f = b.fill[j]
			b.filled[j]++
			if len(b.filledRows[j]) < maxNamedRows {
				b.filledRows[j] = append(b.filledRows[j], l.Source.Row)
			}
		}
	}
}

// resetFill ends the groups: at a subtotal, a blank row, a heading.
func (b *tableBuilder) resetFill() { b.fill = [3]string{} }

// startFill starts groups from a heading row's labels ("Housing" alone in
// the directorate column above its lines).
func (b *tableBuilder) startFill(r rowCells) {
	b.resetFill()
	for j, f := range filledFields {
		if c := b.t.Columns[f]; c > 0 {
			if v := r.text(c); v != "" && !totalWord.MatchString(v) {
				b.fill[j] = strings.Clone(v)
			}
		}
	}
}

// filledWarnings say which labels were filled down.
func (b *tableBuilder) filledWarnings() {
	for j, n := range b.filled {
		if n == 0 {
			continue
		}
		f := filledFields[j]
		b.t.Warnings = append(b.t.Warnings, fmt.Sprintf("%s: %s %s blank %s %s filled down from the row above, as the table gives each group's %s once",
			b.rowsWhere(b.filledRows[j], n), commaInt(n), plural(n, "line's", "lines'"), f, ColumnLetter(b.t.Columns[f]), f))
	}
}

// maxNamedRows is how many rows a message names before it counts the rest.
const maxNamedRows = 5

// rowsWhere names the table's file and sheet and the rows given: "rows 3,
// 4 and 7", or "rows 3, 4, 7, 9, 12 and 40 more" when n rows are meant.
func (b *tableBuilder) rowsWhere(rows []int, n int) string {
	where := b.t.Source.File
	if b.t.Source.Sheet != "" {
		where += fmt.Sprintf(": sheet %q", b.t.Source.Sheet)
	} else {
		where += ":"
	}
	return where + " " + rowsPhrase(rows, n)
}

// rowsPhrase is "row 3", "rows 3 and 4", or "rows 3, 4, 7 and 12 more".
func rowsPhrase(rows []int, n int) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprint(r)
	}
	switch {
	case len(parts) == 1 && n <= 1:
		return "row " + parts[0]
	case n > len(parts):
		return fmt.Sprintf("rows %s and %s more", strings.Join(parts, ", "), commaInt(n-len(parts)))
	default:
		return fmt.Sprintf("rows %s and %s", strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// commaInt writes n with thousands separators.
func commaInt(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// staffingTitle is a staffing table's title: "Staffing establishment",
// "Posts and grades", or a staffing title that says it is for
// information, its costs included above.
var staffingTitle = regexp.MustCompile(`(?i)\b(staff(ing)?\s+establishment|establishment\s+(list|report|summary|schedule)|posts?\s+and\s+grades)\b` +
	`|^\W*(staff(ing)?|posts?|establishment)\b.*\b(for\s+information|for\s+info|costs?\s+(are\s+)?included|included\s+(above|elsewhere|in\s+the\s+budget))\b`)

// isStaffingTable reports whether a detected header is a table of posts:
// its header names two kinds of staffing column, or a title above it says
// "staffing establishment".
func isStaffingTable(head []rowCells, h *header) (bool, string) {
	if h.Staffing {
		return true, "its columns are posts (" + staffingColumns(h) + ")"
	}
	for _, r := range head {
		if r.Row >= h.Row {
			break
		}
		for _, c := range r.Cells {
			if staffingTitle.MatchString(c.Value) {
				return true, fmt.Sprintf("its title says %q", strings.TrimSpace(c.Value))
			}
		}
	}
	return false, ""
}

// staffingColumns names a header's staffing columns.
func staffingColumns(h *header) string {
	var out []string
	for col := 1; col <= h.LastCol; col++ {
		if t, ok := h.Texts[col]; ok && staffingScore([]string{t}) > 0 {
			out = append(out, t)
		}
	}
	return strings.Join(out, ", ")
}

// startsStaffing reports whether a row begins a staffing table below the
// budget table: a header-like row naming posts, grades or FTE, or a
// heading that says "staffing establishment". Every row from there on is
// left out of spend.
func (b *tableBuilder) startsStaffing(r rowCells) bool {
	amountCol := b.t.Columns[FieldAmount]
	if v := r.text(amountCol); v != "" && !hasLetter(v) {
		return false // a row with an amount is not a header or heading
	}
	if len(r.Cells) < 2 && !staffingTitle.MatchString(rowLabel(r)) {
		return false
	}
	for _, c := range r.Cells {
		if v := strings.TrimSpace(c.Value); v != "" && !hasLetter(v) {
			return false // a figure: a line, not a heading or header
		}
	}
	var texts []string
	for _, c := range r.Cells {
		if v := strings.TrimSpace(c.Value); v != "" && hasLetter(v) && len(v) < 40 {
			texts = append(texts, v)
		}
	}
	if staffingScore(texts) >= 2 || staffingTitle.MatchString(strings.Join(texts, " ")) || len(texts) == 0 && staffingTitle.MatchString(rowLabel(r)) {
		if len(texts) == 0 {
			texts = []string{shortLabel(rowLabel(r))}
		}
		b.staffing = true
		b.t.Warnings = append(b.t.Warnings, fmt.Sprintf("%s: a staffing table starts here (%s); its rows are not spend, and are listed as excluded", Source{File: b.t.Source.File, Sheet: b.t.Source.Sheet, Row: r.Row}, strings.Join(texts, ", ")))
		return true
	}
	return false
}
