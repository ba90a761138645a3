package ingest

import (
	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// A staffing establishment is sometimes kept on the budget's own sheet,
// below the budget table ("Staffing establishment, for information:
// costs included above", then a header of posts). The budget reader stops
// its lines there (ReasonStaffing); the posts are read from that row on.
// The posts must be known before the lines stream, so a sheet small
// enough to read twice is read once first to find where they start;
// maxStaffPrescan bounds what that first read may cost. A larger sheet's
// staffing table is left out, with the budget reader's warning.
const maxStaffPrescan = 8 << 20

// staffingBelow reads the table of posts below a sheet's budget table, or
// returns nil when there is none.
func staffingBelow(wb *sheetxml.Workbook, s sheetxml.Sheet, src Source, kinds styleKinds, opt tableOptions) (*StaffTable, []CellError, error) {
	if size := wb.PartSize(s); size < 0 || size > maxStaffPrescan {
		return nil, nil, nil
	}
	rows, err := wb.Rows(s.Name)
	if err != nil {
		return nil, nil, nil
	}
	opt.visit, opt.noTable, opt.progress, opt.KeepGoing = nil, nil, nil, true
	t, _, err := readTable(src, &sheetRows{rows: rows, kinds: kinds}, opt)
	rows.Close()
	if err != nil || t == nil {
		return nil, nil, nil // the budget read says what is wrong
	}
	start := 0
	for _, e := range t.Excluded {
		if e.Reason == ReasonStaffing {
			start = e.Source.Row
			break
		}
	}
	if start == 0 {
		return nil, nil, nil
	}
	rows, err = wb.Rows(s.Name)
	if err != nil {
		return nil, nil, nil
	}
	defer rows.Close()
	return readStaffTable(src, &fromRow{rowSource: &sheetRows{rows: rows, kinds: kinds}, row: start})
}

// fromRow is a sheet's rows from one row on.
type fromRow struct {
	rowSource
	row int
}

func (f *fromRow) Next() bool {
	for f.rowSource.Next() {
		if f.Row().Row >= f.row {
			return true
		}
	}
	return false
}
