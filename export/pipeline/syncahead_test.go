package pipeline

import (
	"bytes"
	"os"
	"testing"
)

func TestSyncAheadWritesEverything(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "sync")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := newSyncAhead(f)
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

// The folder holds one run's outputs: what an earlier run wrote there (by
// its run.json) that this run does not write goes, in the same commit;
// nothing else is touched, and a commit that fails leaves it all.
