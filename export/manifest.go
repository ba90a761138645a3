package export

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/samber/lo"

	"github.com/purpose-hq/purpose/ingest"
)

// manifest is run.json: what went in, what came out, and the totals, so a
// run can be checked and repeated. Money is integer pence.
type manifest struct {
	Tool      string          `json:"tool"`
	Version   string          `json:"version"`
	Framework manifestFW      `json:"framework"`
	Inputs    []manifestInput `json:"inputs"`
	Totals    manifestTotals  `json:"totals"`
	Counts    manifestCounts  `json:"counts"`
	Outputs   []string        `json:"outputs"`
	Warnings  []string        `json:"warnings"`
	Notes     []string        `json:"notes"`
	Failed    []string        `json:"failed_inputs"`
	// Staffing is there only when a staffing establishment was used.
	Staffing *manifestStaffing `json:"staffing,omitempty"`
}

// manifestStaffing is the staff time of a run: FTE as exact decimals,
// money in pence, and each establishment's pay reconciliation.
type manifestStaffing struct {
	Posts               int                     `json:"posts"`
	VacantPosts         int                     `json:"vacant_posts"`
	FTE                 string                  `json:"fte"`
	SocialFTE           string                  `json:"social_fte"`
	SpecialistFTE       string                  `json:"specialist_fte"`
	EmbeddedFTE         string                  `json:"embedded_fte"`
	VacantFTE           string                  `json:"vacant_fte"`
	CostPence           int64                   `json:"cost_pence"`
	SocialCostPence     int64                   `json:"social_cost_pence"`
	PayLinesByStaff     int                     `json:"pay_lines_apportioned"`
	PayApportionedPence int64                   `json:"pay_apportioned_pence"`
	Establishments      []manifestEstablishment `json:"establishments"`
}

type manifestEstablishment struct {
	Sources            []string `json:"sources"`
	Posts              int      `json:"posts"`
	BudgetPayPence     int64    `json:"budget_pay_pence"`
	EstablishmentPence int64    `json:"establishment_pence"`
	Tolerance          string   `json:"tolerance"`
	CostCentresOutside int      `json:"cost_centres_outside_tolerance"`
}

type manifestFW struct {
	Name     string `json:"name"`
	SHA256   string `json:"sha256"`
	Outcomes int    `json:"outcomes"`
	Rules    int    `json:"rules"`
}

type manifestInput struct {
	Path     string          `json:"path"`
	SHA256   string          `json:"sha256"`
	Bytes    int64           `json:"bytes"`
	Format   string          `json:"format"`
	Encoding string          `json:"encoding,omitempty"`
	Output   string          `json:"output"`
	Tables   []manifestTable `json:"tables"`
	Skipped  []manifestSkip  `json:"skipped_sheets"`
}

type manifestTable struct {
	Sheet      string `json:"sheet"`
	HeaderRow  int    `json:"header_row"`
	LastRow    int    `json:"last_row"`
	Lines      int    `json:"lines"`
	TotalPence int64  `json:"total_pence"`
	Subtotals  int    `json:"subtotal_rows"`
	Excluded   int    `json:"excluded_rows"`
}

type manifestSkip struct {
	Sheet  string `json:"sheet"`
	Reason string `json:"reason"`
}

type manifestTotals struct {
	ExpenditurePence int64   `json:"expenditure_pence"`
	SocialPence      int64   `json:"social_pence"`
	SpecialistPence  int64   `json:"specialist_pence"`
	EmbeddedPence    int64   `json:"embedded_pence"`
	CorePence        int64   `json:"core_pence"`
	UnmappedPence    int64   `json:"unmapped_pence"`
	IncomePence      int64   `json:"income_pence"`
	NetPence         int64   `json:"net_pence"`
	AllocatedPence   int64   `json:"allocated_pence"`
	SocialShare      *string `json:"social_share"` // null when expenditure is zero
}

type manifestCounts struct {
	Inputs          int `json:"inputs"`
	Lines           int `json:"lines"`
	UnmappedLines   int `json:"unmapped_lines"`
	UnreadableLines int `json:"unreadable_lines"`
	IncomeLines     int `json:"income_lines"`
	SubtotalRows    int `json:"subtotal_rows"`
	ReviewItems     int `json:"review_items"`
}

// WriteManifest writes run.json.
func WriteManifest(w io.Writer, run *Run, outputs []string) error {
	m := manifest{
		Tool: "purpose", Version: run.Version,
		Framework: manifestFW{run.Framework.Name, run.Framework.SHA256, len(run.Framework.Outcomes), len(run.Framework.Rules)},
		Outputs:   outputs, Warnings: run.Warnings,
	}
	if m.Warnings == nil {
		m.Warnings = []string{}
	}
	m.Notes = run.Notes
	if m.Notes == nil {
		m.Notes = []string{}
	}
	m.Failed = run.Failed
	if m.Failed == nil {
		m.Failed = []string{}
	}
	names := run.OutputNames()
	for i, in := range run.Inputs {
		b := in.Book
		mi := manifestInput{Path: b.Path, SHA256: b.SHA256, Bytes: b.Size, Format: b.Format, Output: names[i], Skipped: []manifestSkip{}}
		if b.CSV != nil {
			mi.Encoding = b.CSV.Encoding
		}
		for _, t := range b.Tables {
			mt := manifestTable{Sheet: t.Source.Sheet, HeaderRow: t.Source.Row, LastRow: t.LastRow, Lines: t.Lines, TotalPence: t.Total(), Excluded: len(t.Excluded),
				Subtotals: lo.CountBy(t.Excluded, func(e ingest.Excluded) bool { return e.Reason == ingest.ReasonSubtotal })}
			m.Counts.SubtotalRows += mt.Subtotals
			mi.Tables = append(mi.Tables, mt)
		}
		mi.Skipped = lo.Map(b.Skipped, func(s ingest.SkippedSheet, _ int) manifestSkip { return manifestSkip{s.Name, s.Reason} })
		m.Inputs = append(m.Inputs, mi)
		m.Counts.ReviewItems += reviewCount(in)
		m.Totals.AllocatedPence += in.Allocated
		m.Counts.UnmappedLines += in.Counts.Unmapped
		m.Counts.UnreadableLines += in.Counts.Unreadable
		m.Counts.IncomeLines += in.Counts.Income
	}
	o := run.Overall.Overall
	m.Counts.Inputs, m.Counts.Lines = len(run.Inputs), o.Lines
	m.Totals.ExpenditurePence, m.Totals.SocialPence = o.Expenditure(), o.Social()
	m.Totals.SpecialistPence, m.Totals.EmbeddedPence, m.Totals.CorePence = o.Specialist, o.Embedded, o.Core
	m.Totals.UnmappedPence, m.Totals.IncomePence, m.Totals.NetPence = o.Unmapped, o.Income, o.Net()
	if r := o.Share(); r.Defined() {
		s := r.Decimal(6)
		m.Totals.SocialShare = &s
	}
	m.Staffing = manifestStaff(run)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

func manifestStaff(run *Run) *manifestStaffing {
	if len(run.Staffing) == 0 {
		return nil
	}
	t := run.Staff.Total
	fte := func(n int64) string { return decimalUnits(n, ingest.FTEUnit) }
	ms := &manifestStaffing{Posts: t.Posts, VacantPosts: t.VacantPosts, FTE: fte(t.FTE), SocialFTE: fte(t.SocialFTE()),
		SpecialistFTE: fte(t.SpecialistFTE), EmbeddedFTE: fte(t.EmbeddedFTE), VacantFTE: fte(t.VacantFTE),
		CostPence: t.Cost, SocialCostPence: t.SocialCost(), Establishments: []manifestEstablishment{}}
	for _, in := range run.Inputs {
		ms.PayLinesByStaff += in.StaffLines
		ms.PayApportionedPence += in.StaffAmount
	}
	for _, s := range run.Staffing {
		var sources []string
		for _, tb := range s.Tables {
			src := tb.Source.File
			if tb.Source.Sheet != "" {
				src += ": sheet " + strconv.Quote(tb.Source.Sheet)
			}
			sources = append(sources, src)
		}
		ms.Establishments = append(ms.Establishments, manifestEstablishment{Sources: sources, Posts: s.Summary.Total.Posts, BudgetPayPence: s.Pay.Budget,
			EstablishmentPence: s.Pay.Establishment, Tolerance: s.Pay.Tolerance.String(), CostCentresOutside: s.Pay.Outside})
	}
	return ms
}
