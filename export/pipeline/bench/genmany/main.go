// Command genmany writes N distinct copies of a budget workbook for the
// many-files bench (manyfiles.sh): copy i moves i pence from one line of a
// cost centre to another of the same cost centre (G20 and G30 of the first
// sheet of samples/budget.xlsx), so every copy has its own SHA-256 and its
// own amounts while its subtotals still add up.
//
//	go run ./export/pipeline/bench/genmany -n 400 -out /tmp/many
package main

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/purpose-hq/purpose/ingest"
)

func main() {
	n := flag.Int("n", 400, "how many copies")
	out := flag.String("out", "many", "folder to write them into (made if missing)")
	src := flag.String("src", "samples/budget.xlsx", "the workbook to copy")
	plus := flag.String("plus", "G20", "the cell that gains i pence")
	minus := flag.String("minus", "G30", "the cell that loses i pence")
	flag.Parse()
	zr, err := zip.OpenReader(*src)
	if err != nil {
		log.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			log.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			log.Fatal(err)
		}
		parts[f.Name] = b
	}
	const sheet = "xl/worksheets/sheet1.xml"
	cell := func(ref string) (*regexp.Regexp, int64) {
		re := regexp.MustCompile(`(<c r="` + ref + `"[^>]*><v>)([^<]*)(</v>)`)
		m := re.FindSubmatch(parts[sheet])
		if m == nil {
			log.Fatalf("%s: %s has no number in %s", *src, sheet, ref)
		}
		v, err := strconv.ParseFloat(string(m[2]), 64)
		if err != nil {
			log.Fatal(err)
		}
		return re, int64(math.Round(v * 100))
	}
	plusRE, plusPence := cell(*plus)
	minusRE, minusPence := cell(*minus)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := 1; i <= *n; i++ {
		xml := plusRE.ReplaceAll(parts[sheet], []byte("${1}"+ingest.FormatPence(plusPence+int64(i))+"${3}"))
		xml = minusRE.ReplaceAll(xml, []byte("${1}"+ingest.FormatPence(minusPence-int64(i))+"${3}"))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
			if err != nil {
				log.Fatal(err)
			}
			b := parts[f.Name]
			if f.Name == sheet {
				b = xml
			}
			if _, err := w.Write(b); err != nil {
				log.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*out, fmt.Sprintf("budget-%04d.xlsx", i)), buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
