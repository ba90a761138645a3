package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// framework check counts every problem, those past the first 50 listed
// too.
func TestFrameworkCheckCountsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	rules := "id,business_unit,cost_centre,nominal,keywords,outcome,share,mode\n"
	for i := range 60 {
		rules += fmt.Sprintf("R%d,,,,advice %d,nowhere,,specialist\n", i, i)
	}
	os.WriteFile(filepath.Join(dir, "outcomes.csv"), []byte("code,name,theme\nmoney_advice,Money advice,Money\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "rules.csv"), []byte(rules), 0o644)
	r := runCLI(t, "framework", "check", dir)
	if r.exit != 1 || !strings.Contains(r.stderr, "… and 10 more, not listed") || !strings.Contains(r.stderr, ": 60 problems") {
		t.Errorf("exit %d, stderr:\n%s", r.exit, r.stderr)
	}
}
