package export

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// readForTest reads an input through a collector, as the pipeline does
// (but on one goroutine).
func readForTest(t *testing.T, fw *analysis.Framework, path string) Input {
	t.Helper()
	c := NewCollector(fw)
	c.Begin(nil)
	b, err := ingest.StreamBudget(path, ingest.Options{KeepGoing: true}, c.Line)
	if err != nil {
		c.Discard()
		t.Fatal(err)
	}
	in, err := c.End(b)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// annotateForTest reads an input and writes its annotated workbook into a
// temporary folder, returning its path.
func annotateForTest(t *testing.T, fw *analysis.Framework, path string) string {
	t.Helper()
	in := readForTest(t, fw, path)
	run := &Run{Framework: fw, Inputs: []Input{in}}
	var buf bytes.Buffer
	if err := WriteAnnotated(&buf, t.TempDir(), run, in); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.xlsx")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}
