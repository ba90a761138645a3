package forms

// Blank templates a finance team fills in: a budget, a staffing
// establishment and a framework (framework.go writes that one). Each is a
// workbook with an Instructions sheet, a table whose header the readers in
// ingest recognise, frozen panes, drop-downs and checks on entry taken from
// the framework in use, and two example rows marked "EXAMPLE:" that the
// readers leave out (ingest/template.go), so a filled-in template runs as
// it is.

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/purpose-hq/purpose/export/pipeline"
	"github.com/purpose-hq/purpose/ingest"
)

// templateRows is how many rows below the header the checks on entry cover.
const templateRows = 5000

// Template kinds, as `purpose template KIND` names them.
const (
	TemplateBudget    = "budget"
	TemplateStaffing  = "staffing"
	TemplateFramework = "framework"
)

// WriteTemplate writes a blank workbook of the kind named to path, its
// drop-downs taken from the framework's tables. It writes a temporary file
// beside path and renames it, so a failure leaves no half-written workbook.
func WriteTemplate(path, kind string, fw *ingest.FrameworkTables) error {
	var build func(*excelize.File, *ingest.FrameworkTables) error
	switch kind {
	case TemplateBudget:
		build = buildBudgetTemplate
	case TemplateStaffing:
		build = buildStaffingTemplate
	case TemplateFramework:
		build = func(f *excelize.File, fw *ingest.FrameworkTables) error { return buildFrameworkBook(f, fw, true) }
	default:
		return fmt.Errorf("template: there is no template %q (templates: budget, staffing, framework)", kind)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := build(f, fw); err != nil {
		return fmt.Errorf("template: %s: %w", path, err)
	}
	return saveBook(f, path)
}

// saveBook writes f to path as the run writes its outputs: through a
// synced temporary file in the same folder, renamed into place.
func saveBook(f *excelize.File, path string) error {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return pipeline.WriteFileAtomic(filepath.Dir(path), filepath.Base(path), buf.Bytes())
}

// templateColumn is a column of a template's table.
type templateColumn struct {
	header string
	width  float64
	// examples are the two example rows' values: a string, or a float64
	// written as a number.
	examples [2]any
	// check, when set, adds a check on entry to the column's cells.
	check func(sqref string) (*excelize.DataValidation, error)
	// format is the cells' number format (0: general).
	format int
	note   string // what to write, for the Instructions sheet
}

// writeTable writes a template's table on sheet: header, two example rows,
// frozen header, column widths, number formats and checks on entry.
func writeTable(f *excelize.File, sheet string, cols []templateColumn) error {
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	for i, c := range cols {
		col := ingest.ColumnLetter(i + 1)
		if err := f.SetCellStr(sheet, col+"1", c.header); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, c.width); err != nil {
			return err
		}
		style := &excelize.Style{NumFmt: c.format}
		id, err := f.NewStyle(style)
		if err != nil {
			return err
		}
		if err := f.SetColStyle(sheet, col, id); err != nil {
			return err
		}
		example, err := f.NewStyle(&excelize.Style{NumFmt: c.format, Font: &excelize.Font{Italic: true, Color: "7F7F7F"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}})
		if err != nil {
			return err
		}
		for r, v := range c.examples {
			ref := fmt.Sprintf("%s%d", col, r+2)
			if v != nil {
				if err := f.SetCellValue(sheet, ref, v); err != nil {
					return err
				}
			}
			if err := f.SetCellStyle(sheet, ref, ref, example); err != nil {
				return err
			}
		}
		if c.check != nil {
			dv, err := c.check(fmt.Sprintf("%s2:%s%d", col, col, templateRows+1))
			if err != nil {
				return err
			}
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	last := ingest.ColumnLetter(len(cols))
	if err := f.SetCellStyle(sheet, "A1", last+"1", head); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A4", ActiveCell: "A4", Pane: "bottomLeft"}}})
}

// writeInstructions fills the Instructions sheet: a title, then paragraphs,
// one a row, in a wide wrapped column.
func writeInstructions(f *excelize.File, title string, paragraphs []string) error {
	const sheet = "Instructions"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 75); err != nil {
		return err
	}
	// Printed, the text fits the page's width.
	fit, one, zero := true, 1, 0
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, "A1", title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", titleStyle); err != nil {
		return err
	}
	for i, p := range paragraphs {
		ref := fmt.Sprintf("A%d", i+3)
		if err := f.SetCellStr(sheet, ref, p); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, ref, ref, wrap); err != nil {
			return err
		}
		// Excel does not grow a row for wrapped text it did not type.
		lines := 1 + len(p)/80
		if err := f.SetRowHeight(sheet, i+3, float64(15*lines)); err != nil {
			return err
		}
	}
	return nil
}

// writeList puts values in a column of the hidden Lists sheet, under a
// heading, and gives the range a drop-down can refer to.
func writeList(f *excelize.File, col string, heading string, values []string) (string, error) {
	const sheet = "Lists"
	if i, _ := f.GetSheetIndex(sheet); i < 0 {
		if _, err := f.NewSheet(sheet); err != nil {
			return "", err
		}
		if err := f.SetSheetVisible(sheet, false); err != nil {
			return "", err
		}
	}
	if err := f.SetCellStr(sheet, col+"1", heading); err != nil {
		return "", err
	}
	for i, v := range values {
		if err := f.SetCellStr(sheet, fmt.Sprintf("%s%d", col, i+2), v); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("Lists!$%s$2:$%s$%d", col, col, max(len(values), 1)+1), nil
}

// dropDown is a check on entry offering the values in listRange; strict
// refuses anything else, otherwise Excel warns and lets the value stand.
func dropDown(listRange, title, prompt string, strict bool) func(string) (*excelize.DataValidation, error) {
	return func(sqref string) (*excelize.DataValidation, error) {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(sqref)
		dv.SetSqrefDropList(listRange)
		dv.SetInput(title, prompt)
		style := excelize.DataValidationErrorStyleWarning
		if strict {
			style = excelize.DataValidationErrorStyleStop
		}
		dv.SetError(style, title, "Choose from the list. "+prompt)
		return dv, nil
	}
}

// inlineDropDown is dropDown for a few short values written in the check.
func inlineDropDown(values []string, title, prompt string) func(string) (*excelize.DataValidation, error) {
	return func(sqref string) (*excelize.DataValidation, error) {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(sqref)
		if err := dv.SetDropList(values); err != nil {
			return nil, err
		}
		dv.SetInput(title, prompt)
		dv.SetError(excelize.DataValidationErrorStyleStop, title, "Choose from the list: "+strings.Join(values, ", ")+".")
		return dv, nil
	}
}

// decimalCheck is a check on entry for a number between lo and hi.
func decimalCheck(lo, hi float64, title, prompt string) func(string) (*excelize.DataValidation, error) {
	return func(sqref string) (*excelize.DataValidation, error) {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(sqref)
		if err := dv.SetRange(lo, hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return nil, err
		}
		dv.SetInput(title, prompt)
		dv.SetError(excelize.DataValidationErrorStyleStop, title, prompt)
		return dv, nil
	}
}

// businessUnits are the business units the framework's rules name: the
// first name of each rule's list (the others are other spellings of it).
func businessUnits(fw *ingest.FrameworkTables) []string {
	var out []string
	for _, r := range fw.Rules {
		if name, _, _ := strings.Cut(r.BusinessUnit, ";"); strings.TrimSpace(name) != "" && !slices.Contains(out, strings.TrimSpace(name)) {
			out = append(out, strings.TrimSpace(name))
		}
	}
	for _, r := range fw.StaffRules {
		if name, _, _ := strings.Cut(r.BusinessUnit, ";"); strings.TrimSpace(name) != "" && !slices.Contains(out, strings.TrimSpace(name)) {
			out = append(out, strings.TrimSpace(name))
		}
	}
	return out
}

// outcomeCodes are the framework's outcome codes as written, lower case.
func outcomeCodes(fw *ingest.FrameworkTables) []string {
	var out []string
	for _, o := range fw.Outcomes {
		if c := strings.ToLower(strings.TrimSpace(o.Code)); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// businessUnitCheck is the business unit column's drop-down: the
// framework's business units, any other name allowed after a warning.
func businessUnitCheck(f *excelize.File, fw *ingest.FrameworkTables) (func(string) (*excelize.DataValidation, error), error) {
	units := businessUnits(fw)
	if len(units) == 0 {
		return nil, nil
	}
	ref, err := writeList(f, "A", "Business units", units)
	if err != nil {
		return nil, err
	}
	return dropDown(ref, "Business unit", "The business units the framework's rules name; type your own name if it is not listed.", false), nil
}

const moneyFormat = 4 // #,##0.00

func buildBudgetTemplate(f *excelize.File, fw *ingest.FrameworkTables) error {
	const sheet = "Budget"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	bu, err := businessUnitCheck(f, fw)
	if err != nil {
		return err
	}
	cols := []templateColumn{
		{header: "Business unit", width: 24, examples: [2]any{"Housing Management", "Community Investment"}, check: bu,
			note: "Business unit: the directorate or department the line belongs to. Pick from the list or type your own."},
		{header: "Cost centre", width: 12, examples: [2]any{"HM101", "CI201"},
			note: "Cost centre: its code, as your ledger has it."},
		{header: "Cost centre name", width: 26, examples: [2]any{"Tenancy Services", "Money Advice Service"},
			note: "Cost centre name: what the cost centre is called. Rules read it, so a clear name helps."},
		{header: "Nominal code", width: 12, examples: [2]any{"5001", "6100"},
			note: "Nominal code: the account (subjective) code."},
		{header: "Nominal description", width: 24, examples: [2]any{"Salaries", "Contracted services"},
			note: "Nominal description: the account's name (Salaries, Repairs, Utilities)."},
		{header: "Description", width: 44, examples: [2]any{"EXAMPLE: Tenancy sustainment officers", "EXAMPLE: Debt advice partner contract"},
			note: "Description: what the line is for, in words. This is what rules read first: \"Debt advice partner contract\" maps itself, \"Misc\" does not."},
		{header: "Budget £", width: 16, examples: [2]any{84250.0, 12500.0}, format: moneyFormat,
			check: decimalCheck(-1e12, 1e12, "Budget £", "An amount in pounds and pence, like 1250.50. Income and credits are negative."),
			note:  "Budget £: the amount in pounds and pence. Spending is positive; income and credits (a vacancy factor, a recharge) negative."},
	}
	return finishTemplate(f, sheet, cols, "Budget template: how to fill it in", []string{
		"Fill in one row for each budget line on the Budget sheet, starting on row 4, under the two grey example rows. Leave the header row (row 1) as it is: the tool finds the columns by their names.",
		"The two grey rows are examples. Their Description starts with \"EXAMPLE:\", so the tool leaves them out: you can keep them, overwrite them or delete them. Do not start a real line's description with \"EXAMPLE:\".",
	}, []string{
		"Do not add total or subtotal rows: the tool adds up the lines itself. If you do add one, it is checked against the lines it totals and listed in the Reconciliation.",
		"When it is filled in, save it and run:  purpose run THIS-FILE.xlsx   The annotated copy, allocations.csv and summary.csv go to the purpose-out folder.",
		fmt.Sprintf("Framework used for the drop-downs: %s.", frameworkLabel(fw)),
	})
}

// finishTemplate writes a template's table on sheet, and an Instructions
// sheet: its intro, a paragraph a column, then its outro.
func finishTemplate(f *excelize.File, sheet string, cols []templateColumn, title string, intro, outro []string) error {
	if err := writeTable(f, sheet, cols); err != nil {
		return err
	}
	paras := intro
	for _, c := range cols {
		paras = append(paras, c.note)
	}
	if err := writeInstructions(f, title, append(paras, outro...)); err != nil {
		return err
	}
	return activate(f, sheet)
}

func buildStaffingTemplate(f *excelize.File, fw *ingest.FrameworkTables) error {
	const sheet = "Staffing"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	bu, err := businessUnitCheck(f, fw)
	if err != nil {
		return err
	}
	cols := []templateColumn{
		{header: "Post id", width: 16, examples: [2]any{"EXAMPLE: P0001", "EXAMPLE: P0002"},
			note: "Post id: the post's number in your establishment. Several rows with the same post id are one post (one row a person)."},
		{header: "Job title", width: 30, examples: [2]any{"Tenancy Sustainment Officer", "Housing Officer"},
			note: "Job title: the post's title. Staff rules read it to decide how the post's time splits."},
		{header: "Team", width: 22, examples: [2]any{"Tenancy Sustainment", "Neighbourhoods"},
			note: "Team: the team the post is in."},
		{header: "Business unit", width: 24, examples: [2]any{"Housing Management", "Housing Management"}, check: bu,
			note: "Business unit: the directorate or department. Pick from the list or type your own."},
		{header: "Cost centre", width: 12, examples: [2]any{"HM101", "HM102"},
			note: "Cost centre: the code of the cost centre the post is paid from, as in the budget: its pay lines are split by its posts' time."},
		{header: "FTE", width: 8, examples: [2]any{1.0, 0.6}, format: 2,
			check: decimalCheck(0, 1.5, "FTE", "Full-time equivalent, between 0 and 1.5: 1 is full time, 0.6 three days a week."),
			note:  "FTE: full-time equivalent, between 0 and 1.5 (1 is full time). Never leave it blank."},
		{header: "Salary", width: 14, examples: [2]any{31500.0, 29800.0}, format: moneyFormat,
			check: decimalCheck(0, 1e9, "Salary", "The full-time salary for a year, in pounds."),
			note:  "Salary: the full-time salary for a year, in pounds (the tool multiplies it by the FTE)."},
		{header: "On-costs", width: 14, examples: [2]any{9450.0, 5360.0}, format: moneyFormat,
			check: decimalCheck(0, 1e9, "On-costs", "Employer's National Insurance and pension for the post, in pounds a year."),
			note:  "On-costs: employer's National Insurance and pension for the post, in pounds a year."},
		{header: "Vacant", width: 9, examples: [2]any{"No", "Yes"},
			check: inlineDropDown([]string{"Yes", "No"}, "Vacant", "Yes if the post is budgeted but not filled."),
			note:  "Vacant: Yes if the post is budgeted but nobody is in it. Vacant posts stay in, flagged."},
	}
	// Time-split columns: headed by an outcome's name, as the reader expects.
	splits := splitOutcomes(fw)
	for i, name := range splits {
		ex := [2]any{0.0, 0.0}
		if i == 0 {
			ex = [2]any{0.9, 0.2}
		}
		cols = append(cols, templateColumn{header: "% " + name, width: 16, examples: ex, format: 9,
			check: decimalCheck(0, 1, "% "+name, "The part of the post's time spent on "+strings.ToLower(name)+", from 0% to 100%."),
			note:  fmt.Sprintf("%% %s: the part of the post's time spent on %s, as a percentage (type 20%%). Leave blank when you do not know: the framework's staff rules then decide from the job title.", name, strings.ToLower(name))})
	}
	return finishTemplate(f, sheet, cols, "Staffing template: how to fill it in", []string{
		"Fill in one row for each post (or each person in a post) on the Staffing sheet, starting on row 4, under the two grey example rows. Leave the header row as it is: the tool finds the columns by their names.",
		"The two grey rows are examples. Their Post id starts with \"EXAMPLE:\", so the tool leaves them out: keep, overwrite or delete them.",
	}, []string{
		"A post's time-split columns must add up to at most 100%; the rest of its time is core. To add a column for another outcome, head it \"% \" and the outcome's name or code (\"% Youth\").",
		"When it is filled in, save it and run it with the budget:  purpose run --staffing THIS-FILE.xlsx budget.xlsx",
		fmt.Sprintf("Framework used for the drop-downs and time-split columns: %s.", frameworkLabel(fw)),
	})
}

// splitOutcomes are the outcomes the staffing template gives a time-split
// column: tenancy sustainment and money advice when the framework has
// them, else its first two.
func splitOutcomes(fw *ingest.FrameworkTables) []string {
	var out []string
	for _, want := range []string{"tenancy_sustainment", "money_advice"} {
		for _, o := range fw.Outcomes {
			if strings.EqualFold(strings.TrimSpace(o.Code), want) && strings.TrimSpace(o.Name) != "" {
				out = append(out, strings.TrimSpace(o.Name))
			}
		}
	}
	for _, o := range fw.Outcomes {
		if len(out) >= 2 {
			break
		}
		if n := strings.TrimSpace(o.Name); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func frameworkLabel(fw *ingest.FrameworkTables) string {
	if fw.Name == "default" || fw.Name == "" {
		return "the built-in framework"
	}
	return fw.Name
}

// activate opens the workbook on sheet.
func activate(f *excelize.File, sheet string) error {
	i, err := f.GetSheetIndex(sheet)
	if err != nil {
		return err
	}
	f.SetActiveSheet(i)
	return nil
}
