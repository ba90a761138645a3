package pipeline

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// deadPID is the id of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("cannot start a process:", err)
	}
	return cmd.Process.Pid
}

func TestCleanLeftovers(t *testing.T) {
	dir := t.TempDir()
	dead := strconv.Itoa(deadPID(t))
	live := strconv.Itoa(os.Getppid()) // the go command, running
	own := strconv.Itoa(os.Getpid())
	files := map[string]bool{ // name → removed
		".allocations.csv.p" + dead + ".123456.tmp":   true,
		".budget.annotated.xlsx.p" + dead + ".99.tmp": true,
		".run.json.p" + dead + ".k3j2h1.previous":     true,
		".allocations.csv.p" + live + ".123456.tmp":   false,
		".allocations.csv.p" + own + ".123456.tmp":    false,
		"allocations.csv":                                   false,
		".my notes.txt":                                     false,
		"budget.p" + dead + ".1.tmp":                        false, // not hidden: not ours
		".allocations.csv.123456.tmp":                       false, // no process, and new
		".purpose-p" + dead + "-12345/.purpose-1/sheet.xml": true,
		".purpose-p" + live + "-12345/x":                    false,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	note := CleanLeftovers(dir)
	if !strings.Contains(note, "removed 4 temporary files") || !strings.Contains(note, dead) {
		t.Errorf("note %q; want 4 files removed, naming process %s", note, dead)
	}
	for name, gone := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gotGone := errors.Is(err, fs.ErrNotExist); gotGone != gone {
			t.Errorf("%s: removed %v, want %v", name, gotGone, gone)
		}
	}
	if note := CleanLeftovers(dir); note != "" {
		t.Errorf("a second clean says %q; want nothing", note)
	}
}

func TestStageTempNamesCarryPID(t *testing.T) {
	dir := t.TempDir()
	s := NewStage(context.Background(), dir, nil)
	f, err := s.Open("allocations.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	work, err := s.WorkDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{f.Name(), work} {
		m := leftoverFile.FindStringSubmatch(filepath.Base(p))
		if m == nil {
			m = leftoverDir.FindStringSubmatch(filepath.Base(p))
		}
		if m == nil || m[1] != strconv.Itoa(os.Getpid()) {
			t.Errorf("%s: its name does not carry this process's id", filepath.Base(p))
		}
	}
	s.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Abort left %d entries", len(entries))
	}
}

type fullDisk struct{ name string }

func (d fullDisk) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: d.name, Err: syscall.ENOSPC}
}

func TestDiskFullNamesTheFolder(t *testing.T) {
	sample := filepath.Join("..", "..", "samples", "budget.xlsx")
	fw, err := LoadFramework("")
	if err != nil {
		t.Fatal(err)
	}
	for _, when := range []string{"allocations.csv", "annotated"} {
		t.Run(when, func(t *testing.T) {
			writeHook = func(w io.Writer, name string) io.Writer {
				if strings.Contains(filepath.Base(name), when) {
					return fullDisk{name}
				}
				return w
			}
			defer func() { writeHook = func(w io.Writer, name string) io.Writer { return w } }()
			out := filepath.Join(t.TempDir(), "out")
			res, err := Run(context.Background(), Config{Inputs: []string{sample}, Out: out, Framework: fw, Read: ingest.Options{}}, quiet{})
			var df *DiskFullError
			if !errors.As(err, &df) || df.Dir != out {
				t.Fatalf("error %v (failed %d); want the disk is full, naming %s", err, res.Failed, out)
			}
			if strings.Contains(err.Error(), ".tmp") || !strings.Contains(err.Error(), "the disk is full") {
				t.Errorf("message %q names a temporary file or not the full disk", err)
			}
			if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the output folder is left behind")
			}
		})
	}
}

// quiet is a Reporter that says nothing.
type quiet struct{}

func (quiet) Note(s string) string                           { return s }
func (quiet) Warning(s string) string                        { return s }
func (quiet) Failed(path string, err error) string           { return err.Error() }
func (quiet) Reading(string, *ingest.Progress) (done func()) { return func() {} }
func (quiet) Writing(string)                                 {}
