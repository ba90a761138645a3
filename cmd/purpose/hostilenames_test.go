package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostile is text a terminal would act on: a line break, an escape code
// (red text, clear screen), a carriage return, a right-to-left override.
const hostile = "\n\x1b[31m\x1b[2J\r\u202e"

// hostileSheet is as hostile, for a sheet name, which cannot hold [ or ]:
// a line break, a terminal reset (ESC c), a CR and an override.
const hostileSheet = "\n\x1bc\r\u202e"

// checkTerminalSafe fails if what a run printed holds a character a
// terminal would act on, or a stderr line that is not a message's.
func checkTerminalSafe(t *testing.T, r cliResult) {
	t.Helper()
	for name, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		for _, bad := range []string{"\x1b", "\r", "\u202e", "\x07"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s holds %q:\n%s", name, bad, text)
			}
		}
	}
	listed := false
	for _, line := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "purpose: "):
			listed = false
		case strings.HasPrefix(line, "  "):
			listed = true
		case listed: // the hint after a list
			listed = false
		default:
			t.Errorf("stderr line %q is not one of a message's lines:\n%s", line, r.stderr)
		}
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "budget") || strings.HasPrefix(line, "get") {
			t.Errorf("stdout line %q: a name broke a line:\n%s", line, r.stdout)
		}
	}
}

// File, sheet and cell text holding line breaks and escape codes is
// printed quoted: every message stays on its lines, and no escape code
// reaches the terminal.
func TestHostileNamesArePrintedQuoted(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "bud"+hostile+"get.csv")
	good := "Service,Cost Centre,Description,Amount\n" +
		"\"Housing" + hostile + "North\",HM101,Gas servicing,1250.00\n" +
		"Care,HM102,\"Money advice" + hostile + "\",32000.00\n"
	if err := os.WriteFile(csvPath, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	badPath := filepath.Join(dir, "bad"+hostile+".csv")
	bad := good + "Care,HM103,Tenancy,\"TBC" + hostile + "\"\n"
	if err := os.WriteFile(badPath, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	xlsxPath := filepath.Join(dir, "book"+hostile+".xlsx")
	f := excelize.NewFile()
	sheet := "Costs" + hostileSheet
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, row := range [][]any{{"Service", "Cost Centre", "Description", "Amount"}, {"Housing" + hostile, "HM101", "Gas servicing", 1250}, {"Care", "HM102", "Money advice", "TBC" + hostile}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(xlsxPath); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "in"+hostile)
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "bud"+hostile+".csv"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "old"+hostile+".xls"), []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out"+hostile)
	cases := []struct {
		name string
		args []string
		exit int
	}{
		{"a csv read", []string{"run", "--out", out, csvPath}, 0},
		{"a csv refused", []string{"run", "--out", out, badPath}, 1},
		{"a workbook refused", []string{"run", "--out", out, xlsxPath}, 1},
		{"a workbook kept going", []string{"run", "--keep-going", "--out", out, xlsxPath}, 0},
		{"a folder", []string{"run", "--keep-going", "--out", out, folder}, 0},
		{"a missing file", []string{"run", "--out", out, filepath.Join(dir, "none"+hostile+".csv")}, 2},
		{"a missing framework", []string{"check", "--framework", filepath.Join(dir, "fw"+hostile), csvPath}, 1},
		{"a missing staffing file", []string{"check", "--staffing", filepath.Join(dir, "st"+hostile+".csv"), csvPath}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, c.args...)
			if r.exit != c.exit {
				t.Errorf("exit %d, want %d:\n%s%s", r.exit, c.exit, r.stdout, r.stderr)
			}
			checkTerminalSafe(t, r)
			if testing.Verbose() {
				t.Logf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			}
		})
	}
}

func TestTerminalSafe(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain message", "plain message"},
		{"a\x1b[31mb", `a\x1b[31mb`},
		{"bud\nget.csv: row 3", `bud\nget.csv: row 3`},
		{"x.xlsx: sheets restate others:\n  a\n  b\nrun again with --sheet", "x.xlsx: sheets restate others:\n  a\n  b\nrun again with --sheet"},
		{"cr\rhere", `cr\rhere`},
		{"bad \xff byte", `bad \xff byte`},
		{"rtl \u202e text", `rtl \u202e text`},
		{"£1,234 café \ufffd", "£1,234 café \ufffd"},
	}
	for _, c := range cases {
		if got := terminalSafe(c.in); got != c.want {
			t.Errorf("terminalSafe(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := terminalSafe(terminalSafe(c.in)); got != c.want {
			t.Errorf("terminalSafe twice (%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got, want := quoteNames("bud\nget.csv: row 3 of bud\nget.csv", []string{"dir/bud\nget.csv"}), `"bud\nget.csv": row 3 of "bud\nget.csv"`; got != want {
		t.Errorf("quoteNames = %q, want %q", got, want)
	}
}
