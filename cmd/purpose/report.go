package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/samber/lo"

	"github.com/purpose-hq/purpose/analysis"
	"github.com/purpose-hq/purpose/export"
	"github.com/purpose-hq/purpose/ingest"
)

// printReport writes the few lines a person reads after a run.
// removed names the outputs of an earlier run in out that this run took
// away, not writing them. checking is a check, which writes no workbook
// whose sheets it could point to.
func printReport(w io.Writer, run *export.Run, out string, written, removed []string, checking bool) {
	// Where to look: "see the Review sheet" or "the Reconciliation sheet
	// lists the rows left out and why"; after a check, a run's sheet.
	see := func(sheet, what string) string {
		if what == "them" {
			return "see the " + sheet + " sheet"
		}
		return "the " + sheet + " sheet lists " + what
	}
	if checking {
		see = func(sheet, what string) string { return "a run's " + sheet + " sheet lists " + what }
	}
	o := run.Overall.Overall
	lines := lo.SumBy(run.Inputs, func(in export.Input) int { return in.Counts.Lines })
	unmapped := lo.SumBy(run.Inputs, func(in export.Input) int { return in.Counts.Unmapped })
	unreadable := lo.SumBy(run.Inputs, func(in export.Input) int { return in.Counts.Unreadable })
	unmappedAmount := lo.SumBy(run.Inputs, func(in export.Input) int64 { return in.Counts.UnmappedAmount })
	fmt.Fprintf(w, "Read %s %s from %s %s (framework: %s).\n", count(lines), plural(lines, "line", "lines"), count(len(run.Inputs)), plural(len(run.Inputs), "file", "files"), shownName(run.Framework.Name))
	exp := o.Expenditure()
	if o.Share().Defined() {
		fmt.Fprintf(w, "Social purpose: %s of expenditure, %s of %s.\n", o.Share().Percent(), money(o.Social()), money(exp))
		// Whole pounds that add up to the social figure shown above.
		spec, emb := wholePounds(o.Social(), o.Specialist)
		fmt.Fprintf(w, "  specialist %s (%s), embedded in core services %s (%s)\n",
			money(spec), analysis.Ratio{Num: o.Specialist, Den: exp}.Percent(),
			money(emb), analysis.Ratio{Num: o.Embedded, Den: exp}.Percent())
	} else {
		fmt.Fprintln(w, "Social purpose: no expenditure was found, so there is no share (n/a).")
	}
	if st := run.Staff.Total; st.Posts > 0 {
		fmt.Fprintf(w, "Staff time: %s of %s FTE (%s) on social purpose; embedded %s, specialist %s\n",
			export.FormatFTE(st.SocialFTE()), export.FormatFTE(st.FTE), analysis.Ratio{Num: st.SocialFTE(), Den: st.FTE}.Percent(),
			export.FormatFTE(st.EmbeddedFTE), export.FormatFTE(st.SpecialistFTE))
	}
	if n := len(run.Overall.ByBusinessUnit); n > 0 {
		fmt.Fprintln(w, "Largest business units:")
		width := lo.Max(lo.Map(run.Overall.ByBusinessUnit[:min(n, 5)], func(k analysis.Keyed, _ int) int { return len([]rune(shownName(k.Label))) }))
		for _, k := range run.Overall.ByBusinessUnit[:min(n, 5)] {
			fmt.Fprintf(w, "  %-*s %14s  %6s social\n", width, shownName(k.Label), money(k.Expenditure()), k.Share().Percent())
		}
	}
	badSubtotals := lo.SumBy(run.Inputs, func(in export.Input) int {
		return lo.SumBy(in.Book.Tables, func(t *ingest.Table) int {
			return lo.CountBy(t.Excluded, func(e ingest.Excluded) bool { return e.Reason == ingest.ReasonSubtotal && e.Checked && !e.Agrees() })
		})
	})
	var review []string
	if unmapped > 0 {
		review = append(review, fmt.Sprintf("%s %s no rule matched (%s)", count(unmapped), plural(unmapped, "line", "lines"), money(unmappedAmount)))
	}
	if unreadable > 0 {
		review = append(review, fmt.Sprintf("%s %s with unreadable amounts", count(unreadable), plural(unreadable, "line", "lines")))
	}
	if badSubtotals > 0 {
		review = append(review, fmt.Sprintf("%s %s that %s not agree with %s lines", count(badSubtotals), plural(badSubtotals, "subtotal", "subtotals"), plural(badSubtotals, "does", "do"), plural(badSubtotals, "its", "their")))
	}
	if len(review) == 0 {
		if lines == 0 {
			fmt.Fprintf(w, "To review: no lines were read; %s.\n", see("Reconciliation", "the rows left out and why"))
		} else {
			fmt.Fprintln(w, "To review: nothing; every line matched a rule and every subtotal agrees.")
		}
	} else {
		fmt.Fprintf(w, "To review: %s: %s.\n", strings.Join(review, ", "), see("Review", "them"))
	}
	for _, st := range run.Staffing {
		if n := st.Pay.Outside; n > 0 {
			fmt.Fprintf(w, "Pay: %s %s budget pay that differs from %s posts' cost by more than %s: %s.\n",
				count(n), plural(n, "cost centre has", "cost centres have"), plural(n, "its", "their"), st.Pay.Tolerance, see("Reconciliation", "them"))
		}
	}
	if len(written) > 0 {
		fmt.Fprintf(w, "Wrote %s: %s\n", shownName(filepath.Clean(out)+string(filepath.Separator)), strings.Join(lo.Map(written, func(s string, _ int) string { return shownName(s) }), ", "))
	}
	if len(removed) > 0 {
		fmt.Fprintf(w, "Removed from the earlier run there: %s\n", strings.Join(lo.Map(removed, func(s string, _ int) string { return shownName(s) }), ", "))
	}
}

// count is a count as people read it: 12,499.
func count(n int) string { return export.FormatCount(int64(n)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// money writes pence as whole pounds: £1,234,567.
func money(p int64) string { return ingest.FormatPounds(p) }

// wholePounds splits a total shown in whole pounds into a part and the
// rest, each in whole pounds, so that the two shown add up to the total
// shown (each rounded alone, they may be a pound out).
func wholePounds(total, part int64) (int64, int64) {
	round := func(p int64) int64 {
		if p < 0 {
			return -((-p + 50) / 100 * 100)
		}
		return (p + 50) / 100 * 100
	}
	return round(part), round(total) - round(part)
}
