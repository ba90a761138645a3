package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/export/pipeline"
	"github.com/purpose-hq/purpose/ingest"
)

// ledgerFileName is the batch's record in the outbox of what it has done.
const ledgerFileName = "ledger.json"

// A ledger records, for each job, the content of its inputs and framework
// (SHA-256) and what came of them, so that an unchanged job is not done
// again and a changed one (a new version of a file, another framework or
// settings) is.
type ledger struct {
	Tool string                  `json:"tool"`
	Jobs map[string]*ledgerEntry `json:"jobs"`
}

type ledgerEntry struct {
	Key       string            `json:"key"` // SHA-256 of all below and the settings
	Inputs    map[string]string `json:"inputs"`
	Framework string            `json:"framework_sha256"`
	Status    string            `json:"status"` // done or failed
	Output    string            `json:"output,omitempty"`
	Errors    string            `json:"errors,omitempty"`
	Finished  string            `json:"finished"`
}

func readLedger(outbox string) (*ledger, error) {
	l := &ledger{Tool: "purpose", Jobs: map[string]*ledgerEntry{}}
	b, err := os.ReadFile(filepath.Join(outbox, ledgerFileName))
	if os.IsNotExist(err) {
		return l, nil
	} else if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, l); err != nil || l.Jobs == nil {
		// A damaged ledger costs a redo, not the batch.
		return &ledger{Tool: "purpose", Jobs: map[string]*ledgerEntry{}}, nil
	}
	return l, nil
}

func (l *ledger) write(outbox string) error {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	return pipeline.WriteFileAtomic(outbox, ledgerFileName, append(b, '\n'))
}

// jobKey hashes what a job's outputs depend on: its files' content (by
// their names in the job), the framework's, and the settings it is read
// with.
func jobKey(j batchJob, frameworkSHA string, settings string, staffing []string) (string, map[string]string, error) {
	inputs := map[string]string{}
	for _, p := range slices.Concat(j.Inputs, j.Staffing, staffing) {
		sum, err := ingest.FileSHA256(p)
		if err != nil {
			return "", nil, err
		}
		name := filepath.Base(p)
		if j.Folder && !slices.Contains(staffing, p) {
			name = filepath.Base(j.Source) + "/" + name
		}
		inputs[name] = sum
	}
	h := sha256.New()
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(h, "input %q %s\n", n, inputs[n])
	}
	fmt.Fprintf(h, "framework %s\nsettings %s\n", frameworkSHA, strings.TrimSpace(settings))
	return hex.EncodeToString(h.Sum(nil)), inputs, nil
}

// unchanged says whether a job with this key was done (or failed on its
// inputs) before and its outputs (or errors file) are still there.
func (l *ledger) unchanged(outbox string, j batchJob, key string) (*ledgerEntry, bool) {
	e := l.Jobs[j.Name]
	if e == nil || e.Key != key {
		return e, false
	}
	switch e.Status {
	case "done":
		_, err := os.Stat(filepath.Join(outbox, e.Output, "run.json"))
		return e, err == nil
	case "failed":
		_, err := os.Stat(filepath.Join(outbox, e.Errors))
		return e, err == nil
	}
	return e, false
}
