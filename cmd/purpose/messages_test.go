package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// What a package or the operating system would say, which a finance
// officer should never read.
var unplain = []string{"ingest: ", "export: ", "framework: ", "analysis: ", "sheetxml: ", "no such file or directory", "open ", "mkdir ", "not a directory"}

func checkPlain(t *testing.T, what, text string) {
	t.Helper()
	for _, bad := range unplain {
		if strings.Contains(text, bad) {
			t.Errorf("%s says %q:\n%s", what, bad, text)
		}
	}
}

// Messages on screen and in run.json name files, sheets and cells in plain
// words: no package names, no raw system errors.
func TestMessagesArePlain(t *testing.T) {
	dir := t.TempDir()
	abs := mustAbs(t, sample)
	t.Chdir(dir)
	os.WriteFile("report.csv", []byte("x"), 0o644)
	os.WriteFile("notzip.xlsx", []byte("not a zip"), 0o644)
	bad := ingesttest.Sheet{Name: "Budget", Rows: [][]any{ingesttest.BudgetHeader, {"H", "HM1", "", "5000", "", "Officer", "TBC"}}}
	if err := ingesttest.WriteXLSX("bad.xlsx", bad); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("readme.csv", []byte("a,b\n1,2\n"), 0o644)
	for _, c := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"run", "-q", "--out", "report.csv", abs}, 2, "purpose: --out report.csv is a file, not a folder\n"},
		{[]string{"run", "-q", "--out", "report.csv/sub", abs}, 1, "purpose: --out report.csv/sub: cannot make the folder: a part of this path is a file, not a folder\n"},
		{[]string{"run", "-q", "notzip.xlsx"}, 1, "purpose: notzip.xlsx: is not an Excel workbook"},
		{[]string{"run", "-q", "bad.xlsx"}, 1, `purpose: bad.xlsx: sheet "Budget" cell G2: "TBC" is not an amount` + "\n"},
		{[]string{"check", "-q", "--framework", "nofw", abs}, 1, "purpose: --framework nofw: no such file or folder\n"},
		{[]string{"check", "-q", "--framework", "report.csv", abs}, 1, "purpose: report.csv: give a folder"},
		{[]string{"run", "-q", "nosuch.xlsx"}, 2, "purpose: nosuch.xlsx: no such file or folder\n"},
		{[]string{"help", "nosuch"}, 2, `purpose: help: there is no command "nosuch"`},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := runCLI(t, c.args...)
			if r.exit != c.exit {
				t.Errorf("exit %d, want %d", r.exit, c.exit)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, r.stderr)
			}
			checkPlain(t, "stderr", r.stderr)
		})
	}
	// And run.json's record of the inputs that could not be read.
	out := t.TempDir()
	r := runCLI(t, "run", "-q", "--keep-going", "--out", out, "readme.csv", abs)
	if r.exit != 1 {
		t.Fatalf("%+v", r)
	}
	checkPlain(t, "stderr", r.stderr)
	data, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Warnings []string `json:"warnings"`
		Failed   []string `json:"failed_inputs"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Failed) != 1 || !strings.HasPrefix(m.Failed[0], "readme.csv: ") {
		t.Errorf("failed_inputs %q", m.Failed)
	}
	checkPlain(t, "run.json", strings.Join(append(m.Failed, m.Warnings...), "\n"))
}

func TestPlainMessage(t *testing.T) {
	tmp := filepath.Join("out", ".budget.annotated.xlsx.123.tmp")
	for _, c := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "x.xlsx", Err: syscall.ENOENT}, "x.xlsx: no such file"},
		{fmt.Errorf("ingest: %w", &fs.PathError{Op: "open", Path: "x.xlsx", Err: syscall.EACCES}), "x.xlsx: permission denied (it may be read-only, or open in another program)"},
		{fmt.Errorf("export: out/budget.annotated.xlsx: %w", &fs.PathError{Op: "write", Path: tmp, Err: syscall.ENOSPC}), "out/budget.annotated.xlsx: the disk is full"},
		{fmt.Errorf("out/run.json: %w; the previous outputs are as they were", &os.LinkError{Op: "rename", Old: tmp, New: "out/run.json", Err: syscall.EBUSY}), "out/run.json: out/run.json: in use by another program; the previous outputs are as they were"},
		{errors.New("ingest: a.xlsx: sheetxml: xl/worksheets/sheet1.xml: byte offset 9: bad"), "a.xlsx: xl/worksheets/sheet1.xml: byte offset 9: bad"},
		{errors.New("framework: rules.csv: no column \"keywords\"\n  framework: outcomes.csv: no column \"code\""), "rules.csv: no column \"keywords\"\n  outcomes.csv: no column \"code\""},
		{errors.New("a.xlsx: bad; and then: export: allocations.csv: full"), "a.xlsx: bad; and then: allocations.csv: full"},
		{errors.New(`budget.xlsx: sheet "export: x" cell F14: "TBC" is not an amount`), `budget.xlsx: sheet "export: x" cell F14: "TBC" is not an amount`},
	} {
		if got := plainMessage(c.err); got != c.want {
			t.Errorf("plainMessage(%q)\n = %q\nwant %q", c.err, got, c.want)
		}
	}
}

// Counts on screen have thousands separators.
func TestCountsHaveThousandsSeparators(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.xlsx")
	if err := ingesttest.WriteLedger(p, ingesttest.LedgerOptions{Lines: 1500, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "check", "-q", p)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	m := regexp.MustCompile(`Read ([0-9,]+) lines`).FindStringSubmatch(r.stdout)
	if m == nil || m[1] != "1,500" {
		t.Errorf("want Read 1,500 lines:\n%s", r.stdout)
	}
	if regexp.MustCompile(`\b[0-9]{4,}\b`).MatchString(strings.ReplaceAll(r.stdout, "2026", "")) {
		t.Errorf("a count without separators:\n%s", r.stdout)
	}
}

// terminal is stderr as a terminal shows it: \r goes back to the line's
// start, ESC [K clears to its end.
type terminal struct{ bytes.Buffer }

func (*terminal) Terminal() bool { return true }

// screen is what is left on the screen.
func (t *terminal) screen() []string {
	var lines []string
	var line []rune
	col := 0
	s := t.String()
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "\x1b[K"):
			line = line[:col]
			s = s[3:]
			continue
		case s[0] == '\r':
			col = 0
		case s[0] == '\n':
			lines = append(lines, string(line))
			line, col = nil, 0
		default:
			r := []rune(s[:1])[0]
			if c := []rune(s); len(c) > 0 {
				r = c[0]
			}
			if col < len(line) {
				line[col] = r
			} else {
				line = append(line, r)
			}
			col++
			s = s[len(string(r)):]
			continue
		}
		s = s[1:]
	}
	if len(line) > 0 {
		lines = append(lines, string(line))
	}
	return lines
}

// Progress is shown on a terminal, in place, and nothing of it is left on
// the screen at the end.
func TestProgressIsClearedAtTheEnd(t *testing.T) {
	var stdout bytes.Buffer
	stderr := &terminal{}
	err := run(t.Context(), []string{"run", "--out", t.TempDir(), sample}, strings.NewReader(""), &stdout, stderr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "writing budget.annotated.xlsx") {
		t.Fatalf("no progress shown on a terminal: %q", stderr.String())
	}
	for _, line := range stderr.screen() {
		if strings.HasPrefix(line, "purpose: reading") || strings.HasPrefix(line, "purpose: writing") || !strings.HasPrefix(line, "purpose: ") {
			t.Errorf("progress left on the screen: %q", line)
		}
	}
}

// How each table was read (its header row and columns) is a note: printed
// as one, not as a warning, and kept in run.json apart from the warnings.
func TestNotesSayHowTablesWereRead(t *testing.T) {
	out := t.TempDir()
	r := runCLI(t, "run", "-q", "--out", out, sample)
	if r.exit != 0 {
		t.Fatal(r.stderr)
	}
	var printed []string
	for _, line := range strings.Split(r.stderr, "\n") {
		if n, ok := strings.CutPrefix(line, "purpose: note: "); ok {
			printed = append(printed, n)
		}
	}
	if len(printed) == 0 || !strings.Contains(printed[0], `sheet "Budget 2026-27": read header on row 5`) {
		t.Errorf("no note of the header read:\n%s", r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Warnings []string `json:"warnings"`
		Notes    []string `json:"notes"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Notes, "\n") != strings.Join(printed, "\n") {
		t.Errorf("run.json notes %q, printed %q", m.Notes, printed)
	}
	for _, w := range m.Warnings {
		if strings.Contains(w, "read header on row") {
			t.Errorf("a note among the warnings: %q", w)
		}
	}
}
