package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

const (
	outcomesHeader = "code,name,theme,description\n"
	rulesHeader    = "id,business_unit,cost_centre,nominal,keywords,outcome,share,mode,note\n"
)

// frameworkDir writes a framework folder with the two tables given.
func frameworkDir(t *testing.T, outcomes, rules string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{"outcomes.csv": outcomes, "rules.csv": rules} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A misspelt column was silently left out: every rule then had no
// criteria, and a run reported no expenditure and exited 0.
func TestFrameworkMisspeltColumnIsAnError(t *testing.T) {
	dir := frameworkDir(t, outcomesHeader+"youth,Youth,Young people,x\n",
		"id,business_unit,cost_centre,nominal,keyword,outcome,share,mode,note\nR1,,,,youth club,youth,,specialist,\n")
	_, err := ReadFramework(dir)
	if err == nil {
		t.Fatal("a rules table with a column \"keyword\" was read without an error")
	}
	want := filepath.Join(dir, "rules.csv") + `: row 1 column E: "keyword" is not a column of the rules table; did you mean "keywords"?`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error\n%v\ndoes not say\n%s", err, want)
	}
	if strings.Contains(err.Error(), "has no \"keywords\" column") {
		t.Errorf("the misspelling is reported twice:\n%v", err)
	}
}

func TestFrameworkHeaderChecks(t *testing.T) {
	tests := []struct {
		name     string
		outcomes string
		rules    string
		want     []string // each in the error; none means no error
	}{
		{
			name:     "headers in any case and spacing",
			outcomes: "Code, Name ,THEME,Description\nyouth,Youth,Young people,x\n",
			rules:    "ID,Business Unit,Cost Centre,Nominal,Keywords,Outcome,Share,Mode,Note\nR1,,,,youth,youth,,specialist,\n",
		},
		{
			name:     "optional columns left out",
			outcomes: "code,name,theme\nyouth,Youth,Young people\n",
			rules:    "id,business_unit,cost_centre,nominal,keywords,outcome,share,mode\nR1,,,,youth,youth,,specialist\n",
		},
		{
			name:     "payee column",
			outcomes: outcomesHeader + "youth,Youth,Young people,x\n",
			rules:    "id,business_unit,cost_centre,nominal,keywords,payee,outcome,share,mode,note\nR1,,,,,Youth Trust,youth,,specialist,\n",
		},
		{
			name:     "a column with no heading is not read",
			outcomes: "code,name,theme,description,\nyouth,Youth,Young people,x,a note\n",
			rules:    rulesHeader + "R1,,,,youth,youth,,specialist,\n",
		},
		{
			name:     "required column missing",
			outcomes: "code,theme,description\nyouth,Young people,x\n",
			rules:    rulesHeader + "R1,,,,youth,youth,,specialist,\n",
			want:     []string{`outcomes.csv: row 1: the outcomes table has no "name" column (its columns are code, name, theme, description (optional))`},
		},
		{
			name:     "misspelt outcome column",
			outcomes: "cdoe,name,theme,description\nyouth,Youth,Young people,x\n",
			rules:    rulesHeader + "R1,,,,youth,youth,,specialist,\n",
			want:     []string{`outcomes.csv: row 1 column A: "cdoe" is not a column of the outcomes table; did you mean "code"?`},
		},
		{
			name:     "cost center",
			outcomes: outcomesHeader + "youth,Youth,Young people,x\n",
			rules:    "id,business_unit,cost_center,nominal,keywords,outcome,share,mode,note\n",
			want:     []string{`rules.csv: row 1 column C: "cost_center" is not a column of the rules table; did you mean "cost_centre"?`},
		},
		{
			name:     "unknown column far from any",
			outcomes: outcomesHeader + "youth,Youth,Young people,x\n",
			rules:    "id,business_unit,cost_centre,nominal,keywords,outcome,share,mode,note,weighting\n",
			want:     []string{`rules.csv: row 1 column J: "weighting" is not a column of the rules table (its columns are id, business_unit, cost_centre, nominal, keywords, payee (optional), outcome, share, mode, note (optional))`},
		},
		{
			name:     "column given twice, both tables reported",
			outcomes: "code,name,theme,theme\n",
			rules:    "id,business_unit,cost_centre,nominal,keywords,outcome,share,mode,keywords\n",
			want: []string{
				`outcomes.csv: row 1 column D: column "theme" is given twice (also column C)`,
				`rules.csv: row 1 column I: column "keywords" is given twice (also column E)`,
			},
		},
		{
			name:     "header below blank rows",
			outcomes: "\n\ncode,name,thme\n",
			rules:    rulesHeader,
			want:     []string{`outcomes.csv: row 3 column C: "thme" is not a column of the outcomes table; did you mean "theme"?`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFrameworkFS(fstest.MapFS{
				"fw/outcomes.csv": {Data: []byte(tt.outcomes)},
				"fw/rules.csv":    {Data: []byte(tt.rules)},
			}, "fw")
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not say\n%s", err, w)
				}
			}
		})
	}
}

func TestFrameworkRowsAreTypedWithTheirRows(t *testing.T) {
	ft, err := ReadFrameworkFS(fstest.MapFS{
		"outcomes.csv": {Data: []byte(outcomesHeader + "youth, Youth ,Young people,x\n")},
		"rules.csv": {Data: []byte("id,business_unit,cost_centre,nominal,keywords,payee,outcome,share,mode,note\n" +
			"R1,Communities,CI*,5000-5099,youth club;play scheme,Youth Trust,youth,60%,specialist,a note\n" +
			",,,,,,,,,\n" +
			"R2,,,,,,core,,core,\n")},
	}, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(ft.Outcomes) != 1 || ft.Outcomes[0] != (OutcomeRow{Code: "youth", Name: "Youth", Theme: "Young people", Description: "x", Source: Source{File: "outcomes.csv", Row: 2}}) {
		t.Errorf("outcomes %+v", ft.Outcomes)
	}
	want := []RuleRow{
		{ID: "R1", BusinessUnit: "Communities", CostCentre: "CI*", Nominal: "5000-5099", Keywords: "youth club;play scheme", Payee: "Youth Trust", Outcome: "youth", Share: "60%", Mode: "specialist", Note: "a note", Source: Source{File: "rules.csv", Row: 2}},
		{ID: "R2", Outcome: "core", Mode: "core", Source: Source{File: "rules.csv", Row: 4}},
	}
	if len(ft.Rules) != len(want) {
		t.Fatalf("rules %+v", ft.Rules)
	}
	for i := range want {
		if ft.Rules[i] != want[i] {
			t.Errorf("rule %d = %+v, want %+v", i, ft.Rules[i], want[i])
		}
	}
	if ft.SHA256 == "" {
		t.Error("no SHA-256")
	}
}

func TestFrameworkWorkbookHeaderChecked(t *testing.T) {
	outcomes := ingesttest.Sheet{Name: "Outcomes", Rows: [][]any{{"code", "name", "theme"}, {"youth", "Youth", "Young people"}}}
	good := ingesttest.Sheet{Name: "Rules", Rows: [][]any{
		{"id", "business_unit", "cost_centre", "nominal", "keywords", "outcome", "share", "mode"},
		{"R1", nil, nil, nil, "youth club", "youth", "60%", "specialist"},
	}}
	bad := ingesttest.Sheet{Name: "Rules", Rows: [][]any{
		{"Framework rules"},
		{"id", "business_unit", "cost_centre", "nominal", "keyword", "outcome", "share", "mode"},
	}}
	p := filepath.Join(t.TempDir(), "fw.xlsx")
	if err := ingesttest.WriteXLSX(p, outcomes, good); err != nil {
		t.Fatal(err)
	}
	ft, err := ReadFramework(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(ft.Rules) != 1 || ft.Rules[0].Keywords != "youth club" || ft.Rules[0].Source != (Source{File: p, Sheet: "Rules", Row: 2}) {
		t.Errorf("rules %+v", ft.Rules)
	}
	if err := ingesttest.WriteXLSX(p, outcomes, bad); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFramework(p)
	// The title row is taken as the header: every column is then missing,
	// and the message says which row it read and what it lacked.
	if err == nil || !strings.Contains(err.Error(), p+`: sheet "Rules": row 1 column A: "Framework rules" is not a column of the rules table`) {
		t.Errorf("error %v", err)
	}
}

func TestDefaultFrameworkTablesRead(t *testing.T) {
	dir := filepath.Join("..", "templates", "framework")
	ft, err := ReadFrameworkFS(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(ft.Outcomes) == 0 || len(ft.Rules) == 0 {
		t.Errorf("%d outcomes, %d rules", len(ft.Outcomes), len(ft.Rules))
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"keyword", "keywords", 1}, {"cost_center", "cost_centre", 1}, {"", "abc", 3}, {"code", "code", 0}, {"cdoe", "code", 1}, {"kitten", "sitting", 3}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
