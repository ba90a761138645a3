package pipeline

import (
	"os"
)

// syncAhead writes to a file, and every syncEvery bytes starts an fsync of
// what is written so far on another goroutine, so that the disk works
// while the run does; Sync then has only the rest to flush. Writes made
// while an fsync runs are fine: it flushes what it finds.
type syncAhead struct {
	f       *os.File
	pending int64
	running chan error // the fsync in flight, if any
}

const syncEvery = 32 << 20

// newSyncAhead wraps f.
func newSyncAhead(f *os.File) *syncAhead { return &syncAhead{f: f} }

func (s *syncAhead) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.pending += int64(n)
	if s.pending >= syncEvery {
		if s.running != nil {
			select {
			case ferr := <-s.running:
				s.running = nil
				if ferr != nil && err == nil {
					err = ferr
				}
			default:
				return n, err // the last one is still going
			}
		}
		s.pending = 0
		done := make(chan error, 1)
		s.running = done
		go func() { done <- s.f.Sync() }()
	}
	return n, err
}

// Wait waits for an fsync in flight, if any.
func (s *syncAhead) Wait() {
	if s.running != nil {
		<-s.running
		s.running = nil
	}
}

// Sync waits for an fsync in flight and flushes the rest.
func (s *syncAhead) Sync() error {
	if s.running != nil {
		err := <-s.running
		s.running = nil
		if err != nil {
			return err
		}
	}
	s.pending = 0
	return s.f.Sync()
}
