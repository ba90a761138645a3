package analysis

import (
	"reflect"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// A pay budget added to line by line puts lines of one cost centre in
// any case together, leaves unreadable lines out, and is left as it was by
// reconciling: a second call agrees.
func TestPayBudgetReconcilesTwice(t *testing.T) {
	fw := builtInFramework(t)
	lines := []ingest.CostLine{
		{CostCentre: "HM101", NominalName: "Salaries", Amount: 100_000_00},
		{CostCentre: "HM101", NominalName: "Employer's NI", Amount: 11_000_00},
		{CostCentre: "HM101", NominalName: "Stationery", Amount: 5_00},
		{CostCentre: "CO505", NominalName: "Pension", Amount: 310_000_00},
		{CostCentre: "hm101", NominalName: "Agency staff", Amount: 8_500_00},
		{CostCentre: "HM102", NominalName: "Salaries", Amount: 1, Unreadable: "TBC"},
	}
	posts, err := fw.StaffTime([]ingest.Post{
		{CostCentre: "HM101", JobTitle: "Housing Officer", FTE: ingest.FTEUnit, Holders: []ingest.Holder{{FTE: ingest.FTEUnit, Cost: 115_000_00, HasCost: true}}},
		{CostCentre: "HM102", JobTitle: "Tenancy Sustainment Officer", FTE: ingest.FTEUnit, Holders: []ingest.Holder{{FTE: ingest.FTEUnit, Vacant: true, Cost: 40_000_00, HasCost: true}}},
	}, StaffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := fw.NewPayBudget()
	for i := range lines {
		b.Add(&lines[i])
	}
	got := b.Reconcile(posts, DefaultTolerance)
	if len(got.Rows) != 3 || got.Outside == 0 {
		t.Errorf("want 3 rows with some outside the tolerance, got %+v", got)
	}
	if again := b.Reconcile(posts, DefaultTolerance); !reflect.DeepEqual(again, got) {
		t.Errorf("second Reconcile differs: %+v", again)
	}
}

// A workbook's pay scale wins over the framework's for the points it
// gives; the framework's fills in the rest.
func TestMergePayScales(t *testing.T) {
	base, err := NewPayScale([]ingest.PayScaleRow{{Grade: "5", Point: "20", Salary: "30000"}, {Grade: "6", Point: "25", Salary: "35000"}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := MergePayScales(base, []ingest.PayScaleRow{{Grade: "5", Point: "20", Salary: "31000"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		grade, point string
		want         int64
	}{{"5", "20", 31_000_00}, {"6", "25", 35_000_00}} {
		if got, err := s.Salary(c.grade, c.point); err != nil || got != c.want {
			t.Errorf("Salary(%s, %s) = %d, %v; want %d", c.grade, c.point, got, err, c.want)
		}
	}
	if s, _ := MergePayScales(base, nil); s != base {
		t.Error("no rows: want the base scale")
	}
}
