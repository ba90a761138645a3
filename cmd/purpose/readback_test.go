package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// openpyxl finds (or installs, with Debian's package) a python3 that has
// openpyxl: a second reader, independent of excelize.
func openpyxl(t *testing.T) string {
	t.Helper()
	py := "/usr/bin/python3"
	has := func() bool { return exec.Command(py, "-c", "import openpyxl").Run() == nil }
	if has() {
		return py
	}
	if _, err := exec.LookPath("apt-get"); err != nil || os.Geteuid() != 0 {
		t.Skip("openpyxl is not installed and cannot be installed here")
	}
	t.Log("installing python3-openpyxl")
	install := exec.Command("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-openpyxl")
	if out, err := install.CombinedOutput(); err != nil || !has() {
		t.Skipf("could not install python3-openpyxl: %v\n%s", err, out)
	}
	return py
}

// TestOpenpyxlReadsTheAnnotatedSample reads the annotated sample with
// openpyxl, in full and in read-only mode (which trusts each sheet's stated
// used range), and checks it sees every row, the charts and the figures.
func TestOpenpyxlReadsTheAnnotatedSample(t *testing.T) {
	if testing.Short() {
		t.Skip("needs openpyxl")
	}
	py := openpyxl(t)
	out := t.TempDir()
	r := runCLI(t, "run", "-q", "--out", out, sample)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	// The share the run printed, which the Summary's headline must give.
	share := strings.Fields(strings.SplitN(r.stdout, "Social purpose: ", 2)[1])[0]
	script := `
import sys
from openpyxl import load_workbook
p = sys.argv[1]
wb = load_workbook(p)
ro = load_workbook(p, read_only=True)
for ws in wb.worksheets:
    rows = sum(1 for _ in ro[ws.title].iter_rows())
    print(ws.title, ws.max_row, ws.max_column, rows, len(ws._charts))
b = wb["Budget 2026-27"]
print("header", [c.value for c in b[5]][7:])
print("summary", wb["Summary"]["A3"].value)
`
	cmd := exec.Command(py, "-c", script, filepath.Join(out, "budget.annotated.xlsx"))
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl could not read the workbook: %v\n%s", err, got)
	}
	text := string(got)
	t.Log(text)
	for _, want := range []string{
		"Budget 2026-27 606 17 606 0",
		"header ['Outcome', 'Theme', 'Mode', 'Social share', 'Social £', 'Rule', 'Status', 'Outcome override', 'Share override', 'Reviewer note']",
		"summary " + share + " of expenditure is mapped to social outcomes",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("openpyxl output lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		// Three charts of spend, and the people view's (the sample has a
		// staffing sheet).
		if len(f) == 5 && f[0] == "Summary" && f[4] != "4" {
			t.Errorf("Summary has %s charts, want 4", f[4])
		}
	}
}
