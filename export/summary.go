package export

import (
	"io"

	"github.com/gocarina/gocsv"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export/csvout"
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
	return gocsv.MarshalCSV(rows, csvout.NewWriter(w, run.CSVRaw))
}

// shareString is a ratio as a decimal fraction to six places, or blank.
func shareString(r analysis.Ratio) string {
	if !r.Defined() {
		return ""
	}
	return r.Decimal(6)
}
