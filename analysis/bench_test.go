package analysis

import (
	"fmt"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

func defaultFramework(b testing.TB) *Framework {
	t, err := ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	if err != nil {
		b.Fatal(err)
	}
	fw, err := NewFramework(t)
	if err != nil {
		b.Fatal(err)
	}
	return fw
}

// benchmarkLines are ledger-like lines: a few hundred distinct
// descriptions repeated, as real ledgers repeat them.
func benchmarkLines(n int) []ingest.CostLine {
	descs := []string{"Tenancy sustainment officer", "Responsive repairs invoice", "Money advice sessions", "Gas servicing visit", "Community grants to resident groups", "Miscellaneous", "Youth club sessions", "Agency cover"}
	lines := make([]ingest.CostLine, n)
	for i := range lines {
		lines[i] = ingest.CostLine{
			BusinessUnit: []string{"Housing Services", "Property Services", "Communities & Customer", "Corporate Services"}[i%4],
			CostCentre:   fmt.Sprintf("CC%03d", i%37),
			Nominal:      fmt.Sprint(5000 + i%11*100),
			Description:  descs[i%len(descs)] + fmt.Sprint(" ", i%23),
			Amount:       int64(i%50000 + 100),
		}
	}
	return lines
}

func BenchmarkMatch(b *testing.B) {
	fw := defaultFramework(b)
	lines := benchmarkLines(100000)
	b.Run("first-rule", func(b *testing.B) {
		i := 0
		for b.Loop() {
			fw.MatchLine(&lines[i%len(lines)])
			i++
		}
	})
	b.Run("matcher", func(b *testing.B) {
		m := fw.NewMatcher()
		i := 0
		for b.Loop() {
			m.Match(&lines[i%len(lines)])
			i++
		}
	})
}

func BenchmarkAllocateAndSummarise(b *testing.B) {
	fw := defaultFramework(b)
	lines := benchmarkLines(100000)
	matches := fw.MatchAll(lines)
	s := NewSummariser(fw)
	i := 0
	for b.Loop() {
		j := i % len(lines)
		s.Add(&lines[j], matches[j], Allocate(lines[j].Amount, matches[j]))
		i++
	}
}
