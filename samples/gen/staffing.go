package main

// The sample's staffing establishment, in the two shapes purpose reads:
//   - a "Staffing" sheet of budget.xlsx, as finance keeps it beside the
//     budget: a row per post, its cost as budgeted;
//   - samples/staffing.xlsx, an HR export: a row per person (several rows
//     to a post, part-timers, vacancies with no name), salary and on-costs.
//
// Both are built from the budget's own salary, NI and pension lines, so a
// cost centre's pay agrees with its posts but for what a real budget and
// establishment would differ by:
//   - the Safeguarding Lead is budgeted in HM102 (Tenancy Sustainment) but
//     in post in SH404 (Domestic Abuse Services): a post budgeted in the
//     wrong cost centre;
//   - vacant posts covered by agency staff: the budget pays the agency
//     line in place of the post's salary, the establishment keeps the
//     vacant post (HM101, PS201, CX310, SH401); these agree within the
//     tolerance, and show that agency cover is for a vacancy;
//   - pay with no post: overtime (PS201), with the agency cover there
//     more than the cost of the vacant posts it covers; central pay costs
//     in a cost centre with no posts (CO505: the apprenticeship levy and
//     pension deficit contributions); and a vacancy factor (HM101).
//
// So the Reconciliation sheet shows three differences outside the
// tolerance, in four cost centres (HM102 and SH404, PS201, CO505), and
// the other agency cover within it.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/xuri/excelize/v2"
)

// payGroup is one post line of the budget: its title, FTE and salary, and
// the pence of its salary, employer's NI and pension lines.
type payGroup struct {
	dir, cc, ccName  string
	post             post
	pay, ni, pension int64
}

// estPost is one post of the establishment.
type estPost struct {
	id, dir, cc, title, grade string
	salary                    float64 // full-time, a year
	fte                       float64
	cost                      int64 // pay, NI and pension, pence, as budgeted
	vacant                    bool
	agency                    bool // vacant, covered by agency staff
	survey                    float64
}

// agencyCover are the vacant posts whose cover the budget's agency lines
// pay: cost centre, post title and how many.
var agencyCover = []struct {
	cc, title string
	n         int
}{
	{"HM101", "Neighbourhood Officers", 1},
	{"PS201", "Multi-trade Operatives", 9},
	{"CX310", "Customer Service Advisers", 2},
	{"SH401", "Care Workers", 5},
}

// misplaced is the post budgeted in one cost centre and in post in
// another.
var misplaced = struct{ title, from, to, toDir string }{"Safeguarding Lead", "HM102", "SH404", "Care & Support"}

// establishment is the sample's posts: each budget post line split into
// posts of at most a few FTE, each costing its share of the line's
// salary, NI and pension, then the vacant posts agency covers.
func establishment(groups []payGroup) []estPost {
	rng := rand.New(rand.NewPCG(20260214, 1117))
	var out []estPost
	n := 0
	grade := func(salary float64) string {
		switch {
		case salary == 0:
			return "G5"
		case salary < 26000:
			return "G3"
		case salary < 31000:
			return "G4"
		case salary < 36000:
			return "G5"
		case salary < 45000:
			return "G6"
		case salary < 60000:
			return "G7"
		case salary < 90000:
			return "G8"
		}
		return "Chief officer"
	}
	for _, g := range groups {
		title := strings.TrimSuffix(g.post.title, "s")
		if strings.HasSuffix(g.post.title, "ss") || g.post.fte <= 1 {
			title = g.post.title
		}
		parts := int(math.Ceil(g.post.fte / 6))
		ftes := make([]float64, parts)
		left := g.post.fte
		for i := range ftes {
			ftes[i] = math.Round(g.post.fte/float64(parts)*2) / 2
			if i == parts-1 {
				ftes[i] = left
			}
			left -= ftes[i]
		}
		total := g.pay + g.ni + g.pension
		given := int64(0)
		for i, f := range ftes {
			n++
			cost := int64(math.Round(float64(total) * f / g.post.fte))
			if i == parts-1 {
				cost = total - given
			}
			given += cost
			p := estPost{id: fmt.Sprintf("P%04d", n), dir: g.dir, cc: g.cc, title: title, grade: grade(g.post.salary), salary: g.post.salary, fte: f, cost: cost}
			if strings.Contains(title, "vacant") {
				p.title = strings.TrimSpace(strings.Split(title, "–")[0])
				p.vacant = true
			}
			if title == misplaced.title && g.cc == misplaced.from {
				p.cc, p.dir = misplaced.to, misplaced.toDir
			}
			if strings.HasPrefix(title, "Neighbourhood Officer") {
				p.survey = 0.2 + 0.05*float64(rng.IntN(3)) // a time survey: 20%, 25% or 30%
			}
			out = append(out, p)
		}
	}
	for _, a := range agencyCover {
		for _, g := range groups {
			if g.cc != a.cc || g.post.title != a.title {
				continue
			}
			pay := g.post.salary * float64(a.n)
			for range a.n {
				n++
				one := g.post.salary
				cost := pence(one + niRate*math.Max(0, one-niThresh) + one*pensionRate)
				out = append(out, estPost{id: fmt.Sprintf("P%04d", n), dir: g.dir, cc: g.cc, title: strings.TrimSuffix(a.title, "s"), grade: grade(g.post.salary),
					salary: g.post.salary, fte: 1, cost: cost, vacant: true, agency: true})
			}
			_ = pay
		}
	}
	return out
}

var ccNames = func() map[string]string {
	m := map[string]string{}
	for _, d := range budget {
		for _, cc := range d.ccs {
			m[cc.code] = cc.name
		}
	}
	return m
}()

// writeStaffingSheet adds the "Staffing" sheet to the budget workbook: a
// row per post with its budgeted cost, as finance keeps it for information.
func writeStaffingSheet(f *excelize.File, posts []estPost) error {
	const sh = "Staffing"
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	rows := [][]any{
		{"Staffing establishment, for information: costs included in the revenue budget (fictional sample data)"},
		{"Budget 2026/27 £ is pay, employer's NI and pension for the post's FTE"},
		{},
		{"Post No.", "Directorate", "Cost Centre", "Post Title", "Grade", "FTE", "Vacant", "Budget 2026/27"},
	}
	for _, p := range posts {
		vacant := "No"
		if p.vacant {
			vacant = "Yes"
		}
		rows = append(rows, []any{p.id, p.dir, p.cc, p.title, p.grade, p.fte, vacant, float64(p.cost) / 100})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	for col, w := range map[string]float64{"A": 10, "B": 26, "C": 12, "D": 40, "E": 14, "F": 8, "G": 8, "H": 16} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4})
	if err != nil {
		return err
	}
	return f.SetCellStyle(sh, "H5", fmt.Sprintf("H%d", len(rows)), money)
}

var firstNames = strings.Fields("Aisha Ben Chloe Daniel Ella Farid Grace Harry Imran Jade Kieran Leah Mohammed Nadia Owen Priya Quinn Rosa Sam Tariq Una Vikram Wendy Yusuf Zara Adam Bethan Callum Dev Erin Femi Gemma Hamza Isla Jack Kerry Liam Megan Niall Olivia")
var lastNames = strings.Fields("Ahmed Baker Clarke Davies Evans Fisher Green Hughes Iqbal Jones Khan Lewis Morgan Nolan Owens Patel Quinn Roberts Shah Taylor Usman Vaughan Walsh Young Zaman Begum Collins Doyle Edwards Foster")

// buildHRExport writes the HR export: a row per person, several to a
// post, part-timers adding up to the post's FTE, a vacancy a row with no
// name. It returns the rows written.
func buildHRExport(path string, posts []estPost) (int, error) {
	rng := rand.New(rand.NewPCG(20260214, 4242))
	f := excelize.NewFile()
	defer f.Close()
	const sh = "HR establishment"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return 0, err
	}
	head := []any{"Post ID", "Employee Name", "Job Title", "Team", "Directorate", "Cost Centre", "FTE", "Salary", "Employer's NI", "Pension", "% Tenancy sustainment"}
	rows := [][]any{head}
	for _, p := range posts {
		left := p.fte
		for left > 1e-9 {
			fte := math.Min(1, left)
			if fte == 1 && rng.Float64() < 0.12 && left > 1 {
				fte = []float64{0.5, 0.6, 0.8}[rng.IntN(3)] // a part-timer
			}
			left = math.Round((left-fte)*1e6) / 1e6
			name := firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
			if p.vacant || p.salary == 0 && p.vacant {
				name = ""
			}
			pay := fte * p.salary
			ni := math.Round(niRate*math.Max(0, pay-niThresh*fte)*100) / 100
			pension := math.Round(pay*pensionRate*100) / 100
			var survey any
			if p.survey > 0 {
				survey = p.survey
			}
			rows = append(rows, []any{p.id, name, p.title, ccNames[p.cc], p.dir, p.cc, fte, p.salary, ni, pension, survey})
		}
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return 0, err
		}
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	if err != nil {
		return 0, err
	}
	if err := f.SetCellStyle(sh, "K2", fmt.Sprintf("K%d", len(rows)), pct); err != nil {
		return 0, err
	}
	for col, w := range map[string]float64{"A": 9, "B": 20, "C": 38, "D": 32, "E": 24, "F": 11, "G": 6, "H": 10, "I": 12, "J": 10, "K": 12} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return 0, err
		}
	}
	if err := f.SaveAs(path); err != nil {
		return 0, err
	}
	return len(rows) - 1, nil
}
