package analysis

import (
	"maps"
	"slices"

	"github.com/purpose-hq/purpose/ingest"
)

// PayBudget adds up budget pay lines cost centre by cost centre as they
// are read, so a run that streams its lines can reconcile them with the
// posts at the end.
type PayBudget struct {
	f     *Framework
	pay   payMemo
	rows  []PayRow
	index map[string]int
	keys  ccKeys
	total int64
}

// NewPayBudget starts an empty pay budget.
func (f *Framework) NewPayBudget() *PayBudget {
	return &PayBudget{f: f, pay: f.payMemo(), index: map[string]int{}, keys: ccKeys{}}
}

func (b *PayBudget) row(code, name, unit string) *PayRow {
	k := b.keys.key(code, name)
	i, ok := b.index[k]
	if !ok {
		i = len(b.rows)
		b.index[k] = i
		b.rows = append(b.rows, PayRow{CostCentre: code, CostCentreName: name, BusinessUnit: unit})
	}
	r := &b.rows[i]
	if r.CostCentreName == "" {
		r.CostCentreName = name
	}
	if r.BusinessUnit == "" {
		r.BusinessUnit = unit
	}
	return r
}

// Add counts a line if it is pay; unreadable lines are left out.
func (b *PayBudget) Add(l *ingest.CostLine) {
	if l.Unreadable != "" {
		return
	}
	k := b.pay.kind(l)
	if k < 0 {
		return
	}
	r := b.row(l.CostCentre, l.CostCentreName, l.BusinessUnit)
	if r.ByKind == nil {
		r.ByKind = make([]int64, len(b.f.PayNominals))
	}
	r.ByKind[k] += l.Amount
	r.Budget += l.Amount
	r.PayLines++
	b.total += l.Amount
}

// Reconcile sets the pay added so far against the posts' cost, cost
// centre by cost centre; the PayBudget can go on being added to.
func (b *PayBudget) Reconcile(posts []PostResult, tol Tolerance) PayReconciliation {
	c := b.Clone()
	rec := PayReconciliation{Tolerance: tol, Budget: c.total, Kinds: b.f.PayNominals}
	for i := range posts {
		p := &posts[i]
		r := c.row(p.Post.CostCentre, p.Post.CostCentreName, p.Post.BusinessUnit)
		r.Establishment += p.Cost
		r.Posts++
		if p.Vacant {
			r.VacantPosts++
			r.VacantCost += p.Cost
		}
		rec.Establishment += p.Cost
	}
	rec.Rows = c.rows
	for i := range rec.Rows {
		r := &rec.Rows[i]
		r.Difference = r.Budget - r.Establishment
		r.Within = r.Posts > 0 && r.PayLines > 0 && tol.Allows(r.Budget, r.Difference) || r.Budget == 0 && r.Establishment == 0
		if !r.Within {
			rec.Outside++
		}
	}
	return rec
}

// Clone is a copy of the pay budget, which adding to either leaves the
// other as it was.
func (b *PayBudget) Clone() *PayBudget {
	c := &PayBudget{f: b.f, pay: b.f.payMemo(), keys: ccKeys{}, rows: slices.Clone(b.rows), index: maps.Clone(b.index), total: b.total}
	for i := range c.rows {
		c.rows[i].ByKind = slices.Clone(c.rows[i].ByKind)
	}
	return c
}

// MergePayScales is a pay scale from a workbook's own rows (a "Pay scales"
// sheet), falling back to base (the framework's) for the grades and
// points the rows do not give; nil when there is neither.
func MergePayScales(base *PayScale, rows []ingest.PayScaleRow) (*PayScale, error) {
	if len(rows) == 0 {
		return base, nil
	}
	s, err := NewPayScale(rows)
	if err != nil || base == nil {
		return s, err
	}
	for k, v := range base.byGradePoint {
		if _, ok := s.byGradePoint[k]; !ok {
			s.byGradePoint[k] = v
		}
	}
	for k, v := range base.byPoint {
		if _, ok := s.byPoint[k]; !ok {
			s.byPoint[k] = v
		}
	}
	for k, v := range base.byGrade {
		if _, ok := s.byGrade[k]; !ok {
			s.byGrade[k] = v
		}
	}
	return s, nil
}

// Merge adds another pay budget's lines to this one (an input's, once it
// has been read whole).
func (b *PayBudget) Merge(o *PayBudget) {
	for _, r := range o.rows {
		mine := b.row(r.CostCentre, r.CostCentreName, r.BusinessUnit)
		mine.Budget += r.Budget
		mine.PayLines += r.PayLines
		if r.ByKind != nil {
			if mine.ByKind == nil {
				mine.ByKind = make([]int64, len(r.ByKind))
			}
			for i, v := range r.ByKind {
				mine.ByKind[i] += v
			}
		}
	}
	b.total += o.total
}
