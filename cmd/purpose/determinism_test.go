package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// A run twice over the same input writes the same bytes: no map order or
// clock leaks into a workbook (excelize registers image content types
// from a map, a different set each run, unless they are put in order).
func TestSameInputSameBytes(t *testing.T) {
	var outs [][]byte
	for range 3 {
		dir := t.TempDir()
		if r := runCLI(t, "run", "-q", "--out", dir, sample); r.exit != 0 {
			t.Fatal(r.stderr)
		}
		data, err := os.ReadFile(filepath.Join(dir, "budget.annotated.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, data)
	}
	if !bytes.Equal(outs[0], outs[1]) || !bytes.Equal(outs[0], outs[2]) {
		t.Error("three runs over the sample wrote different annotated workbooks")
	}
}
