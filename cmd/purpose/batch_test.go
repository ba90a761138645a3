package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// batchCLI runs the CLI in-process and gives the exit status main would.
func batchCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	if err != nil && !strings.Contains(errOut.String(), err.Error()) {
		fmt.Fprintln(&errOut, "purpose:", err)
	}
	return cliResult{exit: exitCode(err), stdout: out.String(), stderr: errOut.String()}
}

// writeOld writes a file dated an hour ago: settled.
func writeOld(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

func sampleBytes(t *testing.T) []byte {
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const goodCSV = "Directorate,Cost Centre,Nominal,Description,Amount\nHousing,HM1,5001,Repairs,100.00\nHousing,HM1,5002,Cleaning,250.00\n"

func readBatchJSON(t *testing.T, outbox string) batchSummary {
	t.Helper()
	var s batchSummary
	b, err := os.ReadFile(filepath.Join(outbox, "batch.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func jobStatus(s batchSummary) map[string]string {
	m := map[string]string{}
	for _, j := range s.Jobs {
		m[j.Job] = j.Status
	}
	return m
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// An inbox with a good file, a bad one, lock files, hidden and temporary
// files and one still being written: the good one is done, the bad one
// explained, the rest left alone, and the one being written waits for
// the next run, which does it.
func TestBatchInbox(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	writeOld(t, filepath.Join(in, "good.xlsx"), sampleBytes(t))
	writeOld(t, filepath.Join(in, "bad.csv"), []byte(strings.Replace(goodCSV, "250.00", "TBC", 1)))
	for _, name := range []string{"~$good.xlsx", ".~lock.good.xlsx#", ".hidden.csv", "copy.csv.tmp", "~WRL0001.tmp"} {
		writeOld(t, filepath.Join(in, name), []byte(goodCSV))
	}
	// growing.csv is being copied in: a line every 40 ms for a second.
	growing := filepath.Join(in, "growing.csv")
	if err := os.WriteFile(growing, []byte("Directorate,Cost Centre,Nominal,Description,Amount\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f, _ := os.OpenFile(growing, os.O_APPEND|os.O_WRONLY, 0)
		defer f.Close()
		for i := range 25 {
			fmt.Fprintf(f, "Housing,HM1,5001,Repairs %d,%d.00\n", i, 100+i)
			time.Sleep(40 * time.Millisecond)
		}
	}()
	r := batchCLI(t, "batch", "--inbox", in, "--outbox", out, "--settle", "300ms")
	if r.exit != 1 {
		t.Fatalf("exit %d, want 1 (one job failed): %s", r.exit, r.stderr)
	}
	for _, p := range []string{"good/run.json", "good/good.annotated.xlsx", "good/allocations.csv", "bad.errors.txt", "batch.json", "ledger.json"} {
		if !exists(filepath.Join(out, p)) {
			t.Errorf("%s is missing", p)
		}
	}
	for _, p := range []string{"bad", "growing", "hidden", ".hidden", "copy", "~$good", ".purpose-batch.lock"} {
		if exists(filepath.Join(out, p)) {
			t.Errorf("%s is in the outbox", p)
		}
	}
	errs, _ := os.ReadFile(filepath.Join(out, "bad.errors.txt"))
	for _, want := range []string{"bad.csv", "cell E3", `"TBC" is not an amount`, "What to do", "Correct each cell"} {
		if !strings.Contains(string(errs), want) {
			t.Errorf("bad.errors.txt does not say %q:\n%s", want, errs)
		}
	}
	s := readBatchJSON(t, out)
	if got := jobStatus(s); got["good.xlsx"] != "done" || got["bad.csv"] != "failed" || len(got) != 2 {
		t.Errorf("jobs %v; want good.xlsx done and bad.csv failed, nothing else", got)
	}
	ignored := map[string]string{}
	for _, ig := range s.Ignored {
		ignored[ig.File] = ig.Reason
	}
	for name, want := range map[string]string{"~$good.xlsx": "Excel lock", ".~lock.good.xlsx#": "LibreOffice lock", ".hidden.csv": "hidden", "copy.csv.tmp": "temporary", "growing.csv": "still being copied"} {
		if !strings.Contains(ignored[name], want) {
			t.Errorf("%s: ignored as %q; want %q", name, ignored[name], want)
		}
	}
	if !strings.Contains(r.stderr, "good.xlsx: done") || !strings.Contains(r.stderr, "bad.csv: failed") {
		t.Errorf("log lines:\n%s", r.stderr)
	}
	wg.Wait()
	old := time.Now().Add(-time.Hour)
	os.Chtimes(growing, old, old)
	r = batchCLI(t, "batch", "--inbox", in, "--outbox", out, "--settle", "300ms", "--log-format", "json")
	if r.exit != 1 {
		t.Fatalf("second run: exit %d, want 1 (bad.csv still failing): %s", r.exit, r.stderr)
	}
	got := jobStatus(readBatchJSON(t, out))
	if got["growing.csv"] != "done" || got["good.xlsx"] != "unchanged" || got["bad.csv"] != "failed" {
		t.Errorf("second run: jobs %v; want growing.csv done, good.xlsx unchanged, bad.csv failed", got)
	}
	alloc, _ := os.ReadFile(filepath.Join(out, "growing", "allocations.csv"))
	if n := strings.Count(string(alloc), "Repairs "); n != 25 {
		t.Errorf("growing.csv: %d lines in allocations.csv, want all 25", n)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if line == "" || strings.HasPrefix(line, "purpose:") {
			continue
		}
		var rec jobRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Job == "" {
			t.Errorf("--log-format json: a line is not a job's JSON: %q", line)
		}
	}
}

// An unchanged file is not done again; a changed one is.
func TestBatchLedger(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	writeOld(t, filepath.Join(in, "a.csv"), []byte(goodCSV))
	writeOld(t, filepath.Join(in, "b.csv"), []byte(goodCSV))
	if r := batchCLI(t, "batch", "--inbox", in, "--outbox", out); r.exit != 0 {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	aBefore, _ := os.ReadFile(filepath.Join(out, "a", "run.json"))
	aInfo, _ := os.Stat(filepath.Join(out, "a", "run.json"))
	writeOld(t, filepath.Join(in, "b.csv"), []byte(strings.Replace(goodCSV, "250.00", "275.00", 1)))
	r := batchCLI(t, "batch", "--inbox", in, "--outbox", out)
	if r.exit != 0 {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	if got := jobStatus(readBatchJSON(t, out)); got["a.csv"] != "unchanged" || got["b.csv"] != "done" {
		t.Errorf("jobs %v; want a.csv unchanged and b.csv done again", got)
	}
	if alloc, _ := os.ReadFile(filepath.Join(out, "b", "allocations.csv")); !strings.Contains(string(alloc), "275.00") {
		t.Errorf("b/allocations.csv does not have b.csv's new amount")
	}
	aAfter, _ := os.ReadFile(filepath.Join(out, "a", "run.json"))
	aInfo2, _ := os.Stat(filepath.Join(out, "a", "run.json"))
	if !bytes.Equal(aBefore, aAfter) || !aInfo.ModTime().Equal(aInfo2.ModTime()) {
		t.Errorf("a's outputs were written again")
	}
	// Another framework is a change too.
	fw := filepath.Join(dir, "fw")
	os.CopyFS(fw, os.DirFS("../../templates/framework"))
	rules, _ := os.ReadFile(filepath.Join(fw, "rules.csv"))
	os.WriteFile(filepath.Join(fw, "rules.csv"), append(rules, []byte("\n")...), 0o644)
	r = batchCLI(t, "batch", "--inbox", in, "--outbox", out, "--framework", fw)
	if got := jobStatus(readBatchJSON(t, out)); r.exit != 0 || got["a.csv"] != "done" || got["b.csv"] != "done" {
		t.Errorf("with another framework: exit %d, jobs %v; want both done again (%s)", r.exit, got, r.stderr)
	}
}

// One batch at a time: a held lock stops a second (exit 2), a stale one
// is taken over with a warning, and of two started at once one runs and
// the other stops with exit 2.
func TestBatchLock(t *testing.T) {
	host, _ := os.Hostname()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		name string
		pid  int
		exit int
		says string
	}{
		{"held", os.Getpid(), 2, "another batch (process"},
		{"stale", dead.Process.Pid, 0, "took over a lock left by process"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
			writeOld(t, filepath.Join(in, "a.csv"), []byte(goodCSV))
			writeOld(t, filepath.Join(out, lockFileName), fmt.Appendf(nil, "pid %d\nhost %s\nstarted 2026-01-01T00:00:00Z\n", tc.pid, host))
			r := batchCLI(t, "batch", "--inbox", in, "--outbox", out)
			if r.exit != tc.exit || !strings.Contains(r.stderr, tc.says) {
				t.Errorf("exit %d, want %d, saying %q: %s", r.exit, tc.exit, tc.says, r.stderr)
			}
			if done := exists(filepath.Join(out, "a", "run.json")); done != (tc.exit == 0) {
				t.Errorf("a.csv done: %v", done)
			}
			if left := exists(filepath.Join(out, lockFileName)); left != (tc.exit == 2) {
				t.Errorf("lock left in place: %v", left)
			}
		})
	}
	t.Run("at once", func(t *testing.T) {
		dir := t.TempDir()
		in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
		for i := range 3 {
			writeOld(t, filepath.Join(in, fmt.Sprintf("b%d.xlsx", i)), sampleBytes(t))
		}
		results := make([]cliResult, 2)
		var wg sync.WaitGroup
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = batchCLI(t, "batch", "--inbox", in, "--outbox", out)
			}()
		}
		wg.Wait()
		exits := []int{results[0].exit, results[1].exit}
		if !(exits[0] == 0 && exits[1] == 2) && !(exits[0] == 2 && exits[1] == 0) {
			t.Errorf("exits %v; want one 0 and one 2:\n%s\n%s", exits, results[0].stderr, results[1].stderr)
		}
	})
}

// --move-done moves a done file or folder out of the inbox, by copying,
// checking and removing where a rename cannot go (another drive).
func TestBatchMoveDone(t *testing.T) {
	for _, crossDrive := range []bool{false, true} {
		t.Run(fmt.Sprintf("cross drive %v", crossDrive), func(t *testing.T) {
			if crossDrive {
				renameForMove = func(from, to string) error {
					return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EXDEV}
				}
				defer func() { renameForMove = os.Rename }()
			}
			dir := t.TempDir()
			in, out, done := filepath.Join(dir, "in"), filepath.Join(dir, "out"), filepath.Join(dir, "done")
			writeOld(t, filepath.Join(in, "a.csv"), []byte(goodCSV))
			writeOld(t, filepath.Join(in, "bad.csv"), []byte(strings.Replace(goodCSV, "250.00", "TBC", 1)))
			writeOld(t, filepath.Join(in, "Org One", "budget.csv"), []byte(goodCSV))
			writeOld(t, filepath.Join(done, "a.csv"), []byte("an earlier a.csv"))
			r := batchCLI(t, "batch", "--inbox", in, "--outbox", out, "--move-done", done)
			if r.exit != 1 {
				t.Fatalf("exit %d, want 1: %s", r.exit, r.stderr)
			}
			if got, _ := os.ReadFile(filepath.Join(done, "a-2.csv")); string(got) != goodCSV {
				t.Errorf("a.csv was not moved to done/a-2.csv beside the earlier one")
			}
			if got, _ := os.ReadFile(filepath.Join(done, "Org One", "budget.csv")); string(got) != goodCSV {
				t.Errorf("the folder Org One was not moved")
			}
			for _, p := range []string{"a.csv", "Org One"} {
				if exists(filepath.Join(in, p)) {
					t.Errorf("%s is still in the inbox", p)
				}
			}
			if !exists(filepath.Join(in, "bad.csv")) || exists(filepath.Join(done, "bad.csv")) {
				t.Errorf("a failed file was moved")
			}
			if !exists(filepath.Join(out, "a", "run.json")) || !exists(filepath.Join(out, "Org One", "run.json")) {
				t.Errorf("outputs missing")
			}
		})
	}
}

// Per-file settings choose, by file name, the amount column a file is
// read by, and run.json says which applied.
func TestBatchSettings(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	twoAmounts := "Directorate,Cost Centre,Nominal,Description,Budget,Actual\nHousing,HM1,5001,Repairs,100.00,170.00\nHousing,HM1,5002,Cleaning,250.00,330.00\n"
	writeOld(t, filepath.Join(in, "ledger-actuals.csv"), []byte(twoAmounts))
	writeOld(t, filepath.Join(in, "plan.csv"), []byte(twoAmounts))
	writeOld(t, filepath.Join(in, settingsFileName), []byte("pattern,sheet,header_row,amount_column,framework\nLEDGER-*.csv,,,Actual,\n"))
	if r := batchCLI(t, "batch", "--inbox", in, "--outbox", out); r.exit != 0 {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	for job, want := range map[string]int64{"ledger-actuals": 50000, "plan": 35000} {
		var m struct {
			Notes  []string
			Totals struct {
				NetPence int64 `json:"net_pence"`
			}
		}
		b, _ := os.ReadFile(filepath.Join(out, job, "run.json"))
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m.Totals.NetPence != want {
			t.Errorf("%s: net %d pence, want %d", job, m.Totals.NetPence, want)
		}
		noted := strings.Contains(strings.Join(m.Notes, "\n"), `settings: `)
		if noted != (job == "ledger-actuals") {
			t.Errorf("%s: run.json notes the settings: %v (%q)", job, noted, m.Notes)
		}
	}
	if exists(filepath.Join(out, "purpose-settings")) {
		t.Errorf("the settings file was read as a budget")
	}
	writeOld(t, filepath.Join(in, settingsFileName), []byte("pattern,sheet,header_row\n[,,x\n"))
	if r := batchCLI(t, "batch", "--inbox", in, "--outbox", out); r.exit != 2 || !strings.Contains(r.stderr, "row 2") {
		t.Errorf("a bad settings file: exit %d, want 2 naming row 2: %s", r.exit, r.stderr)
	}
}

// Folders and files with spaces and characters beyond ASCII.
func TestBatchNames(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "Budgets 2026–27 (£)", "in box"), filepath.Join(dir, "Ergebnisse für Prüfung")
	writeOld(t, filepath.Join(in, "Bütçe Ünïcode £ 1.csv"), []byte(goodCSV))
	writeOld(t, filepath.Join(in, "Ōrganisation Ä", "Haushalt 2026.csv"), []byte(goodCSV))
	if r := batchCLI(t, "batch", "--inbox", in, "--outbox", out); r.exit != 0 {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	for _, p := range []string{"Bütçe Ünïcode £ 1/Bütçe Ünïcode £ 1.annotated.xlsx", "Ōrganisation Ä/Haushalt 2026.annotated.xlsx"} {
		if !exists(filepath.Join(out, p)) {
			t.Errorf("%s is missing", p)
		}
	}
}

func TestIgnoreReason(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  bool
		want string // a word of the reason; "" for an input
	}{
		{"budget.xlsx", false, ""},
		{"Budget 2026.XLSM", false, ""},
		{"ledger.csv", false, ""},
		{"~$budget.xlsx", false, "Excel lock"},
		{".~lock.budget.xlsx#", false, "LibreOffice lock"},
		{".budget.xlsx", false, "hidden"},
		{"budget.xlsx.tmp", false, "temporary"},
		{"budget.xlsx.crdownload", false, "temporary"},
		{"~WRL0001.tmp", false, "temporary"},
		{"budget.xls", false, "save it as .xlsx"},
		{"notes.txt", false, "-"},
		{"purpose-settings.csv", false, "-"},
		{"Org One", true, ""},
		{".git", true, "hidden"},
	} {
		got := ignoreReason(tc.name, tc.dir)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%q: %q; want %q", tc.name, got, tc.want)
		}
	}
}

func TestNameOutputs(t *testing.T) {
	jobs := []batchJob{
		{Source: filepath.Join("in", "budget.csv")},
		{Source: filepath.Join("in", "budget.xlsx")},
		{Source: filepath.Join("in", "Budget"), Folder: true},
		{Source: filepath.Join("in", "ledger 2026.v2.xlsx")},
		{Source: filepath.Join("in", "Ünïcode £.csv")},
	}
	nameOutputs(jobs)
	want := []string{"budget-csv", "budget-xlsx", "Budget", "ledger 2026.v2", "Ünïcode £"}
	for i, j := range jobs {
		if j.Out != want[i] {
			t.Errorf("%s: %q, want %q", j.Source, j.Out, want[i])
		}
	}
}

// --watch looks again every --interval, doing what arrived meanwhile, and
// stops between jobs on an interrupt with status 0.
func TestBatchWatch(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	writeOld(t, filepath.Join(in, "a.csv"), []byte(goodCSV))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"batch", "--inbox", in, "--outbox", out, "--watch", "--interval", "1s", "--settle", "0s"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	waitUntil := func(p string) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if exists(p) {
				return
			}
		}
		t.Fatalf("%s did not appear", p)
	}
	waitUntil(filepath.Join(out, "a", "run.json"))
	writeOld(t, filepath.Join(in, "b.csv"), []byte(goodCSV))
	waitUntil(filepath.Join(out, "b", "run.json"))
	cancel()
	select {
	case err := <-done:
		if code := exitCode(err); code != 0 {
			t.Errorf("exit %d after an interrupt between jobs: %v", code, err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("--watch did not stop on an interrupt")
	}
	if exists(filepath.Join(out, lockFileName)) {
		t.Errorf("the lock is left behind")
	}
}

// Jobs run side by side, yet the log and batch.json list them in the
// inbox's order, each with its own outputs and the failed ones' errors.
func TestBatchJobsInOrder(t *testing.T) {
	inbox, outbox := t.TempDir(), t.TempDir()
	var want []string
	for i := range 12 {
		name := fmt.Sprintf("budget-%02d.csv", i)
		data := goodCSV
		if i%5 == 3 {
			data = "Directorate,Cost Centre,Nominal,Description,Amount\nHousing,HM1,5001,Repairs,TBC\n"
		}
		writeOld(t, filepath.Join(inbox, name), []byte(data))
		want = append(want, name)
	}
	r := batchCLI(t, "batch", "--inbox", inbox, "--outbox", outbox, "--settle", "0s")
	if r.exit != 1 {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	s := readBatchJSON(t, outbox)
	var got []string
	for _, j := range s.Jobs {
		got = append(got, j.Job)
		failed := strings.HasSuffix(j.Job, "-03.csv") || strings.HasSuffix(j.Job, "-08.csv")
		if (j.Status == "failed") != failed || !failed && !exists(filepath.Join(outbox, j.Output, "allocations.csv")) {
			t.Errorf("%s: %s, output %q", j.Job, j.Status, j.Output)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("jobs listed %q, want %q", got, want)
	}
	var logged []string
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		for _, name := range want {
			if strings.Contains(line, name) && !slices.Contains(logged, name) {
				logged = append(logged, name)
			}
		}
	}
	if !slices.Equal(logged, want) {
		t.Errorf("logged in the order %q", logged)
	}
}
