package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// BenchmarkRun is purpose run end to end on a generated ledger of
// PURPOSE_BENCH_LINES lines (100,000 by default): read, map, annotated
// workbook, CSVs, summary.
func BenchmarkRun(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("PURPOSE_BENCH_LINES")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	ledger := filepath.Join(dir, "ledger.xlsx")
	if err := ingesttest.WriteLedger(ledger, ingesttest.LedgerOptions{Lines: n, Staffing: true, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if r := runCLI(b, "run", "-q", "--out", filepath.Join(dir, "out"), ledger); r.exit != 0 {
			b.Fatal(r.stderr)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
