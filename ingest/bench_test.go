package ingest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// benchLines is the size of the generated ledgers the benchmarks read:
// PURPOSE_BENCH_LINES, 100,000 by default (cmd/purpose/bench/bench.sh
// measures 1,000,000 side by side with excelize and openpyxl).
func benchLines() int {
	if n, err := strconv.Atoi(os.Getenv("PURPOSE_BENCH_LINES")); err == nil && n > 0 {
		return n
	}
	return 100000
}

func BenchmarkStreamBudget(b *testing.B) {
	for _, inline := range []bool{false, true} {
		name := "shared"
		if inline {
			name = "inline"
		}
		b.Run(name, func(b *testing.B) {
			n := benchLines()
			path := filepath.Join(b.TempDir(), "ledger.xlsx")
			if err := ingesttest.WriteLedger(path, ingesttest.LedgerOptions{Lines: n, InlineStrings: inline, Staffing: true, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			info, _ := os.Stat(path)
			b.SetBytes(info.Size())
			b.ResetTimer()
			for b.Loop() {
				lines := 0
				if _, err := StreamBudget(path, Options{}, func(*Table, *CostLine) error { lines++; return nil }); err != nil {
					b.Fatal(err)
				}
				if lines != n {
					b.Fatalf("read %d lines, want %d", lines, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

func BenchmarkParsePence(b *testing.B) {
	in := []string{"1234.56", "£1,234.56", "(250.00)", "1.2345E+3", "-", "98765.4321"}
	for b.Loop() {
		for _, s := range in {
			if _, err := ParsePence(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}
