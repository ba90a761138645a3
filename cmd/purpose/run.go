package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/pflag"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export"
	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

// version is the release; a build from a git checkout adds its commit.
const version = "0.1.0"

// errReported means the failures were already printed, one by one; main
// only has to exit non-zero.
var errReported = errors.New("failures reported above")

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program, callable in-process by tests. The error it
// returns is worded for the person who ran it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return plainError(dispatch(ctx, args, stdout, stderr))
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return runCommand(ctx, rest, stdout, stderr, false)
	case "check":
		return runCommand(ctx, rest, stdout, stderr, true)
	case "version", "--version":
		fmt.Fprintln(stdout, "purpose", fullVersion())
		return nil
	case "help", "-h", "--help":
		if len(rest) > 0 {
			text, ok := commandHelp[rest[0]]
			if !ok {
				fmt.Fprint(stderr, usageText)
				return usageError{fmt.Sprintf("help: there is no command %q (commands: run, check, version, help)", rest[0])}
			}
			fmt.Fprint(stdout, text)
			return nil
		}
		fmt.Fprint(stdout, usageText)
		return nil
	}
	fmt.Fprint(stderr, usageText)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

func fullVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

// runConfig is what the run and check commands are told.
type runConfig struct {
	out          string
	framework    string
	sheets       []string
	headerRow    int
	amountColumn string
	keepGoing    bool
	quiet        bool
	inputs       []string
}

func parseRunFlags(name string, args []string, stdout, stderr io.Writer) (*runConfig, error) {
	c := &runConfig{}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if name == "run" {
		fs.StringVarP(&c.out, "out", "o", "purpose-out", "folder to write the outputs to (made if missing)")
	}
	fs.StringVarP(&c.framework, "framework", "f", "", "outcomes framework: a folder with outcomes.csv and rules.csv, or a workbook with sheets Outcomes and Rules (default: the built-in one)")
	fs.StringSliceVar(&c.sheets, "sheet", nil, "read only this sheet (repeat for several); hidden sheets are read when named")
	fs.IntVar(&c.headerRow, "header-row", 0, "the header is on this row (1-based), instead of detecting it")
	fs.StringVar(&c.amountColumn, "amount-column", "", "the amount column, by header text (\"Budget 2026/27 £\") or letter (G)")
	fs.BoolVar(&c.keepGoing, "keep-going", false, "list unreadable amounts for review instead of stopping, and skip files that cannot be read")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print no progress on stderr")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return nil, usageError{fmt.Sprintf("%s: %v (see 'purpose help %s')", name, err, name)}
	}
	if *help {
		fmt.Fprint(stdout, commandHelp[name])
		return nil, nil
	}
	if c.headerRow < 0 {
		return nil, usageError{fmt.Sprintf("%s: --header-row must be a row number, 1 or more", name)}
	}
	c.inputs = fs.Args()
	if len(c.inputs) == 0 {
		return nil, usageError{fmt.Sprintf("%s: give at least one budget file or folder (see 'purpose help %s')", name, name)}
	}
	return c, nil
}

// runCommand reads every input, maps it, and (unless checking) writes the
// outputs. Every failing input is reported; nothing is written unless all
// inputs were read (or --keep-going was given).
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer, checkOnly bool) error {
	name := map[bool]string{true: "check", false: "run"}[checkOnly]
	c, err := parseRunFlags(name, args, stdout, stderr)
	if err != nil || c == nil {
		return err
	}
	// Progress is for a person watching: shown on a terminal, never in a
	// log or a scheduled run, on one line redrawn in place and cleared
	// before anything else is printed and at the end.
	tty := !c.quiet && isTerminal(stderr)
	shown := false // a progress line is on the screen
	clearProgress := func() {
		if shown {
			fmt.Fprint(stderr, "\r\x1b[K")
			shown = false
		}
	}
	defer clearProgress()
	progress := func(format string, a ...any) {
		if tty {
			fmt.Fprintf(stderr, "\r\x1b[Kpurpose: "+format, a...)
			shown = true
		}
	}
	failed := 0
	report := func(err error) {
		clearProgress()
		failed++
		fmt.Fprintln(stderr, "purpose:", plainMessage(err))
	}
	var runRes *export.Run
	// note prints how an input was read, and keeps it for run.json.
	note := func(n string) {
		clearProgress()
		n = plainText(n)
		fmt.Fprintln(stderr, "purpose: note:", n)
		runRes.Notes = append(runRes.Notes, n)
	}
	// warn prints a warning and keeps it for run.json.
	warn := func(w string) {
		clearProgress()
		w = plainText(w)
		fmt.Fprintln(stderr, "purpose: warning:", w)
		runRes.Warnings = append(runRes.Warnings, w)
	}

	fw, err := loadFramework(c.framework)
	if err != nil {
		return err
	}
	paths, warnings, err := expandInputs(c.inputs)
	if err != nil {
		return usageError{plainMessage(err)}
	}
	if !checkOnly {
		if info, err := os.Stat(c.out); err == nil && !info.IsDir() {
			return usageError{fmt.Sprintf("--out %s is a file, not a folder", c.out)}
		}
		if err := checkOutputs(c.out, paths); err != nil {
			return err
		}
	}
	runRes = &export.Run{Version: fullVersion(), Framework: fw}
	for _, w := range append(fw.Warnings, warnings...) {
		warn(w)
	}
	if len(paths) == 0 {
		return fmt.Errorf("%s: no .xlsx, .xlsm or .csv files found in %s", name, strings.Join(c.inputs, ", "))
	}

	opt := ingest.Options{Sheets: c.sheets, HeaderRow: c.headerRow, AmountColumn: c.amountColumn, KeepGoing: c.keepGoing}
	col := export.NewCollector(fw)
	// allocations.csv is written as lines are read, into a staged file in
	// the output folder; an input that fails half way is cut off it again.
	var stage *export.Stage
	var alloc *allocSink
	if !checkOnly {
		created, err := makeDir(c.out)
		if err != nil {
			return fmt.Errorf("--out %s: cannot make the folder: %s", c.out, plainReason(err, true))
		}
		stage = export.NewStage(ctx, c.out, paths)
		defer func() {
			stage.Abort()
			if created {
				os.Remove(c.out) // only if still empty: a failed run leaves nothing
			}
		}()
		f, err := stage.Open("allocations.csv")
		if err != nil {
			return err
		}
		defer f.Close()
		alloc = newAllocSink(f)
		if err := export.WriteAllocationsHeader(alloc.bw); err != nil {
			return err
		}
	}
	seen := map[string]string{} // SHA-256 → the first input with it
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		opt.SHA256 = ""
		if sum, err := ingest.FileSHA256(p); err == nil {
			opt.SHA256 = sum // so reading does not hash the file again
			if first, ok := seen[sum]; ok {
				warn(fmt.Sprintf("%s: skipped: it is identical to %s, and counting it again would double its lines", p, first))
				continue
			}
			seen[sum] = p
		}
		var prog ingest.Progress
		opt.Progress = &prog
		stopMeter := func() {}
		if tty {
			stopMeter = meter(stderr, p, &prog)
		}
		in, err := readInput(ctx, p, opt, col, alloc)
		stopMeter()
		if err != nil {
			report(err)
			runRes.Failed = append(runRes.Failed, plainMessage(err))
			var ie *ingest.InputError
			if errors.As(err, &ie) && !c.keepGoing {
				fmt.Fprintln(stderr, "purpose: correct those cells (a blank or - is zero), or run again with --keep-going to list them on the Review sheet and leave them out of the totals")
			}
			continue
		}
		for _, n := range in.Book.Notes {
			note(n)
		}
		for _, w := range in.Book.Warnings {
			warn(w)
		}
		runRes.Inputs = append(runRes.Inputs, in)
	}
	if failed > 0 && (!c.keepGoing || len(runRes.Inputs) == 0) {
		clearProgress()
		if !checkOnly {
			fmt.Fprintf(stderr, "purpose: %s of %s inputs could not be read; nothing was written\n", count(failed), count(len(paths)))
		} else {
			fmt.Fprintf(stderr, "purpose: %s of %s inputs could not be read\n", count(failed), count(len(paths)))
		}
		return errReported
	}
	runRes.Overall = col.Overall()

	var written []string
	if !checkOnly {
		// allocations.csv goes to disk while the workbooks are written.
		closed := make(chan error, 1)
		go func() { closed <- alloc.close() }()
		// Every output is staged, and put in place only once all are
		// written; none may replace an input, read or skipped.
		written, err = export.WriteAll(stage, runRes, func(s string) { progress("%s", s) })
		if cerr := <-closed; cerr != nil && err == nil {
			err = fmt.Errorf("allocations.csv: %w", cerr)
		}
		if err != nil {
			return err
		}
		if err := stage.Commit(); err != nil { // refuses once interrupted
			return err
		}
	}
	clearProgress()
	var removed []string
	if stage != nil {
		removed = stage.Removed()
	}
	printReport(stdout, runRes, c.out, written, removed)
	if failed > 0 {
		fmt.Fprintf(stderr, "purpose: %s of %s inputs could not be read and were skipped\n", count(failed), count(len(paths)))
		return errReported
	}
	return nil
}

// readInput reads one input through the collector, its allocations.csv
// rows going to alloc (nil when checking); if it fails, they are cut off
// again and nothing of it counts.
func readInput(ctx context.Context, path string, opt ingest.Options, col *export.Collector, alloc *allocSink) (export.Input, error) {
	var w io.Writer
	var mark int64
	if alloc != nil {
		var err error
		if mark, err = alloc.mark(); err != nil {
			return export.Input{}, fmt.Errorf("allocations.csv: %w", err)
		}
		w = alloc.bw
	}
	fail := func(err error) (export.Input, error) {
		col.Discard()
		if alloc != nil {
			if rerr := alloc.rollback(mark); rerr != nil {
				return export.Input{}, fmt.Errorf("%v; and then: allocations.csv: %w", err, rerr)
			}
		}
		return export.Input{}, err
	}
	col.Begin(w)
	visit, wait := concurrently(ctx, col.Line)
	book, err := ingest.StreamBudget(path, opt, visit)
	if werr := wait(); werr != nil {
		err = werr // the collector's failure (or an interrupt) explains the reader's
	}
	if err != nil {
		return fail(err)
	}
	in, err := col.End(book)
	if err != nil {
		return fail(fmt.Errorf("allocations.csv: %w", err))
	}
	return in, nil
}

// allocSink is allocations.csv as it is written, buffered, with the
// means to cut off the rows of an input that failed.
type allocSink struct {
	f  *os.File
	sa *export.SyncAhead
	bw *bufio.Writer
}

func newAllocSink(f *os.File) *allocSink {
	sa := export.NewSyncAhead(f)
	return &allocSink{f: f, sa: sa, bw: bufio.NewWriterSize(sa, 1<<20)}
}

// mark flushes and returns where the next input's rows start.
func (a *allocSink) mark() (int64, error) {
	if err := a.bw.Flush(); err != nil {
		return 0, err
	}
	return a.f.Seek(0, io.SeekCurrent)
}

// rollback drops everything written after mark.
func (a *allocSink) rollback(mark int64) error {
	a.bw.Reset(a.sa)
	if err := a.f.Truncate(mark); err != nil {
		return err
	}
	_, err := a.f.Seek(mark, io.SeekStart)
	return err
}

func (a *allocSink) close() error {
	if err := a.bw.Flush(); err != nil {
		return err
	}
	if err := a.sa.Sync(); err != nil {
		return err
	}
	return a.f.Close()
}

// makeDir makes dir if it is missing, and says whether it did.
func makeDir(dir string) (bool, error) {
	if _, err := os.Stat(dir); err == nil {
		return false, nil
	}
	return true, os.MkdirAll(dir, 0o755)
}

// concurrently runs sink on its own goroutine, handing it lines in
// batches, so that reading the file and matching, summing and writing the
// lines use two cores. It returns the visitor for the lines; wait returns
// once everything is handed over, with the first error sink returned;
// after an error the reader is stopped at its next line.
func concurrently(ctx context.Context, sink ingest.Visit) (ingest.Visit, func() error) {
	type item struct {
		t *ingest.Table
		l ingest.CostLine
	}
	const batchSize = 512
	batches := make(chan []item, 8)
	free := make(chan []item, 10)
	for range 10 {
		free <- make([]item, 0, batchSize)
	}
	var failed atomic.Pointer[error]
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range batches {
			if failed.Load() == nil {
				for i := range b {
					if err := sink(b[i].t, &b[i].l); err != nil {
						err = fmt.Errorf("allocations.csv: %w", err)
						failed.Store(&err)
						break
					}
				}
			}
			free <- b[:0]
		}
	}()
	cur := <-free
	add := func(it item) error {
		if e := failed.Load(); e != nil {
			return *e
		}
		cur = append(cur, it)
		if len(cur) == batchSize {
			if err := ctx.Err(); err != nil {
				return err // interrupted: stop reading
			}
			batches <- cur
			cur = <-free
		}
		return nil
	}
	wait := func() error {
		if len(cur) > 0 {
			batches <- cur
		}
		close(batches)
		<-done
		if e := failed.Load(); e != nil {
			return *e
		}
		return nil
	}
	return func(t *ingest.Table, l *ingest.CostLine) error { return add(item{t: t, l: *l}) }, wait
}

// isTerminal reports whether w is a terminal (or, in tests, says it is
// one).
func isTerminal(w io.Writer) bool {
	if t, ok := w.(interface{ Terminal() bool }); ok {
		return t.Terminal()
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// meter shows, on one terminal line redrawn twice a second, how a read is
// going: lines so far, their rate, and the time left by how far through
// the sheet it is. The returned function stops it and clears the line.
func meter(w io.Writer, name string, p *ingest.Progress) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\x1b[K")
				return
			case <-tick.C:
				elapsed := time.Since(start).Seconds()
				lines := p.Lines()
				msg := fmt.Sprintf("purpose: reading %s: %s lines, %s lines/s", name, thousands(lines), thousands(int64(float64(lines)/elapsed)))
				if at, total := p.Sheet(); total > 0 && at > 0 && at < total {
					msg += fmt.Sprintf(", about %.0f s left", elapsed*float64(total-at)/float64(at))
				}
				fmt.Fprint(w, "\r\x1b[K"+msg)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func loadFramework(path string) (*analysis.Framework, error) {
	if path != "" {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("--framework %s: no such file or folder", path)
		} else if err != nil {
			return nil, fmt.Errorf("--framework %s: %w", path, err)
		}
	}
	var t *ingest.FrameworkTables
	var err error
	if path == "" {
		t, err = ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	} else {
		t, err = ingest.ReadFramework(path)
	}
	if err != nil {
		return nil, err
	}
	return analysis.NewFramework(t)
}

// inputExts are the files a folder run picks up.
var inputExts = []string{".xlsx", ".xlsm", ".csv"}

// expandInputs turns files and folders into a sorted list of files to read.
// In folders it skips Excel's lock files (~$…), hidden files, the tool's own
// outputs and files still being copied; named files are taken as given.
func expandInputs(args []string) ([]string, []string, error) {
	var files, warnings []string
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			files = append(files, p)
		}
	}
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: no such file or folder", a)
		}
		if !info.IsDir() {
			if strings.HasPrefix(filepath.Base(a), "~$") {
				return nil, nil, fmt.Errorf("%s: is an Excel lock file, not a workbook; give the workbook itself", a)
			}
			add(a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, err
		}
		var found []string
		for _, e := range entries {
			n := e.Name()
			ext := strings.ToLower(filepath.Ext(n))
			switch {
			case e.IsDir(), strings.HasPrefix(n, "~$"), strings.HasPrefix(n, "."),
				strings.Contains(strings.ToLower(n), ".annotated."), n == "allocations.csv", n == "summary.csv":
				continue
			case slices.Contains([]string{".xls", ".xlsb", ".ods", ".numbers"}, ext):
				warnings = append(warnings, fmt.Sprintf("%s: skipped: %s files cannot be read; save it as .xlsx to include it", filepath.Join(a, n), ext))
				continue
			case !slices.Contains(inputExts, ext):
				continue
			}
			found = append(found, filepath.Join(a, n))
		}
		slices.Sort(found)
		changing := stillChanging(found)
		for _, p := range found {
			if changing[p] {
				warnings = append(warnings, fmt.Sprintf("%s: skipped, it is still being written (its size or time changed while reading)", p))
				continue
			}
			add(p)
		}
	}
	return files, warnings, nil
}

// stillChanging finds the files that changed in the last moments: files
// still being copied onto a shared drive. Only recent files are watched,
// and all of them in one wait of a second.
func stillChanging(paths []string) map[string]bool {
	before := map[string]os.FileInfo{}
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && time.Since(info.ModTime()) < 3*time.Second {
			before[p] = info
		}
	}
	changing := map[string]bool{}
	if len(before) == 0 {
		return changing
	}
	time.Sleep(time.Second)
	for p, a := range before {
		b, err := os.Stat(p)
		changing[p] = err != nil || a.Size() != b.Size() || !a.ModTime().Equal(b.ModTime())
	}
	return changing
}

// checkOutputs refuses an output folder where an output would overwrite an
// input.
func checkOutputs(out string, inputs []string) error {
	outputs := append(export.OutputNames(inputs), "allocations.csv", "summary.csv", "run.json")
	for _, in := range inputs {
		inInfo, err := os.Stat(in)
		if err != nil {
			continue
		}
		for _, o := range outputs {
			if oInfo, err := os.Stat(filepath.Join(out, o)); err == nil && os.SameFile(inInfo, oInfo) {
				return fmt.Errorf("%s would be overwritten by an output; choose another --out folder", in)
			}
		}
	}
	return nil
}
