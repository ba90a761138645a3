package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

var (
	update = flag.Bool("update", false, "rewrite the golden cases' wants")
	regen  = flag.Bool("regen", false, "with -update, also rewrite the cases' inputs from fixtures_test.go (their bytes change: zip times)")
)

// cliResult is what one in-process run of the CLI produced.
type cliResult struct {
	stdout, stderr string
	exit           int
}

func runCLI(t testing.TB, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	exit := 0
	if err != nil {
		exit = 1
		var ue usageError
		if errors.As(err, &ue) {
			exit = 2
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintln(&errOut, "purpose:", err)
		}
	}
	return cliResult{out.String(), errOut.String(), exit}
}

// TestGolden runs each case under testdata/ through the CLI and compares
// what it printed and wrote with the case's want folder: workbooks cell by
// cell, text files exactly. With -update it rewrites inputs and wants; on a
// mismatch it leaves the actual workbook beside the want as *.got.xlsx.
func TestGolden(t *testing.T) {
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", c.Name())
			if make, ok := fixtureMakers[c.Name()]; ok && *update && *regen {
				if err := make(dir); err != nil {
					t.Fatal(err)
				}
			}
			argsText, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			inputsBefore := snapshot(t, dir)
			t.Chdir(dir)
			var args []string
			for _, a := range strings.Fields(string(argsText)) {
				args = append(args, strings.ReplaceAll(a, "$OUT", out))
			}
			res := runCLI(t, args...)
			t.Chdir(filepath.Join("..", ".."))
			if after := snapshot(t, dir); !maps2Equal(inputsBefore, after) {
				t.Errorf("the run changed files in its input folder")
			}
			got := map[string]string{
				"stdout": strings.ReplaceAll(res.stdout, out, "$OUT"),
				"stderr": strings.ReplaceAll(res.stderr, out, "$OUT"),
				"exit":   fmt.Sprintln(res.exit),
			}
			written, _ := os.ReadDir(out)
			for _, w := range written {
				data, err := os.ReadFile(filepath.Join(out, w.Name()))
				if err != nil {
					t.Fatal(err)
				}
				got[w.Name()] = strings.ReplaceAll(string(data), out, "$OUT")
			}
			switch {
			case len(written) > 0:
				checkReconciles(t, out)
				checkPosts(t, out)
				checkOriginalsSurvive(t, dir, out)
			case res.exit == 0 && args[0] == "run":
				t.Errorf("a successful run wrote nothing")
			}
			if res.exit != 0 && len(written) > 0 && !slices.Contains(args, "--keep-going") {
				t.Errorf("a failed run wrote %d files", len(written))
			}
			compareWant(t, filepath.Join(dir, "want"), out, got)
		})
	}
}

// snapshot records every file's size and time under dir, to prove the run
// left its inputs alone.
func snapshot(t *testing.T, dir string) map[string]string {
	m := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.Contains(p, string(filepath.Separator)+"want"+string(filepath.Separator)) {
			m[p] = fmt.Sprint(info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return m
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func compareWant(t *testing.T, wantDir, out string, got map[string]string) {
	t.Helper()
	if *update {
		os.RemoveAll(wantDir)
		if err := os.MkdirAll(wantDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range got {
			if strings.HasSuffix(name, ".xlsx") || strings.HasSuffix(name, ".xlsm") {
				data, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				content = string(data)
			}
			if err := os.WriteFile(filepath.Join(wantDir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	wants, err := os.ReadDir(wantDir)
	if err != nil {
		t.Fatalf("no want folder (run go test -update): %v", err)
	}
	var wantNames, gotNames []string
	for _, w := range wants {
		if !strings.Contains(w.Name(), ".got.") {
			wantNames = append(wantNames, w.Name())
		}
	}
	for name := range got {
		gotNames = append(gotNames, name)
	}
	slices.Sort(gotNames)
	if !slices.Equal(wantNames, gotNames) {
		t.Errorf("outputs %v, want %v", gotNames, wantNames)
	}
	for _, name := range wantNames {
		g, ok := got[name]
		if !ok {
			continue
		}
		wantPath := filepath.Join(wantDir, name)
		if strings.HasSuffix(name, ".xlsx") || strings.HasSuffix(name, ".xlsm") {
			diffs := diffWorkbooks(readWorkbookCells(t, wantPath), readWorkbookCells(t, filepath.Join(out, name)), 20)
			if len(diffs) > 0 {
				gotPath := strings.TrimSuffix(wantPath, filepath.Ext(name)) + ".got" + filepath.Ext(name)
				data, _ := os.ReadFile(filepath.Join(out, name))
				os.WriteFile(gotPath, data, 0o644)
				t.Errorf("%s differs from the want (actual written to %s):\n  %s", name, gotPath, strings.Join(diffs, "\n  "))
			}
			continue
		}
		w, err := os.ReadFile(wantPath)
		if err != nil {
			t.Fatal(err)
		}
		if string(w) != g {
			t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, g, w)
		}
	}
}

// checkReconciles proves allocations.csv adds up, to the penny, to the net
// total run.json reports, and that total to the lines it counted.
func checkReconciles(t *testing.T, out string) {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "allocations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := "file,sheet,row,business_unit,cost_centre,nominal,description,line_amount,outcome,theme,mode,share,amount,rule,cost_centre_name,nominal_name,payee,line_type,note"; strings.Join(recs[0], ",") != want {
		t.Fatalf("allocations.csv columns %v", recs[0])
	}
	var sum, lineSum int64
	lines := map[string]bool{}
	for _, r := range recs[1:] {
		p, err := ingest.ParsePence(r[12])
		if err != nil {
			t.Fatal(err)
		}
		sum += p
		key := r[0] + "|" + r[1] + "|" + r[2]
		if !lines[key] {
			lines[key] = true
			lp, _ := ingest.ParsePence(r[7])
			lineSum += lp
		}
	}
	var m struct {
		Totals struct {
			Net       int64 `json:"net_pence"`
			Allocated int64 `json:"allocated_pence"`
		} `json:"totals"`
		Counts struct {
			Lines      int `json:"lines"`
			Unreadable int `json:"unreadable_lines"`
		} `json:"counts"`
	}
	data, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if sum != m.Totals.Net || lineSum != m.Totals.Net || m.Totals.Allocated != m.Totals.Net {
		t.Errorf("allocations add to %d, their lines to %d, run.json says net %d allocated %d", sum, lineSum, m.Totals.Net, m.Totals.Allocated)
	}
	if len(lines) != m.Counts.Lines-m.Counts.Unreadable {
		t.Errorf("allocations.csv has %d lines, run.json counts %d (%d unreadable)", len(lines), m.Counts.Lines, m.Counts.Unreadable)
	}
}

// checkPosts proves posts.csv's parts of each post add up to the post:
// amounts to its post_cost, FTE to its post_fte; that the staff cost in
// the people view is the posts' (counted once); and that every pay line
// apportioned by staff time adds up to its line, as checkReconciles
// proves of every line.
func checkPosts(t *testing.T, out string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "posts.csv"))
	if errors.Is(err, os.ErrNotExist) {
		return
	} else if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := "file,sheet,row,post,job_title,team,business_unit,cost_centre,post_fte,post_cost,outcome,theme,mode,share,fte,amount,rule"; strings.Join(recs[0], ",") != want {
		t.Fatalf("posts.csv columns %v", recs[0])
	}
	type post struct {
		cost, amounts  int64
		fte, ftes      *big.Rat
		share          *big.Rat
		rows           int
		rule, postName string
	}
	rat := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("posts.csv: %q is not a decimal", s)
		}
		return r
	}
	posts := map[string]*post{}
	var order []string
	var cost int64
	for _, r := range recs[1:] {
		key := r[0] + "|" + r[1] + "|" + r[2]
		p := posts[key]
		if p == nil {
			c, err := ingest.ParsePence(r[9])
			if err != nil {
				t.Fatal(err)
			}
			p = &post{cost: c, fte: rat(r[8]), ftes: new(big.Rat), share: new(big.Rat), postName: r[3]}
			posts[key] = p
			order = append(order, key)
			cost += c
		}
		a, err := ingest.ParsePence(r[15])
		if err != nil {
			t.Fatal(err)
		}
		p.amounts += a
		p.ftes.Add(p.ftes, rat(r[14]))
		p.share.Add(p.share, rat(r[13]))
		p.rows++
	}
	for _, k := range order {
		p := posts[k]
		if p.amounts != p.cost || p.ftes.Cmp(p.fte) != 0 || p.share.Cmp(big.NewRat(1, 1)) != 0 {
			t.Errorf("posts.csv post %s (%s): parts add to £%s, %s FTE and %s of its time; the post is £%s, %s FTE",
				p.postName, k, ingest.FormatMoney(p.amounts), p.ftes.FloatString(9), p.share.FloatString(6), ingest.FormatMoney(p.cost), p.fte.FloatString(9))
		}
	}
	var m struct {
		Staffing struct {
			Posts     int   `json:"posts"`
			CostPence int64 `json:"cost_pence"`
		} `json:"staffing"`
	}
	if data, err = os.ReadFile(filepath.Join(out, "run.json")); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Staffing.Posts != len(posts) || m.Staffing.CostPence != cost {
		t.Errorf("posts.csv has %d posts costing %d pence; run.json says %d posts costing %d", len(posts), cost, m.Staffing.Posts, m.Staffing.CostPence)
	}
}

// checkOriginalsSurvive proves every cell of every input workbook is in its
// annotated copy unchanged: value, formula, number format and comment.
func checkOriginalsSurvive(t *testing.T, dir, out string) {
	t.Helper()
	var inputs []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".xlsx") && !strings.Contains(p, "want") && !strings.HasPrefix(info.Name(), "~$") {
			inputs = append(inputs, p)
		}
		return nil
	})
	for _, in := range inputs {
		annotated := filepath.Join(out, strings.TrimSuffix(filepath.Base(in), ".xlsx")+".annotated.xlsx")
		if _, err := os.Stat(annotated); err != nil {
			continue
		}
		orig, ann := readWorkbookCells(t, in), readWorkbookCells(t, annotated)
		for _, sheet := range orig.sheets {
			for ref, want := range orig.cells[sheet] {
				if got := ann.cells[sheet][ref]; got != want {
					t.Errorf("%s sheet %q %s: annotated copy has %s, original %s", in, sheet, ref, orNone(got), want)
				}
			}
		}
	}
}
