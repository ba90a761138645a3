package main

// Help for the advisers' round trip: template, framework, rules. Kept
// beside the commands; help.go's commandHelp holds the others.
func init() {
	commandHelp["template"] = `Usage: purpose template budget|staffing|framework [-o FILE.xlsx] [-f FRAMEWORK]

Writes a blank workbook to fill in: an Instructions sheet in plain English,
the table's header row (frozen), drop-downs and checks on entry taken from
the framework (business units, outcomes, modes; amounts as numbers, FTE
between 0 and 1.5), and two grey example rows marked "EXAMPLE:", which are
left out when the workbook is read. A filled-in budget template runs with
"purpose run FILE.xlsx"; a staffing one with "--staffing FILE.xlsx"; a
framework one with "--framework FILE.xlsx" once its rules are written.
It never writes over a file.

Flags:
  -o, --out FILE.xlsx        the workbook to write (default KIND-template.xlsx)
  -f, --framework PATH       the framework for the drop-downs (default: the
                             built-in one)
  -h, --help                 this help

Examples:
  purpose template budget -o "Budget 2027-28.xlsx"
  purpose template staffing --framework our-framework/ -o establishment.xlsx
`
	commandHelp["framework"] = `Usage: purpose framework export -o FOLDER|FILE.xlsx [-f FRAMEWORK]
       purpose framework check PATH [--against INPUT...]

export writes the framework in use (the built-in one, or --framework) for
editing: CSV files in a folder, in the layout of templates/framework
(outcomes.csv, rules.csv, staff_rules.csv, pay_nominals.csv), or a workbook
with a sheet for each table and drop-downs for outcomes and modes. Run with
it by giving "purpose run --framework" the folder or workbook.

check validates a framework (a folder or a workbook): unknown outcomes, ids
given twice, shares outside 0-100%, splits over 100%, and rules that
contradict each other at equal precedence (the same criteria, different
outcomes or shares: the first always wins). With --against, it tries the
rules on budgets and lists the rules that match no line and the lines no
rule matches. Each message names the file or sheet and the row. Exits 1
when there are problems, 0 when there are none.

Flags (export):
  -o, --out PATH             a folder (made if missing), or FILE.xlsx
  -f, --framework PATH       the framework to export (default: the built-in one)
Flags (check):
      --against INPUT        a budget, or a folder of them; repeat for several
      --sheet NAME           read only this sheet of the budgets
  -h, --help                 this help

Examples:
  purpose framework export -o our-framework/
  purpose framework export -o our-framework.xlsx
  purpose framework check our-framework.xlsx --against budget.xlsx
`
	commandHelp["rules"] = `Usage: purpose rules suggest ANNOTATED.xlsx... [-f FRAMEWORK] [-o FILE.csv]

Turns advisers' overrides into proposed rules. Reads annotated workbooks
(run's INPUT.annotated.xlsx, reviewed and sent back): the lines, and the
"Outcome override" and "Share override" columns beside the table where an
adviser typed them. Lines overridden to something the framework does not
give them are grouped by what they have in common (a nominal code, a cost
centre, words of their descriptions), largest first; so are the lines no
rule matches (their outcome is left blank for you to choose), but for pay
lines the run apportioned by staff time (Rule "staff"), which their posts
decide. Each group is a rules table row (the columns of rules.csv) covering
only its own lines, and no pay line apportioned by staff time, which it
would take in a run without the posts; its note says how many lines and
how much it covers. Paste the rows you agree with above the framework's
rules.

Flags:
  -o, --out FILE.csv         write the rules here (default: print them)
  -f, --framework PATH       the framework the workbooks were mapped with
                             (default: the built-in one)
  -h, --help                 this help

Example:
  purpose rules suggest purpose-out/budget.annotated.xlsx -o new-rules.csv
`
}
