package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Record is one row of a framework table, fields keyed by normalised header
// ("business_unit"), with where it came from.
type Record struct {
	Source Source
	Fields map[string]string
}

// Get returns a field's trimmed value.
func (r Record) Get(name string) string { return strings.TrimSpace(r.Fields[name]) }

// FrameworkTables are the two tables of an outcomes framework, as read and
// not yet interpreted (that is analysis's job).
type FrameworkTables struct {
	Name     string // where it came from: a path, or "default"
	SHA256   string // of the bytes read, so a run records which version it used
	Outcomes []Record
	Rules    []Record
}

// ReadFramework reads a framework from a folder holding outcomes.csv and
// rules.csv, or from a workbook with sheets "Outcomes" and "Rules".
func ReadFramework(p string) (*FrameworkTables, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("framework: %w", err)
	}
	if info.IsDir() {
		ft, err := ReadFrameworkFS(os.DirFS(p), ".")
		if err != nil {
			return nil, err
		}
		ft.Name = p
		for i := range ft.Outcomes {
			ft.Outcomes[i].Source.File = filepath.Join(p, ft.Outcomes[i].Source.File)
		}
		for i := range ft.Rules {
			ft.Rules[i].Source.File = filepath.Join(p, ft.Rules[i].Source.File)
		}
		return ft, nil
	}
	ext := strings.ToLower(filepath.Ext(p))
	if ext != ".xlsx" && ext != ".xlsm" {
		return nil, fmt.Errorf("framework: %s: give a folder with outcomes.csv and rules.csv, or a workbook with sheets Outcomes and Rules", p)
	}
	sum, err := FileSHA256(p)
	if err != nil {
		return nil, err
	}
	f, err := OpenWorkbook(p)
	if err != nil {
		return nil, fmt.Errorf("framework: %w", err)
	}
	defer f.Close()
	ft := &FrameworkTables{Name: p, SHA256: sum}
	for _, t := range []struct {
		sheet string
		into  *[]Record
	}{{"Outcomes", &ft.Outcomes}, {"Rules", &ft.Rules}} {
		sheet := findSheet(f.GetSheetList(), t.sheet)
		if sheet == "" {
			return nil, fmt.Errorf("framework: %s: there is no sheet %q (sheets: %s)", p, t.sheet, quoteList(f.GetSheetList()))
		}
		// Formatted values, so a share typed as 60% reads as "60%".
		rows, err := f.GetRows(sheet)
		if err != nil {
			return nil, fmt.Errorf("framework: %s: sheet %q: %w", p, sheet, err)
		}
		*t.into = tableRecords(Source{File: p, Sheet: sheet}, rows, nil)
	}
	return ft, nil
}

func findSheet(sheets []string, want string) string {
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), want) {
			return s
		}
	}
	return ""
}

// ReadFrameworkFS reads outcomes.csv and rules.csv from dir in fsys (the
// embedded default framework comes this way).
func ReadFrameworkFS(fsys fs.FS, dir string) (*FrameworkTables, error) {
	ft := &FrameworkTables{Name: dir}
	h := sha256.New()
	for _, t := range []struct {
		file string
		into *[]Record
	}{{"outcomes.csv", &ft.Outcomes}, {"rules.csv", &ft.Rules}} {
		data, err := fs.ReadFile(fsys, path.Join(dir, t.file))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("framework: %s: there is no %s", dir, t.file)
		}
		if err != nil {
			return nil, fmt.Errorf("framework: %w", err)
		}
		h.Write(data)
		d, err := parseCSV(t.file, data)
		if err != nil {
			return nil, fmt.Errorf("framework: %w", err)
		}
		*t.into = tableRecords(Source{File: t.file}, d.Records, d.Rows)
	}
	ft.SHA256 = hex.EncodeToString(h.Sum(nil))
	return ft, nil
}

// tableRecords turns rows (the first non-blank one the header) into records.
// rowNumbers gives each row's number; nil means they are rows 1, 2, ….
func tableRecords(src Source, rows [][]string, rowNumbers []int) []Record {
	var header []string
	var out []Record
	for i, row := range rows {
		blank := true
		for _, v := range row {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		if header == nil {
			for _, v := range row {
				header = append(header, strings.ReplaceAll(normaliseHeader(v), " ", "_"))
			}
			continue
		}
		n := i + 1
		if rowNumbers != nil {
			n = rowNumbers[i]
		}
		rec := Record{Source: Source{File: src.File, Sheet: src.Sheet, Row: n}, Fields: map[string]string{}}
		for j, v := range row {
			if j < len(header) && header[j] != "" {
				rec.Fields[header[j]] = v
			}
		}
		out = append(out, rec)
	}
	return out
}

// ReadFrameworkDefault wraps ReadFrameworkFS for the embedded framework so
// its records name it as such.
func ReadFrameworkDefault(fsys fs.FS, dir string) (*FrameworkTables, error) {
	ft, err := ReadFrameworkFS(fsys, dir)
	if err != nil {
		return nil, err
	}
	ft.Name = "default"
	for i := range ft.Outcomes {
		ft.Outcomes[i].Source.File = "default framework " + ft.Outcomes[i].Source.File
	}
	for i := range ft.Rules {
		ft.Rules[i].Source.File = "default framework " + ft.Rules[i].Source.File
	}
	return ft, nil
}
