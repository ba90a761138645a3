package pipeline

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
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

func TestStageRemovesAnEarlierRunsOtherOutputs(t *testing.T) {
	for _, fail := range []bool{false, true} {
		t.Run(map[bool]string{false: "commit", true: "failed commit"}[fail], func(t *testing.T) {
			dir := t.TempDir()
			input := filepath.Join(dir, "input.csv")
			earlier := map[string]string{
				"allocations.csv":      "old allocations",
				"old.annotated.xlsx":   "old workbook",
				"input.csv":            "an input an earlier run listed (it must stay)",
				"summary.csv":          "old summary",
				"run.json":             `{"tool": "purpose", "outputs": ["allocations.csv", "old.annotated.xlsx", "summary.csv", "run.json", "input.csv", "../outside.txt", "gone.xlsx", "sub"]}`,
				"other.annotated.xlsx": "not listed: someone else's",
				"notes.txt":            "not ours",
			}
			for n, text := range earlier {
				if err := os.WriteFile(filepath.Join(dir, n), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			os.Mkdir(filepath.Join(dir, "sub"), 0o755)
			outside := filepath.Join(filepath.Dir(dir), "outside.txt")
			os.WriteFile(outside, []byte("outside"), 0o644)
			defer os.Remove(outside)
			if fail {
				renameFile = func(from, to string) error {
					if strings.HasSuffix(to, "summary.csv") {
						return os.ErrPermission
					}
					return os.Rename(from, to)
				}
				defer func() { renameFile = os.Rename }()
			}
			s := NewStage(context.Background(), dir, []string{input})
			for _, n := range []string{"allocations.csv", "new.annotated.xlsx", "summary.csv", "run.json"} {
				if err := s.Write(n, func(w io.Writer) error { _, err := io.WriteString(w, "new "+n); return err }); err != nil {
					t.Fatal(err)
				}
			}
			err := s.Commit()
			if fail != (err != nil) {
				t.Fatalf("commit: %v", err)
			}
			var names []string
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				names = append(names, e.Name())
			}
			want := []string{"allocations.csv", "input.csv", "new.annotated.xlsx", "notes.txt", "other.annotated.xlsx", "run.json", "sub", "summary.csv"}
			if fail {
				want = []string{"allocations.csv", "input.csv", "notes.txt", "old.annotated.xlsx", "other.annotated.xlsx", "run.json", "sub", "summary.csv"}
			}
			if !slices.Equal(names, want) {
				t.Errorf("the folder holds %q, want %q", names, want)
			}
			if !fail && !slices.Equal(s.Removed(), []string{"old.annotated.xlsx"}) {
				t.Errorf("Removed() = %q", s.Removed())
			}
			if fail {
				if got, _ := os.ReadFile(filepath.Join(dir, "old.annotated.xlsx")); string(got) != "old workbook" {
					t.Errorf("old.annotated.xlsx is %q after a failed commit", got)
				}
			}
			if _, err := os.Stat(outside); err != nil {
				t.Errorf("a file outside the folder was touched: %v", err)
			}
		})
	}
}
