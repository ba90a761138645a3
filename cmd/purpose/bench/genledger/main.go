// Command genledger writes a fictional ledger workbook of a given size, for
// benchmarks: go run ./cmd/purpose/bench/genledger -lines 1000000 -o ledger.xlsx
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

func main() {
	lines := flag.Int("lines", 100000, "detail lines")
	inline := flag.Bool("inline", false, "inline strings instead of shared strings")
	out := flag.String("o", "ledger.xlsx", "the workbook to write")
	flag.Parse()
	start := time.Now()
	if err := ingesttest.WriteLedger(*out, ingesttest.LedgerOptions{Lines: *lines, InlineStrings: *inline, Staffing: true, Seed: 1}); err != nil {
		fmt.Fprintln(os.Stderr, "genledger:", err)
		os.Exit(1)
	}
	info, _ := os.Stat(*out)
	fmt.Fprintf(os.Stderr, "genledger: %s: %d lines, %.1f MB, %.1fs\n", *out, *lines, float64(info.Size())/1e6, time.Since(start).Seconds())
}
