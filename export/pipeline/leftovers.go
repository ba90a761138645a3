package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A run's temporary files and folders carry its process id in their
// names (.allocations.csv.p1234.5678.tmp, .purpose-p1234-5678/), so that a
// later run can tell the leftovers of a run that was killed (SIGKILL, a
// power cut) from those of a run still working, and remove only the first.

var pid = os.Getpid()

// tempPattern is the os.CreateTemp pattern for an output's temporary file.
func tempPattern(name string) string {
	return "." + name + ".p" + strconv.Itoa(pid) + ".*.tmp"
}

// workDirPattern is the os.MkdirTemp pattern for a run's work folder.
func workDirPattern() string { return ".purpose-p" + strconv.Itoa(pid) + "-*" }

// WriteFileAtomic writes data to dir/name through a temporary file named
// as a run's are, synced, then renamed into place: a reader sees the old
// file or the new one, never part of either.
func WriteFileAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = renameFile(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
		if diskFull(err) {
			return &DiskFullError{Dir: dir}
		}
	}
	return err
}

var (
	leftoverFile = regexp.MustCompile(`^\..+\.p([0-9]+)\.[0-9a-z]+\.(?:tmp|previous|tmp\.previous)$`)
	leftoverDir  = regexp.MustCompile(`^\.purpose-p([0-9]+)-[0-9]+$`)
	// Before process ids were in the names: removed once a day old.
	legacyFile = regexp.MustCompile(`^\..+\.[0-9]+\.tmp(?:\.previous)?$`)
	legacyDir  = regexp.MustCompile(`^\.purpose-(?:early-)?[0-9]+$`)
)

// legacyAge is how old a leftover with no process id must be to go.
const legacyAge = 24 * time.Hour

// CleanLeftovers removes from dir the temporary files and folders of
// earlier runs whose process is no longer running (and those named before
// runs recorded their process, once a day old), and returns a one-line
// note of what it removed, "" for nothing. Nothing of a running process,
// this one included, is touched, and nothing not named as a run's
// temporary file.
func CleanLeftovers(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var removed int
	var pids []string
	alive := map[int]bool{}
	for _, e := range entries {
		name := e.Name()
		var m []string
		if e.IsDir() {
			m = leftoverDir.FindStringSubmatch(name)
		} else if e.Type().IsRegular() {
			m = leftoverFile.FindStringSubmatch(name)
		}
		if m == nil {
			if (e.IsDir() && legacyDir.MatchString(name)) || (e.Type().IsRegular() && legacyFile.MatchString(name)) {
				if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > legacyAge && os.RemoveAll(filepath.Join(dir, name)) == nil {
					removed++
				}
			}
			continue
		}
		p, err := strconv.Atoi(m[1])
		if err != nil || p == pid {
			continue
		}
		live, ok := alive[p]
		if !ok {
			live = ProcessAlive(p)
			alive[p] = live
		}
		if live {
			continue
		}
		if os.RemoveAll(filepath.Join(dir, name)) == nil {
			removed++
			if !slices.Contains(pids, m[1]) {
				pids = append(pids, m[1])
			}
		}
	}
	if removed == 0 {
		return ""
	}
	what := "temporary files"
	if removed == 1 {
		what = "temporary file"
	}
	by := "earlier runs that stopped before finishing"
	if len(pids) > 0 {
		by += " (process " + strings.Join(pids, ", ") + ")"
	}
	return fmt.Sprintf("%s: removed %d %s left by %s", dir, removed, what, by)
}

// A DiskFullError is an output that could not be written because the
// disk is full. Nothing of the run is put in place.
type DiskFullError struct{ Dir string }

func (e *DiskFullError) Error() string {
	return fmt.Sprintf("the disk is full: the outputs cannot be written into %s, and nothing was written; free some space there and run again", e.Dir)
}
