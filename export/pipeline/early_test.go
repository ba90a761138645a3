package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// Workbooks written as their inputs are read are the ones written at the
// end, and what the run keeps of each input is its totals: not its lines
// to review, nor a CSV's records.
func TestEarlyWorkbooksSameAndReleased(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("..", "..", "samples", "budget.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	var inputs []string
	for i, name := range []string{"a.xlsx", "b.xlsx", "budget.csv", "budget.xlsx"} {
		p := filepath.Join(in, name)
		data := sample
		if filepath.Ext(name) == ".csv" {
			data = []byte("Directorate,Cost Centre,Nominal,Description,Amount\nHousing,HM1,5001,Repairs,100.00\nHousing,HM1,9999,Mystery,7.00\n")
		} else if i == 3 {
			// Other bytes (a zip comment), so not skipped as identical, as
			// b.xlsx is; and named apart from budget.csv at the end.
			data = append(append(bytes.Clone(sample[:len(sample)-2]), 1, 0), 'x')
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
	}
	fw, err := LoadFramework("")
	if err != nil {
		t.Fatal(err)
	}
	outs := map[bool]string{}
	for _, early := range []bool{false, true} {
		writeEarly = early
		out := filepath.Join(t.TempDir(), "out")
		res, err := Run(context.Background(), Config{Inputs: inputs, Out: out, Framework: fw, Read: ingest.Options{}}, quiet{})
		writeEarly = true
		if err != nil || !res.Committed {
			t.Fatalf("early %v: %v", early, err)
		}
		if early {
			for _, in := range res.Run.Inputs {
				if in.Counts.Review > 0 && len(in.Review) > 0 {
					t.Errorf("%s: its %d lines to review are kept to the end", in.Book.Path, len(in.Review))
				}
				if in.Book.CSV != nil && (in.Book.CSV.Records != nil || in.Book.CSV.Rows != nil) {
					t.Errorf("%s: its records are kept to the end", in.Book.Path)
				}
			}
		}
		outs[early] = out
	}
	entries, _ := os.ReadDir(outs[false])
	if len(entries) != 7 { // 3 workbooks, allocations, summary, posts, run.json
		t.Errorf("%d outputs: %v", len(entries), entries)
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(outs[false], e.Name()))
		b, err := os.ReadFile(filepath.Join(outs[true], e.Name()))
		if err != nil {
			t.Errorf("%s: written at the end, not early", e.Name())
			continue
		}
		if filepath.Ext(e.Name()) != ".xlsx" {
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs", e.Name())
			}
			continue
		}
		pa, pb := zipParts(t, a), zipParts(t, b)
		if len(pa) != len(pb) {
			t.Errorf("%s: %d parts, early %d", e.Name(), len(pa), len(pb))
		}
		for name, data := range pa {
			if name != "docProps/core.xml" && name != "[Content_Types].xml" && !bytes.Equal(data, pb[name]) {
				t.Errorf("%s: part %s differs", e.Name(), name)
			}
		}
	}
}

func zipParts(t *testing.T, b []byte) map[string][]byte {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		parts[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return parts
}
