package export

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/purpose-hq/purpose/ingest"
)

// decimalUnits writes what an exact decimal of the units says, as
// big.Rat's FloatString does, trailing zeros trimmed.
func TestDecimalUnits(t *testing.T) {
	rat := func(n, unit int64) string {
		digits := len(strings.TrimLeft(big.NewInt(unit).String(), "1"))
		s := new(big.Rat).SetFrac64(n, unit).FloatString(digits)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		if s == "-0" {
			s = "0"
		}
		return s
	}
	rng := rand.New(rand.NewPCG(3, 4))
	cases := []int64{0, 1, -1, 500000000, 1_500_000_000, -2_000_000_000, 333333333, math.MaxInt64, math.MinInt64 + 1, 10, 100, 999999}
	for range 20000 {
		cases = append(cases, rng.Int64N(1e13)-5e12, rng.Int64N(2000)-1000)
	}
	for _, unit := range []int64{ingest.FTEUnit, ingest.ShareUnit, 100, 1} {
		for _, n := range cases {
			if got, want := decimalUnits(n, unit), rat(n, unit); got != want {
				t.Fatalf("decimalUnits(%d, %d) = %q, want %q", n, unit, got, want)
			}
		}
	}
}
