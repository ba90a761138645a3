package analysis

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// staffRule is a staff rules row: column names and values in pairs.
func staffRule(row int, kv ...string) ingest.StaffRuleRow {
	r := ingest.StaffRuleRow{Source: ingest.Source{File: "staff_rules.csv", Row: row}}
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		switch kv[i] {
		case "id":
			r.ID = v
		case "job_title":
			r.JobTitle = v
		case "team":
			r.Team = v
		case "business_unit":
			r.BusinessUnit = v
		case "cost_centre":
			r.CostCentre = v
		case "outcome":
			r.Outcome = v
		case "share":
			r.Share = v
		case "mode":
			r.Mode = v
		default:
			panic("staffRule: no column " + kv[i])
		}
	}
	return r
}

// staffFramework has line rules, staff rules (a team rule listed before a
// job title rule, to show that a job title is the stronger evidence) and
// pay nominals.
func staffFramework(t *testing.T, extra ...ingest.StaffRuleRow) *Framework {
	t.Helper()
	tables := &ingest.FrameworkTables{
		Name: "test",
		Outcomes: []ingest.OutcomeRow{
			outcome(2, "money_advice", "Money advice", "Financial inclusion"),
			outcome(3, "tenancy", "Tenancy sustainment", "Secure homes"),
			outcome(4, "youth", "Youth", "Young people"),
		},
		Rules: []ingest.RuleRow{
			rec(2, "id", "R1", "keywords", "tenancy sustainment;tso", "outcome", "tenancy", "mode", "specialist"),
			rec(3, "id", "R2", "cost_centre", "HM*", "outcome", "tenancy", "share", "10%", "mode", "embedded"),
			rec(4, "id", "R9", "business_unit", "Housing", "outcome", "core", "mode", "core"),
		},
		StaffRules: append([]ingest.StaffRuleRow{
			staffRule(2, "id", "S005", "team", "Income", "outcome", "money_advice", "share", "100%", "mode", "specialist"),
			staffRule(3, "id", "S010", "job_title", "tenancy sustainment officer", "outcome", "tenancy", "share", "90%", "mode", "specialist"),
			staffRule(4, "id", "S020", "job_title", "housing officer", "outcome", "tenancy", "share", "20%", "mode", "embedded"),
		}, extra...),
		PayNominals: []ingest.PayNominalRow{
			{Nominal: "5000-5099", Source: ingest.Source{File: "pay_nominals.csv", Row: 2}},
			{Keywords: "agency staff", Source: ingest.Source{File: "pay_nominals.csv", Row: 3}},
		},
	}
	fw, err := NewFramework(tables)
	if err != nil {
		t.Fatal(err)
	}
	return fw
}

const fte = ingest.FTEUnit

// post is a one-holder post costed from a salary (pence a year).
func post(row int, id, title, team, cc string, fteUnits, salary int64) ingest.Post {
	src := ingest.Source{File: "posts.csv", Row: row}
	return ingest.Post{Source: src, PostID: id, JobTitle: title, Team: team, BusinessUnit: "Housing", CostCentre: cc, FTE: fteUnits,
		Holders: []ingest.Holder{{Source: src, Name: "A. Person", FTE: fteUnits, Salary: salary, HasSalary: true}}}
}

func TestPostCost(t *testing.T) {
	fw := staffFramework(t)
	scale, err := NewPayScale([]ingest.PayScaleRow{
		{Grade: "H5", Point: "23", Salary: "29,000.00", Source: ingest.Source{File: "scales", Row: 2}},
		{Grade: "H5", Point: "24", Salary: "29800", Source: ingest.Source{File: "scales", Row: 3}},
		{Grade: "H7", Salary: "36000", Source: ingest.Source{File: "scales", Row: 4}},
	})
	if err != nil {
		t.Fatal(err)
	}
	withHolder := func(h ingest.Holder) ingest.Post {
		h.Source = ingest.Source{File: "posts.csv", Row: 2}
		return ingest.Post{Source: h.Source, JobTitle: "Clerk", CostCentre: "HM101", FTE: h.FTE, Holders: []ingest.Holder{h}}
	}
	cases := []struct {
		name             string
		post             ingest.Post
		pay, onCost, sum int64
	}{
		// 1 × £30,000, plus 28.5% of it (£8,550).
		{"on-costs as a percentage", withHolder(ingest.Holder{FTE: fte, Salary: 30000_00, HasSalary: true, OnCostRate: 285_000, HasOnCostRate: true}), 30000_00, 8550_00, 38550_00},
		// 0.6 × £30,000 is £18,000, plus £5,000.50.
		{"on-costs as an amount", withHolder(ingest.Holder{FTE: 600_000_000, Salary: 30000_00, HasSalary: true, OnCost: 5000_50, HasOnCost: true}), 18000_00, 5000_50, 23000_50},
		// 20 hours of 37.5 as Excel stores it: 0.533333333 × £30,000 is
		// £15,999.99999, £16,000.00 to the penny.
		{"part-time FTE", withHolder(ingest.Holder{FTE: 533_333_333, Salary: 30000_00, HasSalary: true}), 16000_00, 0, 16000_00},
		// A budget's staffing sheet gives the whole cost.
		{"cost given", withHolder(ingest.Holder{FTE: fte, Cost: 34000_50, HasCost: true}), 0, 0, 34000_50},
		// Pay for the FTE given ("Salary cost"), and 10% on it.
		{"pay given", withHolder(ingest.Holder{FTE: 500_000_000, Pay: 15000_01, HasPay: true, OnCostRate: 100_000, HasOnCostRate: true}), 15000_01, 1500_00, 16500_01},
		// Spinal point 23 of the pay scale: 0.5 × £29,000.
		{"pay scale by point", withHolder(ingest.Holder{FTE: 500_000_000, Grade: "H5", SpinalPoint: "23"}), 14500_00, 0, 14500_00},
		// Grade H7 has one salary.
		{"pay scale by grade", withHolder(ingest.Holder{FTE: fte, Grade: "H7"}), 36000_00, 0, 36000_00},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := fw.StaffTime([]ingest.Post{c.post}, StaffOptions{PayScale: scale})
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			if r.Pay != c.pay || r.OnCost != c.onCost || r.Cost != c.sum {
				t.Errorf("pay %d, on-costs %d, cost %d; want %d, %d, %d", r.Pay, r.OnCost, r.Cost, c.pay, c.onCost, c.sum)
			}
		})
	}
	t.Run("pay scale errors name the row", func(t *testing.T) {
		for _, h := range []ingest.Holder{{FTE: fte, Grade: "H5"}, {FTE: fte, SpinalPoint: "99"}} {
			_, err := fw.StaffTime([]ingest.Post{withHolder(h)}, StaffOptions{PayScale: scale})
			var se *StaffError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), "posts.csv: row 2") {
				t.Errorf("%+v: error %v, want one naming posts.csv row 2", h, err)
			}
		}
		_, err := fw.StaffTime([]ingest.Post{withHolder(ingest.Holder{FTE: fte, Grade: "H5"})}, StaffOptions{})
		if err == nil || !strings.Contains(err.Error(), "no pay scale") {
			t.Errorf("with no pay scale: error %v", err)
		}
	})
	t.Run("several holders make one post", func(t *testing.T) {
		p := post(2, "P1", "Clerk", "", "HM101", 600_000_000, 30000_00)
		p.Holders = append(p.Holders, ingest.Holder{Source: ingest.Source{File: "posts.csv", Row: 3}, FTE: 400_000_000, Salary: 31000_00, HasSalary: true})
		p.FTE = fte
		res, err := fw.StaffTime([]ingest.Post{p}, StaffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// 0.6 × £30,000 + 0.4 × £31,000 = £18,000 + £12,400.
		if res[0].Cost != 30400_00 {
			t.Errorf("cost %d, want 3040000", res[0].Cost)
		}
	})
}

// partsOf is a result's parts as "outcome mode share fte amount" lines.
func checkParts(t *testing.T, r PostResult, want []PostPart) {
	t.Helper()
	if len(r.Parts) != len(want) {
		t.Fatalf("parts %+v, want %+v", r.Parts, want)
	}
	var ftes, amounts int64
	for i, w := range want {
		if r.Parts[i] != w {
			t.Errorf("part %d: %+v, want %+v", i, r.Parts[i], w)
		}
		ftes += r.Parts[i].FTE
		amounts += r.Parts[i].Amount
	}
	if ftes != r.Post.FTE || amounts != r.Cost {
		t.Errorf("parts add up to %d FTE and %d pence; the post has %d and %d", ftes, amounts, r.Post.FTE, r.Cost)
	}
}

func TestSurveySplits(t *testing.T) {
	fw := staffFramework(t)
	p := post(2, "P1", "Housing Officer", "North", "HM101", fte, 38550_00)
	p.Splits = []ingest.TimeSplit{
		{Heading: "% Tenancy sustainment", Outcome: "Tenancy sustainment", Column: 6, Share: 200_000},
		{Heading: "Time: money_advice", Outcome: "money_advice", Column: 7, Share: 100_000},
	}
	res, err := fw.StaffTime([]ingest.Post{p}, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Rule != RuleSurvey {
		t.Errorf("rule %q, want %q: the survey comes before the job title rule", res[0].Rule, RuleSurvey)
	}
	// Tenancy takes its mode from S020 (the housing officer rule); money
	// advice, which S020 does not name, is under half the time: embedded.
	checkParts(t, res[0], []PostPart{
		{Outcome: "tenancy", Mode: Embedded, Share: 200_000, FTE: 200_000_000, Amount: 7710_00},
		{Outcome: "money_advice", Mode: Embedded, Share: 100_000, FTE: 100_000_000, Amount: 3855_00},
		{Outcome: OutcomeCore, Mode: Core, Share: 700_000, FTE: 700_000_000, Amount: 26985_00},
	})

	t.Run("a survey's core column joins the rest", func(t *testing.T) {
		q := post(3, "P2", "Clerk", "", "HM101", fte, 10000_00)
		q.Splits = []ingest.TimeSplit{
			{Outcome: "Youth", Column: 6, Share: 600_000},
			{Outcome: "Core", Column: 7, Share: 300_000},
		}
		res, err := fw.StaffTime([]ingest.Post{q}, StaffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkParts(t, res[0], []PostPart{
			{Outcome: "youth", Mode: Specialist, Share: 600_000, FTE: 600_000_000, Amount: 6000_00},
			{Outcome: OutcomeCore, Mode: Core, Share: 400_000, FTE: 400_000_000, Amount: 4000_00},
		})
	})
	t.Run("rounding to the millionth over 100% comes off the largest", func(t *testing.T) {
		q := post(4, "P3", "Clerk", "", "HM101", fte, 10000_00)
		for i := range 6 {
			q.Splits = append(q.Splits, ingest.TimeSplit{Outcome: []string{"youth", "tenancy"}[i%2], Column: 6 + i, Share: 166_667})
		}
		res, err := fw.StaffTime([]ingest.Post{q}, StaffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for _, pt := range res[0].Parts {
			total += pt.Share
			if pt.Outcome == OutcomeCore {
				t.Errorf("a survey of 100%% leaves no core: %+v", res[0].Parts)
			}
		}
		if total != ingest.ShareUnit {
			t.Errorf("shares add up to %d, want %d", total, ingest.ShareUnit)
		}
	})
}

func TestRuleSplits(t *testing.T) {
	fw := staffFramework(t)
	posts := []ingest.Post{
		post(2, "P1", "Tenancy Sustainment Officer", "Support", "TS100", fte, 30000_00),
		post(3, "P2", "Housing Officer", "Income", "HM101", 500_000_000, 30000_00), // job title beats team
		post(4, "P3", "Income Officer", "Income", "HM102", fte, 28000_00),
		post(5, "P4", "Finance Assistant", "Finance", "FI100", fte, 25000_00),
	}
	res, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantRules := []string{"S010", "S020", "S005", RuleNoStaffRule}
	for i, w := range wantRules {
		if res[i].Rule != w {
			t.Errorf("%s: rule %q, want %q", posts[i].JobTitle, res[i].Rule, w)
		}
	}
	checkParts(t, res[0], []PostPart{
		{Outcome: "tenancy", Mode: Specialist, Share: 900_000, FTE: 900_000_000, Amount: 27000_00},
		{Outcome: OutcomeCore, Mode: Core, Share: 100_000, FTE: 100_000_000, Amount: 3000_00},
	})
	checkParts(t, res[1], []PostPart{
		{Outcome: "tenancy", Mode: Embedded, Share: 200_000, FTE: 100_000_000, Amount: 3000_00},
		{Outcome: OutcomeCore, Mode: Core, Share: 800_000, FTE: 400_000_000, Amount: 12000_00},
	})
	checkParts(t, res[3], []PostPart{{Outcome: OutcomeCore, Mode: Core, Share: ingest.ShareUnit, FTE: fte, Amount: 25000_00}})
}

func TestSplitErrorsNameTheRow(t *testing.T) {
	fw := staffFramework(t)
	over := post(5, "P1", "Housing Officer", "", "HM101", fte, 30000_00)
	over.Splits = []ingest.TimeSplit{{Outcome: "tenancy", Column: 6, Share: 800_000}, {Outcome: "youth", Column: 7, Share: 300_000}}
	unknown := post(6, "P2", "Housing Officer", "", "HM101", fte, 30000_00)
	unknown.Splits = []ingest.TimeSplit{{Heading: "% Gardening", Outcome: "Gardening", Column: 8, Share: 100_000}}
	_, err := fw.StaffTime([]ingest.Post{over, unknown}, StaffOptions{})
	var se *StaffError
	if !errors.As(err, &se) || len(se.Problems) != 2 {
		t.Fatalf("error %v, want a StaffError with two problems", err)
	}
	for _, want := range []string{"posts.csv: row 5: the time split adds up to 110%, more than 100%", `posts.csv: row 6 column H "% Gardening"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestStaffRulesAreChecked(t *testing.T) {
	_, err := NewFramework(&ingest.FrameworkTables{
		Name:     "test",
		Outcomes: []ingest.OutcomeRow{outcome(2, "tenancy", "Tenancy", "Homes")},
		Rules:    []ingest.RuleRow{rec(2, "id", "R1", "keywords", "x", "outcome", "core", "mode", "core")},
		StaffRules: []ingest.StaffRuleRow{
			staffRule(2, "id", "S1", "job_title", "officer", "outcome", "tenancy", "share", "80%", "mode", "specialist"),
			staffRule(3, "id", "S1", "outcome", "tenancy", "share", "30%", "mode", "embedded"),
			staffRule(4, "id", "S2", "outcome", "nothing", "mode", "specialist"),
			staffRule(5, "id", "survey", "job_title", "x", "outcome", "tenancy", "mode", "specialist"),
		},
	})
	for _, want := range []string{"staff_rules.csv: row 2: staff rule S1: shares add up to 110%", "row 4: staff rule S2 has no criteria", `row 4: staff rule S2: outcome "nothing"`, `row 5: staff rule id "survey" is reserved`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
}

func TestVacantPostsStayInFlagged(t *testing.T) {
	fw := staffFramework(t)
	v := post(3, "P2", "Tenancy Sustainment Officer", "Support", "TS100", fte, 30000_00)
	v.Holders[0].Name, v.Holders[0].Vacant = "", true
	posts := []ingest.Post{post(2, "P1", "Tenancy Sustainment Officer", "Support", "TS100", fte, 30000_00), v}
	res, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Vacant || !res[1].Vacant || res[1].Cost != 30000_00 {
		t.Fatalf("results %+v: the vacant post is in, flagged, with its cost", res)
	}
	s := fw.SummariseStaff(res)
	if s.Total.Posts != 2 || s.Total.VacantPosts != 1 || s.Total.VacantFTE != fte || s.Total.VacantCost != 30000_00 || s.Total.Cost != 60000_00 {
		t.Errorf("summary %+v", s.Total)
	}
	// Both posts: 90% tenancy specialist.
	if s.Total.SpecialistFTE != 1_800_000_000 || s.Total.Specialist != 54000_00 || s.Total.SocialFTE() != s.Total.SpecialistFTE {
		t.Errorf("social: %+v", s.Total)
	}
	if len(s.ByOutcome) != 1 || s.ByOutcome[0].Key != "tenancy" || s.ByOutcome[0].Posts != 2 || s.ByOutcome[0].Cost != 54000_00 {
		t.Errorf("by outcome: %+v", s.ByOutcome)
	}
}

func TestSummariseStaffAddsUp(t *testing.T) {
	fw := staffFramework(t)
	rng := rand.New(rand.NewPCG(9, 9))
	titles := []string{"Housing Officer", "Tenancy Sustainment Officer", "Income Officer", "Clerk"}
	teams := []string{"North", "South", "Income", ""}
	var posts []ingest.Post
	for i := range 200 {
		p := post(i+2, "", titles[rng.IntN(4)], teams[rng.IntN(4)], []string{"HM101", "HM102", "TS100"}[rng.IntN(3)], rng.Int64N(fte)+1, rng.Int64N(60000_00)+1)
		if rng.IntN(3) == 0 {
			p.Splits = []ingest.TimeSplit{{Outcome: "youth", Column: 9, Share: rng.Int64N(ingest.ShareUnit)}}
		}
		posts = append(posts, p)
	}
	res, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := fw.SummariseStaff(res)
	var fteSum, costSum, social, socialFTE int64
	for _, r := range res {
		fteSum += r.Post.FTE
		costSum += r.Cost
		social += r.SocialCost()
		socialFTE += r.SocialFTE()
	}
	if s.Total.FTE != fteSum || s.Total.Cost != costSum || s.Total.SocialCost() != social || s.Total.SocialFTE() != socialFTE {
		t.Errorf("total %+v; posts add up to %d FTE, %d pence, %d social, %d social FTE", s.Total, fteSum, costSum, social, socialFTE)
	}
	for name, by := range map[string][]StaffKeyed{"team": s.ByTeam, "business unit": s.ByBusinessUnit, "cost centre": s.ByCostCentre} {
		var c, so int64
		for _, k := range by {
			c += k.Cost
			so += k.SocialCost()
		}
		if c != costSum || so != social {
			t.Errorf("by %s: %d and %d social, want %d and %d", name, c, so, costSum, social)
		}
	}
	var o int64
	for _, k := range s.ByOutcome {
		o += k.Cost
	}
	if o != social {
		t.Errorf("by outcome: %d, want %d", o, social)
	}
}

func TestSplitExactAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := rng.IntN(6) + 1
		w := make([]int64, n)
		for i := range w {
			w[i] = rng.Int64N(math.MaxInt64 / 8)
		}
		w[0]++
		amount := rng.Int64N(math.MaxInt64/2) - math.MaxInt64/4
		parts := splitExact(amount, w)
		var sum int64
		for _, p := range parts {
			sum += p
		}
		if sum != amount {
			t.Fatalf("splitExact(%d, %v) = %v, adds up to %d", amount, w, parts, sum)
		}
	}
}

func TestBuiltInStaffRulesAndPay(t *testing.T) {
	fw := builtInFramework(t)
	for title, want := range map[string]string{
		"Tenancy Sustainment Officer": "S010",
		"Housing Officer":             "S140",
		"Senior Income Officer":       "S150",
		"Digital Skills Officer":      "S090",
		"Money Adviser":               "S020",
		"Finance Business Partner":    "",
	} {
		r := fw.StaffRuleFor(&ingest.Post{JobTitle: title})
		got := ""
		if r != nil {
			got = r.ID
		}
		if got != want {
			t.Errorf("%s: staff rule %q, want %q", title, got, want)
		}
	}
	for name, want := range map[string]bool{
		"Salaries": true, "Employer's NI": true, "Employer's Pension": true, "Overtime": true, "Agency Staff": true,
		"Apprenticeship Levy": true, "Staff Training": false, "Recruitment": false, "Decoration allowances": false, "Printing": false,
	} {
		if got := fw.payKind(&ingest.CostLine{NominalName: name}) >= 0; got != want {
			t.Errorf("%s: pay %v, want %v", name, got, want)
		}
	}
}

// The people views of two establishments added up are the people view of
// all their posts.
func TestAddStaffSummaries(t *testing.T) {
	fw := staffFramework(t)
	posts := []ingest.Post{
		post(2, "P1", "Housing Officer", "Housing", "HM101", fte, 38550_00),
		post(3, "P2", "Tenancy Sustainment Officer", "Housing", "HM102", fte/2, 40000_00),
		post(4, "P3", "Tenancy Sustainment Officer", "Support", "TS100", fte, 31000_00),
		post(5, "P4", "Finance Officer", "Finance", "CO501", fte, 30000_00),
	}
	res, err := fw.StaffTime(posts, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	whole := fw.SummariseStaff(res)
	parts := fw.AddStaffSummaries(fw.SummariseStaff(res[:1]), fw.SummariseStaff(res[1:3]), fw.SummariseStaff(res[3:]))
	if !reflect.DeepEqual(whole, parts) {
		t.Errorf("added up:\n%+v\nwant\n%+v", parts, whole)
	}
}
