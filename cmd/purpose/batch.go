package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/pipeline"
	"github.com/purpose-hq/purpose/ingest"
)

// batchConfig is what the batch command is told.
type batchConfig struct {
	inbox, outbox, framework, moveDone, logFormat, settings string
	staffing, sheets                                        []string
	headerRow                                               int
	amountColumn                                            string
	keepGoing, watch                                        bool
	interval, settle                                        time.Duration
}

// batchExit is how a batch ends when it is not all done: 1 some jobs
// failed (or it was interrupted), 2 it could not run.
type batchExit struct {
	code int
	msg  string
}

func (e batchExit) Error() string { return e.msg }
func (e batchExit) exitCode() int { return e.code }

func cannotRun(format string, a ...any) error {
	return batchExit{2, "batch: " + fmt.Sprintf(format, a...)}
}

func parseBatchFlags(args []string, stdout io.Writer) (*batchConfig, error) {
	c := &batchConfig{}
	fs := pflag.NewFlagSet("batch", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.inbox, "inbox", "", "the folder the budgets are dropped into")
	fs.StringVar(&c.outbox, "outbox", "", "the folder the outputs go to (made if missing)")
	fs.StringVarP(&c.framework, "framework", "f", "", "outcomes framework (default: the built-in one)")
	fs.StringArrayVar(&c.staffing, "staffing", nil, "a staffing establishment for every job (repeat for several)")
	fs.StringSliceVar(&c.sheets, "sheet", nil, "read only this sheet (repeat for several)")
	fs.IntVar(&c.headerRow, "header-row", 0, "the header is on this row (1-based), instead of detecting it")
	fs.StringVar(&c.amountColumn, "amount-column", "", "the amount column, by header text or letter")
	fs.BoolVar(&c.keepGoing, "keep-going", false, "list unreadable amounts for review instead of failing the job")
	fs.StringVar(&c.settings, "settings", "", "per-file settings (default: purpose-settings.csv in the inbox, if there)")
	fs.BoolVar(&c.watch, "watch", false, "keep running, looking at the inbox every --interval")
	fs.DurationVar(&c.interval, "interval", time.Minute, "with --watch, how often to look")
	fs.StringVar(&c.moveDone, "move-done", "", "move each input into this folder once its outputs are complete")
	fs.DurationVar(&c.settle, "settle", 5*time.Second, "a file changed this recently is still being copied, and waits for the next run")
	fs.StringVar(&c.logFormat, "log-format", "text", "text or json: one line per job on stderr")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return nil, usageError{fmt.Sprintf("batch: %v (see 'purpose help batch')", err)}
	}
	if *help {
		fmt.Fprint(stdout, commandHelp["batch"])
		return nil, nil
	}
	switch {
	case c.inbox == "" || c.outbox == "":
		return nil, usageError{"batch: give --inbox and --outbox (see 'purpose help batch')"}
	case fs.NArg() > 0:
		return nil, usageError{fmt.Sprintf("batch: unexpected %q: the inputs are the files in --inbox", fs.Arg(0))}
	case c.logFormat != "text" && c.logFormat != "json":
		return nil, usageError{fmt.Sprintf("batch: --log-format %s: give text or json", c.logFormat)}
	case c.headerRow < 0:
		return nil, usageError{"batch: --header-row must be a row number, 1 or more"}
	case c.interval < time.Second:
		return nil, usageError{"batch: --interval must be a second or more"}
	case c.settle < 0:
		return nil, usageError{"batch: --settle cannot be negative"}
	}
	return c, nil
}

// jobRecord is a job's line in the log and in batch.json.
type jobRecord struct {
	Time     string   `json:"time"`
	Job      string   `json:"job"`
	Status   string   `json:"status"` // done, failed, unchanged, skipped, interrupted
	Inputs   []string `json:"inputs,omitempty"`
	Output   string   `json:"output,omitempty"`
	Errors   string   `json:"errors,omitempty"`
	Moved    string   `json:"moved_to,omitempty"`
	Lines    int      `json:"lines,omitempty"`
	Seconds  float64  `json:"seconds"`
	Settings string   `json:"settings,omitempty"`
	Message  string   `json:"message,omitempty"`
}

// batchSummary is batch.json: one pass over the inbox.
type batchSummary struct {
	Tool      string         `json:"tool"`
	Version   string         `json:"version"`
	Started   string         `json:"started"`
	Finished  string         `json:"finished"`
	Inbox     string         `json:"inbox"`
	Outbox    string         `json:"outbox"`
	Framework string         `json:"framework"`
	Counts    map[string]int `json:"counts"`
	Jobs      []jobRecord    `json:"jobs"`
	Ignored   []ignoredFile  `json:"ignored"`
}

// batch is a batch while it runs.
type batch struct {
	c          *batchConfig
	stderr     io.Writer
	fw         *analysis.Framework
	frameworks map[string]*analysis.Framework // by --framework or settings path
	settings   *batchSettings
	ledger     *ledger
	// mu guards frameworks and ledger: jobs run side by side.
	mu sync.Mutex
}

// batchCommand runs purpose over an inbox: each job's outputs into its
// folder in the outbox, put in place only when complete.
func batchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseBatchFlags(args, stdout)
	if err != nil || c == nil {
		return err
	}
	if info, err := os.Stat(c.inbox); err != nil || !info.IsDir() {
		return cannotRun("--inbox %s: no such folder", c.inbox)
	}
	for _, d := range []struct{ flag, dir string }{{"--outbox", c.outbox}, {"--move-done", c.moveDone}} {
		if d.dir == "" {
			continue
		}
		if info, err := os.Stat(d.dir); err == nil && !info.IsDir() {
			return cannotRun("%s %s is a file, not a folder", d.flag, d.dir)
		}
		if err := os.MkdirAll(d.dir, 0o755); err != nil {
			return cannotRun("%s %s: cannot make the folder: %s", d.flag, d.dir, plainReason(err, true))
		}
	}
	for _, s := range c.staffing {
		if info, err := os.Stat(s); err != nil || info.IsDir() {
			return cannotRun("--staffing %s: no such file", s)
		}
	}
	b := &batch{c: c, stderr: stderr, frameworks: map[string]*analysis.Framework{}}
	if b.fw, err = b.framework(c.framework); err != nil {
		return batchExit{2, plainMessage(err)}
	}
	settingsFile, optional := c.settings, c.settings == ""
	if optional {
		settingsFile = filepath.Join(c.inbox, settingsFileName)
	}
	if b.settings, err = readSettings(settingsFile, optional); err != nil {
		return batchExit{2, err.Error()}
	}
	lock, warning, err := takeLock(c.outbox)
	if err != nil {
		var held *lockHeldError
		if errors.As(err, &held) {
			return batchExit{2, "batch: " + held.Error()}
		}
		return cannotRun("--outbox %s: cannot take the lock: %s", c.outbox, plainMessage(err))
	}
	defer lock.release()
	if warning != "" {
		b.logLine("warning", warning)
	}
	if note := pipeline.CleanLeftovers(c.outbox); note != "" {
		b.logLine("note", note)
	}
	if b.ledger, err = readLedger(c.outbox); err != nil {
		return cannotRun("--outbox %s: %s cannot be read: %s", c.outbox, ledgerFileName, plainMessage(err))
	}
	for {
		failed, err := b.pass(ctx)
		if err != nil {
			return err
		}
		if !c.watch {
			if failed > 0 {
				return batchExit{1, fmt.Sprintf("batch: %s failed: see the .errors.txt files in %s", count(failed), c.outbox)}
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return nil // between jobs: nothing is left half done
		case <-time.After(c.interval):
		}
	}
}

// framework loads a framework once ("" is the built-in one).
func (b *batch) framework(path string) (*analysis.Framework, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if fw, ok := b.frameworks[path]; ok {
		return fw, nil
	}
	fw, err := pipeline.LoadFramework(path)
	if err != nil {
		return nil, err
	}
	b.frameworks[path] = fw
	return fw, nil
}

// pass does every job in the inbox once, writes batch.json, and returns
// how many failed. Its error is an interruption or a batch that cannot go
// on.
func (b *batch) pass(ctx context.Context) (int, error) {
	c := b.c
	sum := batchSummary{Tool: "purpose", Version: fullVersion(), Started: time.Now().UTC().Format(time.RFC3339),
		Inbox: c.inbox, Outbox: c.outbox, Framework: b.fw.Name, Counts: map[string]int{}, Jobs: []jobRecord{}}
	skip := append([]string{c.outbox}, c.staffing...)
	if c.moveDone != "" {
		skip = append(skip, c.moveDone)
	}
	jobs, ignored, err := findJobs(c.inbox, c.settle, skip)
	if err != nil {
		return 0, cannotRun("--inbox %s: %s", c.inbox, plainMessage(err))
	}
	sum.Ignored = ignored
	if sum.Ignored == nil {
		sum.Ignored = []ignoredFile{}
	}
	for _, ig := range ignored {
		if strings.HasPrefix(ig.Reason, "still being copied") || strings.Contains(ig.Reason, "cannot be read") {
			b.log(jobRecord{Time: now(), Job: ig.File, Status: "skipped", Message: ig.Reason})
		}
	}
	var interrupted error
	// Jobs run side by side, one a core, and are logged and listed in
	// batch.json in their order; an interrupt starts no more of them.
	recs := make([]jobRecord, len(jobs))
	done := make([]chan struct{}, len(jobs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	launched := make(chan int, len(jobs))
	go func() {
		defer close(launched)
		slots := make(chan struct{}, runtime.GOMAXPROCS(0))
		for i, j := range jobs {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if ctx.Err() != nil {
				return
			}
			launched <- i
			go func() {
				defer func() { <-slots }()
				recs[i] = b.job(ctx, j)
				close(done[i])
			}()
		}
	}()
	for i := range launched {
		<-done[i]
		rec, j := recs[i], jobs[i]
		b.log(rec)
		sum.Jobs = append(sum.Jobs, rec)
		sum.Counts[rec.Status]++
		if rec.Status == "interrupted" && interrupted == nil {
			interrupted = batchExit{1, fmt.Sprintf("batch: interrupted: %s was abandoned, with nothing of it written; run again to finish", j.Name)}
		}
	}
	sum.Finished = time.Now().UTC().Format(time.RFC3339)
	if data, err := json.MarshalIndent(sum, "", "  "); err == nil {
		if err := pipeline.WriteFileAtomic(c.outbox, "batch.json", append(data, '\n')); err != nil && interrupted == nil {
			return 0, cannotRun("--outbox %s: batch.json cannot be written: %s", c.outbox, plainMessage(err))
		}
	}
	return sum.Counts["failed"], interrupted
}

// job does one job, unless the ledger says it is unchanged.
func (b *batch) job(ctx context.Context, j batchJob) jobRecord {
	c := b.c
	start := time.Now()
	rec := jobRecord{Job: j.Name, Inputs: relative(c.inbox, slices.Concat(j.Inputs, j.Staffing))}
	finish := func(status, msg string) jobRecord {
		rec.Time, rec.Status, rec.Message = now(), status, msg
		rec.Seconds = float64(time.Since(start).Milliseconds()) / 1000
		return rec
	}
	opt := ingest.Options{Sheets: c.sheets, HeaderRow: c.headerRow, AmountColumn: c.amountColumn, KeepGoing: c.keepGoing}
	fwPath := c.framework
	var notes []string
	if row := b.settings.match(j); row != nil {
		if len(row.sheets) > 0 {
			opt.Sheets = row.sheets
		}
		if row.headerRow > 0 {
			opt.HeaderRow = row.headerRow
		}
		if row.amountColumn != "" {
			opt.AmountColumn = row.amountColumn
		}
		if row.framework != "" {
			fwPath = row.framework
		}
		rec.Settings = row.describe(b.settings.file)
		notes = append(notes, rec.Settings)
	}
	fw, err := b.framework(fwPath)
	if err != nil {
		return b.failJob(j, &rec, finish, []string{plainMessage(err)}, []error{err}, "")
	}
	settingsKey := fmt.Sprintf("%q %d %q %v %s", opt.Sheets, opt.HeaderRow, opt.AmountColumn, opt.KeepGoing, fwPath)
	key, hashes, err := jobKey(j, fw.SHA256, settingsKey, c.staffing)
	if err != nil {
		return finish("skipped", fmt.Sprintf("cannot be read now (%s); it is tried again on the next run", plainMessage(err)))
	}
	b.mu.Lock()
	e, ok := b.ledger.unchanged(c.outbox, j, key)
	b.mu.Unlock()
	if ok {
		rec.Output, rec.Errors = e.Output, e.Errors
		if e.Status == "done" {
			b.moveDone(j, &rec)
		}
		if e.Status == "failed" {
			// Still to be put right: it counts as failed until it is.
			return finish("failed", "unchanged since it failed on "+e.Finished)
		}
		return finish("unchanged", "the same as when it was done on "+e.Finished)
	}
	rep := &batchReporter{}
	out := filepath.Join(c.outbox, j.Out)
	cfg := pipeline.Config{Inputs: j.Inputs, Out: out, Framework: fw, Version: fullVersion(), Read: opt,
		Warnings: slices.Clone(fw.Warnings), Notes: notes, Staffing: slices.Concat(c.staffing, j.Staffing)}
	res, err := pipeline.Run(ctx, cfg, rep)
	if ctx.Err() != nil {
		return finish("interrupted", "abandoned, with nothing of it written; it is done on the next run")
	}
	if err == nil && res.Failed > 0 && !res.Committed {
		return b.failJob(j, &rec, finish, rep.failures, rep.errs, key)
	}
	if err != nil {
		var md *pipeline.MakeDirError
		var df *pipeline.DiskFullError
		msg := plainMessage(err)
		if errors.As(err, &md) {
			msg = fmt.Sprintf("%s: cannot make the folder: %s", md.Dir, plainReason(md.Err, true))
		}
		key := key
		if errors.As(err, &df) || errors.As(err, &md) {
			key = "" // not the input's fault: tried again next time
		}
		return b.failJob(j, &rec, finish, append(rep.failures, msg), append(rep.errs, err), key)
	}
	rec.Output = j.Out
	rec.Lines = res.Run.Overall.Overall.Lines
	os.Remove(filepath.Join(c.outbox, errorsFileName(j)))
	b.mu.Lock()
	b.ledger.Jobs[j.Name] = &ledgerEntry{Key: key, Inputs: hashes, Framework: fw.SHA256, Status: "done", Output: j.Out, Finished: now()}
	err = b.ledger.write(c.outbox)
	b.mu.Unlock()
	if err != nil {
		return finish("failed", "done, but "+ledgerFileName+" cannot be written: "+plainMessage(err))
	}
	b.moveDone(j, &rec)
	msg := ""
	if res.Failed > 0 {
		msg = fmt.Sprintf("%s of its files could not be read and were skipped (--keep-going)", count(res.Failed))
	}
	return finish("done", msg)
}

// failJob writes a failed job's errors file and, when the failure is the
// input's (key set), notes it in the ledger so that it is not tried again
// until it changes.
func (b *batch) failJob(j batchJob, rec *jobRecord, finish func(string, string) jobRecord, failures []string, errs []error, key string) jobRecord {
	name := errorsFileName(j)
	text := errorsText(j, b.c.inbox, b.c.outbox, failures, errs, time.Now())
	first := ""
	if len(failures) > 0 {
		first = strings.SplitN(failures[0], "\n", 2)[0]
	}
	if err := pipeline.WriteFileAtomic(b.c.outbox, name, []byte(text)); err != nil {
		return finish("failed", first+"; and "+name+" cannot be written: "+plainMessage(err))
	}
	rec.Errors = name
	b.mu.Lock()
	defer b.mu.Unlock()
	if key != "" {
		b.ledger.Jobs[j.Name] = &ledgerEntry{Key: key, Status: "failed", Errors: name, Finished: now()}
		b.ledger.write(b.c.outbox)
	} else {
		delete(b.ledger.Jobs, j.Name)
	}
	return finish("failed", first)
}

// moveDone moves a done job's inputs out of the inbox, with --move-done.
func (b *batch) moveDone(j batchJob, rec *jobRecord) {
	if b.c.moveDone == "" {
		return
	}
	to, err := moveDone(j.Source, b.c.moveDone)
	if err != nil {
		rec.Message = "done, but it could not be moved to " + b.c.moveDone + ": " + plainMessage(err)
		return
	}
	rec.Moved = to
}

// batchReporter keeps what a job's run says, for its log line and errors
// file; a batch prints one line a job.
type batchReporter struct {
	failures []string
	errs     []error
}

func (r *batchReporter) Note(text string) string    { return plainText(text) }
func (r *batchReporter) Warning(text string) string { return plainText(text) }
func (r *batchReporter) Failed(path string, err error) string {
	msg := plainMessage(err)
	r.failures = append(r.failures, msg)
	r.errs = append(r.errs, err)
	return msg
}
func (r *batchReporter) Reading(string, *ingest.Progress) func() { return func() {} }
func (r *batchReporter) Writing(string)                          {}

// log prints a job's line on stderr.
func (b *batch) log(r jobRecord) {
	if b.c.logFormat == "json" {
		data, _ := json.Marshal(r)
		fmt.Fprintf(b.stderr, "%s\n", data)
		return
	}
	line := fmt.Sprintf("purpose batch: %s: %s", r.Job, r.Status)
	switch {
	case r.Status == "done":
		line += fmt.Sprintf(", %s in %.1f s → %s", counted(r.Lines, "line", "lines"), r.Seconds, filepath.Join(b.c.outbox, r.Output))
	case r.Errors != "":
		line += ": see " + filepath.Join(b.c.outbox, r.Errors)
	}
	if r.Message != "" {
		line += ": " + r.Message
	}
	if r.Moved != "" {
		line += "; moved to " + r.Moved
	}
	fmt.Fprintln(b.stderr, strings.ReplaceAll(line, "\n", " "))
}

// logLine prints a warning or note about the batch itself.
func (b *batch) logLine(level, msg string) {
	if b.c.logFormat == "json" {
		data, _ := json.Marshal(map[string]string{"time": now(), "level": level, "message": msg})
		fmt.Fprintf(b.stderr, "%s\n", data)
		return
	}
	fmt.Fprintf(b.stderr, "purpose batch: %s: %s\n", level, msg)
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// relative names files by their path in the inbox.
func relative(dir string, paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
			p = filepath.ToSlash(r)
		}
		out = append(out, p)
	}
	return out
}
