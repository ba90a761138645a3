//go:build windows

package main

import (
	"path/filepath"
	"testing"

	"github.com/purpose-hq/purpose/export"
)

// Shared drives on Windows: UNC paths and drive letters, names with
// spaces and characters beyond ASCII.
func TestBatchWindowsPaths(t *testing.T) {
	for _, inbox := range []string{`\\server\finance\Budgets`, `\\server\Finance Team\Budgets 2026–27`, `C:\Users\Ann Smith\Budgets`, `D:\Prüfung\Haushälte`} {
		t.Run(inbox, func(t *testing.T) {
			jobs := []batchJob{
				{Source: filepath.Join(inbox, "budget.xlsx")},
				{Source: filepath.Join(inbox, "budget.csv")},
				{Source: filepath.Join(inbox, "Ōrganisation Ä"), Folder: true},
				{Source: filepath.Join(inbox, "Bütçe £ 2026.xlsm")},
			}
			nameOutputs(jobs)
			for i, want := range []string{"budget-xlsx", "budget-csv", "Ōrganisation Ä", "Bütçe £ 2026"} {
				if jobs[i].Out != want {
					t.Errorf("%s: %q, want %q", jobs[i].Source, jobs[i].Out, want)
				}
			}
			files := []string{filepath.Join(inbox, "Ōrganisation Ä", "budget.xlsx"), filepath.Join(inbox, "a.csv")}
			got := relative(inbox, files)
			if got[0] != "Ōrganisation Ä/budget.xlsx" || got[1] != "a.csv" {
				t.Errorf("relative: %q", got)
			}
			if got := relative(inbox, []string{`\\other\share\x.csv`}); got[0] != `\\other\share\x.csv` {
				t.Errorf("a file on another share: %q", got)
			}
			if n := export.AnnotatedName(filepath.Join(inbox, "Bütçe £ 2026.xlsm")); n != "Bütçe £ 2026.annotated.xlsm" {
				t.Errorf("AnnotatedName: %q", n)
			}
			if p := freeName(inbox+`\done`, "a.csv"); p != filepath.Join(inbox, "done", "a.csv") {
				t.Errorf("freeName: %q", p)
			}
		})
	}
}
