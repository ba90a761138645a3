// Package pipeline runs purpose over a set of inputs: it owns a run from
// the first file opened to the last output put in place.
//
// In: the input files, the framework, how to read them and where outputs
// go. Out: the run's results (export.Run) and, unless only checking, its
// outputs in the folder, put in place together. Each input goes through
// two stages at once, on their own goroutines in one errgroup:
//
//	ingest.StreamBudget (read: file → cost lines, in batches)
//	  → export.Collector (match, allocate, sum, append to allocations.csv)
//
// --staffing establishments are read first, and their posts apportion
// every input's pay lines; without them, a workbook's own staffing sheet
// apportions its own. Each input's annotated workbook is written as soon
// as it is read, on a goroutine of its own while the next input is read
// (earlyWriter), and then only its totals are kept; with --staffing, whose
// reconciliation in every workbook waits for every input's pay, the
// workbooks are written once all are read. Then summary.csv, posts.csv,
// the --staffing files' annotated copies and run.json are written while
// allocations.csv goes to disk. Every output is staged beside its final
// name (Stage), an earlier run's leftover temporary files are cleared
// (CleanLeftovers); an input that fails half way has its allocations.csv
// rows cut off again, and a run that fails puts nothing in place. The
// caller hears what happens through a Reporter and decides how to word and
// show it.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export"
	"github.com/purpose-hq/purpose/ingest"
)

// Config is what a run is told.
type Config struct {
	Inputs    []string // the files to read, in order (see FindInputs)
	Out       string   // the folder for the outputs; "" only reads and checks
	Framework *analysis.Framework
	Read      ingest.Options // sheets, header row, amount column, keep going
	Version   string         // written into run.json
	// Warnings found before the run (the framework's, the inputs'), kept
	// in run.json with the run's own.
	Warnings []string
	// Notes found before the run (the settings applied, by a batch), kept
	// in run.json with the run's own.
	Notes []string
	// Staffing are staffing establishments (--staffing) whose posts
	// apportion every input's pay lines; without them, a staffing sheet of
	// a budget workbook apportions that workbook's.
	Staffing []string
	// CSVRaw writes the CSVs' text as read, not neutralised where a
	// spreadsheet program would read a formula (--csv-raw).
	CSVRaw bool
}

// A Reporter hears what happens as it happens, and words it. Note,
// Warning and Failed return the text as shown, which run.json keeps.
type Reporter interface {
	Note(text string) string
	Warning(text string) string
	Failed(path string, err error) string
	// Reading is told an input is being read; the returned function is
	// called when it is done.
	Reading(path string, p *ingest.Progress) (done func())
	Writing(name string)
}

// Result is what a run did.
type Result struct {
	Run    *export.Run
	Failed int // inputs that could not be read
	// Committed is set once the outputs are in place; Written names them
	// and Removed the outputs of the run before that this one replaced
	// without writing.
	Committed        bool
	Written, Removed []string
}

// Run reads every input and, unless only checking, writes the outputs. An
// input that cannot be read is reported and counted; then nothing is
// written, unless Read.KeepGoing is set and another input was read.
func Run(ctx context.Context, c Config, r Reporter) (*Result, error) {
	res := &Result{Run: &export.Run{Version: c.Version, Framework: c.Framework, Warnings: c.Warnings, Notes: c.Notes}}
	col := export.NewCollector(c.Framework)
	col.SetCSVRaw(c.CSVRaw)
	res.Run.CSVRaw = c.CSVRaw
	shared, err := readStaffing(c, r, res)
	if err != nil {
		return res, err
	}
	var stage *Stage
	var alloc *allocSink
	if c.Out != "" {
		created, err := makeDir(c.Out)
		if err != nil {
			return res, &MakeDirError{c.Out, err}
		}
		if note := CleanLeftovers(c.Out); note != "" {
			res.Run.Notes = append(res.Run.Notes, r.Note(note))
		}
		stage = NewStage(ctx, c.Out, c.Inputs)
		defer func() {
			stage.Abort()
			if created {
				os.Remove(c.Out) // only if still empty: a failed run leaves nothing
			}
		}()
		if alloc, err = openAllocations(stage); err != nil {
			return res, err
		}
		defer alloc.f.Close()
	}
	var early *earlyWriter
	if stage != nil && shared == nil && writeEarly {
		// Each input's workbook depends on it alone: it is written while
		// the next is read, and then only its totals are kept.
		early = newEarlyWriter(stage, res.Run)
	}
	inputs, err := readAll(ctx, c, r, col, alloc, res, shared, early)
	if early != nil {
		inputs = early.wait(inputs)
	}
	res.Run.Inputs = append(res.Run.Inputs, inputs...)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err != nil {
		return res, err
	}
	if res.Failed > 0 && (!c.Read.KeepGoing || len(res.Run.Inputs) == 0) {
		return res, nil
	}
	if early != nil && early.err != nil {
		return res, early.err
	}
	res.Run.Overall = col.Overall()
	var finished []*export.Staffing
	if early != nil {
		finished = early.finished
	}
	finishStaffing(c.Framework, res.Run, shared, finished)
	if stage == nil {
		return res, nil
	}
	// allocations.csv goes to disk while the workbooks are written.
	g := errgroup.Group{}
	g.Go(func() error {
		if err := alloc.close(); err != nil {
			return fmt.Errorf("allocations.csv: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		written, err := writeOutputs(stage, res.Run, r, early)
		res.Written = written
		return err
	})
	if err := g.Wait(); err != nil {
		return res, err
	}
	if err := stage.Commit(); err != nil { // refuses once interrupted
		return res, err
	}
	res.Committed, res.Removed = true, stage.Removed()
	return res, nil
}

// writeEarly is whether inputs' workbooks are written as they are read
// (when they can be); tests turn it off to compare.
var writeEarly = true

// readAll reads the inputs one after another, skipping any identical to
// one already read, and returns those read whole. It stops at an error no
// other input could escape (a full disk), and returns it.
func readAll(ctx context.Context, c Config, r Reporter, col *export.Collector, alloc *allocSink, res *Result, shared *export.Staffing, early *earlyWriter) ([]export.Input, error) {
	var out []export.Input
	var seen twins
	for _, path := range c.Inputs {
		if ctx.Err() != nil {
			break
		}
		opt := c.Read
		first, me := seen.check(path)
		if first != "" {
			res.Run.Warnings = append(res.Run.Warnings, r.Warning(fmt.Sprintf("%s: skipped: it is identical to %s, and counting it again would double its lines", path, first)))
			continue
		}
		opt.SHA256 = me.sum // "": reading hashes it
		opt.Progress = &ingest.Progress{}
		done := r.Reading(path, opt.Progress)
		col.UseStaff(shared)
		var own *export.Staffing
		var staff func(*ingest.Book) error
		if shared == nil {
			// A staffing sheet of the workbook, read before its budget
			// sheets, apportions its pay lines as they pass.
			staff = func(b *ingest.Book) error {
				s, err := ownStaffing(c.Framework, b)
				if s != nil {
					own = s
					col.UseStaff(s)
				}
				return err
			}
		}
		in, err := readInput(ctx, path, opt, staff, col, alloc)
		if err == nil {
			me.sum = in.Book.SHA256
		}
		if own != nil {
			col.UseStaff(nil)
			if err == nil {
				own.Own = in.Book
			}
		}
		if err == nil && len(c.Inputs) > 1 && isStaffingFile(in.Book) {
			// Beside budgets, an establishment read as spend would count
			// their pay twice.
			col.Forget()
			if alloc != nil {
				err = alloc.rollback()
			}
			done()
			if err == nil {
				res.Run.Warnings = append(res.Run.Warnings, r.Warning(fmt.Sprintf("%s: skipped: it is a staffing establishment, not a budget, and reading it as spend beside the budgets would count their pay twice; give it with --staffing", path)))
				continue
			}
			res.Failed++
			res.Run.Failed = append(res.Run.Failed, r.Failed(path, fmt.Errorf("allocations.csv: %w", err)))
			continue
		}
		done()
		if err != nil && diskFull(err) {
			return out, &DiskFullError{Dir: c.Out}
		}
		if err != nil {
			res.Failed++
			res.Run.Failed = append(res.Run.Failed, r.Failed(path, err))
			continue
		}
		for _, n := range in.Book.Notes {
			res.Run.Notes = append(res.Run.Notes, r.Note(n))
		}
		for _, w := range in.Book.Warnings {
			res.Run.Warnings = append(res.Run.Warnings, r.Warning(w))
		}
		if shared != nil && len(in.Book.Staffing) > 0 {
			res.Run.Warnings = append(res.Run.Warnings, r.Warning(fmt.Sprintf("%s: its staffing sheet %s is not used: the posts of --staffing apportion its pay", path, staffSheets(in.Book))))
		}
		if in.Staff != nil && in.Staff.Own != nil {
			for _, t := range in.Staff.Tables {
				res.Run.Notes = append(res.Run.Notes, r.Note(fmt.Sprintf("%s: sheet %q: read as the staffing establishment: %s", path, t.Source.Sheet, t.Explanation)))
				for _, w := range t.Warnings {
					res.Run.Warnings = append(res.Run.Warnings, r.Warning(w))
				}
			}
		}
		if early != nil {
			// The writer keeps it, and gives it back released.
			r.Writing("writing " + export.AnnotatedName(path))
			early.write(len(out), in)
			in = export.Input{}
		}
		out = append(out, in)
	}
	return out, nil
}

// lineBatch is what the reader hands the collector at a time.
const lineBatch = 512

type tableLine struct {
	t *ingest.Table
	l ingest.CostLine
}

// handover is what passes from the reader to the collector: a batch of
// lines, or the workbook once its staffing sheets are read.
type handover struct {
	lines []tableLine
	staff *ingest.Book
}

// readInput reads one input through the collector, its allocations.csv
// rows going to alloc (nil when checking): the reader and the collector
// each on a goroutine, the lines passing between them in batches, so that
// reading the file and matching, summing and writing the lines use two
// cores. staff, if set, is given the workbook once its staffing sheets are
// read (opt.Staffing): it runs on the collector's goroutine before the
// first line, while the reader reads on, and its error fails the input
// whatever else does. If either fails, the other stops, the input's rows
// are cut off allocations.csv again and nothing of it counts.
func readInput(ctx context.Context, path string, opt ingest.Options, staff func(*ingest.Book) error, col *export.Collector, alloc *allocSink) (export.Input, error) {
	var w io.Writer
	if alloc != nil {
		if err := alloc.mark(); err != nil {
			return export.Input{}, fmt.Errorf("allocations.csv: %w", err)
		}
		w = alloc.bw
	}
	col.Begin(w)
	g, gctx := errgroup.WithContext(ctx)
	full := make(chan handover, 8)
	free := make(chan []tableLine, 10)
	for range cap(free) {
		free <- make([]tableLine, 0, lineBatch)
	}
	var book *ingest.Book
	var staffErr error // staff's, set by the collector

	g.Go(func() error { // read
		defer close(full)
		batch := <-free
		hand := func(h handover) error {
			select {
			case full <- h:
				return nil
			case <-gctx.Done():
				return gctx.Err() // the collector failed, or the run was interrupted
			}
		}
		send := func() error {
			if err := hand(handover{lines: batch}); err != nil {
				return err
			}
			batch = <-free
			return nil
		}
		if staff != nil {
			opt.Staffing = func(b *ingest.Book) error { return hand(handover{staff: b}) }
		}
		b, err := ingest.StreamBudget(path, opt, func(t *ingest.Table, l *ingest.CostLine) error {
			if batch = append(batch, tableLine{t, *l}); len(batch) == lineBatch {
				return send()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		book = b
		return err
	})
	g.Go(func() error { // collect
		for h := range full {
			if h.staff != nil {
				if staffErr = callStaff(staff, h.staff); staffErr != nil {
					return staffErr
				}
				continue
			}
			batch := h.lines
			for i := range batch {
				if err := col.Line(batch[i].t, &batch[i].l); err != nil {
					if re := (*export.ReviewError)(nil); errors.As(err, &re) {
						return err // an adviser's override, by its cell
					}
					return fmt.Errorf("allocations.csv: %w", err)
				}
			}
			free <- batch[:0]
		}
		return nil
	})
	err := g.Wait()
	if staffErr != nil {
		err = staffErr // the reader may have failed first, on what came after
	}
	if err == nil {
		var in export.Input
		if in, err = col.End(book); err == nil {
			return in, nil
		}
		err = fmt.Errorf("allocations.csv: %w", err)
	}
	col.Discard()
	if alloc != nil {
		if rerr := alloc.rollback(); rerr != nil {
			return export.Input{}, fmt.Errorf("%v; and then: allocations.csv: %w", err, rerr)
		}
	}
	return export.Input{}, err
}

// callStaff calls staff with b, a panic in it being an error that names
// the workbook, as ingest.StreamBudget's is.
func callStaff(staff func(*ingest.Book) error, b *ingest.Book) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: could not be read (internal error: %v)", b.Path, r)
		}
	}()
	return staff(b)
}

// writeOutputs writes the run's outputs into the stage, and returns their
// names: allocations.csv (written as lines were read), the annotated
// workbooks, summary.csv and run.json.
func writeOutputs(stage *Stage, run *export.Run, r Reporter, early *earlyWriter) ([]string, error) {
	names := run.OutputNames()
	written := []string{"allocations.csv"}
	for i, in := range run.Inputs {
		if early != nil {
			// Written as it was read, under a name of its place in the
			// run: its name depends on the other inputs read.
			stage.Rename(early.name(i), names[i])
			written = append(written, names[i])
			continue
		}
		r.Writing("writing " + names[i])
		if err := export.Annotatable(in.Book); err != nil {
			return written, err // named by its input, not the output
		}
		work, err := stage.WorkDir()
		if err != nil {
			return written, err
		}
		err = stage.Write(names[i], func(w io.Writer) error { return export.WriteAnnotated(w, work, run, in) })
		if err != nil {
			return written, err
		}
		written = append(written, names[i])
	}
	if err := stage.Write("summary.csv", func(w io.Writer) error { return export.WriteSummary(w, run) }); err != nil {
		return written, err
	}
	written = append(written, "summary.csv")
	if len(run.Staffing) > 0 {
		var posts *postsSink
		if early != nil {
			posts = early.posts
		}
		more, err := writeStaffOutputs(stage, run, r, posts)
		written = append(written, more...)
		if err != nil {
			return written, err
		}
	}
	written = append(written, "run.json")
	if err := stage.Write("run.json", func(w io.Writer) error { return export.WriteManifest(w, run, written) }); err != nil {
		return written[:len(written)-1], err
	}
	return written, nil
}

// makeDir makes dir if it is missing, and says whether it did.
func makeDir(dir string) (bool, error) {
	if _, err := os.Stat(dir); err == nil {
		return false, nil
	}
	return true, os.MkdirAll(dir, 0o755)
}

// A MakeDirError is an output folder that could not be made.
type MakeDirError struct {
	Dir string
	Err error
}

func (e *MakeDirError) Error() string {
	return fmt.Sprintf("--out %s: cannot make the folder: %v", e.Dir, e.Err)
}

func (e *MakeDirError) Unwrap() error { return e.Err }
