package forms

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// The files are written as a run's outputs are: whole, and readable by
// the colleagues on a shared drive they are meant for, not only their
// writer (os.CreateTemp makes files 0600).
func TestWrittenReadableByOthers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	fw, err := ingest.ReadFramework(filepath.Join("..", "..", "templates", "framework"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	book := filepath.Join(dir, "budget.xlsx")
	if err := WriteTemplate(book, TemplateBudget, fw); err != nil {
		t.Fatal(err)
	}
	fwBook := filepath.Join(dir, "framework.xlsx")
	if err := WriteFrameworkWorkbook(fwBook, fw); err != nil {
		t.Fatal(err)
	}
	csvs, err := WriteFrameworkCSV(filepath.Join(dir, "fw"), fw)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append([]string{book, fwBook}, csvs...) {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o044 != 0o044 {
			t.Errorf("%s: mode %v, want readable by group and others", p, st.Mode().Perm())
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
