package analysis

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/purpose-hq/purpose/ingest"
)

// FuzzFramework: whatever outcomes.csv and rules.csv hold, loading the
// framework (ingest's tables, then NewFramework) does not panic; it ends
// in an error or in a framework whose every rule's outcomes are outcomes
// it has, and which matches a line without a panic.
func FuzzFramework(f *testing.F) {
	dir := filepath.Join("..", "templates", "framework")
	outcomes, err1 := os.ReadFile(filepath.Join(dir, "outcomes.csv"))
	rules, err2 := os.ReadFile(filepath.Join(dir, "rules.csv"))
	if err1 == nil && err2 == nil {
		// The built-in framework's first rows: a seed of a few hundred
		// bytes, since the fuzzer minimises every input it finds
		// interesting, and minimising a 30 KB one stalls it for seconds.
		f.Add(firstLines(outcomes, 6), firstLines(rules, 8))
	}
	f.Add([]byte("code,name,theme\nx,X,T\n"), []byte("id,keywords,outcome,share,mode\nR1,advice,x,1,specialist\n"))
	f.Add([]byte("code,name,theme\nx,X,=T\n"), []byte("id,keywords,outcome,share,mode\nR1,advice,x;y,0.5;0.5,embedded\n"))
	f.Add([]byte("sep=;\ncode;name;theme\n"), []byte("id,outcome\n,\n"))
	f.Fuzz(func(t *testing.T, outcomes, rules []byte) {
		if len(outcomes)+len(rules) > 1<<15 {
			return
		}
		fsys := fstest.MapFS{
			"fw/outcomes.csv": {Data: outcomes},
			"fw/rules.csv":    {Data: rules},
		}
		tables, err := ingest.ReadFrameworkFS(fsys, "fw")
		if err != nil {
			return
		}
		fw, err := NewFramework(tables)
		if err != nil {
			return
		}
		for _, r := range fw.Rules {
			total := 0
			for _, p := range r.Parts {
				total += p.Share
				if _, ok := fw.Outcome(p.Outcome); !ok && p.Outcome != OutcomeIncome && p.Outcome != OutcomeCore {
					t.Fatalf("rule %s allocates to %q, which is no outcome", r.ID, p.Outcome)
				}
			}
			if total > 10000 {
				t.Fatalf("rule %s allocates %d basis points, more than the whole", r.ID, total)
			}
		}
		m := fw.NewMatcher()
		l := &ingest.CostLine{Description: "Money advice", CostCentre: "HM101", Nominal: "5000", Amount: 12345}
		allocs := Allocate(l.Amount, m.Match(l))
		sum := int64(0)
		for _, a := range allocs {
			sum += a.Amount
		}
		if sum != l.Amount {
			t.Fatalf("allocations add up to %d, the line is %d", sum, l.Amount)
		}
	})
}

// firstLines is b's first n lines.
func firstLines(b []byte, n int) []byte {
	for i, c := range b {
		if c == '\n' {
			if n--; n == 0 {
				return b[:i+1]
			}
		}
	}
	return b
}
