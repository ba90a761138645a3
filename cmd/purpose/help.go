package main

const usageText = `purpose: how much of a housing association's spend delivers social purpose

Usage:
  purpose run [flags] INPUT...     map budgets to social outcomes and write annotated workbooks
  purpose check [flags] INPUT...   read and validate inputs; write nothing
  purpose batch --inbox DIR --outbox DIR   every budget dropped into a folder, unattended
  purpose template KIND -o FILE.xlsx    a blank budget, staffing or framework workbook to fill in
  purpose framework export|check ...   write the framework for editing, or check one
  purpose rules suggest ANNOTATED.xlsx...   rules from advisers' overrides
  purpose version                  print the version
  purpose help [COMMAND]           show help

INPUT is an .xlsx, .xlsm or .csv budget, or a folder of them.

Examples:
  purpose run samples/budget.xlsx
  purpose run --out reports/ --framework our-framework/ "Budgets 2026-27/"
  purpose check --sheet "Revenue" --amount-column "Budget 2026/27 £" budget.xlsx

Run "purpose help run" for the flags.
`

var commandHelp = map[string]string{
	"run": `Usage: purpose run [flags] INPUT...

Reads each budget (.xlsx, .xlsm, .csv, or every such file in a folder), maps
every line to social outcomes with the outcomes framework, and writes into
--out: INPUT.annotated.xlsx for each input (the original sheets untouched,
columns added beside each budget table, and Summary, Review and
Reconciliation sheets), allocations.csv (one row per line and outcome,
ending with the cost centre name, nominal name, payee and line type a rule
may have matched on, and an overridden line's reviewer's note), summary.csv,
run.json, and posts.csv when there are posts (a staffing sheet in a budget
workbook, or --staffing). The folder then holds this run's outputs: those
of an earlier run there that this run does not write are removed (only
files that run listed in its run.json).
Inputs are never modified. If any input cannot be read, every failure is
reported and nothing is written (unless --keep-going).

Flags:
  -o, --out DIR              folder for the outputs (default purpose-out)
  -f, --framework PATH       outcomes framework: a folder with outcomes.csv and
                             rules.csv, or a workbook with sheets Outcomes and
                             Rules (default: the built-in framework)
      --sheet NAME           read only this sheet; repeat for several
      --header-row N         the header is on row N instead of detected
      --amount-column COL    the amount column, by header text or letter
      --keep-going           put unreadable amounts on the review list
                             instead of stopping; skip unreadable files
      --staffing FILE        a staffing establishment (.xlsx, .xlsm, .csv):
                             its posts' time apportions each cost centre's
                             pay lines; repeat for several files. Without it,
                             a staffing sheet in a budget workbook is used.
                             Adds posts.csv, and FILE.annotated.xlsx for each
                             file (a CSV file's records as a sheet)
      --csv-raw              write the CSVs' text as read; by default text
                             a spreadsheet would run as a formula (starting
                             = + - @, or a tab or CR) gets a ' before it
  -q, --quiet                no progress on stderr
  -h, --help                 this help

Examples:
  purpose run samples/budget.xlsx
  purpose run --staffing samples/staffing.xlsx samples/budget.xlsx
  purpose run --out "//finance/purpose" "//finance/budgets/2026-27/"
  purpose run --framework templates/framework budget.csv
`,
	"check": `Usage: purpose check [flags] INPUT...

Reads and validates the inputs and the framework as run would, prints what it
found, and writes nothing. Exits non-zero if any input has errors.

Flags:
  -f, --framework PATH       outcomes framework (default: the built-in one)
      --sheet NAME           read only this sheet; repeat for several
      --header-row N         the header is on row N instead of detected
      --amount-column COL    the amount column, by header text or letter
      --keep-going           treat unreadable amounts as lines to review
      --staffing FILE        a staffing establishment; repeat for several
  -q, --quiet                no progress on stderr
  -h, --help                 this help

Example:
  purpose check samples/budget.xlsx
`,
}
