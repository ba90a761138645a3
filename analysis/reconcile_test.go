package analysis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

func payLine(row int, cc, nominal, nominalName, desc string, amount int64) ingest.CostLine {
	return ingest.CostLine{Source: ingest.Source{File: "budget.xlsx", Sheet: "Budget", Row: row}, BusinessUnit: "Housing",
		CostCentre: cc, Nominal: nominal, NominalName: nominalName, Description: desc, Amount: amount}
}

func TestIsPay(t *testing.T) {
	fw := staffFramework(t)
	cases := []struct {
		line ingest.CostLine
		want bool
	}{
		{payLine(2, "HM101", "5000", "Salaries", "", 1), true},
		{payLine(3, "HM101", "5099", "", "", 1), true},
		{payLine(4, "HM101", "5100", "Staff Training", "", 1), false},
		{payLine(5, "HM101", "", "Agency Staff", "", 1), true},
		// With no nominal name or line type, the description says.
		{payLine(6, "HM101", "", "", "Agency staff cover", 1), true},
		// The description is not read when the nominal says what the line is.
		{payLine(7, "HM101", "6100", "Printing", "leaflets on agency staff", 1), false},
	}
	for _, c := range cases {
		if got := fw.payKind(&c.line) >= 0; got != c.want {
			t.Errorf("row %d: pay %v, want %v", c.line.Source.Row, got, c.want)
		}
	}
}

func TestToleranceBothWays(t *testing.T) {
	tol := DefaultTolerance // 2% or £1,000
	cases := []struct {
		budget, diff int64
		want         bool
	}{
		{100000_00, 2000_00, true},   // 2% of £100,000
		{100000_00, -2000_00, true},  // the other way
		{100000_00, 2000_01, false},  // a penny over 2%, and over £1,000
		{100000_00, -2000_01, false}, // the other way
		{10000_00, 1000_00, true},    // £1,000, more than 2% of £10,000
		{10000_00, -1000_01, false},
		{0, 1000_00, true},
	}
	for _, c := range cases {
		if got := tol.Allows(c.budget, c.diff); got != c.want {
			t.Errorf("Allows(%d, %d) = %v, want %v", c.budget, c.diff, got, c.want)
		}
	}
}

func TestReconcilePayBothWays(t *testing.T) {
	fw := staffFramework(t)
	lines := []ingest.CostLine{
		payLine(2, "HM101", "5000", "Salaries", "", 38000_00),
		payLine(3, "HM101", "5010", "Employer's NI", "", 500_00),  // £38,500 against £38,550: £50 less, within
		payLine(4, "HM101", "6100", "Printing", "", 900_00),       // not pay
		payLine(5, "HM102", "5000", "Salaries", "", 60000_00),     // £60,000 against £40,000: £20,000 more, outside
		payLine(6, "HM103", "5040", "Agency Staff", "", 12000_00), // pay, no posts
		payLine(7, "HM102", "5000", "Salaries", "", 0),
	}
	lines = append(lines, ingest.CostLine{Source: ingest.Source{File: "budget.xlsx", Row: 8}, CostCentre: "HM101", Nominal: "5000", Unreadable: "TBC"})
	posts := []ingest.Post{
		post(2, "P1", "Housing Officer", "", "HM101", fte, 38550_00),
		post(3, "P2", "Housing Officer", "", "HM102", fte, 40000_00),
		post(4, "P3", "Tenancy Sustainment Officer", "", "TS100", fte, 31000_00), // posts, no pay lines
	}
	posts[1].Holders[0].Vacant = true
	res, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := fw.NewPayBudget()
	for i := range lines {
		b.Add(&lines[i])
	}
	rec := b.Reconcile(res, DefaultTolerance)
	want := []struct {
		cc                          string
		budget, establishment, diff int64
		within                      bool
		says                        string
	}{
		{"HM101", 38500_00, 38550_00, -50_00, true, "£50.00 less than the posts cost (within the tolerance of 2% or £1,000.00)"},
		{"HM102", 60000_00, 40000_00, 20000_00, false, "£20,000.00 more than the posts cost (outside the tolerance of 2% or £1,000.00); 1 vacant posts cost £40,000.00; its pay lines: nominal 5000-5099 £60,000.00"},
		{"HM103", 12000_00, 0, 12000_00, false, "no posts in this cost centre; its pay lines: nominal 5000-5099 £12,000.00"},
		{"TS100", 0, 31000_00, -31000_00, false, "no pay budgeted in this cost centre"},
	}
	if len(rec.Rows) != len(want) {
		t.Fatalf("rows %+v", rec.Rows)
	}
	for i, w := range want {
		r := rec.Rows[i]
		if r.CostCentre != w.cc || r.Budget != w.budget || r.Establishment != w.establishment || r.Difference != w.diff || r.Within != w.within {
			t.Errorf("row %d: %+v, want %+v", i, r, w)
		}
		if got := r.Explain(rec.Tolerance, rec.Kinds); !strings.Contains(got, w.says) {
			t.Errorf("%s: %q does not say %q", r.CostCentre, got, w.says)
		}
	}
	if rec.Rows[1].VacantPosts != 1 || !strings.Contains(rec.Rows[1].Explain(rec.Tolerance, rec.Kinds), "1 vacant posts cost £40,000.00") {
		t.Errorf("HM102: the vacant post is not flagged: %+v", rec.Rows[1])
	}
	if rec.Budget != 110500_00 || rec.Establishment != 109550_00 || rec.Outside != 3 {
		t.Errorf("totals: budget %d, establishment %d, outside %d", rec.Budget, rec.Establishment, rec.Outside)
	}
}

// allocateAll is what an export does with the allocator: each pay line of
// a cost centre with posts by staff time, every other line by its rule.
func allocateAll(fw *Framework, a *StaffAllocator, lines []ingest.CostLine) (total, social int64, rules map[int][]string) {
	rules = map[int][]string{}
	for i := range lines {
		l := &lines[i]
		m := fw.MatchLine(l)
		if parts, rule := a.Allocate(l, m); rule != nil {
			for _, p := range parts {
				total += p.Amount
				if p.Mode.Social() {
					social += p.Amount
				}
				rules[l.Source.Row] = append(rules[l.Source.Row], p.Rule)
			}
			continue
		}
		for _, p := range Allocate(l.Amount, m) {
			total += p.Amount
			if p.Mode.Social() {
				social += p.Amount
			}
		}
		rules[l.Source.Row] = append(rules[l.Source.Row], m.RuleID())
	}
	return total, social, rules
}

func TestPayLinesCountedOnce(t *testing.T) {
	fw := staffFramework(t)
	lines := []ingest.CostLine{
		// A pay line whose description a line rule (R1) would map to
		// tenancy sustainment: with posts, the posts' time decides.
		payLine(2, "HM101", "5000", "Salaries", "Sal - TSO x2", 60000_00),
		payLine(3, "HM101", "5010", "Employer's NI", "", 7000_01),
		payLine(4, "HM101", "6100", "Printing", "", 1000_00),  // not pay: R2, 10% tenancy
		payLine(5, "FI200", "5000", "Salaries", "", 20000_00), // pay, no posts: line rules (R9, core)
		payLine(6, "HM101", "5000", "Vacancy factor", "", -3000_00),
	}
	posts := []ingest.Post{
		post(2, "P1", "Tenancy Sustainment Officer", "", "HM101", fte, 30000_00), // 90% tenancy specialist
		post(3, "P2", "Finance Clerk", "", "HM101", fte, 30000_00),               // core
	}
	res, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := fw.NewStaffAllocator(res)
	total, social, rules := allocateAll(fw, a, lines)
	var want int64
	for _, l := range lines {
		want += l.Amount
	}
	if total != want {
		t.Errorf("allocations add up to %d, the lines to %d: staff cost is counted more than once or lost", total, want)
	}
	// HM101's posts cost £30,000 each, one 90% tenancy: 45% of its pay is
	// social. £60,000 → £27,000; £7,000.01 → £3,150.00 (the 0.45p goes by
	// largest remainder: core's remainder 0.55p is larger); printing 10%
	// of £1,000 by R2. The vacancy factor is a credit (income) and
	// FI200's pay is core.
	if wantSocial := int64(27000_00 + 3150_00 + 100_00); social != wantSocial {
		t.Errorf("social %d, want %d", social, wantSocial)
	}
	// The officer's time (tenancy and core, rule S010), then the clerk's
	// (core, no staff rule).
	if got := strings.Join(rules[2], " "); got != "staff:S010 staff:S010 staff:core" {
		t.Errorf("row 2 rules %q, want staff:S010 twice and staff:core", got)
	}
	if got := rules[5]; len(got) != 1 || got[0] != "R9" {
		t.Errorf("row 5 (no posts in FI200) rules %v, want the line rule R9", got)
	}
	if got := rules[4]; len(got) != 1 || got[0] != "R2" {
		t.Errorf("row 4 (not pay) rules %v, want R2", got)
	}
	if !a.Covers("hm101", "") || a.Covers("FI200", "") {
		t.Errorf("Covers: HM101 has posts, FI200 none")
	}
}

func TestStaffAllocatorAddsUpToThePenny(t *testing.T) {
	fw := staffFramework(t)
	rng := rand.New(rand.NewPCG(3, 4))
	var posts []ingest.Post
	titles := []string{"Housing Officer", "Tenancy Sustainment Officer", "Clerk"}
	for i := range 50 {
		p := post(i+2, "", titles[rng.IntN(3)], "", fmt.Sprintf("HM%d", rng.IntN(5)), rng.Int64N(fte)+1, rng.Int64N(50000_00)+1)
		if rng.IntN(4) == 0 {
			p.Splits = []ingest.TimeSplit{{Outcome: "youth", Column: 9, Share: rng.Int64N(ingest.ShareUnit)}}
		}
		posts = append(posts, p)
	}
	res, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := fw.NewStaffAllocator(res)
	for i := range 500 {
		l := payLine(i+2, fmt.Sprintf("HM%d", rng.IntN(6)), "5000", "Salaries", "", rng.Int64N(1_000_000_00))
		parts, rule := a.Allocate(&l, fw.MatchLine(&l))
		ok := rule != nil
		if l.CostCentre == "HM5" {
			if ok {
				t.Fatalf("HM5 has no posts, yet its line was apportioned")
			}
			continue
		}
		var sum int64
		shares := 0
		for _, p := range parts {
			sum += p.Amount
			shares += p.Share
			if !strings.HasPrefix(p.Rule, RuleStaff) {
				t.Fatalf("rule %q", p.Rule)
			}
		}
		if !ok || sum != l.Amount || shares != 10000 {
			t.Fatalf("line of %d in %s: parts add up to %d (shares %d), ok %v", l.Amount, l.CostCentre, sum, shares, ok)
		}
	}
}

// A cost centre's pay lines go by the time of its posts, weighted by what
// each post costs, and name the staff rule that split the time.
func ExampleStaffAllocator() {
	tables := &ingest.FrameworkTables{
		Name:     "example",
		Outcomes: []ingest.OutcomeRow{{Code: "tenancy", Name: "Tenancy sustainment", Theme: "Secure homes"}},
		Rules:    []ingest.RuleRow{{ID: "R1", BusinessUnit: "Housing", Outcome: "core", Mode: "core"}},
		StaffRules: []ingest.StaffRuleRow{
			{ID: "S1", JobTitle: "tenancy sustainment officer", Outcome: "tenancy", Share: "90%", Mode: "specialist"},
			{ID: "S2", JobTitle: "housing officer", Outcome: "tenancy", Share: "20%", Mode: "embedded"},
		},
		PayNominals: []ingest.PayNominalRow{{Keywords: "salaries;employer's ni"}},
	}
	fw, err := NewFramework(tables)
	if err != nil {
		fmt.Println(err)
		return
	}
	holder := func(fte, salary int64) []ingest.Holder {
		return []ingest.Holder{{FTE: fte, Salary: salary, HasSalary: true, OnCostRate: 250_000, HasOnCostRate: true}}
	}
	posts := []ingest.Post{
		{JobTitle: "Tenancy Sustainment Officer", CostCentre: "HM101", FTE: ingest.FTEUnit, Holders: holder(ingest.FTEUnit, 32000_00)},
		{JobTitle: "Housing Officer", CostCentre: "HM101", FTE: ingest.FTEUnit / 2, Holders: holder(ingest.FTEUnit/2, 30000_00)},
	}
	results, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Printf("%s: %s, rule %s, social FTE %.2f\n", r.Post.JobTitle, ingest.FormatMoney(r.Cost), r.Rule, float64(r.SocialFTE())/ingest.FTEUnit)
	}
	alloc := fw.NewStaffAllocator(results)
	line := ingest.CostLine{BusinessUnit: "Housing", CostCentre: "HM101", NominalName: "Salaries", Amount: 60000_00}
	parts, rule := alloc.Allocate(&line, fw.MatchLine(&line))
	fmt.Println("apportioned by staff time:", rule != nil)
	for _, p := range parts {
		fmt.Printf("  %-8s %-10s %s  %s\n", p.Outcome, p.Mode, ingest.FormatMoney(p.Amount), p.Rule)
	}
	// Output:
	// Tenancy Sustainment Officer: £40,000.00, rule S1, social FTE 0.90
	// Housing Officer: £18,750.00, rule S2, social FTE 0.10
	// apportioned by staff time: true
	//   tenancy  specialist £36,765.96  staff:S1
	//   core     core       £4,085.10  staff:S1
	//   tenancy  embedded   £3,829.79  staff:S2
	//   core     core       £15,319.15  staff:S2
}
