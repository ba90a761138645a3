//go:build !windows

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildPurpose builds the command into a temporary folder.
func buildPurpose(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "purpose")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bigLedger writes a CSV ledger long enough to take a while to run.
func bigLedger(t *testing.T, path string, lines int) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "Directorate,Cost Centre,Nominal,Description,Amount")
	for i := range lines {
		fmt.Fprintf(w, "Housing,HM%d,%d,Repairs and maintenance %d,%d.%02d\n", 100+i%50, 5000+i%40, i, 100+i%997, i%100)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old)
}

// started is a command started, with its stderr kept.
type started struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
}

func start(t *testing.T, bin string, args ...string) *started {
	t.Helper()
	s := &started{cmd: exec.Command(bin, args...)}
	s.cmd.Stderr = &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	return s
}

func (s *started) wait() int {
	err := s.cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// waitFor waits until some file under dir has a name holding part, and
// returns its path.
func waitFor(t *testing.T, dir, part string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var found string
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.Contains(d.Name(), part) {
				found = p
			}
			return nil
		})
		if found != "" {
			return found
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("no %s appeared in %s", part, dir)
	return ""
}

// leftovers lists the temporary files and folders under dir.
func leftovers(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		n := d.Name()
		if err == nil && (strings.HasSuffix(n, ".tmp") || strings.HasSuffix(n, ".previous") || strings.HasPrefix(n, ".purpose-p")) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// A real SIGTERM mid-job: the job is abandoned with no output and no
// temporary file left, a second batch started meanwhile stops with exit
// 2, and a rerun does the job. The same for run, and a run killed with
// SIGKILL has its leftovers removed by the next.
func TestSignals(t *testing.T) {
	bin := buildPurpose(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	bigLedger(t, filepath.Join(in, "big.csv"), 150000)

	t.Run("batch SIGTERM", func(t *testing.T) {
		a := start(t, bin, "batch", "--inbox", in, "--outbox", out, "--settle", "0s")
		waitFor(t, out, ".allocations.csv.p")
		b := start(t, bin, "batch", "--inbox", in, "--outbox", out, "--settle", "0s")
		if code := b.wait(); code != 2 || !strings.Contains(b.stderr.String(), "another batch") {
			t.Errorf("a second batch meanwhile: exit %d, want 2: %s", code, b.stderr.String())
		}
		a.cmd.Process.Signal(syscall.SIGTERM)
		if code := a.wait(); code != 1 || !strings.Contains(a.stderr.String(), "interrupted") {
			t.Errorf("exit %d, want 1 saying interrupted: %s", code, a.stderr.String())
		}
		if exists(filepath.Join(out, "big")) {
			t.Errorf("the abandoned job left its output folder")
		}
		if l := leftovers(out); len(l) > 0 || exists(filepath.Join(out, lockFileName)) {
			t.Errorf("left behind: %v (lock: %v)", l, exists(filepath.Join(out, lockFileName)))
		}
		rerun := start(t, bin, "batch", "--inbox", in, "--outbox", out, "--settle", "0s")
		if code := rerun.wait(); code != 0 || !exists(filepath.Join(out, "big", "run.json")) {
			t.Errorf("rerun: exit %d, run.json there: %v: %s", code, exists(filepath.Join(out, "big", "run.json")), rerun.stderr.String())
		}
	})
	t.Run("run SIGTERM", func(t *testing.T) {
		o := filepath.Join(dir, "run-out")
		a := start(t, bin, "run", "-q", "--out", o, filepath.Join(in, "big.csv"))
		waitFor(t, o, ".allocations.csv.p")
		a.cmd.Process.Signal(syscall.SIGTERM)
		if code := a.wait(); code != 1 || !strings.Contains(a.stderr.String(), "interrupted") {
			t.Errorf("exit %d, want 1 saying interrupted: %s", code, a.stderr.String())
		}
		if exists(o) {
			t.Errorf("the interrupted run left %s (%v)", o, leftovers(o))
		}
	})
	t.Run("run SIGKILL then rerun", func(t *testing.T) {
		o := filepath.Join(dir, "kill-out")
		os.MkdirAll(o, 0o755)
		a := start(t, bin, "run", "-q", "--out", o, filepath.Join(in, "big.csv"))
		waitFor(t, o, ".allocations.csv.p")
		a.cmd.Process.Kill()
		a.wait()
		if len(leftovers(o)) == 0 {
			t.Fatalf("SIGKILL left nothing to clean: the test shows nothing")
		}
		b := start(t, bin, "run", "--out", o, filepath.Join(in, "big.csv"))
		if code := b.wait(); code != 0 || !strings.Contains(b.stderr.String(), "temporary file") {
			t.Errorf("rerun: exit %d, want 0 with a note of what it removed: %s", code, b.stderr.String())
		}
		if l := leftovers(o); len(l) > 0 {
			t.Errorf("left behind after the rerun: %v", l)
		}
	})
}
