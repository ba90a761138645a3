package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/purpose-hq/purpose/export/pipeline"
	"github.com/purpose-hq/purpose/ingest"
)

// errorsFileName is the file that explains why a job failed.
func errorsFileName(j batchJob) string { return j.Out + ".errors.txt" }

// errorsText is a failed job's errors file, for a finance officer: what
// is wrong and where (as the messages name file, sheet and cell), and
// what to do. failures are the messages, errs the errors they came from.
func errorsText(j batchJob, inbox, outbox string, failures []string, errs []error, at time.Time) string {
	var b strings.Builder
	what := "the file"
	if j.Folder {
		what = "the folder"
	}
	fmt.Fprintf(&b, "purpose could not process %s %q from the inbox %s\n", what, strings.TrimSuffix(j.Name, "/"), inbox)
	fmt.Fprintf(&b, "(checked %s).\n\n", at.Format("2 January 2006 at 15:04"))
	b.WriteString("What is wrong, and where:\n")
	for _, f := range failures {
		lines := strings.Split(strings.TrimRight(f, "\n"), "\n")
		fmt.Fprintf(&b, "  - %s\n", lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(&b, "    %s\n", strings.TrimSpace(l))
		}
	}
	b.WriteString("\nWhat to do:\n")
	for _, advice := range adviceFor(errs) {
		fmt.Fprintf(&b, "  - %s\n", advice)
	}
	fmt.Fprintf(&b, "  - Then save the corrected file into the inbox again, under the same name: the next\n    run reads it again and, once it works, removes this file. A file that has not\n    changed is not read again.\n")
	fmt.Fprintf(&b, "\nNothing was written for it this time. Outputs in %s, if there are any,\n", filepath.Join(outbox, j.Out))
	b.WriteString("are from an earlier version of it.\n")
	return b.String()
}

// adviceFor says what to do about the errors, most specific first.
func adviceFor(errs []error) []string {
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, err := range errs {
		var ie *ingest.InputError
		var df *pipeline.DiskFullError
		msg := strings.ToLower(err.Error())
		switch {
		case errors.As(err, &df):
			add("The disk of the outbox is full. Ask IT to free some space; nothing needs changing in the file.")
		case errors.As(err, &ie):
			add("Correct each cell named above: an amount must be a number (a blank or - counts as zero). If the file has its amounts in another column, say which in the inbox's purpose-settings.csv (amount_column).")
		case strings.Contains(msg, "password") || strings.Contains(msg, "encrypted"):
			add("Save the workbook without a password (File > Info > Protect Workbook in Excel).")
		case strings.Contains(msg, "no budget table") || strings.Contains(msg, "header"):
			add("Check that this is the budget as the finance system exports it, with a header row naming the amount column. If the header is on a known row, say so in the inbox's purpose-settings.csv (header_row).")
		case strings.Contains(msg, "staffing"):
			add("Correct the staffing establishment as described above (each post needs its FTE and a salary or cost).")
		}
	}
	if len(out) == 0 {
		add("Correct the file as described above.")
	}
	add("If the message is not clear, send this file and the workbook to whoever looks after purpose.")
	return out
}
