package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/gocarina/gocsv"
)

// OutcomeRow is one row of a framework's outcomes table, as written.
type OutcomeRow struct {
	Code        string `csv:"code"`
	Name        string `csv:"name"`
	Theme       string `csv:"theme"`
	Description string `csv:"description" column:"optional"`
	Source      Source `csv:"-"`
}

// RuleRow is one row of a framework's rules table, as written. Criteria
// and shares are text here; analysis reads them.
type RuleRow struct {
	ID           string `csv:"id"`
	BusinessUnit string `csv:"business_unit"`
	CostCentre   string `csv:"cost_centre"`
	Nominal      string `csv:"nominal"`
	Keywords     string `csv:"keywords"`
	Payee        string `csv:"payee" column:"optional"`
	Outcome      string `csv:"outcome"`
	Share        string `csv:"share"`
	Mode         string `csv:"mode"`
	Note         string `csv:"note" column:"optional"`
	Source       Source `csv:"-"`
}

// StaffRuleRow is one row of a framework's staff rules table: how the time
// of posts it matches splits across outcomes, as written.
type StaffRuleRow struct {
	ID           string `csv:"id"`
	JobTitle     string `csv:"job_title"`
	Team         string `csv:"team"`
	BusinessUnit string `csv:"business_unit"`
	CostCentre   string `csv:"cost_centre"`
	Outcome      string `csv:"outcome"`
	Share        string `csv:"share"`
	Mode         string `csv:"mode"`
	Note         string `csv:"note" column:"optional"`
	Source       Source `csv:"-"`
}

// PayNominalRow is one row of a framework's pay nominals table: the
// nominal codes, or words of a nominal's name, that are pay (salaries,
// employer's NI, pension, agency staff).
type PayNominalRow struct {
	Nominal  string `csv:"nominal"`
	Keywords string `csv:"keywords"`
	Note     string `csv:"note" column:"optional"`
	Source   Source `csv:"-"`
}

// FrameworkTables are the tables of an outcomes framework, as read and not
// yet interpreted (that is analysis's job). Each table's header was
// checked: every column is one the table has, and none it needs is missing.
// Outcomes and Rules are required; StaffRules, PayNominals and PayScales
// may be left out (files staff_rules.csv, pay_nominals.csv and
// pay_scales.csv, or sheets "Staff rules", "Pay nominals" and "Pay
// scales").
type FrameworkTables struct {
	Name        string // where it came from: a path, or "default"
	SHA256      string // of the bytes read, so a run records which version it used
	Outcomes    []OutcomeRow
	Rules       []RuleRow
	StaffRules  []StaffRuleRow
	PayNominals []PayNominalRow
	PayScales   []PayScaleRow
}

// ReadFramework reads a framework from a folder holding outcomes.csv and
// rules.csv, or from a workbook with sheets "Outcomes" and "Rules"; the
// optional tables (see FrameworkTables) are read when they are there.
func ReadFramework(p string) (*FrameworkTables, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("framework: %w", err)
	}
	if info.IsDir() {
		ft, err := readFrameworkFS(os.DirFS(p), ".", func(file string) string { return filepath.Join(p, file) })
		if err != nil {
			return nil, err
		}
		ft.Name = p
		return ft, nil
	}
	ext := strings.ToLower(filepath.Ext(p))
	if ext != ".xlsx" && ext != ".xlsm" {
		return nil, fmt.Errorf("framework: %s: give a folder with outcomes.csv and rules.csv, or a workbook with sheets Outcomes and Rules", p)
	}
	sum, err := FileSHA256(p)
	if err != nil {
		return nil, err
	}
	f, err := OpenWorkbook(p)
	if err != nil {
		return nil, fmt.Errorf("framework: %w", err)
	}
	defer f.Close()
	ft := &FrameworkTables{Name: p, SHA256: sum}
	var problems []string
	for _, t := range []struct {
		sheet    string
		optional bool
		read     func(src Source, rows [][]string) []string
	}{
		{"Outcomes", false, func(src Source, rows [][]string) (p []string) {
			ft.Outcomes, p = readFrameworkTable[OutcomeRow](src, rows, nil)
			return p
		}},
		{"Rules", false, func(src Source, rows [][]string) (p []string) {
			ft.Rules, p = readFrameworkTable[RuleRow](src, rows, nil)
			return p
		}},
		{"Staff rules", true, func(src Source, rows [][]string) (p []string) {
			ft.StaffRules, p = readFrameworkTable[StaffRuleRow](src, rows, nil)
			return p
		}},
		{"Pay nominals", true, func(src Source, rows [][]string) (p []string) {
			ft.PayNominals, p = readFrameworkTable[PayNominalRow](src, rows, nil)
			return p
		}},
		{"Pay scales", true, func(src Source, rows [][]string) (p []string) {
			ft.PayScales, p = readFrameworkTable[PayScaleRow](src, rows, nil)
			return p
		}},
	} {
		sheet := findSheet(f.GetSheetList(), t.sheet)
		if sheet == "" && t.optional {
			continue
		}
		if sheet == "" {
			return nil, fmt.Errorf("framework: %s: there is no sheet %q (sheets: %s)", p, t.sheet, quoteList(f.GetSheetList()))
		}
		// Formatted values, so a share typed as 60% reads as "60%".
		rows, err := frameworkSheetRows(f, sheet)
		if err != nil {
			return nil, fmt.Errorf("framework: %s: sheet %q: %w", p, sheet, err)
		}
		problems = append(problems, t.read(Source{File: p, Sheet: sheet}, rows)...)
	}
	if len(problems) > 0 {
		return nil, &FrameworkHeaderError{Problems: problems}
	}
	return ft, nil
}

func findSheet(sheets []string, want string) string {
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), want) {
			return s
		}
	}
	return ""
}

// ReadFrameworkFS reads outcomes.csv and rules.csv from dir in fsys (the
// embedded default framework comes this way).
func ReadFrameworkFS(fsys fs.FS, dir string) (*FrameworkTables, error) {
	return readFrameworkFS(fsys, dir, func(file string) string { return file })
}

// readFrameworkFS is ReadFrameworkFS with each file named in records and
// messages as name(file) says.
func readFrameworkFS(fsys fs.FS, dir string, name func(string) string) (*FrameworkTables, error) {
	ft := &FrameworkTables{Name: dir}
	h := sha256.New()
	var problems []string
	for _, t := range []struct {
		file     string
		optional bool
		read     func(src Source, d *CSVData) []string
	}{
		{"outcomes.csv", false, func(src Source, d *CSVData) (p []string) {
			ft.Outcomes, p = readFrameworkTable[OutcomeRow](src, d.Records, d.Rows)
			return p
		}},
		{"rules.csv", false, func(src Source, d *CSVData) (p []string) {
			ft.Rules, p = readFrameworkTable[RuleRow](src, d.Records, d.Rows)
			return p
		}},
		{"staff_rules.csv", true, func(src Source, d *CSVData) (p []string) {
			ft.StaffRules, p = readFrameworkTable[StaffRuleRow](src, d.Records, d.Rows)
			return p
		}},
		{"pay_nominals.csv", true, func(src Source, d *CSVData) (p []string) {
			ft.PayNominals, p = readFrameworkTable[PayNominalRow](src, d.Records, d.Rows)
			return p
		}},
		{"pay_scales.csv", true, func(src Source, d *CSVData) (p []string) {
			ft.PayScales, p = readFrameworkTable[PayScaleRow](src, d.Records, d.Rows)
			return p
		}},
	} {
		data, err := readFrameworkFile(fsys, path.Join(dir, t.file), name(t.file))
		if errors.Is(err, fs.ErrNotExist) && t.optional {
			continue
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("framework: %s: there is no %s", dir, t.file)
		}
		if err != nil {
			return nil, fmt.Errorf("framework: %w", err)
		}
		h.Write(data)
		d, err := parseCSV(name(t.file), data)
		if err != nil {
			return nil, fmt.Errorf("framework: %w", err)
		}
		problems = append(problems, t.read(Source{File: name(t.file)}, d)...)
	}
	if len(problems) > 0 {
		return nil, &FrameworkHeaderError{Problems: problems}
	}
	ft.SHA256 = hex.EncodeToString(h.Sum(nil))
	return ft, nil
}

// FrameworkHeaderError says which columns of a framework's tables are
// unknown, missing or given twice, each with the file (and sheet) it is in.
type FrameworkHeaderError struct{ Problems []string }

func (e *FrameworkHeaderError) Error() string {
	return "framework: " + ListProblems(e.Problems, 0)
}

// tableColumn is a column a framework table may have.
type tableColumn struct {
	name     string
	optional bool
}

// columnsOf lists the columns of a row type from its csv tags; a column
// tagged column:"optional" may be left out.
func columnsOf(t reflect.Type) []tableColumn {
	var out []tableColumn
	for _, f := range reflect.VisibleFields(t) {
		if name := f.Tag.Get("csv"); name != "" && name != "-" {
			out = append(out, tableColumn{name, f.Tag.Get("column") == "optional"})
		}
	}
	return out
}

// frameworkRow is a row type of a framework table.
type frameworkRow interface {
	OutcomeRow | RuleRow | StaffRuleRow | PayNominalRow | PayScaleRow
}

// tableName is how messages name a table: "outcomes", "rules".
func tableName[T frameworkRow]() string {
	var zero T
	switch any(zero).(type) {
	case OutcomeRow:
		return "outcomes"
	case StaffRuleRow:
		return "staff rules"
	case PayNominalRow:
		return "pay nominals"
	case PayScaleRow:
		return "pay scales"
	}
	return "rules"
}

// readFrameworkTable reads rows (the first non-blank one the header) into typed rows
// after checking the header strictly: a column that is not one of T's, a
// column given twice and a required column that is absent are each a
// problem, and then no rows are read. rowNumbers gives each row's number;
// nil means they are rows 1, 2, ….
func readFrameworkTable[T frameworkRow](src Source, rows [][]string, rowNumbers []int) ([]T, []string) {
	rowNumber := func(i int) int {
		if rowNumbers != nil {
			return rowNumbers[i]
		}
		return i + 1
	}
	where := src.File
	if src.Sheet != "" {
		where += fmt.Sprintf(": sheet %q", src.Sheet)
	}
	cols := columnsOf(reflect.TypeFor[T]())
	table := tableName[T]()

	var header, headings []string
	headerRow := 0
	body := [][]string{nil}
	var sources []Source
	for i, row := range rows {
		if isBlankRow(row) || header != nil && IsExampleRecord(row) { // a template's example (template.go)
			continue
		}
		if header == nil {
			headerRow = rowNumber(i)
			headings = row
			header = make([]string, len(row))
			for j, v := range row {
				header[j] = strings.ReplaceAll(normaliseHeader(v), " ", "_")
			}
			continue
		}
		trimmed := make([]string, min(len(row), len(header)))
		for j := range trimmed {
			trimmed[j] = strings.TrimSpace(row[j])
		}
		body = append(body, trimmed)
		sources = append(sources, Source{File: src.File, Sheet: src.Sheet, Row: rowNumber(i)})
	}
	if header == nil {
		return nil, nil // analysis says the table is empty
	}

	var problems []string
	known := map[string]bool{}
	for _, c := range cols {
		known[c.name] = true
	}
	seen := map[string]int{} // column name → its index in header
	hinted := map[string]bool{}
	for j, h := range header {
		cell := fmt.Sprintf("%s: row %d column %s", where, headerRow, ColumnLetter(j+1))
		switch {
		case h == "":
			// A column with no heading is not read; a note beside the table.
		case !known[h]:
			msg := fmt.Sprintf("%s: %q is not a column of the %s table", cell, strings.TrimSpace(headings[j]), table)
			if near := nearestColumn(h, cols); near != "" {
				msg += fmt.Sprintf("; did you mean %q?", near)
				hinted[near] = true
			} else {
				msg += " (its columns are " + columnList(cols) + ")"
			}
			problems = append(problems, msg)
		case seen[h] > 0:
			problems = append(problems, fmt.Sprintf("%s: column %q is given twice (also column %s)", cell, h, ColumnLetter(seen[h])))
		default:
			seen[h] = j + 1
		}
	}
	for _, c := range cols {
		if !c.optional && seen[c.name] == 0 && !hinted[c.name] {
			problems = append(problems, fmt.Sprintf("%s: row %d: the %s table has no %q column (its columns are %s)", where, headerRow, table, c.name, columnList(cols)))
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if p := keyColumnBlank(where, table, headerRow, headings, header, body[1:], cols); p != "" {
		return nil, []string{p} // limits.go
	}
	// Columns with no heading are not read: gocsv skips unknown names.
	body[0] = header
	var out []T
	if err := gocsv.UnmarshalDecoder(tableDecoder(body), &out); err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", where, err)}
	}
	for i := range out {
		switch r := any(&out[i]).(type) {
		case *OutcomeRow:
			r.Source = sources[i]
		case *RuleRow:
			r.Source = sources[i]
		case *StaffRuleRow:
			r.Source = sources[i]
		case *PayNominalRow:
			r.Source = sources[i]
		case *PayScaleRow:
			r.Source = sources[i]
		}
	}
	return out, nil
}

// tableDecoder hands rows already read to gocsv.
type tableDecoder [][]string

func (d tableDecoder) GetCSVRows() ([][]string, error) { return d, nil }

func isBlankRow(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func columnList(cols []tableColumn) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		if c.optional {
			names[i] += " (optional)"
		}
	}
	return strings.Join(names, ", ")
}

// nearestColumn is the column name h is most likely a misspelling of, or ""
// when none is close: at most two letters added, dropped or changed (one
// for short names).
func nearestColumn(h string, cols []tableColumn) string {
	best, bestDist := "", 3
	for _, c := range cols {
		limit := 2
		if len(c.name) <= 4 {
			limit = 1
		}
		if d := editDistance(h, c.name); d <= limit && d < bestDist {
			best, bestDist = c.name, d
		}
	}
	return best
}

// editDistance is the number of letters added, dropped, changed or swapped
// with their neighbour to turn a into b (optimal string alignment distance,
// in bytes).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// ReadFrameworkDefault wraps ReadFrameworkFS for the embedded framework so
// its records name it as such.
func ReadFrameworkDefault(fsys fs.FS, dir string) (*FrameworkTables, error) {
	ft, err := readFrameworkFS(fsys, dir, func(file string) string { return "default framework " + file })
	if err != nil {
		return nil, err
	}
	ft.Name = "default"
	return ft, nil
}
