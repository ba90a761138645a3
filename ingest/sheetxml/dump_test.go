package sheetxml

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"
	"time"
)

func TestDump(t *testing.T) {
	p := os.Getenv("SHEETXML_DUMP")
	if p == "" {
		t.Skip()
	}
	w, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fmt.Printf("date1904=%v\n", w.Date1904())
	for _, sh := range w.Sheets() {
		fmt.Printf("sheet %+v\n", sh)
		rows, err := w.Rows(sh.Name)
		if err != nil {
			fmt.Println("  rows err:", err)
			continue
		}
		n := 0
		for rows.Next() {
			for _, c := range rows.Cells() {
				if n < 40 {
					fmt.Printf("  R%d %+v\n", rows.Row(), c)
				}
				n++
			}
		}
		fmt.Println("  cells:", n, "err:", rows.Err())
		rows.Close()
	}
}

func TestGenBig(t *testing.T) {
	p := os.Getenv("SHEETXML_GEN")
	if p == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(os.Getenv("SHEETXML_GEN_ROWS"))
	writeBenchWorkbook(t, p, n)
}

func TestInflate(t *testing.T) {
	p := os.Getenv("SHEETXML_INFLATE")
	if p == "" {
		t.Skip()
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		t0 := time.Now()
		rc, _ := f.Open()
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		fmt.Printf("%s: %d bytes in %v (%v)\n", f.Name, n, time.Since(t0), err)
	}
	w, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		it, err := w.Rows(w.Sheets()[0].Name)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		n := 0
		for it.Next() {
			n += len(it.Cells())
		}
		fmt.Printf("rows: sst %v, sheet %v, %d cells, err %v\n", t1.Sub(t0), time.Since(t1), n, it.Err())
	}
}
