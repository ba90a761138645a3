package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Stage writes a run's outputs into a folder as one set: each file goes to
// a temporary file beside its final name as it is written, and Commit puts
// them all in place at the end, so a reader on a shared drive sees the
// last run's outputs or this run's, never half of each. No output may land
// on an input: Commit refuses, naming it.
type Stage struct {
	ctx     context.Context
	dir     string
	inputs  []string
	pending []staged
	removed []string
	work    string // a folder for the outputs' own temporary files, made when first asked for
}

type staged struct{ tmp, final string }

// NewStage starts a set of outputs for dir. inputs are the run's inputs,
// every one of them, read or not, which no output may replace. Once ctx is
// done (an interrupt), writes fail, and nothing is put in place.
func NewStage(ctx context.Context, dir string, inputs []string) *Stage {
	return &Stage{ctx: ctx, dir: dir, inputs: inputs}
}

// ctxWriter fails once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Write writes one output through write into a temporary file.
func (s *Stage) Write(name string, write func(io.Writer) error) (err error) {
	final := filepath.Join(s.dir, name)
	tmp, err := os.CreateTemp(s.dir, tempPattern(name))
	if err != nil {
		return s.failed(final, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	sa := newSyncAhead(tmp)
	if err = write(ctxWriter{s.ctx, writeHook(sa, tmp.Name())}); err != nil {
		sa.Wait() // not to leave an fsync running on a file being removed
		return s.failed(final, err)
	}
	if err = sa.Sync(); err != nil {
		return s.failed(final, err)
	}
	if err = tmp.Close(); err != nil {
		return s.failed(final, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return s.failed(final, err)
	}
	s.pending = append(s.pending, staged{tmp.Name(), final})
	return nil
}

// Rename gives the output staged as name another name.
func (s *Stage) Rename(name, to string) {
	for i := range s.pending {
		if s.pending[i].final == filepath.Join(s.dir, name) {
			s.pending[i].final = filepath.Join(s.dir, to)
		}
	}
}

// Open starts an output that is written over time (allocations.csv, row
// by row as lines are read) and returns its temporary file; the caller
// closes it, and Commit puts it in place with the rest.
func (s *Stage) Open(name string) (*os.File, error) {
	final := filepath.Join(s.dir, name)
	tmp, err := os.CreateTemp(s.dir, tempPattern(name))
	if err != nil {
		return nil, s.failed(final, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("%s: %w", final, err)
	}
	s.pending = append(s.pending, staged{tmp.Name(), final})
	return tmp, nil
}

// ErrWouldReplaceInput is returned by Commit for an output named like an
// input.
var ErrWouldReplaceInput = errors.New("would replace an input; choose another --out folder")

// Commit checks that no output would replace an input, then puts every
// output in place. Outputs it would replace are first moved aside, and so
// are the outputs of the run before (as its run.json lists them) that this
// run does not write; if any step fails, what was done is undone and the
// previous outputs are put back, so the folder holds one run's outputs or
// the other's, never a mix.
func (s *Stage) Commit() error {
	if err := s.ctx.Err(); err != nil {
		s.Abort()
		return err
	}
	for _, p := range s.pending {
		out, err := os.Stat(p.final)
		if err != nil {
			continue // a new file
		}
		for _, in := range s.inputs {
			if info, err := os.Stat(in); err == nil && os.SameFile(info, out) {
				s.Abort()
				return fmt.Errorf("%s %w", in, ErrWouldReplaceInput)
			}
		}
	}
	type moved struct{ from, to string }
	rename := renameFile
	var undo []moved // renames done, to reverse on failure
	fail := func(err error) error {
		for i := len(undo) - 1; i >= 0; i-- {
			os.Rename(undo[i].to, undo[i].from)
		}
		s.removed = nil
		s.Abort()
		return fmt.Errorf("%w; the previous outputs are as they were", err)
	}
	for _, name := range s.stale() {
		old := filepath.Join(s.dir, "."+name+".p"+strconv.Itoa(pid)+"."+strconv.FormatInt(time.Now().UnixNano(), 36)+".previous")
		if err := rename(filepath.Join(s.dir, name), old); err != nil {
			return fail(err)
		}
		undo = append(undo, moved{filepath.Join(s.dir, name), old})
		s.removed = append(s.removed, name)
	}
	for _, p := range s.pending {
		if _, err := os.Stat(p.final); err == nil {
			old := p.tmp + ".previous"
			if err := rename(p.final, old); err != nil {
				return fail(err)
			}
			undo = append(undo, moved{p.final, old})
		}
		if err := rename(p.tmp, p.final); err != nil {
			return fail(err)
		}
		undo = append(undo, moved{p.tmp, p.final})
	}
	for _, u := range undo {
		if strings.HasSuffix(u.to, ".previous") {
			os.Remove(u.to)
		}
	}
	s.pending = nil
	s.removeWork()
	return nil
}

// Removed names the outputs of the run before that Commit removed, this
// run not writing them.
func (s *Stage) Removed() []string { return s.removed }

// stale lists the outputs of the run before in the folder, as its run.json
// names them, that this run does not write: plain files directly in the
// folder, and never an input. Nothing else in the folder is touched.
func (s *Stage) stale() []string {
	b, err := os.ReadFile(filepath.Join(s.dir, "run.json"))
	if err != nil {
		return nil
	}
	var m struct {
		Tool    string   `json:"tool"`
		Outputs []string `json:"outputs"`
	}
	if json.Unmarshal(b, &m) != nil || m.Tool != "purpose" {
		return nil
	}
	writing := map[string]bool{}
	for _, p := range s.pending {
		writing[strings.ToLower(filepath.Base(p.final))] = true
	}
	var out []string
	for _, name := range m.Outputs {
		if name == "" || name != filepath.Base(name) || name == "." || name == ".." || strings.ContainsAny(name, `/\:`) ||
			writing[strings.ToLower(name)] || slices.Contains(out, name) {
			continue
		}
		info, err := os.Lstat(filepath.Join(s.dir, name))
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		isInput := false
		for _, in := range s.inputs {
			if ii, err := os.Stat(in); err == nil && os.SameFile(ii, info) {
				isInput = true
			}
		}
		if !isInput {
			out = append(out, name)
		}
	}
	return out
}

// renameFile is os.Rename; tests make it fail.
var renameFile = os.Rename

// writeHook stands between an output and its temporary file; tests make
// it fail as a full disk does.
var writeHook = func(w io.Writer, name string) io.Writer { return w }

// Abort removes the temporary files of outputs not yet in place.
func (s *Stage) Abort() {
	for _, p := range s.pending {
		os.Remove(p.tmp)
	}
	s.pending = nil
	s.removeWork()
}

// WorkDir is a folder in the stage's folder for an output's own temporary
// files, named with the process id like the outputs' temporary files, and
// removed with them.
func (s *Stage) WorkDir() (string, error) {
	if s.work == "" {
		w, err := os.MkdirTemp(s.dir, workDirPattern())
		if err != nil {
			return "", s.failed(s.dir, err)
		}
		s.work = w
	}
	return s.work, nil
}

func (s *Stage) removeWork() {
	if s.work != "" {
		os.RemoveAll(s.work)
		s.work = ""
	}
}

// failed words an error writing the output final: a full disk as such,
// naming the folder rather than a temporary file.
func (s *Stage) failed(final string, err error) error {
	if diskFull(err) {
		return &DiskFullError{Dir: s.dir}
	}
	return fmt.Errorf("%s: %w", final, err)
}
