package main

func init() {
	commandHelp["batch"] = batchHelp
}

const batchHelp = `Usage: purpose batch --inbox DIR --outbox DIR [flags]

Does, unattended, what "purpose run" does for every budget dropped into the
inbox, each on its own: for a scheduled task (cron, Windows Task Scheduler)
or, with --watch, a job that keeps running.

Jobs: each .xlsx, .xlsm or .csv file at the top of the inbox is a job; so is
each sub-folder (one organisation's files): its files named as staffing or
establishment are its staffing establishment (as --staffing), the others its
budgets. Excel and LibreOffice lock files (~$..., .~lock...#), hidden and
temporary files, and files changed within --settle (still being copied in)
are left alone; they are read on a later run once they have settled.

The outbox, for jobs budget.xlsx and "Riverside HA/":
  budget/                  the outputs of "purpose run budget.xlsx"
  Riverside HA/            the folder's outputs (with posts.csv)
  bad.errors.txt           a job that failed: what is wrong, where, what to do
  batch.json               what the last pass did, job by job
  ledger.json              each job's inputs' and framework's SHA-256 and result
A job's outputs are written under temporary names and put in place when all
are complete; one whose files share a name (budget.xlsx and budget.csv) gets
budget-xlsx/ and budget-csv/. An unchanged job (the same files, framework
and settings) is not done again; a changed one is. Inputs are never changed.

One batch at a time works on an outbox: it holds .purpose-batch.lock there
(its process id); a second one started meanwhile exits with status 2 at once.
A lock left by a batch that was stopped is taken over, with a warning.
SIGINT or SIGTERM abandons the job in hand with nothing of it written; the
next run does it.

Exit status: 0 every job done (or unchanged), 1 a job failed (see its
.errors.txt) or the batch was interrupted, 2 the batch could not run (a
folder missing, the lock held, a bad framework or settings file).

Flags:
      --inbox DIR            the folder budgets are dropped into
      --outbox DIR           the folder for the outputs (made if missing)
  -f, --framework PATH       outcomes framework (default: the built-in one)
      --staffing FILE        a staffing establishment for every job; repeat
      --sheet NAME           read only this sheet; repeat for several
      --header-row N         the header is on row N instead of detected
      --amount-column COL    the amount column, by header text or letter
      --keep-going           put unreadable amounts on the review list
      --settings FILE        per-file settings (default: purpose-settings.csv
                             in the inbox, when there); see below
      --watch                keep running, looking every --interval
      --interval D           how often --watch looks (default 1m)
      --settle D             how long a file must be unchanged (default 5s)
      --move-done DIR        move each done input (file or folder) here
      --log-format F         text or json: one line per job on stderr
  -h, --help                 this help

Per-file settings: a CSV file with the header
  pattern,sheet,header_row,amount_column,framework
and a row per file-name pattern (* and ?, any case); the first row matching
a file's (or sub-folder's) name gives its settings, a blank cell leaves the
flag's. sheet may list several, separated by ";". Each job's run.json notes
which row applied. For example:
  pattern,sheet,header_row,amount_column,framework
  ledger-*.csv,,3,NetAmount,
  Riverside*,Revenue,,,frameworks/riverside

Examples:
  purpose batch --inbox //finance/Budgets/in --outbox //finance/Budgets/out
  purpose batch --inbox in --outbox out --move-done done --log-format json
  purpose batch --inbox in --outbox out --watch --interval 5m
`
