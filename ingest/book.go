package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// Errors for expected conditions, so callers can decide what to do.
var (
	ErrNoBudgetTable = errors.New("no budget table found")
	ErrPassword      = errors.New("the workbook is password-protected: save a copy without a password and run on that")
	ErrUnsupported   = errors.New("unsupported file type")
	ErrEmpty         = errors.New("the file is empty")
)

// Progress lets another goroutine watch a read: the lines read so far, and
// how far through the sheet being read it is.
type Progress struct {
	lines atomic.Int64
	at    atomic.Pointer[func() (done, total int64)]
}

// Lines is the number of lines read so far.
func (p *Progress) Lines() int64 { return p.lines.Load() }

// Sheet reports how far through the sheet being read the reader is, in
// bytes (or records), and out of how many (0 if unknown).
func (p *Progress) Sheet() (done, total int64) {
	if f := p.at.Load(); f != nil {
		return (*f)()
	}
	return 0, 0
}

func (p *Progress) watch(f func() (int64, int64)) {
	if p != nil {
		p.at.Store(&f)
	}
}

// Options steer reading; the zero value detects everything.
type Options struct {
	// SHA256, if set, is the file's hash, already worked out by the caller;
	// if not, it is worked out on another core as the file is read.
	SHA256 string
	// Progress, if set, is kept up to date as lines are read.
	Progress     *Progress
	Sheets       []string // read only these sheets (hidden ones included)
	HeaderRow    int      // the header is on this row (1-based)
	AmountColumn string   // header text or column letter of the amount column
	KeepGoing    bool     // unreadable amounts become flagged lines, not errors
	// Staffing, if set, is called once a workbook's staffing sheets and pay
	// scales are read (Book.Staffing, Book.PayScales), before any of its
	// lines is visited, so that its posts can apportion its pay lines as
	// they pass. An error stops the reading.
	Staffing func(*Book) error
}

// Book is one input file as read: its budget tables and everything that was
// not one.
type Book struct {
	Path    string // as given on the command line
	Format  string // "xlsx", "xlsm" or "csv"
	SHA256  string
	Size    int64
	Tables  []*Table
	Skipped []SkippedSheet
	// Staffing holds the staffing establishments found beside the budget
	// tables (a sheet of posts "for information"). They are not spend:
	// their sheets are also in Skipped, as before. PayScales is a "Pay
	// scales" sheet's rows, for posts given by grade or spinal point.
	Staffing  []*StaffTable
	PayScales []PayScaleRow
	// Warnings are things a person should know that did not stop the run.
	Warnings []string
	// Notes say how the file was read (which row is each table's header,
	// which columns were read): worth showing, nothing to act on.
	Notes []string
	// CSV holds a CSV file's records, so an annotated workbook can show them.
	CSV *CSVData
	// Decisions are an adviser's, from the Review sheet of a workbook
	// purpose annotated before.
	Decisions []Decision
	// lines holds the lines ReadBudget collected; StreamBudget keeps none.
	lines []CostLine
	// periodSheets are the tables' sheets named for months or periods, and
	// otherSheets the rest, when a workbook has such sheets.
	periodSheets, otherSheets []string
	// noTable says, for each sheet without a budget table, why not.
	noTable []string
}

// SkippedSheet is a sheet that held no budget table, and why.
type SkippedSheet struct {
	Name   string
	Reason string
}

// Lines returns every cost line ReadBudget read, table by table (nil for a
// book read by StreamBudget, which hands lines on instead of keeping them).
func (b *Book) Lines() []CostLine { return b.lines }

// InputError is a file with cells that could not be read. Every bad cell is
// listed, so a finance officer can fix them all in one go.
type InputError struct {
	File  string
	Cells []CellError
}

const maxListedCells = 25

func (e *InputError) Error() string {
	var b strings.Builder
	for i, c := range e.Cells {
		if i == maxListedCells {
			fmt.Fprintf(&b, "\n  … and %d more cells", len(e.Cells)-i)
			break
		}
		if i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(c.Error())
	}
	if len(e.Cells) > 1 {
		return fmt.Sprintf("%s: %d cells could not be read:\n  %s", e.File, len(e.Cells), b.String())
	}
	return b.String()
}

// ReadBudget reads the budget tables of one .xlsx, .xlsm or .csv file and
// keeps their lines (Book.Lines). For files of any size, use StreamBudget.
func ReadBudget(path string, opt Options) (*Book, error) {
	var lines []CostLine
	b, err := StreamBudget(path, opt, func(_ *Table, l *CostLine) error {
		lines = append(lines, *l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	b.lines = lines
	return b, nil
}

// Visit receives each cost line as it is read, with its table. The line is
// reused for the next one: copy it to keep it. An error stops the reading.
type Visit func(*Table, *CostLine) error

// StreamBudget reads the budget tables of one .xlsx, .xlsm or .csv file,
// handing each line to visit as it is read, so memory does not grow with
// the file. If the file has cells that cannot be read, it returns an
// *InputError listing them, and lines already visited must be discarded.
func StreamBudget(path string, opt Options, visit Visit) (book *Book, err error) {
	defer func() {
		// The readers below parse untrusted files; a bug in one of them must
		// become an error that names the file, never a crash.
		if r := recover(); r != nil {
			book, err = nil, fmt.Errorf("%s: could not be read (internal error: %v)", path, r)
		}
	}()
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a folder", path)
	}
	if info.Size() == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrEmpty)
	}
	book = &Book{Path: path, Size: info.Size()}
	hash := hashAside(path, opt.SHA256)
	defer func() {
		switch sum, herr := hash(); {
		case err != nil:
		case herr != nil:
			book, err = nil, herr
		default:
			book.SHA256 = sum
		}
	}()
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".xlsx", ".xlsm":
		book.Format = ext[1:]
		err = readXLSX(book, opt, visit)
	case ".csv", ".txt":
		book.Format = "csv"
		err = readCSV(book, opt, visit)
	case ".xls", ".xlsb", ".ods", ".numbers":
		return nil, fmt.Errorf("%s: %w %s: open it in Excel or LibreOffice and save it as .xlsx", path, ErrUnsupported, ext)
	default:
		return nil, fmt.Errorf("%s: %w %q: give an .xlsx, .xlsm or .csv file", path, ErrUnsupported, ext)
	}
	if err != nil {
		return nil, err
	}
	if len(book.Tables) == 0 {
		return nil, noTableError(book, opt)
	}
	return book, nil
}

func noTableError(b *Book, opt Options) error {
	var why []string
	why = append(why, b.noTable...)
	for _, s := range b.Skipped {
		if s.Reason != "no budget table" {
			why = append(why, fmt.Sprintf("sheet %q: %s", s.Name, s.Reason))
		}
	}
	if len(why) == 0 {
		why = append(why, fmt.Sprintf("no row in the first %d rows names the columns the tool reads", headerScanRows))
	}
	hint := "use --sheet, --header-row or --amount-column to point at it"
	if b.Format == "csv" {
		hint = "use --header-row or --amount-column to point at it"
	}
	if len(why) == 1 {
		return fmt.Errorf("%s: %w: %s; %s", b.Path, ErrNoBudgetTable, why[0], hint)
	}
	return fmt.Errorf("%s: %w:\n  %s\n%s", b.Path, ErrNoBudgetTable, strings.Join(why, "\n  "), hint)
}

// hashAside hashes path on another core while the caller reads it, unless
// its hash is known already; the function returned waits for the hash. (A
// million-line ledger's 60 MB take 35 ms to hash.)
func hashAside(path, known string) func() (string, error) {
	if known != "" {
		return func() (string, error) { return known, nil }
	}
	var sum string
	var err error
	done := make(chan struct{})
	go func() {
		sum, err = FileSHA256(path)
		close(done)
	}()
	return func() (string, error) {
		<-done
		return sum, err
	}
}

// FileSHA256 is the hex SHA-256 of a file's bytes.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// finishTables applies what can only be decided once every sheet is read.
func (b *Book) finishTables() {
	for _, t := range b.Tables {
		where := b.Path
		if t.Source.Sheet != "" {
			where += fmt.Sprintf(": sheet %q", t.Source.Sheet)
		}
		if t.Explanation != "" {
			b.Notes = append(b.Notes, where+": "+t.Explanation)
		}
		if n := len(AnnotationHeaders); t.AnnotationCol == 0 && t.LastCol+n > sheetxml.MaxColumns {
			if t.LastValueCol+n > sheetxml.MaxColumns {
				b.Warnings = append(b.Warnings, fmt.Sprintf("%s: the table reaches column %s, the last a sheet has, so there is no room beside it for the added columns; its lines are in allocations.csv and on the Summary and Review sheets", where, ColumnLetter(t.LastValueCol)))
			} else {
				b.Warnings = append(b.Warnings, fmt.Sprintf("%s: the sheet's formatting reaches column %s, the last a sheet has, so the added columns go right of the table's last value, in column %s on, over formatted blank cells", where, ColumnLetter(sheetxml.MaxColumns), ColumnLetter(t.LastValueCol+1)))
			}
		}
		if len(t.OtherAmounts) > 0 {
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: amounts read from column %s; also found %s (choose another with --amount-column)",
				where, t.AmountHeader(), quoteSome(t.OtherAmounts, 4)))
		}
		if t.Lines == 0 {
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: the table under the header on row %d has no lines: nothing below it is read as a cost line", where, t.Source.Row))
		}
		b.Warnings = append(b.Warnings, t.Warnings...)
		if t.UnitShift != 0 {
			example, _ := parseAmount("95.4", t.UnitShift)
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: column %s is in %s, so 95.4 is read as %s", where, t.AmountHeader(), unitWords(t.UnitShift), FormatMoney(example)))
		}
	}
	if len(b.periodSheets) > 0 {
		b.Warnings = append(b.Warnings, fmt.Sprintf("%s: sheets %s look like months or periods: they are read as one budget, each line keeping its sheet, and no sheet name is used as a business unit",
			b.Path, quoteList(b.periodSheets)))
		if len(b.otherSheets) > 0 {
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: sheets %s are read as well; if one of them totals the months, it is counted twice (choose sheets with --sheet)",
				b.Path, quoteList(b.otherSheets)))
		}
	}
	var withoutUnit []string
	for _, t := range b.Tables {
		switch {
		case t.Columns[FieldBusinessUnit] > 0:
		case t.sheetUnit:
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: sheet %q has no business unit column; its lines are reported under the sheet name", b.Path, t.Source.Sheet))
		default:
			withoutUnit = append(withoutUnit, t.Source.Sheet)
		}
	}
	switch {
	case len(withoutUnit) == 0:
	case len(b.Tables) == 1 || b.Format == "csv":
		b.Warnings = append(b.Warnings, fmt.Sprintf("%s: no business unit (directorate) column; lines are reported without one", b.Path))
	default:
		b.Warnings = append(b.Warnings, fmt.Sprintf("%s: no business unit (directorate) column on sheets %s; their lines are reported without one", b.Path, quoteList(withoutUnit)))
	}
	for _, t := range b.Tables {
		for _, e := range t.Excluded {
			if e.Reason == ReasonSubtotal && e.Checked && !e.Agrees() {
				b.Warnings = append(b.Warnings, fmt.Sprintf("%s: subtotal %q shows %s but %s add up to %s",
					e.Source, e.Label, FormatMoney(e.Amount), e.Check, FormatMoney(e.Expected)))
			}
		}
	}
}
