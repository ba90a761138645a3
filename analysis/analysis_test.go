package analysis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// rec is a rules-table row: column names and values in pairs.
func rec(row int, kv ...string) ingest.RuleRow {
	r := ingest.RuleRow{Source: ingest.Source{File: "rules.csv", Row: row}}
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		switch kv[i] {
		case "id":
			r.ID = v
		case "business_unit":
			r.BusinessUnit = v
		case "cost_centre":
			r.CostCentre = v
		case "nominal":
			r.Nominal = v
		case "keywords":
			r.Keywords = v
		case "payee":
			r.Payee = v
		case "outcome":
			r.Outcome = v
		case "share":
			r.Share = v
		case "mode":
			r.Mode = v
		case "note":
			r.Note = v
		default:
			panic("rec: no column " + kv[i])
		}
	}
	return r
}

// outcome is an outcomes-table row.
func outcome(row int, code, name, theme string) ingest.OutcomeRow {
	return ingest.OutcomeRow{Code: code, Name: name, Theme: theme, Source: ingest.Source{File: "outcomes.csv", Row: row}}
}

func testFramework(t *testing.T, rules ...ingest.RuleRow) *Framework {
	t.Helper()
	fw, err := NewFramework(&ingest.FrameworkTables{
		Name: "test",
		Outcomes: []ingest.OutcomeRow{
			outcome(2, "money_advice", "Money advice", "Financial inclusion"),
			outcome(3, "tenancy", "Tenancy sustainment", "Secure homes"),
			outcome(4, "youth", "Youth", "Young people"),
		},
		Rules: rules,
	})
	if err != nil {
		t.Fatal(err)
	}
	return fw
}

func TestSplitPenceAddsUp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		amount := r.Int64N(1_000_000_000_00) - 500_000_000_00
		n := 1 + r.IntN(5)
		weights := make([]int64, n)
		for j := range weights {
			weights[j] = r.Int64N(10001)
		}
		weights[0]++ // a positive sum
		parts := SplitPence(amount, weights)
		var sum, total int64
		for j, p := range parts {
			sum += p
			total += weights[j]
		}
		if sum != amount {
			t.Fatalf("SplitPence(%d, %v) = %v, adds to %d", amount, weights, parts, sum)
		}
		// Each part is within a penny of its exact share.
		for j, p := range parts {
			exact := float64(amount) * float64(weights[j]) / float64(total)
			if d := float64(p) - exact; d > 1 || d < -1 {
				t.Fatalf("SplitPence(%d, %v)[%d] = %d, exact %f", amount, weights, j, p, exact)
			}
		}
	}
}

func TestSplitPenceExamples(t *testing.T) {
	tests := []struct {
		amount  int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{-100, []int64{1, 1, 1}, []int64{-34, -33, -33}},
		{1, []int64{3000, 7000}, []int64{0, 1}},
		{10001, []int64{5000, 5000}, []int64{5001, 5000}},
		{0, []int64{1, 2}, []int64{0, 0}},
		{9_000_000_000_000_000_00 / 100, []int64{3333, 6667}, []int64{2_999_700_000_000_000, 6_000_300_000_000_000}},
	}
	for _, tt := range tests {
		got := SplitPence(tt.amount, tt.weights)
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("SplitPence(%d, %v) = %v, want %v", tt.amount, tt.weights, got, tt.want)
				break
			}
		}
	}
}

func TestParseShare(t *testing.T) {
	tests := []struct {
		in   string
		want int
		bad  bool
	}{
		{"", 10000, false}, {"60%", 6000, false}, {"60", 6000, false}, {"12.5%", 1250, false},
		{"33.33%", 3333, false}, {"100%", 10000, false}, {"0%", 0, false}, {"0.5%", 50, false},
		{"0.25", 0, true}, {"1", 0, true}, {"101%", 0, true}, {"-5%", 0, true}, {"abc", 0, true}, {"12.345%", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseShare(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && got != tt.want) {
			t.Errorf("ParseShare(%q) = %d, %v; want %d, bad=%v", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

func TestFirstMatchWinsAndCriteria(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "R1", "cost_centre", "CI*", "keywords", "youth club", "outcome", "youth", "mode", "specialist"),
		rec(3, "id", "R2", "keywords", "money advice; welfare benefits", "outcome", "money_advice", "mode", "specialist"),
		rec(4, "id", "R3", "business_unit", "Housing Services", "nominal", "5000-5099", "outcome", "tenancy", "share", "40%", "mode", "embedded"),
		rec(5, "id", "R3", "outcome", "money_advice", "share", "10%", "mode", "embedded"),
		rec(6, "id", "R4", "keywords", "rental income", "outcome", "income", "mode", "income"),
		rec(7, "id", "R5", "nominal", "6*", "outcome", "core", "mode", "core"),
	)
	line := func(bu, cc, nominal, desc string, amount int64) ingest.CostLine {
		return ingest.CostLine{BusinessUnit: bu, CostCentre: cc, Nominal: nominal, Description: desc, Amount: amount}
	}
	tests := []struct {
		name   string
		line   ingest.CostLine
		status Status
		rule   string
	}{
		{"prefix and phrase", line("Communities", "CI200", "7000", "Youth Club sessions", 100), StatusMapped, "R1"},
		{"phrase needs whole words", line("Communities", "CI200", "7000", "Youth clubhouse rent", 100), StatusUnmapped, ""},
		{"prefix does not match", line("Communities", "HM200", "7000", "Youth club sessions", 100), StatusUnmapped, ""},
		{"any keyword, any case", line("", "", "", "WELFARE-BENEFITS adviser", 100), StatusMapped, "R2"},
		{"first rule wins", line("Housing Services", "CI1", "5010", "Money advice, youth club", 100), StatusMapped, "R1"},
		{"range and business unit", line("housing services", "HM1", "5099", "Officer salary", 100), StatusMapped, "R3"},
		{"range outside", line("Housing Services", "HM1", "5100", "Officer salary", 100), StatusUnmapped, ""},
		{"income rule", line("", "", "", "Rental income", -500), StatusIncome, "R4"},
		{"positive income stays income", line("", "", "", "Rental income", 500), StatusIncome, "R4"},
		{"credit on a core nominal", line("", "", "6100", "Recharge to capital", -500), StatusIncome, "credit"},
		{"core rule", line("", "", "6100", "Gas servicing", 500), StatusMapped, "R5"},
		{"unmapped", line("", "", "9999", "Sundries", 500), StatusUnmapped, ""},
		{"unreadable", ingest.CostLine{Unreadable: "TBC"}, StatusUnreadable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fw.MatchLine(&tt.line)
			if m.Status != tt.status || m.RuleID() != tt.rule {
				t.Fatalf("got %s by %q, want %s by %q", m.Status, m.RuleID(), tt.status, tt.rule)
			}
		})
	}
}

func TestAllocateSplitRule(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "R3", "keywords", "officer", "outcome", "tenancy", "share", "40%", "mode", "embedded"),
		rec(3, "id", "R3", "outcome", "money_advice", "share", "10%", "mode", "specialist"),
	)
	l := ingest.CostLine{Description: "Officer", Amount: 100001}
	allocs := Allocate(l.Amount, fw.MatchLine(&l))
	want := []Allocation{
		{"tenancy", Embedded, 4000, 40000},
		{"money_advice", Specialist, 1000, 10000},
		{"core", Core, 5000, 50001},
	}
	if len(allocs) != len(want) {
		t.Fatalf("got %v", allocs)
	}
	for i := range want {
		if allocs[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, allocs[i], want[i])
		}
	}
}

func TestFrameworkErrorsNameTheRow(t *testing.T) {
	_, err := NewFramework(&ingest.FrameworkTables{
		Name:     "bad",
		Outcomes: []ingest.OutcomeRow{outcome(2, "youth", "Youth", "Young people"), outcome(3, "core", "", "x")},
		Rules: []ingest.RuleRow{
			rec(2, "id", "A", "keywords", "x", "outcome", "nope", "mode", "specialist"),
			rec(3, "id", "B", "keywords", "y", "outcome", "youth", "share", "70%", "mode", "embedded"),
			rec(4, "id", "B", "outcome", "youth", "share", "40%", "mode", "specialist"),
			rec(5, "id", "C", "outcome", "youth", "share", "0.3", "mode", "specialist"),
			rec(6, "id", "D", "outcome", "youth", "mode", "sometimes"),
			rec(7, "id", "E", "outcome", "youth", "mode", "specialist"),
			rec(8, "id", "E", "keywords", "z", "outcome", "youth", "share", "0%", "mode", "specialist"),
		},
	})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{
		`rules.csv: row 2: rule A: outcome "nope" is not in the outcomes table`,
		`outcomes.csv: row 3: "core" is reserved`,
		`row 3: rule B: shares add up to 110%`,
		`row 5: rule C: share "0.3" is ambiguous`,
		`row 6: rule D: mode "sometimes"`,
		`row 8: rule E: write its criteria on its first row only`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

func TestRatioPercentAndDecimal(t *testing.T) {
	tests := []struct {
		r       Ratio
		percent string
		decimal string
	}{
		{Ratio{1, 3}, "33.3%", "0.333333"},
		{Ratio{2, 3}, "66.7%", "0.666667"},
		{Ratio{1, 2000}, "0.1%", "0.000500"},
		{Ratio{-1, 3}, "-33.3%", "-0.333333"},
		{Ratio{5, 0}, "n/a", ""},
		{Ratio{0, 7}, "0.0%", "0.000000"},
		{Ratio{9_000_000_000_000_000, 9_000_000_000_000_001}, "100.0%", "1.000000"},
	}
	for _, tt := range tests {
		if got := tt.r.Percent(); got != tt.percent {
			t.Errorf("%v.Percent() = %q, want %q", tt.r, got, tt.percent)
		}
		if got := tt.r.Decimal(6); got != tt.decimal {
			t.Errorf("%v.Decimal(6) = %q, want %q", tt.r, got, tt.decimal)
		}
	}
}

func TestSummariseReconciles(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "R1", "keywords", "advice", "outcome", "money_advice", "share", "33.33%", "mode", "specialist"),
		rec(3, "id", "R2", "keywords", "officer", "outcome", "tenancy", "share", "25%", "mode", "embedded"),
	)
	r := rand.New(rand.NewPCG(3, 4))
	descs := []string{"advice worker", "officer", "sundries", "advice officer"}
	var lines []ingest.CostLine
	var net int64
	for i := 0; i < 5000; i++ {
		a := r.Int64N(10_000_000) - 1_000_000
		lines = append(lines, ingest.CostLine{BusinessUnit: []string{"A", "B", ""}[i%3], CostCentre: string(rune('P' + i%5)), Description: descs[i%4], Amount: a})
		net += a
	}
	s := Summarise(fw, lines, fw.MatchAll(lines))
	if s.Overall.Net() != net {
		t.Fatalf("net %d, lines add to %d", s.Overall.Net(), net)
	}
	var buNet, ccNet, outcomeSocial, themeSocial int64
	for _, k := range s.ByBusinessUnit {
		buNet += k.Net()
	}
	for _, k := range s.ByCostCentre {
		ccNet += k.Net()
	}
	for _, o := range s.ByOutcome {
		outcomeSocial += o.Total()
	}
	for _, k := range s.ByTheme {
		themeSocial += k.Social()
	}
	if buNet != net || ccNet != net {
		t.Errorf("business units add to %d, cost centres to %d, want %d", buNet, ccNet, net)
	}
	if outcomeSocial != s.Overall.Social() || themeSocial != s.Overall.Social() {
		t.Errorf("outcomes add to %d, themes to %d, want %d", outcomeSocial, themeSocial, s.Overall.Social())
	}
	if s.ByBusinessUnit[len(s.ByBusinessUnit)-1].Key != NoBusinessUnit && s.ByBusinessUnit[0].Key != NoBusinessUnit {
		found := false
		for _, k := range s.ByBusinessUnit {
			found = found || k.Key == NoBusinessUnit
		}
		if !found {
			t.Error("lines without a business unit are not reported under one")
		}
	}
}

func TestCatchAllRuleIsWarned(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "ALL", "outcome", "core", "mode", "core"),
		rec(3, "id", "R1", "keywords", "youth", "outcome", "youth", "mode", "specialist"),
	)
	if len(fw.Warnings) != 1 || !strings.Contains(fw.Warnings[0], "rule ALL has no criteria: it takes every line no other rule matches, so no line is ever unmapped") {
		t.Errorf("warnings %q", fw.Warnings)
	}
}

func TestSummariserMergeEqualsWhole(t *testing.T) {
	fw := testFramework(t, rec(2, "id", "R1", "keywords", "advice", "outcome", "money_advice", "share", "40%", "mode", "specialist"))
	var lines []ingest.CostLine
	for i := 0; i < 1000; i++ {
		lines = append(lines, ingest.CostLine{BusinessUnit: string(rune('A' + i%4)), CostCentre: string(rune('P' + i%7)), Description: []string{"advice", "other"}[i%2], Amount: int64(i*37 - 5000)})
	}
	matches := fw.MatchAll(lines)
	whole := Summarise(fw, lines, matches)
	a, b := NewSummariser(fw), NewSummariser(fw)
	for i := range lines {
		s := a
		if i%3 == 0 {
			s = b
		}
		s.Add(&lines[i], matches[i], Allocate(lines[i].Amount, matches[i]))
	}
	a.Merge(b)
	merged := a.Summary()
	if fmt.Sprint(merged) != fmt.Sprint(whole) {
		t.Errorf("merged summary differs from the whole:\n%v\n%v", merged, whole)
	}
}

func TestNormaliseText(t *testing.T) {
	for in, want := range map[string]string{
		"  Money-Advice & Welfare  ": "money advice welfare",
		"Café – RÉSIDENTS’ 2026/27":  "café résidents 2026 27",
		"":                           "",
		"!!!":                        "",
	} {
		if got := normaliseText(in); got != want {
			t.Errorf("normaliseText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatcherAgreesWithMatchLine(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "R1", "keywords", "advice", "outcome", "money_advice", "mode", "specialist"),
		rec(3, "id", "R2", "cost_centre", "HM*", "outcome", "tenancy", "share", "20%", "mode", "embedded"),
		rec(4, "id", "R3", "keywords", "rental income", "outcome", "income", "mode", "income"),
		rec(5, "id", "R4", "payee", "youth trust", "outcome", "youth", "mode", "specialist"),
	)
	m := fw.NewMatcher()
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 5000; i++ {
		l := ingest.CostLine{
			CostCentre:  []string{"HM1", "CI2", ""}[r.IntN(3)],
			Description: []string{"advice", "rental income", "repairs", "Advice line"}[r.IntN(4)],
			LineType:    []string{"", "Advice"}[r.IntN(2)],
			Payee:       []string{"", "Youth Trust"}[r.IntN(2)],
			Amount:      r.Int64N(2000) - 500,
		}
		if r.IntN(50) == 0 {
			l.Unreadable = "TBC"
		}
		if got, want := m.Match(&l), fw.MatchLine(&l); got != want {
			t.Fatalf("line %+v: Matcher %v, MatchLine %v", l, got, want)
		}
	}
}

func TestCostCentresWithoutCodesStayApart(t *testing.T) {
	fw := testFramework(t, rec(2, "id", "R1", "keywords", "advice", "outcome", "money_advice", "mode", "specialist"))
	lines := []ingest.CostLine{
		{CostCentreName: "Repairs North", Description: "x", Amount: 100},
		{CostCentreName: "Repairs South", Description: "x", Amount: 200},
		{CostCentre: "HM1", CostCentreName: "Housing", Description: "advice", Amount: 300},
	}
	s := Summarise(fw, lines, fw.MatchAll(lines))
	var keys []string
	for _, k := range s.ByCostCentre {
		keys = append(keys, fmt.Sprintf("%s=%d", k.Key, k.Expenditure()))
	}
	if got := strings.Join(keys, ", "); got != "HM1 Housing=300, Repairs North=100, Repairs South=200" {
		t.Errorf("cost centres: %s", got)
	}
}

func TestPrecedenceByEvidence(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "BU", "business_unit", "Housing", "outcome", "core", "mode", "core"),
		rec(3, "id", "CC", "cost_centre", "HM1", "outcome", "tenancy", "share", "20%", "mode", "embedded"),
		rec(4, "id", "CCNAME", "keywords", "housing management", "outcome", "core", "mode", "core"),
		rec(5, "id", "NOM", "nominal", "5100", "outcome", "youth", "mode", "specialist"),
		rec(6, "id", "TYPE", "keywords", "insurance", "outcome", "core", "mode", "core"),
		rec(7, "id", "PAYEE", "payee", "Money Advice Trust", "outcome", "money_advice", "mode", "specialist"),
		rec(8, "id", "TSO", "keywords", "tso;tenancy sustainment", "outcome", "tenancy", "mode", "embedded"),
		rec(9, "id", "ADVICE", "keywords", "money advice", "outcome", "money_advice", "mode", "specialist"),
		rec(10, "id", "BU+DESC", "business_unit", "Housing", "keywords", "money advice", "outcome", "tenancy", "mode", "embedded"),
	)
	tests := []struct {
		name     string
		line     ingest.CostLine
		rule     string
		evidence Evidence
	}{
		{"business unit only", ingest.CostLine{BusinessUnit: "Housing", Description: "Salaries"}, "BU", EvidenceBusinessUnit},
		{"cost centre beats business unit", ingest.CostLine{BusinessUnit: "Housing", CostCentre: "HM1", Description: "Salaries"}, "CC", EvidenceCostCentre},
		{"cost centre name beats its code", ingest.CostLine{CostCentre: "HM1", CostCentreName: "Housing Management", Description: "Salaries"}, "CCNAME", EvidenceCostCentreName},
		{"nominal beats cost centre name", ingest.CostLine{CostCentreName: "Housing Management", Nominal: "5100"}, "NOM", EvidenceNominal},
		{"line type beats nominal code", ingest.CostLine{CostCentreName: "Housing Management", Nominal: "5100", LineType: "Insurance"}, "TYPE", EvidenceLineType},
		{"nominal name is line type", ingest.CostLine{CostCentre: "HM1", NominalName: "Insurance"}, "TYPE", EvidenceLineType},
		{"payee beats line type", ingest.CostLine{NominalName: "Insurance", Payee: "The Money Advice Trust"}, "PAYEE", EvidencePayee},
		{"description beats payee", ingest.CostLine{Payee: "Money Advice Trust", Description: "Sal - TSO x3"}, "TSO", EvidenceDescription},
		{"HACT: TSO salary in housing management", ingest.CostLine{BusinessUnit: "Housing", CostCentre: "HM1", CostCentreName: "Housing Management", Description: "Sal - TSO x3"}, "TSO", EvidenceDescription},
		{"blanket cost centre share gives way", ingest.CostLine{CostCentre: "HM1", Description: "Buildings insurance"}, "TYPE", EvidenceDescription},
		{"equal evidence: the earlier rule", ingest.CostLine{BusinessUnit: "Housing", Description: "Money advice"}, "ADVICE", EvidenceDescription},
		{"keywords never read the payee", ingest.CostLine{Payee: "Insurance Brokers Ltd"}, "", EvidenceNone},
		{"payee never read as keywords", ingest.CostLine{Description: "Money Advice Trust"}, "ADVICE", EvidenceDescription},
		{"no phrase across nominal name and line type", ingest.CostLine{NominalName: "Money", LineType: "Advice"}, "", EvidenceNone},
		{"no phrase across two line-type columns", ingest.CostLine{LineType: "Money | Advice"}, "", EvidenceNone},
		{"a phrase in the second line-type column", ingest.CostLine{LineType: "Grants | Money advice"}, "ADVICE", EvidenceLineType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, e := fw.Explain(&tt.line)
			id := ""
			if r != nil {
				id = r.ID
			}
			if id != tt.rule || e != tt.evidence {
				t.Fatalf("rule %q on %s, want %q on %s", id, e, tt.rule, tt.evidence)
			}
			if b := fw.BestRule(&tt.line); b != r {
				t.Fatalf("BestRule %v, Explain %v", b, r)
			}
		})
	}
}

// Lines that differ only in payee or line type are matched apart, not
// taken from the cache under the first one's answer.
func TestMatcherKeysPayeeAndLineType(t *testing.T) {
	fw := testFramework(t,
		rec(2, "id", "P", "payee", "Youth Trust", "outcome", "youth", "mode", "specialist"),
		rec(3, "id", "T", "keywords", "money advice", "outcome", "money_advice", "mode", "specialist"),
	)
	m := fw.NewMatcher()
	lines := []ingest.CostLine{
		{Description: "Grant", Amount: 1},
		{Description: "Grant", Payee: "Youth Trust", Amount: 1},
		{Description: "Grant", LineType: "Money advice", Amount: 1},
		{Description: "Grant", Payee: "Youth Trust", Amount: 1},
	}
	for i, want := range []string{"", "P", "T", "P"} {
		if got := m.Match(&lines[i]).RuleID(); got != want {
			t.Errorf("line %d: rule %q, want %q", i, got, want)
		}
	}
}
