package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

// LoadFramework reads the outcomes framework at path (a folder or a
// workbook), or the built-in one when path is "".
func LoadFramework(path string) (*analysis.Framework, error) {
	if path != "" {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("--framework %s: no such file or folder", path)
		} else if err != nil {
			return nil, fmt.Errorf("--framework %s: %w", path, err)
		}
	}
	var t *ingest.FrameworkTables
	var err error
	if path == "" {
		t, err = ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	} else {
		t, err = ingest.ReadFramework(path)
	}
	if err != nil {
		return nil, err
	}
	return analysis.NewFramework(t)
}

// inputExts are the files a folder run picks up.
var inputExts = []string{".xlsx", ".xlsm", ".csv"}

// FindInputs turns files and folders into a sorted list of files to read.
// In folders it skips Excel's lock files (~$…), hidden files, the tool's own
// outputs and files still being copied; named files are taken as given.
func FindInputs(args []string) ([]string, []string, error) {
	var files, warnings []string
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			files = append(files, p)
		}
	}
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: no such file or folder", a)
		}
		if !info.IsDir() {
			if strings.HasPrefix(filepath.Base(a), "~$") {
				return nil, nil, fmt.Errorf("%s: is an Excel lock file, not a workbook; give the workbook itself", a)
			}
			add(a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, err
		}
		var found []string
		for _, e := range entries {
			n := e.Name()
			ext := strings.ToLower(filepath.Ext(n))
			switch {
			case e.IsDir(), strings.HasPrefix(n, "~$"), strings.HasPrefix(n, "."),
				strings.Contains(strings.ToLower(n), ".annotated."), n == "allocations.csv", n == "summary.csv", n == "posts.csv":
				continue
			case slices.Contains([]string{".xls", ".xlsb", ".ods", ".numbers"}, ext):
				warnings = append(warnings, fmt.Sprintf("%s: skipped: %s files cannot be read; save it as .xlsx to include it", filepath.Join(a, n), ext))
				continue
			case !slices.Contains(inputExts, ext):
				continue
			}
			found = append(found, filepath.Join(a, n))
		}
		slices.Sort(found)
		changing := stillChanging(found)
		for _, p := range found {
			if changing[p] {
				warnings = append(warnings, fmt.Sprintf("%s: skipped, it is still being written (its size or time changed while reading)", p))
				continue
			}
			add(p)
		}
	}
	return files, warnings, nil
}

// stillChanging finds the files that changed in the last moments: files
// still being copied onto a shared drive. Only recent files are watched,
// and all of them in one wait of a second.
func stillChanging(paths []string) map[string]bool {
	before := map[string]os.FileInfo{}
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && time.Since(info.ModTime()) < 3*time.Second {
			before[p] = info
		}
	}
	changing := map[string]bool{}
	if len(before) == 0 {
		return changing
	}
	time.Sleep(time.Second)
	for p, a := range before {
		b, err := os.Stat(p)
		changing[p] = err != nil || a.Size() != b.Size() || !a.ModTime().Equal(b.ModTime())
	}
	return changing
}

// CheckOutputs refuses an output folder where an output would overwrite an
// input.
func CheckOutputs(out string, inputs []string) error {
	outputs := append(export.OutputNames(inputs), "allocations.csv", "summary.csv", "posts.csv", "run.json")
	for _, in := range inputs {
		inInfo, err := os.Stat(in)
		if err != nil {
			continue
		}
		for _, o := range outputs {
			if oInfo, err := os.Stat(filepath.Join(out, o)); err == nil && os.SameFile(inInfo, oInfo) {
				return fmt.Errorf("%s would be overwritten by an output; choose another --out folder", in)
			}
		}
	}
	return nil
}

// twins finds an input identical to one before it in a run, which read
// again would count its lines twice. Only an input the size of an earlier
// one is hashed before it is read; the rest are hashed as they are read
// (see ingest.Options.SHA256), on another core.
type twins struct {
	bySize map[int64][]*twin
}

// A twin is an input of the run; sum is its hash, "" until known.
type twin struct {
	path, sum string
}

// check returns the earlier input path is identical to (""
// if none), and path's own entry, whose sum is set when it had to be
// worked out here and is for the caller to set once the file is read. An
// input that cannot be looked at is compared with none: reading it will say
// why.
func (t *twins) check(path string) (first string, me *twin) {
	me = &twin{path: path}
	info, err := os.Stat(path)
	if err != nil {
		return "", me
	}
	if t.bySize == nil {
		t.bySize = map[int64][]*twin{}
	}
	earlier := t.bySize[info.Size()]
	if len(earlier) > 0 {
		if me.sum, err = ingest.FileSHA256(path); err != nil {
			return "", me
		}
		for _, e := range earlier {
			if e.sum == "" {
				// Its reading failed before its hash was kept.
				e.sum, _ = ingest.FileSHA256(e.path)
			}
			if e.sum == me.sum {
				return e.path, me
			}
		}
	}
	t.bySize[info.Size()] = append(earlier, me)
	return "", me
}
