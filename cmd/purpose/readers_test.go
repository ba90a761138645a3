package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// The npm packages of the other readers, pinned so a run is repeatable.
var nodeReaders = []string{"exceljs@4.4.0", "xlsx@0.18.5"}

// nodeModules finds node and npm, and installs ExcelJS and SheetJS (the
// xlsx package) into a cache folder of this test's own, once; it skips
// the test, saying why, where they cannot be had.
func nodeModules(t *testing.T) (node, modules string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: ExcelJS and SheetJS cannot be tried")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed: ExcelJS and SheetJS cannot be installed")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "purpose-test", "node-readers")
	modules = filepath.Join(dir, "node_modules")
	have := func() bool {
		for _, p := range nodeReaders {
			name, version, _ := strings.Cut(p, "@")
			b, err := os.ReadFile(filepath.Join(modules, name, "package.json"))
			var pkg struct{ Version string }
			if err != nil || json.Unmarshal(b, &pkg) != nil || pkg.Version != version {
				return false
			}
		}
		return true
	}
	if !have() {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Skipf("cannot make %s: %v", dir, err)
		}
		t.Logf("installing %s into %s", strings.Join(nodeReaders, " and "), dir)
		args := append([]string{"install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save", "--loglevel=error"}, nodeReaders...)
		if out, err := exec.Command(npm, args...).CombinedOutput(); err != nil || !have() {
			t.Skipf("could not install %s with npm: %v\n%s", strings.Join(nodeReaders, ", "), err, out)
		}
	}
	return node, modules
}

// readersScript reads each workbook named on its command line with ExcelJS
// and with SheetJS, and prints for each reader a JSON line: the sheets it
// found, and the A1 of each, or the error it stopped on.
const readersScript = `
const ExcelJS = require('exceljs');
const XLSX = require('xlsx');
(async () => {
  for (const file of process.argv.slice(2)) {
    try {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const a1 = {};
      wb.worksheets.forEach(ws => { const v = ws.getCell('A1').value; a1[ws.name] = v == null ? '' : String(v); });
      console.log(JSON.stringify({file, reader: 'ExcelJS', sheets: wb.worksheets.map(ws => ws.name), a1}));
    } catch (e) {
      console.log(JSON.stringify({file, reader: 'ExcelJS', error: String(e && e.message || e)}));
    }
    try {
      const wb = XLSX.readFile(file);
      const a1 = {};
      wb.SheetNames.forEach(n => { const c = wb.Sheets[n]['A1']; a1[n] = c == null ? '' : String(c.v); });
      console.log(JSON.stringify({file, reader: 'SheetJS', sheets: wb.SheetNames, a1}));
    } catch (e) {
      console.log(JSON.stringify({file, reader: 'SheetJS', error: String(e && e.message || e)}));
    }
  }
})();
`

// TestOtherReadersOpenWhatWeWrite opens every golden workbook, the shipped
// sample and its HR export, and the sample's annotated copy as written now with ExcelJS and
// SheetJS (through node), and with openpyxl (through
// ../shared/tools/readback.py) where it is there: each must open, see the
// sheets excelize sees, and read the report sheets' titles.
func TestOtherReadersOpenWhatWeWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("installs and runs node packages")
	}
	node, modules := nodeModules(t)
	out := t.TempDir()
	if r := runCLI(t, "run", "-q", "--out", out, sample); r.exit != 0 {
		t.Fatal(r.stderr)
	}
	// The sample's HR export and the goldens' annotated staffing workbooks
	// (sample-hr-export) are read too.
	files := []string{sample, filepath.Join("..", "..", "samples", "staffing.xlsx"), filepath.Join(out, "budget.annotated.xlsx")}
	golden, _ := filepath.Glob("testdata/*/want/*.xlsx")
	inputs, _ := filepath.Glob("testdata/*/*.xlsx")
	files = append(append(files, golden...), inputs...)

	script := filepath.Join(t.TempDir(), "readers.js")
	if err := os.WriteFile(script, []byte(readersScript), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, append([]string{script}, files...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	type result struct {
		File, Reader, Error string
		Sheets              []string
		A1                  map[string]string
	}
	got := map[string][]result{}
	sc := bufio.NewScanner(strings.NewReader(string(stdout)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("node printed %q: %v", sc.Text(), err)
		}
		got[r.File] = append(got[r.File], r)
	}
	for _, f := range files {
		want := sheetNames(t, f)
		rs := got[f]
		if len(rs) != 2 {
			t.Errorf("%s: %d readers answered, want 2", f, len(rs))
		}
		for _, r := range rs {
			if r.Error != "" {
				t.Errorf("%s cannot open %s: %s", r.Reader, f, r.Error)
				continue
			}
			if !slices.Equal(r.Sheets, want) {
				t.Errorf("%s sees sheets %q in %s, want %q", r.Reader, r.Sheets, f, want)
			}
			for base, title := range ingest.ReportTitles {
				if slices.Contains(want, base) && r.A1[base] != title {
					t.Errorf("%s reads %s!A1 of %s as %q, want %q", r.Reader, base, f, r.A1[base], title)
				}
			}
		}
	}

	// openpyxl, through the shared tool that prints what it reads.
	readback := filepath.Join("..", "..", "..", "shared", "tools", "readback.py")
	if _, err := os.Stat(readback); err != nil {
		t.Logf("%s is not here: openpyxl not tried", readback)
		return
	}
	py := openpyxl(t)
	for _, f := range files {
		if b, err := exec.Command(py, readback, f).CombinedOutput(); err != nil {
			t.Errorf("openpyxl cannot open %s: %v\n%s", f, err, b)
		}
	}
}

// sheetNames lists a workbook's sheets as its workbook part has them.
func sheetNames(t *testing.T, path string) []string {
	t.Helper()
	wb, err := sheetxml.Open(path, sheetxml.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer wb.Close()
	var names []string
	for _, s := range wb.Sheets() {
		names = append(names, s.Name)
	}
	return names
}
