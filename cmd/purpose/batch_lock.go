package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/purpose-hq/purpose/export/pipeline"
)

// lockFileName is the lock a batch holds in its outbox while it runs.
const lockFileName = ".purpose-batch.lock"

// A batchLock stops two batches working on one outbox at once. It is a
// file made only if missing, holding its owner's process id, computer and
// start time; a lock whose process is gone (killed, a power cut) is taken
// over with a warning.
type batchLock struct {
	path, content string
}

// lockHeldError is a lock another batch holds: this one cannot run.
type lockHeldError struct {
	path, owner string
}

func (e *lockHeldError) Error() string {
	return fmt.Sprintf("another batch (%s) is working on this outbox, so this one stops; if none is running, delete %s and run again", e.owner, e.path)
}

// takeLock takes the lock of dir. warning says when a stale lock was
// taken over.
func takeLock(dir string) (l *batchLock, warning string, err error) {
	path := filepath.Join(dir, lockFileName)
	host, _ := os.Hostname()
	content := fmt.Sprintf("pid %d\nhost %s\nstarted %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339Nano))
	for range 5 {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.WriteString(content)
			if err == nil {
				err = f.Sync()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(path)
				return nil, "", err
			}
			return &batchLock{path, content}, warning, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", err
		}
		old, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		} else if err != nil {
			return nil, "", err
		}
		pid, owner, live := lockOwner(string(old), host)
		if live {
			return nil, "", &lockHeldError{path, owner}
		}
		// Stale: moved aside under a name of this process's own, checked
		// to be the lock that was read (not a new one another batch took
		// meanwhile, which is put back), then removed.
		aside := fmt.Sprintf("%s.p%d.stale", path, os.Getpid())
		if err := os.Rename(path, aside); err != nil {
			continue // another batch moved it first
		}
		if got, _ := os.ReadFile(aside); string(got) != string(old) {
			os.Link(aside, path) // never over a lock taken since
			os.Remove(aside)
			continue
		}
		os.Remove(aside)
		warning = fmt.Sprintf("%s: took over a lock left by process %d, which is no longer running (a batch that was stopped)", path, pid)
	}
	return nil, "", fmt.Errorf("%s: cannot take the lock: other batches keep taking it", path)
}

// lockOwner reads a lock: its process, its owner in words, and whether it
// is running. A lock of another computer cannot be checked and counts as
// running; so does one that cannot be read yet (being written).
func lockOwner(content, host string) (pid int, owner string, live bool) {
	var lockHost, started string
	for _, line := range strings.Split(content, "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "pid":
			pid, _ = strconv.Atoi(v)
		case "host":
			lockHost = v
		case "started":
			started = v
		}
	}
	owner = fmt.Sprintf("process %d on %s, started %s", pid, lockHost, started)
	if pid <= 0 {
		return pid, "a batch whose lock cannot be read", true
	}
	if lockHost != host {
		return pid, owner, true
	}
	return pid, owner, pipeline.ProcessAlive(pid)
}

// release removes the lock, if it is still this batch's.
func (l *batchLock) release() {
	if b, err := os.ReadFile(l.path); err == nil && string(b) == l.content {
		os.Remove(l.path)
	}
}
