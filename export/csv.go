package export

import (
	"io"
	"path/filepath"

	"github.com/gocarina/gocsv"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/ingest"
)

// allocationRow is one row of allocations.csv: one (input line, outcome).
// Money is written as plain decimals from integer pence, shares as exact
// fractions, so nothing passes through a float.
type allocationRow struct {
	File         string `csv:"file"`
	Sheet        string `csv:"sheet"`
	Row          int    `csv:"row"`
	BusinessUnit string `csv:"business_unit"`
	CostCentre   string `csv:"cost_centre"`
	Nominal      string `csv:"nominal"`
	Description  string `csv:"description"`
	LineAmount   string `csv:"line_amount"`
	Outcome      string `csv:"outcome"`
	Theme        string `csv:"theme"`
	Mode         string `csv:"mode"`
	Share        string `csv:"share"`
	Amount       string `csv:"amount"`
	Rule         string `csv:"rule"`
}

// WriteAllocations writes allocations.csv: every readable line of every
// input, one row per outcome it is split to, so the amount column adds up to
// the net total of the lines read.
func WriteAllocations(w io.Writer, run *Run) error {
	var rows []allocationRow
	for _, in := range run.Inputs {
		for i := range in.Lines {
			l := &in.Lines[i]
			m := in.Matches[i]
			for _, a := range analysis.Allocate(l.Amount, m) {
				rows = append(rows, allocationRow{
					File:         filepath.Base(l.Source.File),
					Sheet:        l.Source.Sheet,
					Row:          l.Source.Row,
					BusinessUnit: l.BusinessUnit,
					CostCentre:   l.CostCentre,
					Nominal:      l.Nominal,
					Description:  lineDescription(l),
					LineAmount:   ingest.FormatPence(l.Amount),
					Outcome:      a.Outcome,
					Theme:        run.Framework.Theme(a.Outcome),
					Mode:         string(a.Mode),
					Share:        analysis.FractionString(a.Share),
					Amount:       ingest.FormatPence(a.Amount),
					Rule:         m.RuleID(),
				})
			}
		}
	}
	if len(rows) == 0 {
		// gocsv writes no header for no rows; a reader still wants one.
		_, err := io.WriteString(w, "file,sheet,row,business_unit,cost_centre,nominal,description,line_amount,outcome,theme,mode,share,amount,rule\n")
		return err
	}
	return gocsv.Marshal(rows, w)
}

// lineDescription is the most specific description a line has.
func lineDescription(l *ingest.CostLine) string {
	switch {
	case l.Description != "":
		return l.Description
	case l.NominalName != "":
		return l.NominalName
	}
	return l.CostCentreName
}

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
	return gocsv.Marshal(rows, w)
}

// shareString is a ratio as a decimal fraction to six places, or blank.
func shareString(r analysis.Ratio) string {
	if !r.Defined() {
		return ""
	}
	return r.Decimal(6)
}
