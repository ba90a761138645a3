package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// CSVData is a CSV file as read: how it was encoded and its records.
type CSVData struct {
	Encoding  string // "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Windows-1252"
	Delimiter rune
	// SkipFirst is set when the first line is Excel's "sep=;".
	SkipFirst bool
	// Records and Rows are filled only by parseCSV (framework tables):
	// each record, and its row as a spreadsheet opening the file numbers
	// it (blank lines are empty rows, a quoted line break stays in its
	// row). Budgets stream instead (EachCSVRecord).
	Records [][]string
	Rows    []int
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
			data = data[:len(data)-1] // cut short by the sample
		}
		text, err := io.ReadAll(sheetxml.UTF16Reader(bytes.NewReader(data), !le))
		enc := "UTF-16BE"
		if le {
			enc = "UTF-16LE"
		}
		return string(text), enc, err
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
		r := newCSVReader(strings.NewReader(text), byte(d))
		widths := map[int]int{}
		for i := 0; i < 50; i++ {
			rec, err := r.read()
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

// csvHead is how much of a CSV file is looked at to tell its encoding and
// delimiter.
const csvHead = 1 << 20

// sniffCSV tells a CSV file's encoding and delimiter from its first bytes.
func sniffCSV(head []byte) (*CSVData, error) {
	// Cut at a line end ("\n" or an old Mac "\r"), and drop a character
	// the cut left incomplete, so the sample is not misread as not UTF-8.
	if len(head) == csvHead {
		if i := bytes.LastIndexAny(head, "\r\n"); i > 0 {
			head = head[:i+1]
		}
		head = head[:len(head)-incompleteTail(head)]
	}
	text, enc, err := decodeText(head)
	if err != nil {
		return nil, err
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	delim, skipFirst := sniffDelimiter(text)
	return &CSVData{Encoding: enc, Delimiter: delim, SkipFirst: skipFirst}, nil
}

// decoder turns a CSV file's bytes into UTF-8 text with "\n" line ends, by
// its encoding.
func (d *CSVData) decoder(r io.Reader) io.Reader {
	switch d.Encoding {
	case "UTF-8 with BOM":
		io.CopyN(io.Discard, r, 3) // the byte order mark
	case "UTF-16LE", "UTF-16BE":
		io.CopyN(io.Discard, r, 2) // the byte order mark
		r = sheetxml.UTF16Reader(r, d.Encoding == "UTF-16BE")
	case "Windows-1252":
		r = charmap.Windows1252.NewDecoder().Reader(r)
	}
	return &lineEnds{r: bufio.NewReaderSize(r, 1<<16)}
}

// lineEnds turns "\r\n" and a lone "\r" (old Mac files) into "\n".
type lineEnds struct {
	r *bufio.Reader
}

func (l *lineEnds) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if b == '\r' {
			if next, err := l.r.Peek(1); err == nil && next[0] == '\n' {
				l.r.ReadByte()
			}
			b = '\n'
		}
		p[n] = b
		n++
	}
	return n, nil
}

// csvRecords reads a CSV file's records one at a time, numbering them as a
// spreadsheet opening the file numbers its rows: blank lines are empty
// rows, and a quoted line break stays in its row.
type csvRecords struct {
	r            *csvReader
	d            *CSVData
	row, endLine int // the previous record's row and last line
}

func newCSVRecords(d *CSVData, text io.Reader) (*csvRecords, error) {
	if d.Delimiter <= 0 || d.Delimiter >= utf8.RuneSelf || d.Delimiter == '"' || d.Delimiter == '\n' || d.Delimiter == '\r' {
		return nil, fmt.Errorf("its first line, sep=%c, names a separator that cannot be used", d.Delimiter)
	}
	c := &csvRecords{d: d, r: newCSVReader(text, byte(d.Delimiter))}
	if d.SkipFirst {
		if _, err := c.r.readLine(); err != nil && err != io.EOF {
			return nil, err
		}
		c.row, c.endLine = 1, 1
	}
	return c, nil
}

// next returns the next record and its row; io.EOF at the end. An error
// names the file.
func (c *csvRecords) next(path string) ([]string, int, error) {
	rec, row, err := c.nextRecord()
	if err != nil && err != io.EOF {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return rec, row, err
}

// nextRecord is next, with errors that do not name the file (the caller
// does).
func (c *csvRecords) nextRecord() ([]string, int, error) {
	rec, err := c.r.read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		var le *csvLineError
		if errors.As(err, &le) {
			return nil, 0, fmt.Errorf("line %d: %s", le.Line, le.Msg)
		}
		return nil, 0, err
	}
	c.row += 1 + max(0, c.r.startLine-c.endLine-1) // blank lines in between are empty rows
	c.endLine = c.r.endLine
	if len(rec) > sheetxml.MaxColumns {
		return nil, 0, csvColumnsError(c.row, len(rec))
	}
	return rec, c.row, nil
}

// strayQuotes is the warning for quotes read as characters, if there were
// any.
func (c *csvRecords) strayQuotes(path string) string {
	r := c.r
	if len(r.strays) == 0 {
		return ""
	}
	lines := make([]string, len(r.strays))
	for i, l := range r.strays {
		lines[i] = fmt.Sprint(l)
	}
	which := "line " + lines[0]
	if len(lines) > 1 {
		which = "lines " + strings.Join(lines, ", ")
	}
	if more := r.strayCount - len(r.strays); more > 0 {
		which += fmt.Sprintf(" and %d more", more)
	}
	return fmt.Sprintf("%s: %s: a quote that does not end its field was read as a character, as Excel reads it (for example %s); check those descriptions", path, which, r.strayExample)
}

// csvLineError is a CSV file that cannot be split into fields, at a line.
type csvLineError struct {
	Line int
	Msg  string
}

func (e *csvLineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// csvReader splits CSV text (UTF-8 with "\n" line ends) into records the
// way a spreadsheet opening the file does (RFC 4180, leniently):
//
//   - A field that starts with a quote is quoted: it runs to the next
//     quote that is followed by the delimiter or the end of the line (or
//     by spaces, then one of those), may hold delimiters and line breaks,
//     and "" in it is one quote.
//   - A quote anywhere else in a field is an ordinary character. So is a
//     quote inside a quoted field that is followed by anything else
//     ("Boiler 24" replacement,100 is the field `Boiler 24" replacement`
//     and then 100): the field continues to the next delimiter, unquoted,
//     and the line is noted for a warning.
//   - A quoted field that reaches the end of the file unclosed, or whose
//     only closing quote on a later line is not where a field ends, would
//     swallow the lines after it: it is an error naming the line the field
//     starts on, so no line is ever silently lost.
//   - Empty lines are skipped (they are still counted as lines).
type csvReader struct {
	r     *bufio.Reader
	delim byte
	line  int // lines read so far
	long  []byte

	buf  []byte // the current record's fields, end to end
	ends []int  // where each field ends in buf

	startLine, endLine int // the last record's first and last lines

	strays       []int // lines with a stray quote (the first few)
	strayCount   int
	strayExample string
}

const maxStrayLines = 5

func newCSVReader(r io.Reader, delim byte) *csvReader {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 1<<16 {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	return &csvReader{r: br, delim: delim}
}

// readLine returns the next line, "\n" included (none at the end of the
// file); io.EOF when there is none. The line is valid until the next call.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.long = append(c.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = c.r.ReadSlice('\n')
			c.long = append(c.long, line...)
		}
		line = c.long
	}
	if len(line) > 0 {
		c.line++
		if err == io.EOF {
			err = nil
		}
	}
	return line, err
}

// read returns the next record; io.EOF at the end. The fields share one
// string.
func (c *csvReader) read() ([]string, error) {
	var line []byte
	var err error
	for {
		line, err = c.readLine()
		if err != nil {
			return nil, err
		}
		if len(line) > 1 || line[0] != '\n' {
			break
		}
	}
	c.startLine = c.line
	c.buf, c.ends = c.buf[:0], c.ends[:0]
	delim := c.delim
	for {
		if len(line) > 0 && line[0] == '"' {
			if line, err = c.quoted(line[1:]); err != nil {
				return nil, err
			}
		} else {
			k := bytes.IndexByte(line, delim)
			if k < 0 {
				k = len(line)
				if k > 0 && line[k-1] == '\n' {
					k--
				}
			}
			c.buf = append(c.buf, line[:k]...)
			line = line[k:]
		}
		c.ends = append(c.ends, len(c.buf))
		if len(line) > 0 && line[0] == delim {
			line = line[1:]
			continue
		}
		break
	}
	c.endLine = c.line
	str := string(c.buf)
	rec := make([]string, len(c.ends))
	prev := 0
	for i, e := range c.ends {
		rec[i] = str[prev:e]
		prev = e
	}
	return rec, nil
}

// quoted reads a quoted field from just after its opening quote, and
// returns the rest of its (last) line, from the delimiter or line end
// after it.
func (c *csvReader) quoted(line []byte) ([]byte, error) {
	start := c.line
	fieldStart := len(c.buf)
	for {
		i := bytes.IndexByte(line, '"')
		if i < 0 {
			c.buf = append(c.buf, line...)
			next, err := c.readLine()
			if err == io.EOF {
				return nil, &csvLineError{start, "a quote opens a field here that is never closed, so every line after it would be read as part of it; remove the quote or close it"}
			}
			if err != nil {
				return nil, err
			}
			line = next
			continue
		}
		c.buf = append(c.buf, line[:i]...)
		line = line[i+1:]
		if len(line) > 0 && line[0] == '"' {
			c.buf = append(c.buf, '"')
			line = line[1:]
			continue
		}
		j := 0
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') && line[j] != c.delim {
			j++
		}
		if j == len(line) || line[j] == c.delim || line[j] == '\n' {
			return line[j:], nil // the closing quote
		}
		// A quote that does not end the field: a character.
		if c.line != start {
			return nil, &csvLineError{start, fmt.Sprintf("a quote opens a field here that is not closed where a field ends until line %d, so the lines in between would be read as part of it; remove the quote or close it", c.line)}
		}
		c.buf = append(c.buf, '"')
		k := bytes.IndexByte(line, c.delim)
		if k < 0 {
			k = len(line)
			if k > 0 && line[k-1] == '\n' {
				k--
			}
		}
		c.buf = append(c.buf, line[:k]...)
		c.strayCount++
		if len(c.strays) < maxStrayLines {
			c.strays = append(c.strays, c.line)
		}
		if c.strayExample == "" {
			c.strayExample = fmt.Sprintf("%q", c.buf[fieldStart:])
		}
		return line[k:], nil
	}
}

// parseCSV decodes and splits CSV bytes into records (framework tables;
// budgets stream, see EachCSVRecord), refusing a file with more than
// maxFrameworkRows records after its header before it reads them all.
func parseCSV(path string, data []byte) (*CSVData, error) {
	d, err := sniffCSV(data[:min(len(data), csvHead)])
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	recs, err := newCSVRecords(d, d.decoder(bytes.NewReader(data)))
	if err != nil {
		return nil, err
	}
	for {
		rec, row, err := recs.next(path)
		if err == io.EOF {
			return d, nil
		}
		if err != nil {
			return nil, err
		}
		if len(d.Records) > maxFrameworkRows {
			return nil, fmt.Errorf("%s: more than %d rows (at row %d): a framework table may have at most %d", path, maxFrameworkRows, row, maxFrameworkRows)
		}
		d.Records = append(d.Records, rec)
		d.Rows = append(d.Rows, row)
	}
}

// EachCSVRecord streams a CSV budget's records, as read before, to fn: the
// annotated workbook writes them out without holding the file.
//
// sum is the file's SHA-256 when it was first read: a file saved again in
// between is refused, since its rows would no longer be the lines counted.
func EachCSVRecord(path, sum string, d *CSVData, fn func(row int, rec []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	recs, err := newCSVRecords(d, d.decoder(bufio.NewReaderSize(io.TeeReader(f, h), 1<<16)))
	if err != nil {
		return err
	}
	for {
		rec, row, err := recs.next(path)
		if err == io.EOF {
			io.Copy(h, f) // whatever the reader had not reached
			if hex.EncodeToString(h.Sum(nil)) != sum {
				return fmt.Errorf("%s changed while it was being read; run again", path)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(row, rec); err != nil {
			return err
		}
	}
}

func readCSV(book *Book, opt Options, visit Visit) error {
	f, err := os.Open(book.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, csvHead)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return fmt.Errorf("%s: %w", book.Path, err)
	}
	d, err := sniffCSV(head[:n])
	if err != nil {
		return fmt.Errorf("%s: %v", book.Path, err)
	}
	if (d.Encoding == "UTF-8" || d.Encoding == "UTF-8 with BOM") && n == csvHead {
		// The first MiB was UTF-8; the rest must be too, or it is all
		// Windows-1252 (a "£" far down a ledger export).
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		valid, err := validUTF8(f)
		if err != nil {
			return fmt.Errorf("%s: %w", book.Path, err)
		}
		switch {
		case !valid && d.Encoding == "UTF-8 with BOM":
			return fmt.Errorf("%s: it starts with a UTF-8 byte order mark but is not all valid UTF-8; save it again as CSV UTF-8", book.Path)
		case !valid:
			d.Encoding = "Windows-1252"
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	counted := &countingReader{r: f}
	recs, err := newCSVRecords(d, d.decoder(bufio.NewReaderSize(counted, 1<<16)))
	if err != nil {
		return err
	}
	book.CSV = d
	rows := &csvRows{recs: recs}
	opt.Progress.watch(func() (int64, int64) { return counted.n.Load(), book.Size })
	t, errs, err := readTable(Source{File: book.Path}, rows, tableOptions{
		HeaderRow: opt.HeaderRow, AmountColumn: opt.AmountColumn, KeepGoing: opt.KeepGoing, visit: visit, progress: opt.Progress,
		noTable: func(reason string) { book.noTable = append(book.noTable, reason) },
	})
	if err != nil {
		return fmt.Errorf("%s: %w", book.Path, err)
	}
	if len(errs) > 0 {
		return &InputError{File: book.Path, Cells: errs}
	}
	if t != nil {
		if w := recs.strayQuotes(book.Path); w != "" {
			t.Warnings = append(t.Warnings, w)
		}
		book.Tables = append(book.Tables, t)
	}
	book.finishTables()
	return nil
}

// incompleteTail is how many bytes at the end of b are a UTF-8 character
// cut short (0 when b ends whole).
func incompleteTail(b []byte) int {
	cut := 0
	for cut < 3 && cut < len(b) && !utf8.RuneStart(b[len(b)-1-cut]) {
		cut++
	}
	if cut < len(b) && !utf8.FullRune(b[len(b)-1-cut:]) {
		return cut + 1
	}
	return 0
}

// validUTF8 reports whether everything r holds is valid UTF-8, reading it
// in chunks.
func validUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, 1<<20)
	carry := 0 // bytes of a character cut by the previous chunk
	for {
		n, err := io.ReadFull(r, buf[carry:])
		chunk := buf[:carry+n]
		end := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !end {
			return false, err
		}
		cut := 0
		if !end {
			cut = incompleteTail(chunk) // kept back for the next chunk
		}
		if !utf8.Valid(chunk[:len(chunk)-cut]) {
			return false, nil
		}
		if end {
			return true, nil
		}
		carry = copy(buf, chunk[len(chunk)-cut:])
	}
}

// countingReader counts the bytes read through it, for progress reports.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// csvRows serves a CSV file's records as rows. Its errors do not name
// the file: readCSV does.
type csvRows struct {
	recs *csvRecords
	row  rowCells
	err  error
}

func (r *csvRows) Next() bool {
	for {
		rec, row, err := r.recs.nextRecord()
		if err != nil {
			if err != io.EOF {
				r.err = err
			}
			return false
		}
		r.row = rowCells{Row: row, Cells: r.row.Cells[:0], LastCol: len(rec)}
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
func (r *csvRows) Err() error    { return r.err }
func (r *csvRows) Close() error  { return nil }
