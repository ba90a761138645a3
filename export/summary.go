package export

import (
	"bufio"
	"io"

	"github.com/gocarina/gocsv"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// summaryRow is one row of summary.csv: for a key of a dimension, the total
// it is measured against, the social-purpose spend, and the share.
type summaryRow struct {
	Dimension string `csv:"dimension"`
	Key       string `csv:"key"`
	Total     string `csv:"total"`
	Social    string `csv:"social"`
	Share     string `csv:"share"`
}

// WriteSummary writes summary.csv. For overall, business_unit and
// cost_centre rows, total is that key's expenditure; for mode, outcome and
// theme rows it is the run's whole expenditure, so share reads "part of all
// spend". share is blank where total is zero: a share of nothing is not 0.
func WriteSummary(w io.Writer, run *Run) error {
	s := run.Overall
	exp := s.Overall.Expenditure()
	var rows []summaryRow
	add := func(dim, key string, total, social int64) {
		rows = append(rows, summaryRow{dim, key, ingest.FormatPence(total), ingest.FormatPence(social), shareString(analysis.Ratio{Num: social, Den: total})})
	}
	add("overall", "all", exp, s.Overall.Social())
	add("mode", "specialist", exp, s.Overall.Specialist)
	add("mode", "embedded", exp, s.Overall.Embedded)
	add("mode", "core", exp, s.Overall.Core)
	add("mode", "unmapped", exp, s.Overall.Unmapped)
	for _, k := range s.ByBusinessUnit {
		add("business_unit", k.Key, k.Expenditure(), k.Social())
	}
	for _, k := range s.ByCostCentre {
		add("cost_centre", k.Key, k.Expenditure(), k.Social())
	}
	for _, o := range s.ByOutcome {
		add("outcome", o.Outcome.Code, exp, o.Total())
	}
	for _, t := range s.ByTheme {
		add("theme", t.Key, exp, t.Social())
	}
	return gocsv.MarshalCSV(rows, newCSVWriter(w, run.CSVRaw))
}

// shareString is a ratio as a decimal fraction to six places, or blank.
func shareString(r analysis.Ratio) string {
	if !r.Defined() {
		return ""
	}
	return r.Decimal(6)
}

// numericColumns are the CSVs' columns that hold numbers (money, shares,
// FTE, row numbers): written as they are, a minus sign and all. Every
// other column is text, neutralised unless raw (appendTextField), so that
// a column added later is safe unless named here.
var numericColumns = map[string]bool{"row": true, "line_amount": true, "amount": true, "share": true,
	"total": true, "social": true, "post_fte": true, "post_cost": true, "fte": true}

// csvWriter writes CSV as encoding/csv's Writer does (comma, "\n"), its
// text fields through appendTextField: the first row written is the
// header, which says which columns are numbers. It is a gocsv.CSVWriter.
type csvWriter struct {
	w    *bufio.Writer
	buf  []byte
	text []bool // by column, from the header
	raw  bool
	err  error
}

func newCSVWriter(w io.Writer, raw bool) *csvWriter {
	return &csvWriter{w: bufio.NewWriter(w), raw: raw}
}

func (c *csvWriter) Write(row []string) error {
	if c.err != nil {
		return c.err
	}
	header := c.text == nil
	if header {
		c.text = make([]bool, len(row))
		for i, name := range row {
			c.text[i] = !numericColumns[name]
		}
	}
	b := c.buf[:0]
	for i, f := range row {
		if i > 0 {
			b = append(b, ',')
		}
		if header || (i < len(c.text) && !c.text[i]) {
			b = appendCSVField(b, f)
		} else {
			b = appendTextField(b, f, c.raw)
		}
	}
	b = append(b, '\n')
	c.buf = b
	_, c.err = c.w.Write(b)
	return c.err
}

func (c *csvWriter) Flush() {
	if c.err == nil {
		c.err = c.w.Flush()
	}
}

func (c *csvWriter) Error() error { return c.err }
