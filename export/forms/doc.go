// Package forms writes the workbooks people fill in and send back, apart
// from any run: the blank budget and staffing templates (WriteTemplate),
// and the outcomes framework in use, as a workbook with a sheet for each
// table or as a folder of CSV files (WriteFrameworkWorkbook,
// WriteFrameworkCSV), for an adviser to edit. Each is written through a
// temporary file renamed into place, so a failure leaves no half-written
// file.
package forms
