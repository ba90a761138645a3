package export

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStageCommitsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.csv", "b.csv"} {
		os.WriteFile(filepath.Join(dir, n), []byte("old "+n), 0o644)
	}
	write := func(s *Stage, name string) {
		if err := s.Write(name, func(w io.Writer) error { _, err := io.WriteString(w, "new "+name); return err }); err != nil {
			t.Fatal(err)
		}
	}
	// b.csv cannot be replaced (open in Excel on Windows, say).
	renameFile = func(from, to string) error {
		if strings.HasSuffix(to, "b.csv") {
			return os.ErrPermission
		}
		return os.Rename(from, to)
	}
	defer func() { renameFile = os.Rename }()
	s := NewStage(context.Background(), dir, nil)
	write(s, "a.csv")
	write(s, "b.csv")
	if err := s.Commit(); err == nil {
		t.Fatal("want an error")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(got) != "old a.csv" {
		t.Errorf("a.csv is %q after a failed commit; want the previous one", got)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.Contains(e.Name(), ".previous") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "b.csv")); string(got) != "old b.csv" {
		t.Errorf("b.csv is %q after a failed commit; want the previous one", got)
	}
	// A commit that works replaces both and leaves nothing else.
	renameFile = os.Rename
	s = NewStage(context.Background(), dir, nil)
	write(s, "a.csv")
	write(s, "b.csv")
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.csv", "b.csv"} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != "new "+n {
			t.Errorf("%s is %q", n, got)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files in the folder, want 2", len(entries))
	}
}

func TestSyncAheadWritesEverything(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "sync")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := NewSyncAhead(f)
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	var want int64
	for range 3*syncEvery/len(chunk) + 3 {
		n, err := s.Write(chunk)
		if err != nil {
			t.Fatal(err)
		}
		want += int64(n)
	}
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil || int64(len(got)) != want || !bytes.Equal(got[len(got)-len(chunk):], chunk) {
		t.Fatalf("read back %d bytes, want %d (%v)", len(got), want, err)
	}
}
