package pipeline

import (
	"io"
	"runtime"
	"strconv"
	"sync"

	"github.com/purpose-hq/purpose/export"
)

// earlyWriter writes each input's annotated workbook on a goroutine of
// its own as soon as the input is read, while the next one is read, and
// then releases what only that workbook needed (export.Input.Release), so
// that what a run keeps of an input until its end is its totals, however
// many inputs there are. It is used when an input's workbook depends on
// that input alone: not with --staffing, whose reconciliation in every
// workbook waits for every input's pay.
//
// The workbooks are written a core each, in parallel; each is staged
// under a name of its place in the run and given its own name at the end,
// when the inputs read (and so the names that differ only by extension)
// are known, so the outputs are the same whatever order they finish in.
type earlyWriter struct {
	stage *Stage
	run   *export.Run
	in    chan earlyInput
	done  chan struct{}
	mu    sync.Mutex
	out   []export.Input // by place in the run, released
	errs  []error        // by place in the run
	err   error          // the first input's, in the run's order, whose workbook could not be written
	// finished are the inputs' own establishments, reconciled and
	// released: not to be finished again.
	finished []*export.Staffing
}

type earlyInput struct {
	i  int
	in export.Input
}

// newEarlyWriter starts writers, one a core: workbooks are written in
// parallel, a few inputs behind the one being read, and memory holds at
// most one input a writer beyond it.
func newEarlyWriter(stage *Stage, run *export.Run) *earlyWriter {
	e := &earlyWriter{stage: stage, run: run, in: make(chan earlyInput), done: make(chan struct{})}
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.loop()
		}()
	}
	go func() {
		wg.Wait()
		close(e.done)
	}()
	return e
}

func (e *earlyWriter) name(i int) string { return "input-" + strconv.Itoa(i) + ".annotated" }

// write hands over input i, just read.
func (e *earlyWriter) write(i int, in export.Input) { e.in <- earlyInput{i, in} }

// wait waits for the workbooks, and returns the inputs as read, released
// of what their workbooks needed.
func (e *earlyWriter) wait(inputs []export.Input) []export.Input {
	close(e.in)
	<-e.done
	for i := range inputs {
		if i < len(e.out) {
			inputs[i] = e.out[i]
		}
	}
	for _, err := range e.errs {
		if err != nil {
			e.err = err
			break
		}
	}
	return inputs
}

func (e *earlyWriter) loop() {
	for x := range e.in {
		in := x.in
		own := in.Staff != nil && in.Staff.Own != nil
		if own {
			in.Staff.Finish() // its own staffing: its pay is all read
		}
		err := e.annotate(x.i, in)
		in.Release()
		if own {
			in.Staff.Own = in.Book
			in.Staff.ReleaseOwn()
		}
		e.mu.Lock()
		for len(e.out) <= x.i {
			e.out = append(e.out, export.Input{})
			e.errs = append(e.errs, nil)
		}
		e.out[x.i], e.errs[x.i] = in, err
		if own {
			e.finished = append(e.finished, in.Staff)
		}
		e.mu.Unlock()
	}
}

func (e *earlyWriter) annotate(i int, in export.Input) error {
	if err := export.Annotatable(in.Book); err != nil {
		return err // named by its input, not the output
	}
	work, err := e.stage.WorkDir()
	if err != nil {
		return err
	}
	return e.stage.Write(e.name(i), func(w io.Writer) error { return export.WriteAnnotated(w, work, e.run, in) })
}
