package ingest

// Sheets that restate other sheets' money. A workbook often holds a
// summary beside its detail (by cost centre, by directorate), or a
// quarter's or year's total beside its months; reading every table would
// count the money twice, silently. Once every table of a workbook is read,
// checkOverlap compares them, and refuses the file on evidence:
//
//   - a table adds up (to the penny, and not to zero) to the same as
//     another table that has more lines: a summary of it;
//   - a table adds up to the same as a run of two or more other tables next
//     to each other in the workbook (months), which have more lines between
//     them: their total;
//   - an amount formula takes its figure from another sheet that is read as
//     a budget table too (=Detail!D2+Detail!D3).
//
// Equal monthly phasing (April's lines and total are May's) is no evidence:
// a summary has fewer lines than what it summarises. When the sheets were
// named with --sheet, the person chose them: the finding is a warning.

import (
	"fmt"
	"slices"
	"strings"
)

// sheetRef is the first amount cell of a table whose formula takes a
// figure from another sheet.
type sheetRef struct {
	Cell, Formula string
}

// noteSheetRefs records, for each other sheet an amount formula names, the
// first cell that names it. It is called for every amount cell of a line,
// so it returns at once for a cell with no formula or no "!".
func (b *tableBuilder) noteSheetRefs(c cell, row int) {
	if !c.HasFormula || strings.IndexByte(c.Formula, '!') < 0 {
		return
	}
	t := b.t
	for _, name := range formulaSheets(c.Formula) {
		if strings.EqualFold(name, t.Source.Sheet) {
			continue
		}
		if _, ok := t.refersTo[name]; ok {
			continue
		}
		if t.refersTo == nil {
			t.refersTo = map[string]sheetRef{}
		}
		t.refersTo[name] = sheetRef{Cell: CellRef(t.Columns[FieldAmount], row), Formula: c.Formula}
	}
}

// formulaSheets returns the sheets of this workbook a formula refers to:
// Detail!D2, 'Cost detail'!D2, Apr:Jun!C2 (both ends). References to other
// workbooks ([1]Sheet!A1) and text in quotes are left out.
func formulaSheets(f string) []string {
	var names []string
	add := func(name string) {
		if name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c == '"': // a text literal: skip to its end ("" is a quote inside)
			for i++; i < len(f); i++ {
				if f[i] == '"' {
					if i+1 < len(f) && f[i+1] == '"' {
						i++
						continue
					}
					break
				}
			}
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(f); j++ {
				if f[j] == '\'' {
					if j+1 < len(f) && f[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(f[j])
			}
			i = j
			if j+1 < len(f) && f[j+1] == '!' {
				name := b.String()
				if strings.ContainsAny(name, "[]") {
					continue // another workbook
				}
				first, last, _ := strings.Cut(name, ":")
				add(first)
				add(last)
			}
		case c == '!':
			// An unquoted name ends here: walk back over its characters.
			j := i
			for j > 0 && sheetNameByte(f[j-1]) {
				j--
			}
			if j > 0 && f[j-1] == ']' {
				continue // [1]Sheet!A1: another workbook
			}
			first, last, _ := strings.Cut(f[j:i], ":")
			add(first)
			add(last)
		}
	}
	return names
}

// sheetNameByte reports whether c may be part of a sheet name written
// without quotes (or a 3-D reference's colon between two such names).
func sheetNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == ':' || c >= 0x80
}

// maxOverlapTables bounds the comparison of tables' totals (runs of tables
// are compared with each table: the work grows with the cube).
const maxOverlapTables = 400

// checkOverlap refuses a workbook one of whose tables restates others (see
// the top of this file), or warns when the sheets were chosen by name.
func checkOverlap(b *Book, opt Options) error {
	tables := b.Tables
	if len(tables) < 2 {
		return nil
	}
	var findings []string
	restates := map[*Table]bool{}
	read := map[string]bool{}
	for _, t := range tables {
		read[strings.ToLower(t.Source.Sheet)] = true
	}
	// Formulas that take their figures from another table.
	for _, t := range tables {
		var others []string
		for name := range t.refersTo {
			if read[strings.ToLower(name)] {
				others = append(others, name)
			}
		}
		if len(others) == 0 {
			continue
		}
		slices.Sort(others)
		ref := t.refersTo[others[0]]
		findings = append(findings, fmt.Sprintf("sheet %q cell %s: its formula %s takes its amount from sheet %q, which is read as a budget too: the row restates that sheet's figures, and reading both would count the money twice",
			t.Source.Sheet, ref.Cell, formulaText(ref.Formula), sheetOf(tables, others[0])))
		restates[t] = true
	}
	// Totals.
	if len(tables) <= maxOverlapTables {
		for _, t := range tables {
			if restates[t] || t.LinesTotal == 0 {
				continue
			}
			if f := sameTotal(t, tables); f != "" {
				findings = append(findings, f)
				restates[t] = true
			}
		}
	}
	if len(findings) == 0 {
		return nil
	}
	if len(opt.Sheets) > 0 {
		for _, f := range findings {
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: %s; the sheets were chosen with --sheet, so all of them are read", b.Path, f))
		}
		return nil
	}
	var keep []string
	for _, t := range tables {
		if !restates[t] {
			keep = append(keep, fmt.Sprintf("--sheet %q", t.Source.Sheet))
		}
	}
	hint := "run again with --sheet for the sheets to read"
	if len(keep) > 0 {
		hint = fmt.Sprintf("run again with %s (or --sheet for the sheets to read)", strings.Join(keep, " "))
	}
	if len(findings) == 1 {
		return fmt.Errorf("%s: %s; %s", b.Path, findings[0], hint)
	}
	return fmt.Errorf("%s: sheets restate others:\n  %s\n%s", b.Path, strings.Join(findings, "\n  "), hint)
}

// sameTotal says how t restates other tables: by adding up to the same as
// one with more lines, or as a run of tables next to each other that have
// more lines between them. It returns "" when it does not.
func sameTotal(t *Table, tables []*Table) string {
	for _, u := range tables {
		if u != t && u.LinesTotal == t.LinesTotal && u.Lines > t.Lines {
			return fmt.Sprintf("sheet %q adds up to the same %s as sheet %q in fewer lines (%d against %d): it looks like a summary of it, and reading both would count the money twice",
				t.Source.Sheet, FormatMoney(t.LinesTotal), u.Source.Sheet, t.Lines, u.Lines)
		}
	}
	others := slices.DeleteFunc(slices.Clone(tables), func(u *Table) bool { return u == t })
	for start := range others {
		sum, lines := int64(0), 0
		for end := start; end < len(others); end++ {
			var ok bool
			if sum, ok = addPence(sum, others[end].LinesTotal); !ok {
				break
			}
			lines += others[end].Lines
			if end > start && sum == t.LinesTotal && lines > t.Lines {
				var names []string
				for _, u := range others[start : end+1] {
					names = append(names, u.Source.Sheet)
				}
				return fmt.Sprintf("sheet %q adds up to the same %s as sheets %s together, in fewer lines (%d against %d): it looks like their total, and reading all of them would count the money twice",
					t.Source.Sheet, FormatMoney(t.LinesTotal), quoteList(names), t.Lines, lines)
			}
		}
	}
	return ""
}

// sheetOf is the name of the table's sheet that name refers to, as the
// workbook spells it.
func sheetOf(tables []*Table, name string) string {
	for _, t := range tables {
		if strings.EqualFold(t.Source.Sheet, name) {
			return t.Source.Sheet
		}
	}
	return name
}

// formulaText shows a formula in a message: with its "=", cut when long.
func formulaText(f string) string {
	f = "=" + strings.TrimPrefix(strings.TrimSpace(f), "=")
	if r := []rune(f); len(r) > 80 {
		return string(r[:77]) + "…"
	}
	return f
}
