package ingest

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// parseScaledRat is parseScaled as it was before scaleDecimal, all through
// big.Rat: the reference the fast path must agree with.
func parseScaledRat(s string, unit int64) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" || strings.ContainsAny(s, "/") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	x.Mul(x, new(big.Rat).SetInt64(unit))
	num, den := x.Num(), x.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	if !q.IsInt64() || q.Int64() > 1e15 || q.Int64() < -1e15 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return q.Int64(), nil
}

// scaledUnits are the units parseScaled is called with, and some others.
var scaledUnits = []int64{FTEUnit, ShareUnit, ShareUnit / 100, 1, 100, 7, 3_000_000_007, 1 << 62}

// sameScaled reports how parseScaled and parseScaledRat differ on s, ""
// if they give the same value and the same error text.
func sameScaled(s string, unit int64) string {
	got, err := parseScaled(s, unit)
	want, werr := parseScaledRat(s, unit)
	if got != want || fmt.Sprint(err) != fmt.Sprint(werr) {
		return fmt.Sprintf("parseScaled(%q, %d) = %d, %v; big.Rat alone gives %d, %v", s, unit, got, err, want, werr)
	}
	return ""
}

// scaledEdges are inputs at the edges of what scaleDecimal reads itself.
var scaledEdges = []string{
	"0", "-0", "+0", "0.0", "00012.5000", ".5", "5.", "-.5", "+.5e1", "5.e3", ".", "-", "+", "-.", "e5", ".e5", "1e", "1e+", "1e-",
	"0.5", "0.53333333333333333", "0.66666666666666667", "5E-2", "5e+2", "28.5", "1,000", "1,234.5", " 7 ", "1 000",
	"0.0000000005", "0.0000000004999", "-0.0000000005", "0.00000000049999999999999", "0.000000000500000000000000001",
	"1e15", "1e16", "1000000000000001", "1000000000000000.5", "999999999999999.5", "-1000000000000000.4", "1000000.000000001", "1000000.0000000005", "-1000000.0000000004", "10000.0000000001", "1000000", "1000001", "999999.9999995", "999999.9999994999", "-1000000.0000004", "1e6", "1.0000000000000001e6",
	"9999999999999999999", "99999999999999999999", "18446744073709551615", "18446744073709551616", "0.9999999999999999999",
	"0.99999999999999999999", "1234567890123456789e-19", "1234567890123456789e-20", "1e9999", "1e10000", "0e99999", "0e9999999999999999999",
	"1e-9999", "5e-10", "5e-7", "5e-5", "-5e-5", "1e0000", "1e00001", "1_000", "1__0", "_1", "0x10", "0x1p-2", "0b101", "0o17", "017", "08",
	"1.5.5", "1e5.5", "--1", "+-1", "1-", "½", "١٢", "1e5x", "NaN", "Inf", "1/2", "0.5%", "TBC", "", " ", "\t0.25\n",
}

func TestParseScaledAgreesWithBigRat(t *testing.T) {
	for _, s := range scaledEdges {
		for _, unit := range scaledUnits {
			if d := sameScaled(s, unit); d != "" {
				t.Error(d)
			}
		}
	}
	// Random strings of the characters numbers are written with, most of
	// them not numbers at all, and random decimals near the edges.
	rng := rand.New(rand.NewPCG(8, 8))
	const chars = "0123456789.+-,_x "
	for range 50_000 {
		var b strings.Builder
		for range 1 + rng.IntN(20) {
			b.WriteByte(chars[rng.IntN(len(chars))])
		}
		if rng.IntN(4) == 0 { // an exponent, mostly short: a long one takes big.Rat long
			b.WriteString([]string{"e", "E", "e-", "E+"}[rng.IntN(4)])
			b.WriteString(fmt.Sprint(rng.IntN(1 + 10*rng.IntN(1000))))
		}
		unit := scaledUnits[rng.IntN(len(scaledUnits))]
		if d := sameScaled(b.String(), unit); d != "" {
			t.Fatal(d)
		}
		n := fmt.Sprintf("%d.%0*de%d", rng.Int64N(1e12)-5e11, rng.IntN(12), rng.Int64N(1e12), rng.IntN(40)-25)
		if d := sameScaled(n, unit); d != "" {
			t.Fatal(d)
		}
	}
}

func FuzzParseScaled(f *testing.F) {
	for _, s := range scaledEdges {
		f.Add(s, int64(FTEUnit))
	}
	f.Fuzz(func(t *testing.T, s string, unit int64) {
		if d := sameScaled(s, unit); d != "" {
			t.Error(d)
		}
	})
}
