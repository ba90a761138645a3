package export

import (
	"io"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// Each table ingest reads is held to sums int64 pence can hold; the
// collector adds up lines of every table and input, so it checks its own.
func TestCollectorRefusesTotalsTooLargeToHold(t *testing.T) {
	c := NewCollector(defaultFramework(t))
	c.Begin(io.Discard)
	a, b := &ingest.Table{}, &ingest.Table{}
	l := ingest.CostLine{Source: ingest.Source{File: "a.xlsx"}, Description: "Works", Amount: ingest.MaxLinePence}
	for i := range 100_000 {
		tb := a
		if i%2 == 1 {
			tb, l.Amount = b, -ingest.MaxLinePence // signed sums stay small; the parts do not
		} else {
			l.Amount = ingest.MaxLinePence
		}
		l.Source.Row = i + 2
		if err := c.Line(tb, &l); err != nil {
			if !strings.Contains(err.Error(), "too large to hold") || i < 92_000 {
				t.Fatalf("line %d: %v", i, err)
			}
			return
		}
	}
	t.Fatal("100,000 lines of £1,000,000,000,000 were added up without an error")
}
