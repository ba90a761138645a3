package export

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Stage writes a run's outputs into a folder as one set: each file goes to
// a temporary file beside its final name as it is written, and Commit puts
// them all in place at the end, so a reader on a shared drive sees the
// last run's outputs or this run's, never half of each. No output may land
// on an input: Commit refuses, naming it.
type Stage struct {
	dir     string
	inputs  []string
	pending []staged
}

type staged struct{ tmp, final string }

// NewStage starts a set of outputs for dir. inputs are the run's inputs,
// every one of them, read or not, which no output may replace.
func NewStage(dir string, inputs []string) *Stage {
	return &Stage{dir: dir, inputs: inputs}
}

// Write writes one output through write into a temporary file.
func (s *Stage) Write(name string, write func(io.Writer) error) (err error) {
	final := filepath.Join(s.dir, name)
	tmp, err := os.CreateTemp(s.dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("export: %s: %w", final, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("export: %s: %w", final, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("export: %s: %w", final, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %s: %w", final, err)
	}
	s.pending = append(s.pending, staged{tmp.Name(), final})
	return nil
}

// ErrWouldReplaceInput is returned by Commit for an output named like an
// input.
var ErrWouldReplaceInput = errors.New("would replace an input; choose another --out folder")

// Commit checks that no output would replace an input, then renames every
// output into place. Before a rename fails nothing has been replaced.
func (s *Stage) Commit() error {
	for _, p := range s.pending {
		out, err := os.Stat(p.final)
		if err != nil {
			continue // a new file
		}
		for _, in := range s.inputs {
			if info, err := os.Stat(in); err == nil && os.SameFile(info, out) {
				s.Abort()
				return fmt.Errorf("export: %s %w", in, ErrWouldReplaceInput)
			}
		}
	}
	for i, p := range s.pending {
		if err := os.Rename(p.tmp, p.final); err != nil {
			s.pending = s.pending[i:]
			s.Abort()
			return fmt.Errorf("export: %w", err)
		}
	}
	s.pending = nil
	return nil
}

// Abort removes the temporary files of outputs not yet in place.
func (s *Stage) Abort() {
	for _, p := range s.pending {
		os.Remove(p.tmp)
	}
	s.pending = nil
}
