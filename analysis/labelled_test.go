package analysis

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
	"github.com/purpose-hq/purpose/templates"
)

// labelledLine is a line of testdata/labelled/lines.csv with its label.
type labelledLine struct {
	id, outcome, mode, trap string
	line                    ingest.CostLine
}

// codeName reads a combined "NB02 - Tenancy Sustainment" or "5001 Salaries"
// cell as ingest does: a first word holding a digit is the code.
var codeName = regexp.MustCompile(`^([A-Za-z]*[0-9][A-Za-z0-9]*)\s*(?:[-–:]\s*)?\s(.+)$`)

func splitCodeName(code, name string) (string, string) {
	if name == "" {
		if m := codeName.FindStringSubmatch(strings.TrimSpace(code)); m != nil {
			return m[1], m[2]
		}
	}
	return code, name
}

func readLabelled(t *testing.T) []labelledLine {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "labelled", "lines.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []labelledLine
	for n, row := range rows[1:] {
		get := func(name string) string {
			i, ok := col[name]
			if !ok {
				t.Fatalf("lines.csv has no column %q", name)
			}
			return row[i]
		}
		amount, err := ingest.ParsePence(get("amount"))
		if err != nil {
			t.Fatalf("lines.csv row %d: %v", n+2, err)
		}
		cc, ccName := splitCodeName(get("cost_centre"), get("cost_centre_name"))
		nominal, nominalName := splitCodeName(get("nominal"), get("nominal_name"))
		out = append(out, labelledLine{
			id: get("id"), outcome: get("outcome"), mode: get("mode"), trap: get("trap"),
			line: ingest.CostLine{
				Source:       ingest.Source{File: "lines.csv", Row: n + 2},
				BusinessUnit: get("business_unit"), CostCentre: cc, CostCentreName: ccName,
				Nominal: nominal, NominalName: nominalName,
				Description: get("description"), Payee: get("payee"), Amount: amount,
			},
		})
	}
	return out
}

// mainOutcome is the outcome with the largest share of a line, ties to the
// part listed first (a rule's outcomes come before the core rest); an
// unmapped line's is core.
func mainOutcome(m Match, amount int64) (string, Mode) {
	best := Allocation{Outcome: OutcomeCore, Mode: Core}
	for _, a := range Allocate(amount, m) {
		if a.Share > best.Share {
			best = a
		}
	}
	if best.Mode == Unmapped {
		return OutcomeCore, Core
	}
	return best.Outcome, best.Mode
}

func socialOutcome(code string) bool { return code != OutcomeCore && code != OutcomeIncome }

// The built-in framework on lines labelled by hand from the outcome
// definitions (testdata/labelled/README.md): at least 90% of lines get the
// right main outcome, and no core or income line is called social.
func TestBuiltInFrameworkOnLabelledLines(t *testing.T) {
	ft, err := ingest.ReadFrameworkDefault(templates.FS, templates.FrameworkDir)
	if err != nil {
		t.Fatal(err)
	}
	fw, err := NewFramework(ft)
	if err != nil {
		t.Fatal(err)
	}
	lines := readLabelled(t)
	if len(lines) < 200 {
		t.Fatalf("only %d labelled lines", len(lines))
	}
	var right, modeRight, social, trapped, trapRight int
	var missed, calledSocial, otherOutcome []string
	for _, l := range lines {
		m := fw.MatchLine(&l.line)
		got, mode := mainOutcome(m, l.line.Amount)
		rule := m.RuleID()
		if rule == "" {
			rule = "unmapped"
		}
		desc := fmt.Sprintf("%s %s | %s | %s | %q: labelled %s, got %s (%s)", l.id, l.line.CostCentre, l.line.CostCentreName, l.line.NominalName, l.line.Description, l.outcome, got, rule)
		if l.trap != "" {
			trapped++
		}
		if socialOutcome(l.outcome) {
			social++
		}
		switch {
		case got == l.outcome:
			right++
			if l.trap != "" {
				trapRight++
			}
			if string(mode) == l.mode {
				modeRight++
			}
		case socialOutcome(l.outcome) && !socialOutcome(got):
			missed = append(missed, desc)
		case !socialOutcome(l.outcome) && socialOutcome(got):
			calledSocial = append(calledSocial, desc)
		default:
			otherOutcome = append(otherOutcome, desc)
		}
	}
	pct := func(n, of int) string { return fmt.Sprintf("%d/%d (%.1f%%)", n, of, 100*float64(n)/float64(of)) }
	t.Logf("main outcome right: %s; of those, mode right too: %d", pct(right, len(lines)), modeRight)
	t.Logf("lines with a trap right: %s", pct(trapRight, trapped))
	t.Logf("social lines missed (called core or income): %s", pct(len(missed), social))
	for _, s := range missed {
		t.Log("  missed: " + s)
	}
	t.Logf("core or income lines called social: %s", pct(len(calledSocial), len(lines)-social))
	for _, s := range calledSocial {
		t.Log("  called social: " + s)
	}
	t.Logf("other wrong outcomes: %d", len(otherOutcome))
	for _, s := range otherOutcome {
		t.Log("  other: " + s)
	}
	if right*10 < len(lines)*9 {
		t.Errorf("main outcome right on %s of lines, want at least 90%%", pct(right, len(lines)))
	}
	if len(calledSocial) > 0 {
		t.Errorf("%d core or income lines called social", len(calledSocial))
	}
}
