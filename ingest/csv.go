package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// CSVData is a CSV file as read: how it was encoded and its records.
type CSVData struct {
	Encoding  string // "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Windows-1252"
	Delimiter rune
	Records   [][]string
	// Rows gives each record's row as a spreadsheet opening the file numbers
	// it: blank lines are empty rows, a quoted line break stays in its row.
	Rows []int
}

// decodeText turns the bytes of a text file into UTF-8, recognising byte
// order marks, and treating text that is not valid UTF-8 as Windows-1252
// (what Excel and most UK ledgers write for "£" when they do not write
// UTF-8).
func decodeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", "", errors.New("it starts with a UTF-8 byte order mark but is not valid UTF-8")
		}
		return string(data), "UTF-8 with BOM", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		le := data[0] == 0xFF
		data = data[2:]
		if len(data)%2 != 0 {
			data = data[:len(data)-1]
		}
		u := make([]uint16, len(data)/2)
		for i := range u {
			if le {
				u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
			} else {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			}
		}
		enc := "UTF-16BE"
		if le {
			enc = "UTF-16LE"
		}
		return string(utf16.Decode(u)), enc, nil
	case utf8.Valid(data):
		return string(data), "UTF-8", nil
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", err
	}
	return string(s), "Windows-1252", nil
}

// sniffDelimiter picks comma, semicolon or tab: the one that splits the
// first records into the same number of fields (more than one) most often;
// comma wins a tie. A leading "sep=;" line, as Excel writes, decides.
func sniffDelimiter(text string) (delim rune, skipFirst bool) {
	first, _, _ := strings.Cut(text, "\n")
	first = strings.TrimSpace(first)
	if strings.HasPrefix(strings.ToLower(first), "sep=") && len(first) == 5 {
		return rune(first[4]), true
	}
	best, bestScore := ',', -1
	for _, d := range []rune{',', ';', '\t'} {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = d, -1, true
		widths := map[int]int{}
		for i := 0; i < 50; i++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if len(rec) > 1 {
				widths[len(rec)]++
			}
		}
		score := 0
		for _, n := range widths {
			score = max(score, n)
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best, false
}

// parseCSV decodes and splits a CSV file into records.
func parseCSV(path string, data []byte) (*CSVData, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	delim, skipFirst := sniffDelimiter(text)
	out := &CSVData{Encoding: enc, Delimiter: delim}
	row, endLine := 0, 0 // the previous record's row and last line
	if skipFirst {
		_, text, _ = strings.Cut(text, "\n")
		row, endLine = 1, 1
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line := pe.StartLine
				if skipFirst {
					line++
				}
				return nil, fmt.Errorf("%s: line %d: %v", path, line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		start, _ := r.FieldPos(0)
		if skipFirst {
			start++
		}
		last, _ := r.FieldPos(len(rec) - 1)
		if skipFirst {
			last++
		}
		row += 1 + max(0, start-endLine-1) // blank lines in between are empty rows
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		out.Records = append(out.Records, rec)
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

func readCSV(book *Book, opt Options, visit Visit) error {
	data, err := os.ReadFile(book.Path)
	if err != nil {
		return err
	}
	d, err := parseCSV(book.Path, data)
	if err != nil {
		return err
	}
	book.CSV = d
	rows := &csvRows{d: d, i: -1}
	opt.Progress.watch(func() (int64, int64) { return int64(rows.at.Load()), int64(len(d.Records)) })
	t, errs, err := readTable(Source{File: book.Path}, rows, tableOptions{
		HeaderRow: opt.HeaderRow, AmountColumn: opt.AmountColumn, KeepGoing: opt.KeepGoing, visit: visit, progress: opt.Progress,
	})
	if err != nil {
		return fmt.Errorf("%s: %w", book.Path, err)
	}
	if len(errs) > 0 {
		return &InputError{File: book.Path, Cells: errs}
	}
	if t != nil {
		book.Tables = append(book.Tables, t)
	}
	book.finishTables()
	return nil
}

// csvRows serves CSV records as rows, numbered as a spreadsheet opening the
// file numbers them (a quoted line break stays inside its row).
type csvRows struct {
	d   *CSVData
	i   int
	at  atomic.Int32 // i, for progress reports
	row rowCells
}

func (r *csvRows) Next() bool {
	for {
		r.i++
		r.at.Store(int32(r.i))
		if r.i >= len(r.d.Records) {
			return false
		}
		rec := r.d.Records[r.i]
		r.row = rowCells{Row: r.d.Rows[r.i], Cells: r.row.Cells[:0]}
		for j, v := range rec {
			if strings.TrimSpace(v) == "" {
				continue
			}
			r.row.Cells = append(r.row.Cells, cell{Col: j + 1, Value: v, HasValue: true})
		}
		if len(r.row.Cells) > 0 {
			return true
		}
	}
}

func (r *csvRows) Row() rowCells { return r.row }
func (r *csvRows) Err() error    { return nil }
func (r *csvRows) Close() error  { return nil }
