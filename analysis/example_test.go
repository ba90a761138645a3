package analysis_test

import (
	"fmt"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// A framework is made from its tables, as ingest reads them from
// outcomes.csv and rules.csv; a Matcher then decides each cost line, and
// Allocate splits its pence across outcomes to the penny.
func ExampleNewFramework() {
	fw, err := analysis.NewFramework(&ingest.FrameworkTables{
		Name: "example",
		Outcomes: []ingest.OutcomeRow{
			{Code: "ts", Name: "Tenancy sustainment", Theme: "Homes"},
			{Code: "ma", Name: "Money advice", Theme: "Financial inclusion"},
		},
		Rules: []ingest.RuleRow{
			// The housing management cost centres: core, but a fifth of
			// their spend keeps tenancies going.
			{ID: "HM", CostCentre: "HM*", Outcome: "ts", Share: "20%", Mode: "embedded"},
			// A line that says it is money advice is money advice, wherever
			// it sits: the most specific evidence wins.
			{ID: "ADV", Keywords: "money advice; debt advice", Outcome: "ma", Mode: "specialist"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := fw.NewMatcher()
	for _, l := range []ingest.CostLine{
		{CostCentre: "HM101", Description: "Housing officers", Amount: 1_000_00},
		{CostCentre: "HM101", Description: "Money advice service", Amount: 250_00},
		{CostCentre: "FN200", Description: "Audit fee", Amount: 99_99},
	} {
		match := m.Match(&l)
		fmt.Printf("%s: %s, rule %q\n", l.Description, match.Status, match.RuleID())
		for _, a := range analysis.Allocate(l.Amount, match) {
			fmt.Printf("  %s %s %s: %s\n", a.Outcome, a.Mode, analysis.FormatShare(a.Share), ingest.FormatMoney(a.Amount))
		}
	}
	// Output:
	// Housing officers: mapped, rule "HM"
	//   ts embedded 20%: £200.00
	//   core core 80%: £800.00
	// Money advice service: mapped, rule "ADV"
	//   ma specialist 100%: £250.00
	// Audit fee: unmapped, rule ""
	//   unmapped unmapped 100%: £99.99
}
