package sheetxml

import (
	"errors"
	"fmt"
)

var (
	// ErrEncrypted is returned by Open for an OLE compound file: an
	// encrypted (password-protected) .xlsx or a legacy binary .xls.
	ErrEncrypted = errors.New("sheetxml: file is an OLE compound document (encrypted workbook or legacy .xls), not a plain .xlsx")
	// ErrNotXLSX is returned by Open for input that is not a zip package
	// or a zip that holds no workbook.
	ErrNotXLSX = errors.New("sheetxml: not an .xlsx/.xlsm package")
	// ErrNotWorksheet is returned by Rows for a chartsheet or dialog sheet,
	// which hold no cells.
	ErrNotWorksheet = errors.New("sheetxml: sheet is not a worksheet")
	// ErrSheetNotFound is returned by Rows for an unknown sheet name, or a
	// sheet whose part is missing from the package.
	ErrSheetNotFound = errors.New("sheetxml: sheet not found")
	// ErrTooLarge is wrapped by the error for a part that inflates, or
	// says in its zip header that it inflates, to more than its limit
	// (Limits.MaxUnzipped for a worksheet, Limits.MaxPartBytes for any
	// other part, CheckPart's maxBytes): that error is a
	// *PartTooLargeError. It is also wrapped, in a plain error naming the
	// part, when the shared string table holds more than
	// Limits.MaxSharedStrings items.
	ErrTooLarge = errors.New("sheetxml: limit exceeded")
	// ErrMalformed is wrapped by every *SyntaxError.
	ErrMalformed = errors.New("sheetxml: malformed part")
)

// SyntaxError reports malformed XML (or an invalid cell reference or
// shared string index) in a part, at a byte offset of the part's
// inflated (UTF-8) stream. errors.Is(err, ErrMalformed) is true.
type SyntaxError struct {
	Part   string // zip path of the part
	Offset int64  // byte offset in the inflated part
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("sheetxml: %s: byte offset %d: %s", e.Part, e.Offset, e.Msg)
}

// Unwrap makes errors.Is(err, ErrMalformed) hold.
func (e *SyntaxError) Unwrap() error { return ErrMalformed }
