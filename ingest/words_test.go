package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// firstWord finds the word a result phrase would start with, as trimming
// spaces and brackets and cutting at a space, ")" or "/" does.
func TestFirstWord(t *testing.T) {
	cut := func(v string) string {
		v = strings.TrimLeft(v, " (")
		if end := strings.IndexAny(v, " )/"); end >= 0 {
			return v[:end]
		}
		return v
	}
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Net expenditure", "Net"},
		{"  (Surplus)/deficit", "Surplus"},
		{"total/net", "total"},
		{"((", ""},
		{"Budget", "Budget"},
		{" ) x", ""},
	} {
		if got := firstWord(c.in); got != c.want {
			t.Errorf("firstWord(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const chars = " ()/aN\t"
	for range 20000 {
		b := make([]byte, rng.IntN(10))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		if v := string(b); firstWord(v) != cut(v) {
			t.Fatalf("firstWord(%q) = %q, want %q", v, firstWord(v), cut(v))
		}
	}
}
