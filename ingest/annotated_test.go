package ingest

import (
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// A workbook purpose annotated, sent back: its columns are found by their
// headings wherever an adviser moved them, with a column of the adviser's
// own between them, and none of it is read as data; each line's review
// cells are read, by heading.
func TestAnnotatedColumnsFoundWhereverTheyStand(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Nominal", "Description", "Amount", "Outcome override", "Outcome", "Theme", "Adviser note", "Mode", "Social share", "Social £", "Rule", "Status", "Share override", "Reviewer note", "Another note"},
		{"HM101", "5000", "Housing officers", 1000, "Money and debt advice", "core", "", "asked Sam", "core", 0, 0, "R800", "mapped", "50%", "half advice", "x"},
		{"HM101", "6100", "Leaflets", 200},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := b.Tables[0]
	if tb.AnnotationCol != 6 || len(tb.ToolColumns) != 10 {
		t.Fatalf("annotation from column %d, tool columns %+v", tb.AnnotationCol, tb.ToolColumns)
	}
	lines := b.Lines()
	if len(lines) != 2 || lines[0].Description != "Housing officers" || lines[0].LineType != "" || lines[0].Amount != 1000_00 {
		t.Fatalf("lines %+v", lines)
	}
	rv := lines[0].Review
	for h, want := range map[string][2]string{
		OutcomeOverrideHeader: {"E2", "Money and debt advice"}, ShareOverrideHeader: {"N2", "50%"}, ReviewerNoteHeader: {"O2", "half advice"},
		"Outcome": {"F2", "core"}, "Rule": {"L2", "R800"}, "Theme": {},
	} {
		if got := rv.Get(h); got.Ref() != want[0] || got.Value != want[1] {
			t.Errorf("%s: %+v, want %q", h, got, want)
		}
	}
	if lines[1].Review == nil || len(lines[1].Review.Cells) != 0 {
		t.Errorf("a line with nothing in purpose's columns: %+v", lines[1].Review)
	}
}

// A budget's own Status or Rule column is not taken for purpose's: that
// takes Outcome, Social share, Rule and Status together.
func TestOwnStatusColumnIsData(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Description", "Status", "Rule", "Amount"},
		{"HM101", "Housing officers", "approved", "standard", 1000},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tb := b.Tables[0]; tb.AnnotationCol != 0 || len(tb.ToolColumns) != 0 || b.Lines()[0].Review != nil {
		t.Errorf("a budget's own columns taken for purpose's: %+v", tb.ToolColumns)
	}
}

// An adviser's copy of one of purpose's columns (a second "Outcome", kept
// for comparison) does not hide purpose's columns: the left-hand one is
// purpose's, the copy is kept and not read as data.
func TestCopiedToolColumn(t *testing.T) {
	p := writeXLSX(t, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Description", "Amount", "Outcome", "Theme", "Mode", "Social share", "Social £", "Rule", "Status", "Outcome"},
		{"HM101", "Housing officers", 1000, "core", "", "core", 0, 0, "R800", "mapped", "core (as it was)"},
	}})
	b, err := ReadBudget(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := b.Tables[0]
	l := b.Lines()[0]
	if tb.AnnotationCol != 4 || l.LineType != "" || l.Review.Get("Outcome").Ref() != "D2" {
		t.Errorf("annotation from column %d, line type %q, Outcome cell %+v", tb.AnnotationCol, l.LineType, l.Review.Get("Outcome"))
	}
}
