package forms

// The framework in use, written for an adviser to edit: a folder of CSV
// files in the layout of templates/framework (outcomes.csv, rules.csv and
// the optional staff_rules.csv, pay_nominals.csv, pay_scales.csv), or a
// workbook with a sheet for each table (the sheet names ingest reads:
// Outcomes, Rules, Staff rules, Pay nominals, Pay scales) with drop-downs
// for outcome codes and modes. Each table is written as it was read, text
// for text, so that reading it back gives the same framework.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/gocarina/gocsv"
	"github.com/samber/lo"
	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/pipeline"
	"github.com/purpose-hq/purpose/ingest"
)

// frameworkTable is one table of a framework: its file and sheet names,
// its columns (the csv tags of its row type) and its rows as text.
type frameworkTable struct {
	file, sheet string
	columns     []string
	rows        [][]string
	optional    bool // written only when it has rows
	// outcomeCol and modeCol are the columns (0-based, -1 none) that get
	// an outcome or mode drop-down in a workbook.
	outcomeCol, modeCol int
	modes               []string
}

// frameworkTables turns a framework's tables into text tables, in the
// order the files are listed in the README.
func frameworkTables(fw *ingest.FrameworkTables) []frameworkTable {
	modes := func(m ...analysis.Mode) []string {
		return lo.Map(m, func(m analysis.Mode, _ int) string { return string(m) })
	}
	return []frameworkTable{
		textTable("outcomes.csv", "Outcomes", fw.Outcomes, false, nil),
		textTable("rules.csv", "Rules", fw.Rules, false, modes(analysis.Specialist, analysis.Embedded, analysis.Core, analysis.Income)),
		textTable("staff_rules.csv", "Staff rules", fw.StaffRules, true, modes(analysis.Specialist, analysis.Embedded, analysis.Core)),
		textTable("pay_nominals.csv", "Pay nominals", fw.PayNominals, true, nil),
		textTable("pay_scales.csv", "Pay scales", fw.PayScales, true, nil),
	}
}

// textTable reads the csv-tagged string fields of rows; its outcome and
// mode columns, if it has them, get drop-downs (modes: the mode column's).
func textTable[T any](file, sheet string, rows []T, optional bool, modes []string) frameworkTable {
	t := frameworkTable{file: file, sheet: sheet, optional: optional, modes: modes}
	var fields []int
	for i, f := range reflect.VisibleFields(reflect.TypeFor[T]()) {
		if name := f.Tag.Get("csv"); name != "" && name != "-" && f.Type.Kind() == reflect.String {
			t.columns = append(t.columns, name)
			fields = append(fields, i)
		}
	}
	t.outcomeCol, t.modeCol = slices.Index(t.columns, "outcome"), slices.Index(t.columns, "mode")
	if modes == nil {
		t.outcomeCol, t.modeCol = -1, -1
	}
	for _, r := range rows {
		v := reflect.ValueOf(r)
		row := make([]string, len(fields))
		for j, i := range fields {
			row[j] = v.Field(i).String()
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// WriteFrameworkCSV writes the framework's tables as CSV files into dir
// (made if missing), each through a temporary file; the optional tables
// only when the framework has them. It will not write over a file unless
// it is one of the framework's own names.
func WriteFrameworkCSV(dir string, fw *ingest.FrameworkTables) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("framework export: %w", err)
	}
	var written []string
	for _, t := range frameworkTables(fw) {
		if t.optional && len(t.rows) == 0 {
			continue
		}
		var buf bytes.Buffer
		w := gocsv.DefaultCSVWriter(&buf)
		w.Write(t.columns)
		for _, r := range t.rows {
			w.Write(r)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return written, fmt.Errorf("framework export: %s: %w", t.file, err)
		}
		path := filepath.Join(dir, t.file)
		if err := pipeline.WriteFileAtomic(dir, t.file, buf.Bytes()); err != nil {
			return written, fmt.Errorf("framework export: %w", err)
		}
		written = append(written, path)
	}
	return written, nil
}

// WriteFrameworkWorkbook writes the framework's tables as one workbook,
// with an Instructions sheet and drop-downs for outcomes and modes.
func WriteFrameworkWorkbook(path string, fw *ingest.FrameworkTables) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildFrameworkBook(f, fw, false); err != nil {
		return fmt.Errorf("framework export: %s: %w", path, err)
	}
	return saveBook(f, path)
}

// exampleRules are the framework template's example rows; their ids start
// "EXAMPLE:", so the framework reader leaves them out.
var exampleRules = [][]string{
	{"EXAMPLE: R900", "", "CI2*", "", "money advice;debt advice", "", "money_advice", "", "specialist", "Lines of the money advice cost centres that say so are money advice."},
	{"EXAMPLE: R910", "Housing Management", "", "", "tenancy support", "", "tenancy_sustainment", "50%", "embedded", "Half of a tenancy support line is tenancy sustainment; the rest is core."},
}

var exampleStaffRules = [][]string{
	{"EXAMPLE: S900", "tenancy sustainment officer", "", "", "", "tenancy_sustainment", "90%", "specialist", "A tenancy sustainment officer's time is mostly tenancy sustainment."},
	{"EXAMPLE: S910", "housing officer", "", "", "", "tenancy_sustainment", "20%", "embedded", "A fifth of a housing officer's time sustains tenancies."},
}

// buildFrameworkBook fills f with the framework's tables. A template
// (blank) keeps the outcomes and pay nominals but gives the rules and
// staff rules two example rows each instead of the framework's.
func buildFrameworkBook(f *excelize.File, fw *ingest.FrameworkTables, blank bool) error {
	tables := frameworkTables(fw)
	if blank {
		for i, t := range tables {
			switch t.file {
			case "rules.csv":
				tables[i].rows = exampleRules
			case "staff_rules.csv":
				tables[i].rows = exampleStaffRules
			case "pay_scales.csv":
				tables[i].rows = nil
			}
		}
	}
	codes := append(outcomeCodes(fw), "core", "income")
	outcomeList, err := writeList(f, "A", "Outcomes", codes)
	if err != nil {
		return err
	}
	var looks frameworkLooks
	if looks.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}}}); err != nil {
		return err
	}
	if looks.example, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}); err != nil {
		return err
	}
	if looks.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": codes and shares stay as typed
		return err
	}
	for _, t := range tables {
		if t.optional && len(t.rows) == 0 {
			continue
		}
		if err := writeFrameworkSheet(f, t, looks, outcomeList, blank); err != nil {
			return err
		}
	}
	title, paras := frameworkInstructions(fw, blank)
	if err := writeInstructions(f, title, paras); err != nil {
		return err
	}
	return activate(f, "Rules")
}

// frameworkLooks are a framework workbook's styles: its tables' headings,
// a template's example rows, and text cells.
type frameworkLooks struct{ head, example, text int }

// writeFrameworkSheet writes one of a framework's tables as a sheet, with
// drop-downs for its outcome and mode columns (outcomes from list).
func writeFrameworkSheet(f *excelize.File, t frameworkTable, looks frameworkLooks, list string, blank bool) error {
	if _, err := f.NewSheet(t.sheet); err != nil {
		return err
	}
	last := ingest.ColumnLetter(len(t.columns))
	if err := f.SetColStyle(t.sheet, "A:"+last, looks.text); err != nil {
		return err
	}
	if err := f.SetSheetRow(t.sheet, "A1", &t.columns); err != nil {
		return err
	}
	if err := f.SetCellStyle(t.sheet, "A1", last+"1", looks.head); err != nil {
		return err
	}
	for i, r := range t.rows {
		ref := fmt.Sprintf("A%d", i+2)
		if err := f.SetSheetRow(t.sheet, ref, &r); err != nil {
			return err
		}
		if blank && ingest.IsExampleRecord(r) {
			if err := f.SetCellStyle(t.sheet, ref, fmt.Sprintf("%s%d", last, i+2), looks.example); err != nil {
				return err
			}
		}
	}
	for j, c := range t.columns {
		col := ingest.ColumnLetter(j + 1)
		width := 14.0
		switch c {
		case "keywords", "job_title", "description", "note":
			width = 50
		case "name", "theme", "business_unit":
			width = 24
		}
		if err := f.SetColWidth(t.sheet, col, col, width); err != nil {
			return err
		}
	}
	rows := max(len(t.rows)+1, templateRows+1)
	if t.outcomeCol >= 0 {
		col := ingest.ColumnLetter(t.outcomeCol + 1)
		dv, err := dropDown(list, "Outcome", "An outcome code from the Outcomes sheet, core or income. A new outcome needs a row on the Outcomes sheet first.", false)(fmt.Sprintf("%s2:%s%d", col, col, rows))
		if err != nil {
			return err
		}
		if err := f.AddDataValidation(t.sheet, dv); err != nil {
			return err
		}
	}
	if t.modeCol >= 0 {
		col := ingest.ColumnLetter(t.modeCol + 1)
		dv, err := inlineDropDown(t.modes, "Mode", "specialist (community investment teams), embedded (social outcomes inside core services) or core.")(fmt.Sprintf("%s2:%s%d", col, col, rows))
		if err != nil {
			return err
		}
		if err := f.AddDataValidation(t.sheet, dv); err != nil {
			return err
		}
	}
	return f.SetPanes(t.sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// frameworkInstructions are the title and paragraphs of a framework
// workbook's instructions sheet (blank: a template's).
func frameworkInstructions(fw *ingest.FrameworkTables, blank bool) (string, []string) {
	title := "Outcomes framework: how to edit it"
	paras := []string{
		"This workbook is an outcomes framework: the outcomes the tool reports on (Outcomes sheet) and the rules that map each budget line to them (Rules sheet). Use it with:  purpose run --framework THIS-FILE.xlsx budget.xlsx   Check it first with:  purpose framework check THIS-FILE.xlsx --against budget.xlsx",
		"Outcomes: one row for each outcome: code (letters, digits and _ only; rules use it), name, theme (outcomes are grouped by theme in the summary) and description.",
		"Rules: id, then the criteria (business_unit, cost_centre, nominal, keywords, payee), then outcome, share, mode and note. A blank criterion matches anything; a rule matches a line when every filled one does. Separate several values with ;. cost_centre takes a code or a prefix ending in * (CI*); nominal a code, a prefix (5*) or a range (5000-5099); keywords whole words or phrases of the line's descriptions.",
		"outcome: pick an outcome code, core (not social purpose) or income from the drop-down. share: the part of the line, like 60% (blank is 100%). mode: specialist (community investment teams), embedded (social outcomes inside core services) or core.",
		"Rows with the same id make one rule that splits a line: write the criteria on its first row only. The rest of the line goes to core. When several rules match a line, the one with the most specific evidence wins (description, then payee, then nominal description, nominal code, cost centre name, cost centre code, business unit); among equals, the one higher in the table.",
		"Staff rules (optional) split the time of posts by job title, team, business unit or cost centre. Pay nominals (optional) say which budget lines are pay. Pay scales (optional) give salaries by grade or spinal point.",
		"Keep the header rows as they are: the tool checks them. Columns you add with a heading that is not the table's are refused; notes beside a table need a blank heading.",
	}
	if blank {
		title = "Framework template: how to fill it in"
		paras = append(paras, "The grey rows are examples: their id starts with \"EXAMPLE:\", so the tool leaves them out. The Outcomes and Pay nominals sheets start from "+frameworkLabel(fw)+"; edit them as you need. Write your rules under the examples.")
	} else {
		paras = append(paras, "Written from "+frameworkLabel(fw)+".")
	}
	return title, paras
}
