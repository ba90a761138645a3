// Package sheetxml reads the cells of .xlsx/.xlsm worksheets straight from
// their XML, fast and in bounded memory.
//
// It is a reader, not a spreadsheet library: it reports, for each row that
// exists in a worksheet's XML, the cells as written (type attribute, raw
// value with shared strings resolved, formula text, style index), and the
// workbook structure needed to find them (sheet names, states and parts,
// the 1904 date system flag). It does not format numbers, evaluate or
// expand formulas; of the styles, it reads only which show numbers as dates
// (DateStyles).
//
// Every part is scanned by a small hand-written tokenizer rather than
// encoding/xml, which is an order of magnitude slower on sheet data. Code
// that copies or edits sheet XML as bytes reads tags, attributes and cell
// references with the same code ([Tag], [ParseCellRef]). A
// worksheet is streamed row by row: memory is bounded by a few batches of
// rows plus the shared string table. It is inflated and scanned on a
// goroutine of its own, a few batches of rows ahead of the caller.
//
// Elements are matched by local name, so prefixed (<x:c>) and Strict OOXML
// (http://purl.oclc.org/ooxml/...) documents read the same as transitional
// ones. Parts encoded in UTF-16 or ISO-8859-1/Windows-1252 are transcoded.
//
// Values match what excelize's Rows/Columns report with RawCellValue (the
// package's tests compare the two, cell for cell, on a corpus of odd
// real-world workbooks), including excelize's handling of _xHHHH_ escapes
// (resolved in shared and inline strings, left alone in <v>) and of
// phonetic runs (ignored). Where excelize is lenient in ways that lose
// data silently, this package reports an error instead: malformed XML, an
// invalid cell reference or row number, a shared string index out of
// range. It reads UTF-16 parts, which excelize rejects.
//
// Typical use:
//
//	wb, err := sheetxml.Open(path, sheetxml.Limits{})
//	if err != nil {
//		return err
//	}
//	defer wb.Close()
//	rows, err := wb.Rows(wb.Sheets()[0].Name)
//	if err != nil {
//		return err
//	}
//	defer rows.Close()
//	for rows.Next() {
//		for _, c := range rows.Cells() {
//			fmt.Println(rows.Row(), c.Col, c.Type, c.Value)
//		}
//	}
//	return rows.Err()
package sheetxml
