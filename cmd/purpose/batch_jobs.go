package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A batchJob is one set of inputs in the inbox that makes one set of
// outputs in the outbox: a budget file at the top of the inbox on its own,
// or a sub-folder holding one organisation's budget files and, named as
// such, its staffing establishment.
type batchJob struct {
	Name     string   // as shown: the file or folder name in the inbox
	Source   string   // the file or folder in the inbox (moved by --move-done)
	Folder   bool     // a sub-folder job
	Out      string   // the folder for its outputs, a name in the outbox
	Inputs   []string // budget files, sorted
	Staffing []string // staffing establishments in a sub-folder, sorted
}

// ignoredFile is a file in the inbox that is not read, and why.
type ignoredFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// settingsFileName is the per-file settings file an inbox may hold.
const settingsFileName = "purpose-settings.csv"

// ignoreReason says why a file or folder in the inbox is not an input, ""
// when it is one. Lock files and hidden or temporary files say so; files
// of other kinds are ignored with no reason ("-").
func ignoreReason(name string, dir bool) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "~$"):
		return "an Excel lock file (the workbook is open in Excel)"
	case strings.HasPrefix(name, ".~lock.") && strings.HasSuffix(name, "#"):
		return "a LibreOffice lock file (the workbook is open in LibreOffice)"
	case strings.HasPrefix(name, "."):
		return "a hidden file"
	case strings.HasPrefix(name, "~") || strings.HasSuffix(name, "~"),
		slices.ContainsFunc([]string{".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", ".bak"}, func(s string) bool { return strings.HasSuffix(lower, s) }):
		return "a temporary file"
	case lower == "thumbs.db" || lower == "desktop.ini" || lower == ".ds_store":
		return "-"
	case dir:
		return ""
	case lower == settingsFileName:
		return "-"
	}
	switch filepath.Ext(lower) {
	case ".xlsx", ".xlsm", ".csv":
		return ""
	case ".xls", ".xlsb", ".ods", ".numbers":
		return "a " + filepath.Ext(lower) + " file, which cannot be read: save it as .xlsx"
	}
	return "-"
}

// isStaffingName says whether a file in a job's sub-folder is its staffing
// establishment, by its name: it says staffing or establishment.
func isStaffingName(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "staffing") || strings.Contains(n, "establishment")
}

// findJobs lists the jobs in inbox, sorted by name, and the files it
// ignores. Folders in skip (the outbox, --move-done, --staffing files)
// are never inputs. A job any of whose files changed within settle (still
// being copied) is left for the next run, among the ignored.
func findJobs(inbox string, settle time.Duration, skip []string) ([]batchJob, []ignoredFile, error) {
	entries, err := os.ReadDir(inbox)
	if err != nil {
		return nil, nil, err
	}
	skipped := func(p string) bool {
		info, err := os.Stat(p)
		if err != nil {
			return true
		}
		for _, s := range skip {
			if si, err := os.Stat(s); err == nil && os.SameFile(si, info) {
				return true
			}
		}
		return false
	}
	var jobs []batchJob
	var ignored []ignoredFile
	ignore := func(name, reason string) {
		if reason != "-" {
			ignored = append(ignored, ignoredFile{name, reason})
		}
	}
	for _, e := range entries { // ReadDir sorts by name
		name := e.Name()
		p := filepath.Join(inbox, name)
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			info, err := os.Stat(p)
			if err != nil {
				continue
			}
			isDir = info.IsDir()
		}
		if r := ignoreReason(name, isDir); r != "" {
			ignore(name, r)
			continue
		}
		if skipped(p) {
			continue
		}
		if !isDir && !regularFile(p) {
			ignore(name, notRegular)
			continue
		}
		if !isDir {
			jobs = append(jobs, batchJob{Name: name, Source: p, Inputs: []string{p}})
			continue
		}
		sub, err := os.ReadDir(p)
		if err != nil {
			ignore(name+"/", "the folder cannot be read: "+plainReason(err, false))
			continue
		}
		j := batchJob{Name: name + "/", Source: p, Folder: true}
		for _, f := range sub {
			fp := filepath.Join(p, f.Name())
			if f.IsDir() {
				continue
			}
			if r := ignoreReason(f.Name(), false); r != "" {
				ignore(filepath.Join(name, f.Name()), r)
				continue
			}
			if skipped(fp) {
				continue
			}
			if !regularFile(fp) {
				ignore(filepath.Join(name, f.Name()), notRegular)
				continue
			}
			if isStaffingName(f.Name()) {
				j.Staffing = append(j.Staffing, fp)
			} else {
				j.Inputs = append(j.Inputs, fp)
			}
		}
		if len(j.Inputs) == 0 {
			ignore(name+"/", "a folder with no budget file in it (.xlsx, .xlsm or .csv, not named as staffing)")
			continue
		}
		jobs = append(jobs, j)
	}
	jobs, copying := settled(jobs, settle)
	ignored = append(ignored, copying...)
	nameOutputs(jobs)
	return jobs, ignored, nil
}

// notRegular is why a pipe, device or socket in the inbox is left alone:
// opening one to read it could wait for ever.
const notRegular = "not a file (a pipe, device or socket): left alone"

// regularFile reports whether p (followed, if a link) is an ordinary file.
func regularFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// settled leaves out the jobs with a file whose size or time changed
// within settle: a file still being copied in. Only files changed lately
// are watched, all of them in one wait.
func settled(jobs []batchJob, settle time.Duration) ([]batchJob, []ignoredFile) {
	if settle <= 0 {
		return jobs, nil
	}
	before := map[string]os.FileInfo{}
	for _, j := range jobs {
		for _, p := range slices.Concat(j.Inputs, j.Staffing) {
			if info, err := os.Stat(p); err == nil && time.Since(info.ModTime()) < settle {
				before[p] = info
			}
		}
	}
	if len(before) == 0 {
		return jobs, nil
	}
	time.Sleep(settle)
	var out []batchJob
	var ignored []ignoredFile
	for _, j := range jobs {
		changing := ""
		for _, p := range slices.Concat(j.Inputs, j.Staffing) {
			a, ok := before[p]
			if !ok {
				continue
			}
			if b, err := os.Stat(p); err != nil || a.Size() != b.Size() || !a.ModTime().Equal(b.ModTime()) {
				changing = p
				break
			}
		}
		if changing != "" {
			ignored = append(ignored, ignoredFile{j.Name, "still being copied in (" + filepath.Base(changing) + " changed in the last " + settle.String() + "); it is read on the next run"})
			continue
		}
		out = append(out, j)
	}
	return out, ignored
}

// nameOutputs gives each job its folder in the outbox: a file's name
// without its extension (budget.xlsx → budget), or the whole name with its
// dots as dashes where two jobs would share one (budget-xlsx, budget-csv),
// a sub-folder's name as it is.
func nameOutputs(jobs []batchJob) {
	stem := func(j batchJob) string {
		base := filepath.Base(j.Source)
		if j.Folder {
			return base
		}
		return strings.TrimSuffix(base, filepath.Ext(base))
	}
	count := map[string]int{}
	for _, j := range jobs {
		count[strings.ToLower(stem(j))]++
	}
	for i := range jobs {
		s := stem(jobs[i])
		if count[strings.ToLower(s)] > 1 && !jobs[i].Folder {
			s = strings.ReplaceAll(filepath.Base(jobs[i].Source), ".", "-")
		}
		jobs[i].Out = s
	}
}
