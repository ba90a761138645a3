package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

func TestStaffHeadings(t *testing.T) {
	cases := []struct {
		text   string
		field  StaffField
		onCost int
		ok     bool
		split  string
	}{
		{"Post ID", StaffPostID, 0, true, ""},
		{"Post No.", StaffPostID, 0, true, ""},
		{"Job Title", StaffJobTitle, 0, true, ""},
		{"Post Title", StaffJobTitle, 0, true, ""},
		{"Employee Name", StaffName, 0, true, ""},
		{"Employee No", 0, 0, false, ""},
		{"Team", StaffTeam, 0, true, ""},
		{"Directorate", StaffBusinessUnit, 0, true, ""},
		{"Cost Centre", StaffCostCentre, 0, true, ""},
		{"Cost Centre Name", StaffCostCentreName, 0, true, ""},
		{"FTE", StaffFTE, 0, true, ""},
		{"WTE", StaffFTE, 0, true, ""},
		{"FTE Salary", StaffSalary, 0, true, ""},
		{"Annual Salary £", StaffSalary, 0, true, ""},
		{"Salary cost", StaffPay, 0, true, ""},
		{"Budget 2026/27", StaffCost, 0, true, ""},
		{"Total cost", StaffCost, 0, true, ""},
		{"On-costs", 0, 1, true, ""},
		{"Employer's NI", 0, 1, true, ""},
		{"NI Number", 0, 0, false, ""},
		{"Pension scheme", 0, 0, false, ""},
		{"On-cost %", 0, 2, true, ""},
		{"Vacant (Y/N)", StaffVacant, 0, true, ""},
		{"Grade", StaffGrade, 0, true, ""},
		{"Spinal Point", StaffSpinalPoint, 0, true, ""},
		{"SCP", StaffSpinalPoint, 0, true, ""},
		{"% Tenancy sustainment", 0, 0, false, "Tenancy sustainment"},
		{"Time: Money advice", 0, 0, false, "Money advice"},
		{"Independent living %", 0, 0, false, "Independent living"},
		{"% time on Employment and skills", 0, 0, false, "Employment and skills"},
		{"Notes", 0, 0, false, ""},
	}
	for _, c := range cases {
		f, onCost, ok := staffRole(c.text)
		if ok != c.ok || onCost != c.onCost || ok && onCost == 0 && f != c.field {
			t.Errorf("staffRole(%q) = %v, %d, %v; want %v, %d, %v", c.text, f, onCost, ok, c.field, c.onCost, c.ok)
		}
		if got := splitOutcome(c.text); !ok && got != c.split {
			t.Errorf("splitOutcome(%q) = %q, want %q", c.text, got, c.split)
		}
	}
}

func TestParseScaled(t *testing.T) {
	cases := []struct {
		in   string
		unit int64
		want int64
		err  bool
	}{
		{"0.5", FTEUnit, 500_000_000, false},
		{"1", FTEUnit, FTEUnit, false},
		{"0.53333333333333333", FTEUnit, 533_333_333, false},
		{"0.66666666666666667", FTEUnit, 666_666_667, false},
		{"5E-2", ShareUnit, 50_000, false},
		{"28.5", ShareUnit / 100, 285_000, false},
		{"1,000", 1, 1000, false},
		{"TBC", FTEUnit, 0, true},
		{"", FTEUnit, 0, true},
	}
	for _, c := range cases {
		got, err := parseScaled(c.in, c.unit)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("parseScaled(%q, %d) = %d, %v; want %d (error %v)", c.in, c.unit, got, err, c.want, c.err)
		}
	}
}

// A staffing sheet in the budget workbook, as finance keeps it "for
// information", is left out of spend and read as staffing.
func TestStaffingSheetOfBudgetWorkbook(t *testing.T) {
	p := writeXLSX(t,
		ingesttest.Sheet{Name: "Revenue", Rows: [][]any{
			{"Business Unit", "Cost Centre", "Nominal", "Description", "Budget 2026/27"},
			{"Housing", "HM101", "5000", "Salaries", 60000},
			{"Housing", "HM101", "6100", "Printing", 1200},
		}},
		ingesttest.Sheet{Name: "Staffing", Rows: [][]any{
			{"Staffing establishment, for information: costs included in the revenue budget"},
			{},
			{"Cost Centre", "Post Title", "Grade", "FTE", "Budget 2026/27"}, // row 3
			{"HM101 - Housing Management", "Housing Officer", "H5", 1, 34000.50},
			{"", "Tenancy Sustainment Officer", "H5", 0.6, 19500},
			{"Total", "", "", 1.6, 53500.50},
		}},
	)
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, l := range b.Lines() {
		total += l.Amount
	}
	if len(b.Lines()) != 2 || total != 61200_00 {
		t.Fatalf("budget: %d lines, %s; want 2 lines, £61,200 (the staffing sheet is not spend)", len(b.Lines()), FormatMoney(total))
	}
	if len(b.Staffing) != 1 {
		t.Fatalf("staffing tables: %d, want 1", len(b.Staffing))
	}
	st := b.Staffing[0]
	if st.Source.Row != 3 || len(st.Errors) > 0 {
		t.Fatalf("header row %d, errors %v", st.Source.Row, st.Errors)
	}
	want := []struct {
		row   int
		title string
		cc    string
		fte   int64
		cost  int64
	}{
		{4, "Housing Officer", "HM101", FTEUnit, 34000_50},
		{5, "Tenancy Sustainment Officer", "HM101", 600_000_000, 19500_00},
	}
	if len(st.Posts) != len(want) {
		t.Fatalf("posts: %+v", st.Posts)
	}
	for i, w := range want {
		p := st.Posts[i]
		h := p.Holders[0]
		if p.Source.Row != w.row || p.JobTitle != w.title || p.CostCentre != w.cc || p.FTE != w.fte || !h.HasCost || h.Cost != w.cost {
			t.Errorf("post %d: %+v, want %+v", i, p, w)
		}
	}
	if p := st.Posts[0]; p.CostCentreName != "Housing Management" || p.Grade != "H5" {
		t.Errorf("cost centre name %q, grade %q", p.CostCentreName, p.Grade)
	}
	if len(st.Excluded) != 1 || st.Excluded[0].Reason != ReasonSubtotal || st.Excluded[0].Source.Row != 6 {
		t.Errorf("excluded: %+v, want the total on row 6", st.Excluded)
	}
}

// A staffing establishment kept below the budget on its own sheet is read
// as posts, from its header on; its rows are still not budget lines.
func TestStaffingBelowTheBudget(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Revenue budget 2026/27"},
		{"Cost Centre", "Nominal", "Nominal Description", "Description", "Budget 2026/27"}, // row 2
		{"HM101", "5000", "Salaries", "Housing officers", 66000},
		{"HM101", "6100", "Printing", "Leaflets", 1500},
		{"TS100", "5000", "Salaries", "Tenancy sustainment officers", 33000},
		{},
		{"Staffing establishment, for information: costs included above"}, // row 7
		{"Cost Centre", "Post Title", "Grade", "FTE", "Budget 2026/27"},   // row 8
		{"HM101", "Housing Officer", "G5", 1, 33000},
		{"HM101", "Housing Officer", "G5", 1, 33000},
		{"TS100", "Tenancy Sustainment Officer", "G5", 1, 33000},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, l := range b.Lines() {
		total += l.Amount
	}
	if len(b.Lines()) != 3 || total != 100500_00 {
		t.Fatalf("budget: %d lines, %s; want 3 lines, £100,500 (the posts are not spend)", len(b.Lines()), FormatMoney(total))
	}
	if len(b.Staffing) != 1 {
		t.Fatalf("staffing tables: %d, want 1", len(b.Staffing))
	}
	st := b.Staffing[0]
	if st.Source.Sheet != "Budget" || st.Source.Row != 8 || len(st.Errors) > 0 {
		t.Fatalf("staffing table at %v, errors %v; want sheet Budget, header row 8", st.Source, st.Errors)
	}
	var cost int64
	for i, p := range st.Posts {
		cost += p.Holders[0].Cost
		if p.Source.Row != 9+i {
			t.Errorf("post %d on row %d, want %d", i, p.Source.Row, 9+i)
		}
	}
	if len(st.Posts) != 3 || cost != 99000_00 {
		t.Errorf("posts: %d costing %s, want 3 costing £99,000", len(st.Posts), FormatMoney(cost))
	}
}

func writeStaffCSV(t *testing.T, rows [][]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "hr-export.csv")
	if err := ingesttest.WriteCSV(p, ingesttest.UTF8, ',', rows); err != nil {
		t.Fatal(err)
	}
	return p
}

// An HR export has one row per person: rows with the same post id are one
// post, a blank name is a vacancy, time-split columns come with shares.
func TestHRExportOneRowPerPerson(t *testing.T) {
	p := writeStaffCSV(t, [][]string{
		{"Post ID", "Employee Name", "Job Title", "Team", "Directorate", "Cost Centre", "FTE", "Salary", "On-cost %", "% Tenancy sustainment", "Time: Money advice"},
		{"P001", "A. Person", "Housing Officer", "North Patch", "Housing", "HM101", "0.6", "30,000", "28.5%", "20%", ""},
		{"P001", "B. Person", "Housing Officer", "North Patch", "Housing", "HM101", "0.4", "31000", "28.5%", "20%", ""},
		{"P002", "", "Income Officer", "Income", "Housing", "HM102", "1", "28000", "28.5%", "", "10%"},
		{"P003", "C. Person", "Tenancy Sustainment Officer", "Support", "Housing", "TS100", "0.53333333333333333", "29000", "30", "90", "10"},
	})
	b, err := ReadStaffing(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	posts := b.Posts()
	if len(posts) != 3 {
		t.Fatalf("%d posts, want 3: %+v", len(posts), posts)
	}
	p1 := posts[0]
	if p1.PostID != "P001" || p1.FTE != FTEUnit || len(p1.Holders) != 2 || p1.Holders[1].Salary != 31000_00 || p1.Vacant() {
		t.Errorf("P001: %+v", p1)
	}
	if h := p1.Holders[0]; h.OnCostRate != 285_000 || !h.HasOnCostRate || h.Salary != 30000_00 || h.Source.Row != 2 {
		t.Errorf("P001 first holder: %+v", h)
	}
	if len(p1.Splits) != 1 || p1.Splits[0].Outcome != "Tenancy sustainment" || p1.Splits[0].Share != 200_000 {
		t.Errorf("P001 splits: %+v", p1.Splits)
	}
	if p2 := posts[1]; !p2.Vacant() || p2.VacantFTE() != FTEUnit || len(p2.Splits) != 1 || p2.Splits[0].Outcome != "Money advice" {
		t.Errorf("P002 (vacant): %+v", p2)
	}
	// Bare 30, 90 and 10 in columns of points are per cent.
	if p3 := posts[2]; p3.FTE != 533_333_333 || p3.Holders[0].OnCostRate != 300_000 || len(p3.Splits) != 2 || p3.Splits[0].Share != 900_000 || p3.Splits[1].Share != 100_000 {
		t.Errorf("P003: %+v", p3)
	}
}

// Percentages stored as Excel stores a cell formatted as a percentage
// (0.2) are fractions.
func TestSharesAsFractions(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Posts", Rows: [][]any{
		{"Post ID", "Job Title", "Cost Centre", "FTE", "Salary", "On-costs", "% Tenancy sustainment"},
		{"P1", "Housing Officer", "HM101", 1, 30000, 8000, 0.2},
		{"P2", "Housing Officer", "HM101", 1, 30000, 8000.25, 1},
	}})
	b, err := ReadStaffing(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := b.Posts()
	if len(ps) != 2 || ps[0].Splits[0].Share != 200_000 || ps[1].Splits[0].Share != ShareUnit {
		t.Fatalf("posts: %+v", ps)
	}
	if h := ps[1].Holders[0]; !h.HasOnCost || h.OnCost != 8000_25 || h.HasOnCostRate {
		t.Errorf("on-cost as an amount: %+v", h)
	}
}

// A post list with grades and spinal points and no salaries, and the
// workbook's pay scales.
func TestPostListWithPayScales(t *testing.T) {
	p := writeXLSX(t,
		ingesttest.Sheet{Name: "Posts", Rows: [][]any{
			{"Post No", "Post Title", "Team", "Cost Centre", "Grade", "Spinal Point", "FTE", "Vacant"},
			{"H01", "Housing Officer", "Housing", "HM101", "H5", "23", 1, "No"},
			{"H02", "Housing Officer", "Housing", "HM101", "H5", "24", 0.5, "Yes"},
		}},
		ingesttest.Sheet{Name: "Pay scales", Rows: [][]any{
			{"Grade", "Spinal Point", "Annual Salary"},
			{"H5", "23", 29000},
			{"H5", "24", 29800},
		}},
	)
	b, err := ReadStaffing(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := b.Posts()
	if len(ps) != 2 || ps[0].SpinalPoint != "23" || ps[0].Holders[0].HasSalary || ps[0].Vacant() || !ps[1].Vacant() {
		t.Fatalf("posts: %+v", ps)
	}
	if len(b.PayScales) != 2 || b.PayScales[1].Point != "24" || b.PayScales[1].Salary != "29800" || b.PayScales[1].Source.Row != 3 {
		t.Errorf("pay scales: %+v", b.PayScales)
	}
}

func TestStaffingErrorsNameTheCell(t *testing.T) {
	cases := []struct {
		name string
		rows [][]string
		want []string
	}{
		{"text salary", [][]string{
			{"Post ID", "Job Title", "FTE", "Salary"},
			{"P1", "Housing Officer", "1", "TBC"},
		}, []string{`cell D2: "TBC" is not an amount`}},
		{"blank FTE", [][]string{
			{"Post ID", "Job Title", "FTE", "Salary"},
			{"P1", "Housing Officer", "", "30000"},
		}, []string{"cell C2: FTE is blank"}},
		{"no cost at all", [][]string{
			{"Post ID", "Job Title", "FTE", "Salary"},
			{"P1", "Housing Officer", "1", ""},
		}, []string{"cell D2: the post has no salary"}},
		{"share over 100%", [][]string{
			{"Post ID", "Job Title", "FTE", "Salary", "% Tenancy sustainment"},
			{"P1", "Housing Officer", "1", "30000", "120%"},
		}, []string{`cell E2: time share "120%" is more than 100%`}},
		{"figures without a post", [][]string{
			{"Post ID", "Job Title", "FTE", "Salary"},
			{"", "", "1", "30000"},
		}, []string{"cell B2: this row has figures but no post id or job title"}},
		{"vacant neither yes nor no", [][]string{
			{"Post ID", "Job Title", "FTE", "Salary", "Vacant"},
			{"P1", "Housing Officer", "1", "30000", "maybe"},
		}, []string{`cell E2: "maybe": say whether`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeStaffCSV(t, c.rows)
			_, err := ReadStaffing(p, Options{})
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) || !strings.Contains(err.Error(), "hr-export.csv") {
					t.Errorf("error %q does not name the file and say %q", err, w)
				}
			}
		})
	}
}

func TestNoStaffTable(t *testing.T) {
	p := writeStaffCSV(t, [][]string{{"Cost Centre", "Description", "Amount"}, {"HM101", "Printing", "100"}})
	if _, err := ReadStaffing(p, Options{}); !errors.Is(err, ErrNoStaffTable) {
		t.Errorf("error %v, want ErrNoStaffTable", err)
	}
}

func TestStaffingFormulaWithoutValue(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Posts", Rows: [][]any{
		{"Post ID", "Job Title", "FTE", "Salary"},
		{"P1", "Housing Officer", 1, ingesttest.Formula{Expr: "28000*1.02", NoCache: true}},
	}})
	_, err := ReadStaffing(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "cell D2") || !strings.Contains(err.Error(), "without its value") {
		t.Errorf("error %v, want cell D2 named as a formula saved without its value", err)
	}
	_ = os.Remove(p)
}

// A staffing table's override column copied by an adviser: the left-hand
// one is purpose's, every time (the headings come in a map, in no order).
func TestStaffOverrideColumnsCopied(t *testing.T) {
	texts := map[int]string{1: "Post", 2: "FTE", 3: "Salary", 8: StaffAnnotationFirst, 15: OutcomeOverrideHeader, 16: ShareOverrideHeader, 17: ReviewerNoteHeader, 18: OutcomeOverrideHeader}
	for range 50 {
		got := staffOverrideColumns(texts)
		want := []ToolColumn{{Col: 15, Header: OutcomeOverrideHeader}, {Col: 16, Header: ShareOverrideHeader}, {Col: 17, Header: ReviewerNoteHeader}}
		if !slices.Equal(got, want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	}
}
