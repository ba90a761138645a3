package analysis

import (
	"cmp"
	"math/big"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/ingest"
)

// Figures are the money of some set of lines, in pence.
type Figures struct {
	Lines      int
	Specialist int64
	Embedded   int64
	Core       int64
	Unmapped   int64
	Income     int64 // income and credits, signed as in the file
	Unreadable int   // lines whose amount could not be read (not in any total)
}

// Social is the spend delivering social purpose.
func (f Figures) Social() int64 { return f.Specialist + f.Embedded }

// Expenditure is all spend that is not income.
func (f Figures) Expenditure() int64 { return f.Specialist + f.Embedded + f.Core + f.Unmapped }

// Net is expenditure plus income as signed in the file: the sum of every
// readable line.
func (f Figures) Net() int64 { return f.Expenditure() + f.Income }

// Share is social spend as a part of expenditure.
func (f Figures) Share() Ratio { return Ratio{f.Social(), f.Expenditure()} }

func (f *Figures) add(a Allocation) {
	switch a.Mode {
	case Specialist:
		f.Specialist += a.Amount
	case Embedded:
		f.Embedded += a.Amount
	case Core:
		f.Core += a.Amount
	case Unmapped:
		f.Unmapped += a.Amount
	case Income:
		f.Income += a.Amount
	}
}

// Ratio is an exact fraction of two sums of pence.
type Ratio struct{ Num, Den int64 }

// Defined reports whether the ratio has a meaning (its total is not zero).
func (r Ratio) Defined() bool { return r.Den != 0 }

// Float is the ratio for charts and number cells; 0 when undefined.
func (r Ratio) Float() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Percent writes the ratio as a percentage to one decimal place, rounded
// half away from zero, or "n/a" when the total is zero: a share of nothing
// is not 0%.
func (r Ratio) Percent() string {
	if r.Den == 0 {
		return "n/a"
	}
	return decimal(r.Num, r.Den, 100, 1) + "%"
}

// Keyed is figures for one key of a dimension (a business unit, …).
type Keyed struct {
	Key   string
	Label string // what a person reads: "HM101 Tenancy North"
	Figures
}

// OutcomeFigures is the spend on one outcome.
type OutcomeFigures struct {
	Outcome    Outcome
	Specialist int64
	Embedded   int64
	Lines      int
}

// Total is the outcome's social spend.
func (o OutcomeFigures) Total() int64 { return o.Specialist + o.Embedded }

// Summary is the whole result, ready to report.
type Summary struct {
	Overall        Figures
	ByBusinessUnit []Keyed
	ByCostCentre   []Keyed
	ByOutcome      []OutcomeFigures // social outcomes with spend, largest first
	ByTheme        []Keyed          // Specialist and Embedded carry the theme's spend
}

// NoBusinessUnit labels lines that had no business unit.
const NoBusinessUnit = "(no business unit)"

// Summarise adds up every line's allocations.
func Summarise(f *Framework, lines []ingest.CostLine, matches []Match) Summary {
	s := NewSummariser(f)
	for i := range lines {
		s.Add(&lines[i], matches[i], Allocate(lines[i].Amount, matches[i]))
	}
	return s.Summary()
}

// Summariser adds lines up one at a time, so a summary needs no more memory
// than its keys, however many lines there are.
type Summariser struct {
	f        *Framework
	overall  Figures
	bu, cc   map[string]*Keyed
	themes   map[string]*Keyed
	outcomes map[string]*OutcomeFigures
	ccKey    []byte
}

// NewSummariser starts an empty summary.
func NewSummariser(f *Framework) *Summariser {
	return &Summariser{f: f, bu: map[string]*Keyed{}, cc: map[string]*Keyed{}, themes: map[string]*Keyed{}, outcomes: map[string]*OutcomeFigures{}}
}

func getKeyed(m map[string]*Keyed, key, label string) *Keyed {
	k, ok := m[key]
	if !ok {
		k = &Keyed{Key: key, Label: label}
		m[key] = k
	}
	return k
}

// Add counts one line, matched and allocated.
func (s *Summariser) Add(l *ingest.CostLine, m Match, allocs []Allocation) {
	buKey := strings.TrimSpace(l.BusinessUnit)
	if buKey == "" {
		buKey = NoBusinessUnit
	}
	b := s.bu[buKey]
	if b == nil {
		b = getKeyed(s.bu, strings.Clone(buKey), strings.Clone(buKey))
	}
	// A cost centre is its code and name together: lines with a name but
	// no code are told apart by the name.
	ccCode, ccName := strings.TrimSpace(l.CostCentre), strings.TrimSpace(l.CostCentreName)
	s.ccKey = append(append(append(s.ccKey[:0], ccCode...), 0), ccName...)
	c := s.cc[string(s.ccKey)]
	if c == nil {
		label := strings.TrimSpace(ccCode + " " + ccName)
		if label == "" {
			label = "(no cost centre)"
		}
		c = getKeyed(s.cc, string(s.ccKey), label)
	}
	for _, fig := range []*Figures{&s.overall, &b.Figures, &c.Figures} {
		fig.Lines++
		if m.Status == StatusUnreadable {
			fig.Unreadable++
		}
	}
	for _, a := range allocs {
		s.overall.add(a)
		b.add(a)
		c.add(a)
		if !a.Mode.Social() {
			continue
		}
		o, ok := s.outcomes[a.Outcome]
		if !ok {
			out, _ := s.f.Outcome(a.Outcome)
			o = &OutcomeFigures{Outcome: *out}
			s.outcomes[a.Outcome] = o
		}
		o.Lines++
		t := getKeyed(s.themes, o.Outcome.Theme, o.Outcome.Theme)
		t.Lines++
		if a.Mode == Specialist {
			o.Specialist += a.Amount
			t.Specialist += a.Amount
		} else {
			o.Embedded += a.Amount
			t.Embedded += a.Amount
		}
	}
}

// Merge adds another summariser's counts to this one.
func (s *Summariser) Merge(o *Summariser) {
	s.overall.merge(o.overall)
	for _, pair := range []struct{ into, from map[string]*Keyed }{{s.bu, o.bu}, {s.cc, o.cc}, {s.themes, o.themes}} {
		for k, v := range pair.from {
			if _, ok := pair.into[k]; !ok {
				// Copies: a key read from a workbook is a slice of its
				// text, which a run over many files must not keep.
				k, v.Label = strings.Clone(k), strings.Clone(v.Label)
			}
			getKeyed(pair.into, k, v.Label).Figures.merge(v.Figures)
		}
	}
	for k, v := range o.outcomes {
		if mine, ok := s.outcomes[k]; ok {
			mine.Specialist += v.Specialist
			mine.Embedded += v.Embedded
			mine.Lines += v.Lines
		} else {
			c := *v
			s.outcomes[k] = &c
		}
	}
}

func (f *Figures) merge(o Figures) {
	f.Lines += o.Lines
	f.Specialist += o.Specialist
	f.Embedded += o.Embedded
	f.Core += o.Core
	f.Unmapped += o.Unmapped
	f.Income += o.Income
	f.Unreadable += o.Unreadable
}

// Summary sorts what has been added into a Summary.
func (s *Summariser) Summary() Summary {
	out := Summary{Overall: s.overall}
	byExpenditure := func(a, b Keyed) int {
		return cmp.Or(cmp.Compare(b.Expenditure(), a.Expenditure()), cmp.Compare(a.Key, b.Key))
	}
	for _, k := range s.bu {
		out.ByBusinessUnit = append(out.ByBusinessUnit, *k)
	}
	slices.SortFunc(out.ByBusinessUnit, byExpenditure)
	for _, k := range s.cc {
		out.ByCostCentre = append(out.ByCostCentre, *k)
	}
	// By the code and name people read; the internal key breaks a tie (a
	// code "HM1" and a name "HM1"), so the order never depends on a map.
	slices.SortFunc(out.ByCostCentre, func(a, b Keyed) int {
		return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.Key, b.Key))
	})
	for i := range out.ByCostCentre {
		out.ByCostCentre[i].Key = out.ByCostCentre[i].Label
	}
	for _, t := range s.themes {
		out.ByTheme = append(out.ByTheme, *t)
	}
	slices.SortFunc(out.ByTheme, func(a, b Keyed) int {
		return cmp.Or(cmp.Compare(b.Social(), a.Social()), cmp.Compare(a.Key, b.Key))
	})
	for _, o := range s.outcomes {
		out.ByOutcome = append(out.ByOutcome, *o)
	}
	slices.SortFunc(out.ByOutcome, func(a, b OutcomeFigures) int {
		return cmp.Or(cmp.Compare(b.Total(), a.Total()), cmp.Compare(a.Outcome.Code, b.Outcome.Code))
	})
	return out
}

// MatchAll matches every line.
func (f *Framework) MatchAll(lines []ingest.CostLine) []Match {
	out := make([]Match, len(lines))
	for i := range lines {
		out[i] = f.MatchLine(&lines[i])
	}
	return out
}

// Decimal writes the ratio as a decimal fraction with the given number of
// places, rounded half away from zero: Ratio{1, 3}.Decimal(4) = "0.3333".
func (r Ratio) Decimal(places int) string {
	if r.Den == 0 {
		return ""
	}
	return decimal(r.Num, r.Den, 1, places)
}

// decimal writes num×k/den rounded half away from zero to places decimals,
// exactly, whatever the size of the sums.
func decimal(num64, den64, k int64, places int) string {
	num, den := big.NewInt(num64), big.NewInt(den64)
	num.Mul(num, big.NewInt(k))
	if den.Sign() < 0 {
		num.Neg(num)
		den.Neg(den)
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(num, scale)
	n.Mul(n, big.NewInt(2))
	q := new(big.Int).Quo(n, den) // twice the scaled value, truncated toward zero
	if q.Sign() >= 0 {
		q.Add(q, big.NewInt(1))
	} else {
		q.Sub(q, big.NewInt(1))
	}
	q.Quo(q, big.NewInt(2))
	neg := q.Sign() < 0
	digits := new(big.Int).Abs(q).String()
	for len(digits) <= places {
		digits = "0" + digits
	}
	s := digits
	if places > 0 {
		s = digits[:len(digits)-places] + "." + digits[len(digits)-places:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
