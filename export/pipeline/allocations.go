package pipeline

import (
	"bufio"
	"io"
	"os"

	"github.com/purpose-hq/purpose/export/csvout"
)

// allocSink is allocations.csv as it is written, buffered and synced
// ahead, with the means to cut off the rows of an input that failed.
type allocSink struct {
	f  *os.File
	sa *syncAhead
	bw *bufio.Writer
	at int64 // where the current input's rows start
}

// openAllocations stages allocations.csv and writes its header.
func openAllocations(stage *Stage) (*allocSink, error) {
	f, err := stage.Open("allocations.csv")
	if err != nil {
		return nil, err
	}
	sa := newSyncAhead(f)
	a := &allocSink{f: f, sa: sa, bw: bufio.NewWriterSize(writeHook(sa, f.Name()), 1<<20)}
	if err := csvout.WriteAllocationsHeader(a.bw); err != nil {
		f.Close()
		return nil, err
	}
	return a, nil
}

// mark flushes, and notes where the next input's rows start.
func (a *allocSink) mark() error {
	if err := a.bw.Flush(); err != nil {
		return err
	}
	var err error
	a.at, err = a.f.Seek(0, io.SeekCurrent)
	return err
}

// rollback drops everything written since the mark.
func (a *allocSink) rollback() error {
	a.bw.Reset(writeHook(a.sa, a.f.Name()))
	if err := a.f.Truncate(a.at); err != nil {
		return err
	}
	_, err := a.f.Seek(a.at, io.SeekStart)
	return err
}

// close flushes, syncs and closes the file.
func (a *allocSink) close() error {
	if err := a.bw.Flush(); err != nil {
		return err
	}
	if err := a.sa.Sync(); err != nil {
		return err
	}
	return a.f.Close()
}
