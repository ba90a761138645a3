// Package csvout writes the run's CSV files as other tools read them:
// allocations.csv a row at a time as lines are matched (AllocationWriter),
// and the rows of summary.csv and posts.csv (Writer). Both quote as
// encoding/csv does, and neutralise a text field a spreadsheet program
// would run as a formula (a ' before it), unless asked for text as read
// (--csv-raw); money, shares and FTE are written as plain decimals.
package csvout
