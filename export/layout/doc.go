// Package layout writes styled cells onto the sheets of an excelize
// workbook: the report sheets' rows (Sheet, Cell and the looks they use),
// columns as wide as their text and rows as tall as their wrapped text,
// and one style per look (Styles), money shown in the workbook's own money
// format where its amounts have one. What the cells say is the caller's.
package layout
