package ingest

import (
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest/ingesttest"
)

// formulaRow is row 5 of a sheet: A5 text, B5 blank, C5 1500.25, D5 12,
// E5 a formula saved without its value (C5*12), F5 0.175, G5 a float as
// Excel stores it, H5 a formula with its value, I5 a formula on I5 itself,
// J5 "TBC".
func formulaRow() rowCells {
	return rowCells{Row: 5, Cells: []cell{
		{Col: 1, Value: "Officer", HasValue: true},
		{Col: 3, Value: "1500.25", HasValue: true},
		{Col: 4, Value: "12", HasValue: true},
		{Col: 5, Formula: "C5*12", HasFormula: true},
		{Col: 6, Value: "0.175", HasValue: true},
		{Col: 7, Value: "1234.5599999999999", HasValue: true},
		{Col: 8, Value: "7", Formula: "3+4", HasFormula: true, HasValue: true},
		{Col: 9, Formula: "I5+1", HasFormula: true},
		{Col: 10, Value: "TBC", HasValue: true},
	}}
}

func TestEvalFormula(t *testing.T) {
	r := formulaRow()
	// Lines above in column K: rows 2..4, £100.10 + £200.20 + £300.30.
	above := func(col, lo, hi int) (int64, bool) {
		if col != 11 || lo < 2 || hi > 4 {
			return 0, false
		}
		amounts := map[int]int64{2: 10010, 3: 20020, 4: 30030}
		var s int64
		for row := lo; row <= hi; row++ {
			s += amounts[row]
		}
		return s, true
	}
	env := &formulaEnv{row: 5, cell: r.at, above: above}
	for _, tc := range []struct {
		formula string
		want    string // exact decimal, or "" when not calculated here
	}{
		{"C5*12", "18003"},
		{"=C5*12", "18003"},
		{"$C$5*$D$5", "18003"},
		{"c5 * d5", "18003"},
		{"(C5+D5)*1.1", "1663.475"},
		{"C5*(1+F5)", "1762.79375"},
		{"C5*17.5%", "262.54375"},
		{"-C5", "-1500.25"},
		{"--C5", "1500.25"},
		{"+C5-D5*2", "1476.25"},
		{"C5/3", "500.083333333333333333333333333333"},
		{"1/3*3", "1"},
		{"E5/12", "1500.25"}, // E5 is calculated in turn
		{"H5*2", "14"},       // H5's saved value
		{"B5+C5", "1500.25"}, // a blank is 0
		{"G5*12", "14814.7199999999988"},
		{"SUM(C5:D5)", "1512.25"},
		{"SUM(A5:H5)", "20756.9849999999999"}, // text and blanks left out, E5 calculated
		{"SUM(C5,D5,100)", "1612.25"},
		{"SUM(C5:D5)*12", "18147"},
		{"SUM()", "0"},
		{"ROUND(C5/3,2)", "500.08"},
		{"ROUND(2.675,2)", "2.68"},
		{"ROUND(-2.5,0)", "-3"},
		{"ROUND(1234,-2)", "1200"},
		{"SUM(K2:K4)", "600.6"},
		{"SUM(K2:K4)/2", "300.3"},
		{"1E3+.5", "1000.5"},
		{"12%%", "0.0012"},
		{"_xlfn.SUM(C5)", "1500.25"},
		// Not calculated here: excelize calculates them, or names them.
		{"I5", "circular"},         // I5 refers to itself
		{"SUM(A5:J5)", "circular"}, // and so does this, through I5
		{"J5*2", ""},               // text in arithmetic
		{"C4*2", ""},               // another row
		{"Sheet2!C5*2", ""},        // another sheet
		{"VAT*C5", ""},             // a defined name
		{"C5^2", ""},
		{"IF(C5>0,1,2)", ""},
		{"C5/0", ""},
		{"SUM(K2:K9)", ""}, // reaches rows that are not lines
		{"SUM(C2:C4)", ""}, // not the column that holds lines
		{"C5:D5", ""},
		{"C5&D5", ""},
		{"(C5", ""},
		{"C5)", ""},
		{"", ""},
		{"1E999", ""},
		{"ROUND(C5,1.5)", ""},
		{"C5 D5", ""},
	} {
		t.Run(tc.formula, func(t *testing.T) {
			v, err := evalFormula(tc.formula, env)
			if tc.want == "circular" {
				if !errors.Is(err, errCircular) {
					t.Fatalf("= %v, %v; want a circular reference", v, err)
				}
				return
			}
			if tc.want == "" {
				if !errors.Is(err, errNotHere) {
					t.Fatalf("= %v, %v; want it left to excelize", v, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := exactDecimal(v); got != tc.want {
				t.Errorf("= %s, want %s", got, tc.want)
			}
		})
	}
}

// The exact decimal text rounds to the same penny as the value it stands
// for, in pounds and in thousands of pounds.
func TestExactDecimalRoundsAsTheValue(t *testing.T) {
	for _, tc := range []struct {
		num, den      int64
		pence, thousP int64
	}{
		{1, 3, 33, 33333},
		{2, 3, 67, 66667},
		{-2, 3, -67, -66667},
		{1, 200, 1, 500},            // exactly half a penny: away from zero
		{-1, 200, -1, -500},         //
		{1, 8, 13, 12500},           // 0.125
		{5, 1, 500, 500000},         //
		{100001, 3, 3333367, 0},     // 33333.6666…
		{1, 7000, 0, 14},            // 0.000142857… £000 → £0.142857…
		{499999, 100000000, 0, 500}, // 0.00499999 → 0p; in £000, £4.99999 → £5.00
	} {
		v := big.NewRat(tc.num, tc.den)
		s := exactDecimal(v)
		if p, err := ParsePence(s); err != nil || p != tc.pence {
			t.Errorf("%d/%d = %s: %d pence (%v), want %d", tc.num, tc.den, s, p, err, tc.pence)
		}
		if tc.thousP != 0 {
			if p, err := ParseThousandsPence(s); err != nil || p != tc.thousP {
				t.Errorf("%d/%d = %s in £000: %d pence (%v), want %d", tc.num, tc.den, s, p, err, tc.thousP)
			}
		}
	}
}

func FuzzEvalFormula(f *testing.F) {
	for _, s := range []string{"C5*12", "(C5+D5)*1.1", "SUM(A5:H5)", "ROUND(C5/3,2)", "SUM(K2:K4)", "E5/12", "12%%", "-(-(1))"} {
		f.Add(s)
	}
	r := formulaRow()
	env := &formulaEnv{row: 5, cell: r.at, above: func(col, lo, hi int) (int64, bool) { return int64(hi - lo), true }}
	f.Fuzz(func(t *testing.T, formula string) {
		v, err := evalFormula(formula, env)
		if err != nil {
			if !errors.Is(err, errNotHere) {
				t.Fatalf("%q: %v", formula, err)
			}
			return
		}
		s := exactDecimal(v)
		// Whatever it calculates is a number ParsePence reads (or says is
		// too large), and the text is that number.
		if _, err := ParsePence(s); err != nil && !strings.Contains(err.Error(), "too large") && !strings.Contains(err.Error(), "more than") {
			t.Fatalf("%q = %s: %v", formula, s, err)
		}
		if w, ok := new(big.Rat).SetString(s); !ok || len(s) < 40 && strings.Count(s, ".") == 1 && len(strings.SplitN(s, ".", 2)[1]) < 30 && w.Cmp(v) != 0 {
			t.Fatalf("%q = %s, not %s", formula, s, v.RatString())
		}
	})
}

func BenchmarkEvalFormula(b *testing.B) {
	r := formulaRow()
	env := &formulaEnv{row: 5, cell: r.at}
	for _, f := range []string{"C5*12", "(C5+D5)*1.1", "G5*12"} {
		b.Run(f, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := evalFormula(f, env)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ParsePence(exactDecimal(v)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// An amount formula saved without its value that refers to its own cell
// has no value: refused by cell, not made up (a blank taken as 0 gave
// =C3+1 as £1.00).
func TestCircularAmountRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := ingesttest.WriteRawXLSX(p, ingesttest.Sheet{Name: "Budget", Rows: [][]any{
		{"Cost Centre", "Description", "Amount"},
		{"HM1", "Repairs", 12000},
		{"HM1", "Uplift", ingesttest.Formula{Expr: "C3+1", NoCache: true}},
	}}); err != nil {
		t.Fatal(err)
	}
	_, err := ReadBudget(p, Options{})
	if err == nil || !strings.Contains(err.Error(), `cell C3: formula =C3+1 refers to its own cell`) {
		t.Errorf("err = %v; want cell C3 refused as a circular reference", err)
	}
}
