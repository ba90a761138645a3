package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/purpose-hq/purpose/export"
	"github.com/purpose-hq/purpose/ingest"
)

// console shows a run as it goes, on stderr: notes, warnings and failures
// in plain words (see messages.go), and, on a terminal, progress on one
// line redrawn in place, cleared before anything else is printed and at
// the end. It is the run's pipeline.Reporter.
type console struct {
	w         io.Writer
	tty       bool // progress is shown
	shown     bool // a progress line is on the screen
	keepGoing bool
	// names are the run's file and folder names, quoted in what is
	// printed where they hold characters a terminal would act on
	// (quoteNames); the inputs read are added as they are read.
	names []string
}

// clear takes the progress line off the screen.
func (c *console) clear() {
	if c.shown {
		fmt.Fprint(c.w, "\r\x1b[K")
		c.shown = false
	}
}

// Note prints how an input was read.
func (c *console) Note(n string) string {
	c.clear()
	n = plainText(quoteNames(n, c.names))
	fmt.Fprintln(c.w, "purpose: note:", n)
	return n
}

// Warning prints something a person should know.
func (c *console) Warning(w string) string {
	c.clear()
	w = plainText(quoteNames(w, c.names))
	fmt.Fprintln(c.w, "purpose: warning:", w)
	return w
}

// Failed prints why an input could not be read, and what to do about
// unreadable amounts.
func (c *console) Failed(path string, err error) string {
	c.clear()
	c.names = append(c.names, path)
	msg := plainMessage(err, c.names...)
	fmt.Fprintln(c.w, "purpose:", msg)
	var ie *ingest.InputError
	if errors.As(err, &ie) && !c.keepGoing {
		fmt.Fprintln(c.w, "purpose: correct those cells (a blank or - is zero), or run again with --keep-going to list them on the Review sheet and leave them out of the totals")
	}
	return msg
}

// Reading shows, on a terminal, how the read of path is going.
func (c *console) Reading(path string, p *ingest.Progress) func() {
	c.names = append(c.names, path)
	if !c.tty {
		return func() {}
	}
	return meter(c.w, path, p)
}

// Writing shows which output is being written.
func (c *console) Writing(what string) {
	if c.tty {
		fmt.Fprintf(c.w, "\r\x1b[Kpurpose: %s", shownName(what))
		c.shown = true
	}
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
				at, total := p.Sheet()
				fmt.Fprint(w, "\r\x1b[K"+meterLine(name, p.Lines(), time.Since(start).Seconds(), at, total))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// meterLine says how a read is going: lines so far, their rate, and the
// time left by how far through the sheet it is (at of total bytes).
func meterLine(name string, lines int64, elapsed float64, at, total int64) string {
	msg := fmt.Sprintf("purpose: reading %s: %s lines, %s lines/s", shownName(name), export.FormatCount(lines), export.FormatCount(int64(float64(lines)/elapsed)))
	if total > 0 && at > 0 && at < total {
		msg += fmt.Sprintf(", about %.0f s left", elapsed*float64(total-at)/float64(at))
	}
	return msg
}
