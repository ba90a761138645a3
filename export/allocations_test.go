package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/csvout"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

func defaultFramework(t testing.TB) *analysis.Framework {
	t.Helper()
	ft, err := ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	if err != nil {
		t.Fatal(err)
	}
	fw, err := analysis.NewFramework(ft)
	if err != nil {
		t.Fatal(err)
	}
	return fw
}

// allocations.csv keeps its first columns where existing readers find them,
// and ends with the cost centre name, nominal name and payee a rule may have
// matched on.
func TestAllocationsCarryNamesAndPayee(t *testing.T) {
	fw := defaultFramework(t)
	var buf bytes.Buffer
	if err := csvout.WriteAllocationsHeader(&buf); err != nil {
		t.Fatal(err)
	}
	c := NewCollector(fw)
	c.Begin(&buf)
	tb := &ingest.Table{}
	lines := []ingest.CostLine{
		{Source: ingest.Source{File: "b.xlsx", Sheet: "S", Row: 7}, CostCentre: "HM1", CostCentreName: "Housing, North", Nominal: "5001", NominalName: "Salaries", Description: "Officer", Payee: `Total Care "Ltd"`, Amount: 12345},
		{Source: ingest.Source{File: "b.xlsx", Sheet: "S", Row: 8}, CostCentre: "HM1", Description: "Boiler", Amount: 100},
	}
	for i := range lines {
		if err := c.Line(tb, &lines[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.End(&ingest.Book{Tables: []*ingest.Table{tb}}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("allocations.csv does not parse: %v\n%s", err, buf.String())
	}
	want := []string{"file", "sheet", "row", "business_unit", "cost_centre", "nominal", "description", "line_amount", "outcome", "theme", "mode", "share", "amount", "rule", "cost_centre_name", "nominal_name", "payee", "line_type", "note"}
	if !slices.Equal(recs[0], want) {
		t.Fatalf("header %q, want %q", recs[0], want)
	}
	byRow := map[string][]string{}
	for _, r := range recs[1:] {
		if len(r) != len(want) {
			t.Fatalf("row of %d fields, want %d: %q", len(r), len(want), r)
		}
		byRow[r[2]] = r[len(r)-5 : len(r)-2]
	}
	for row, tail := range map[string][]string{"7": {"Housing, North", "Salaries", `Total Care "Ltd"`}, "8": {"", "", ""}} {
		if !slices.Equal(byRow[row], tail) {
			t.Errorf("row %s ends %q, want %q", row, byRow[row], tail)
		}
	}
}
