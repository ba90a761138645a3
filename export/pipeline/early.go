package pipeline

import (
	"bufio"
	"io"
	"os"
	"strconv"

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
// Inputs pass one at a time, in order, so the workbooks are written in
// the order they were read; each is staged under a name of its place in
// the run and given its own name at the end, when the inputs read (and so
// the names that differ only by extension) are known.
type earlyWriter struct {
	stage *Stage
	run   *export.Run
	in    chan earlyInput
	done  chan []export.Input
	err   error // the first input whose workbook could not be written
	// finished are the inputs' own establishments, reconciled and
	// released: not to be finished again.
	finished []*export.Staffing
	// posts is posts.csv, once an input had an establishment of its own:
	// its posts are written as its workbook is, and then let go.
	posts *postsSink
}

// postsSink is posts.csv as it is written, an establishment at a time.
type postsSink struct {
	f  *os.File
	bw *bufio.Writer
	pw *export.PostsWriter
}

// write writes an establishment's posts, opening posts.csv the first time.
func (e *earlyWriter) writePosts(s *export.Staffing) error {
	if e.posts == nil {
		f, err := e.stage.Open("posts.csv")
		if err != nil {
			return err
		}
		ps := &postsSink{f: f, bw: bufio.NewWriterSize(f, 1<<16)}
		if ps.pw, err = export.NewPostsWriter(ps.bw, e.run); err != nil {
			f.Close()
			return err
		}
		e.posts = ps
	}
	return e.posts.pw.Write(s)
}

// close finishes posts.csv: every establishment's posts were written as
// its input's workbook was (the early writer is not used with --staffing).
func (p *postsSink) close() error {
	err := p.pw.Flush()
	if err == nil {
		err = p.bw.Flush()
	}
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	return err
}

type earlyInput struct {
	i  int
	in export.Input
}

func newEarlyWriter(stage *Stage, run *export.Run) *earlyWriter {
	e := &earlyWriter{stage: stage, run: run, in: make(chan earlyInput, 1), done: make(chan []export.Input, 1)}
	go e.loop()
	return e
}

func (e *earlyWriter) name(i int) string { return "input-" + strconv.Itoa(i) + ".annotated" }

// write hands over input i, just read.
func (e *earlyWriter) write(i int, in export.Input) { e.in <- earlyInput{i, in} }

// wait waits for the workbooks, and returns the inputs as read, released
// of what their workbooks needed.
func (e *earlyWriter) wait(inputs []export.Input) []export.Input {
	close(e.in)
	released := <-e.done
	for i := range inputs {
		if i < len(released) {
			inputs[i] = released[i]
		}
	}
	return inputs
}

func (e *earlyWriter) loop() {
	var out []export.Input
	for x := range e.in {
		in := x.in
		own := in.Staff != nil && in.Staff.Own != nil
		if own {
			in.Staff.Finish() // its own staffing: its pay is all read
		}
		if e.err == nil {
			e.err = e.annotate(x.i, in)
		}
		in.Release()
		if own {
			in.Staff.Own = in.Book
			// Its posts go to posts.csv now, and only its people view
			// is kept, released of the workbook's text (the posts let
			// go first, not to copy their text for nothing).
			if err := e.writePosts(in.Staff); err != nil && e.err == nil {
				e.err = err
			}
			in.Staff.DropPosts()
			in.Staff.ReleaseOwn()
			e.finished = append(e.finished, in.Staff)
		}
		out = append(out, in)
	}
	e.done <- out
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
