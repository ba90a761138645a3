package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// batchSettings are the per-file settings of an inbox: a CSV file
// (purpose-settings.csv in the inbox, or --settings FILE) with the header
// pattern,sheet,header_row,amount_column,framework
// and a row per file-name pattern (* and ? as in a file name, matched
// regardless of case against a file's name or a sub-folder's); the first
// row that matches a job gives its settings, and a blank cell leaves the
// command line's. sheet may list several sheets separated by ";"; a
// framework's relative path is read from the settings file's folder.
type batchSettings struct {
	file string
	rows []settingsRow
}

type settingsRow struct {
	line         int // in the file, for run.json and messages
	pattern      string
	sheets       []string
	headerRow    int
	amountColumn string
	framework    string
}

var settingsHeader = []string{"pattern", "sheet", "header_row", "amount_column", "framework"}

// readSettings reads a settings file; a missing optional one is no
// settings.
func readSettings(file string, optional bool) (*batchSettings, error) {
	f, err := os.Open(file)
	if optional && errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("settings %s: %s", file, plainReason(err, false))
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	s := &batchSettings{file: file}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("settings %s: %v", file, err)
		}
		if line == 1 {
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			}
			for i, h := range rec {
				if i >= len(settingsHeader) || !strings.EqualFold(strings.TrimSpace(h), settingsHeader[i]) {
					return nil, fmt.Errorf("settings %s: row 1: the header must be %s", file, strings.Join(settingsHeader, ","))
				}
			}
			if len(rec) < 2 {
				return nil, fmt.Errorf("settings %s: row 1: the header must be %s", file, strings.Join(settingsHeader, ","))
			}
			continue
		}
		cell := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" || strings.HasPrefix(cell(0), "#") {
			continue
		}
		row := settingsRow{line: line, pattern: strings.TrimSuffix(cell(0), "/"), amountColumn: cell(3), framework: cell(4)}
		if _, err := path.Match(strings.ToLower(row.pattern), ""); err != nil || row.pattern == "" {
			return nil, fmt.Errorf("settings %s: row %d: pattern %q is not a file-name pattern (use * and ?, as budget-*.xlsx)", file, line, cell(0))
		}
		for _, sh := range strings.Split(cell(1), ";") {
			if sh = strings.TrimSpace(sh); sh != "" {
				row.sheets = append(row.sheets, sh)
			}
		}
		if h := cell(2); h != "" {
			n, err := strconv.Atoi(h)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("settings %s: row %d: header_row %q is not a row number (1 or more)", file, line, h)
			}
			row.headerRow = n
		}
		if row.framework != "" && !filepath.IsAbs(row.framework) {
			row.framework = filepath.Join(filepath.Dir(file), row.framework)
		}
		s.rows = append(s.rows, row)
	}
	return s, nil
}

// match is the first row whose pattern matches the job, nil for none.
func (s *batchSettings) match(j batchJob) *settingsRow {
	if s == nil {
		return nil
	}
	name := strings.ToLower(filepath.Base(j.Source))
	for i := range s.rows {
		if ok, _ := path.Match(strings.ToLower(s.rows[i].pattern), name); ok {
			return &s.rows[i]
		}
	}
	return nil
}

// describe says in words what a row sets, for run.json's notes, the ledger
// key and the log.
func (r *settingsRow) describe(file string) string {
	var parts []string
	if len(r.sheets) > 0 {
		parts = append(parts, fmt.Sprintf("sheet %q", strings.Join(r.sheets, ";")))
	}
	if r.headerRow > 0 {
		parts = append(parts, fmt.Sprintf("header row %d", r.headerRow))
	}
	if r.amountColumn != "" {
		parts = append(parts, fmt.Sprintf("amount column %q", r.amountColumn))
	}
	if r.framework != "" {
		parts = append(parts, fmt.Sprintf("framework %s", r.framework))
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing changed")
	}
	return fmt.Sprintf("settings: %s row %d (pattern %q): %s", file, r.line, r.pattern, strings.Join(parts, ", "))
}
