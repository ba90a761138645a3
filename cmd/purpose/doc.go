// Command purpose tells a housing association how much of the money it
// already spends delivers social outcomes, and where.
//
// It reads the budget a ledger system exports, maps every line to social
// outcomes with an outcomes framework an adviser can edit, and writes an
// annotated copy of the workbook with a summary a board can read.
//
// Usage:
//
//	purpose run [flags] INPUT...     map budgets and write annotated workbooks
//	purpose check [flags] INPUT...   read and validate inputs; write nothing
//	purpose batch --inbox DIR --outbox DIR [flags]
//	                                 each workbook or sub-folder dropped in an inbox, done once
//	purpose template budget|staffing|framework -o FILE.xlsx
//	                                 a blank workbook to fill in
//	purpose framework export -o DIR|FILE.xlsx
//	purpose framework check PATH [--against INPUT...]
//	                                 the framework in use, to edit; a framework's defects
//	purpose rules suggest ANNOTATED.xlsx...
//	                                 rules from an adviser's overrides and unmatched lines
//	purpose version                  print the version
//	purpose help [COMMAND]           show help
//
// INPUT is an .xlsx, .xlsm or .csv budget, or a folder of them (not its
// subfolders; Excel's lock files, the tool's own outputs, files still being
// copied and identical copies are skipped).
//
// Examples:
//
//	purpose run samples/budget.xlsx
//	purpose run --out reports/ --framework our-framework/ "Budgets 2026-27/"
//	purpose check --sheet "Revenue" --amount-column "Budget 2026/27 £" budget.xlsx
//
// Flags of run and check:
//
//	-o, --out DIR              folder for the outputs (run only; default purpose-out)
//	-f, --framework PATH       a folder with outcomes.csv and rules.csv, or a workbook
//	                           with sheets Outcomes and Rules (default: built in)
//	    --sheet NAME           read only this sheet; repeat for several
//	    --header-row N         the header is on row N, instead of detected
//	    --amount-column COL    the amount column, by header text or letter
//	    --keep-going           unreadable amounts go on the Review list; unreadable
//	                           files are skipped
//	    --csv-raw              the CSVs' text as read (run only; by default text that
//	                           a spreadsheet would run as a formula gets a ' before it)
//	-q, --quiet                no progress on the terminal
//
// Into --out, each file written whole or not at all, run writes
// INPUT.annotated.xlsx for each input (every original sheet and cell as it
// was, columns added beside each budget table, and Summary, Review and
// Reconciliation sheets), allocations.csv (one row per line and outcome;
// its amount column adds up to the net total of every line read; its last
// columns, cost_centre_name, nominal_name, payee and line_type, show what a rule may
// have matched on, and note an overridden line's reviewer's note),
// summary.csv (dimension, key, total, social, share) and run.json (inputs
// with their SHA-256, the framework, totals in pence, counts, warnings).
// The folder then holds this run's outputs: those of an earlier run there
// that this run does not write (as its run.json lists them) are removed,
// and nothing else is touched.
//
// A workbook the tool annotated can come back after review and be run
// again: its Outcome override, Share override and Reviewer note columns go
// above every rule (rule override), its own columns are replaced where they
// stand, and the Review sheet's Decision and Reviewer are carried forward.
//
// How rules apply: a rule matches a line when every filled criterion does,
// and of the rules that match, the one with the most specific evidence wins
// (description, then payee, nominal description or line type, nominal code,
// cost centre name, cost centre code, business unit); among equals, the one
// higher in the table. Criteria are a business unit, a cost centre (a code
// or a prefix ending in *), a nominal (a code, a prefix, or a range
// 5000-5099), keywords (whole words in the descriptions, line types and cost
// centre name; any one will do) and payee. Rows that share an id split a
// line across outcomes; what a rule
// leaves goes to core. A negative line no income rule claims is a credit
// and counts as income; a line no rule matches is unmapped and is on the
// Review list.
//
// Exit status is 0 when every input was read, 1 when an input or the
// framework has errors (each printed, naming file, sheet and cell), and 2
// for a mistake on the command line.
package main
