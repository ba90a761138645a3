//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A pipe in the inbox (a named pipe someone made, a socket) is left alone
// and listed as ignored: opening it to read it would wait for ever, and
// the batch with it.
func TestBatchLeavesPipesAlone(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	writeOld(t, filepath.Join(in, "good.xlsx"), sampleBytes(t))
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.csv"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(in, "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeOld(t, filepath.Join(in, "folder", "budget.xlsx"), sampleBytes(t))
	if err := syscall.Mkfifo(filepath.Join(in, "folder", "pipe.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := batchCLI(t, "batch", "--inbox", in, "--outbox", out, "--settle", "0s")
	if r.exit != 0 {
		t.Fatalf("exit %d: %s", r.exit, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "batch.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"file": "pipe.csv"`, `"file": "folder/pipe.csv"`, "not a file (a pipe, device or socket)"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("batch.json does not list %s:\n%s", want, data)
		}
	}
}
