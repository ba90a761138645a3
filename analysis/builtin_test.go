package analysis

import (
	"testing"

	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

func builtInFramework(t *testing.T) *Framework {
	t.Helper()
	ft, err := ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	if err != nil {
		t.Fatal(err)
	}
	fw, err := NewFramework(ft)
	if err != nil {
		t.Fatal(err)
	}
	if len(fw.Warnings) > 0 {
		t.Errorf("the built-in framework has warnings: %q", fw.Warnings)
	}
	return fw
}

// The cases issue 7 names, on the built-in framework: the HACT example,
// the line types housing services have, and the traps a keyword matcher
// falls into.
func TestBuiltInFrameworkExamples(t *testing.T) {
	fw := builtInFramework(t)
	tests := []struct {
		name                        string
		costCentreName, nominalName string
		description                 string
		amount                      int64
		outcome                     string
		mode                        Mode
	}{
		{"HACT: a TSO's salary in housing management", "Housing Management", "Salaries", "Sal - TSO x3", 100, "tenancy_sustainment", Embedded},
		{"a housing officer's salary", "Housing Management", "Salaries", "Sal - Housing Officers x12", 100, OutcomeCore, Core},
		{"pay takes its cost centre's outcome", "Tenancy Sustainment", "Salaries", "", 100, "tenancy_sustainment", Embedded},
		{"bed and breakfast", "Homelessness", "B&B costs", "B&B - nightly paid", 100, "homelessness_prevention", Embedded},
		{"temporary accommodation repairs are a building cost", "Temporary Accommodation", "R&M", "TA units R&M", 100, OutcomeCore, Core},
		{"Supporting People floating support", "Housing Services", "Contracted services", "SP - floating support contract", 100, "tenancy_sustainment", Embedded},
		{"a disabled facilities grant", "Private Sector Housing", "Grants paid", "DFG - stairlift", 100, "independent_living", Embedded},
		{"aids and adaptations", "Repairs", "R&M - Responsive", "A&A - grab rails", 100, "independent_living", Embedded},
		{"insurance in estate services", "Estate Services", "Insurance", "Buildings insurance", 100, OutcomeCore, Core},
		{"void rent loss reduces income", "Income Management", "Void loss", "Void rent loss", 100, OutcomeIncome, Income},
		{"sheltered scheme cleaning is a building cost", "Sheltered Housing", "Cleaning", "Sheltered scheme cleaning", 100, OutcomeCore, Core},
		{"sheltered scheme utilities", "Sheltered Housing", "Utilities", "Sheltered scheme utilities", 100, OutcomeCore, Core},
		{"sheltered scheme repairs", "Sheltered Housing", "Repairs", "Sheltered scheme repairs", 100, OutcomeCore, Core},
		{"a sheltered scheme manager", "Sheltered Housing", "Salaries", "Scheme manager", 100, "independent_living", Embedded},
		{"trap: foyer as a building", "Head Office", "Cyclical Maint", "Reception foyer redecoration", 100, OutcomeCore, Core},
		{"trap: domestic refuse", "Estate Services", "Refuse & waste", "Domestic refuse collection", 100, OutcomeCore, Core},
		{"trap: staff safeguarding training", "Housing Management", "Training", "Safeguarding adults L2 - all staff", 100, OutcomeCore, Core},
		{"trap: payment processing fees", "Income Management", "Bank charges", "Card payment processing fees", 100, OutcomeCore, Core},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ingest.CostLine{CostCentreName: tt.costCentreName, NominalName: tt.nominalName, Description: tt.description, Amount: tt.amount}
			m := fw.MatchLine(&l)
			outcome, mode := mainOutcome(m, l.Amount)
			if outcome != tt.outcome || mode != tt.mode {
				t.Errorf("%s %s by rule %q, want %s %s", outcome, mode, m.RuleID(), tt.outcome, tt.mode)
			}
		})
	}
}

// No rule in the built-in framework reads the payee: the criterion is
// there for advisers to use.
func TestBuiltInFrameworkLeavesPayeeAlone(t *testing.T) {
	fw := builtInFramework(t)
	for _, r := range fw.Rules {
		if len(r.Payees) > 0 {
			t.Errorf("rule %s matches a payee", r.ID)
		}
	}
	l := ingest.CostLine{Payee: "Citizens Advice Money Advice Trust", Amount: 100}
	if m := fw.MatchLine(&l); m.Status != StatusUnmapped {
		t.Errorf("a line with only a payee is %s by %q", m.Status, m.RuleID())
	}
}
