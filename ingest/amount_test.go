package ingest

import (
	"errors"
	"testing"
)

func TestParsePence(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"", 0, false},
		{"-", 0, false},
		{" – ", 0, false},
		{"0", 0, false},
		{"1234.56", 123456, false},
		{"1234.5599999999999", 123456, false},
		{"1234.555", 123456, false},
		{"1234.554", 123455, false},
		{"-1234.555", -123456, false},
		{"£1,234.56", 123456, false},
		{"1,234", 123400, false},
		{"1,234,567.8", 123456780, false},
		{"(250.00)", -25000, false},
		{"(£250.00)", -25000, false},
		{"£(250.00)", 0, true},
		{"-250", -25000, false},
		{"−250", -25000, false},
		{"£-250", -25000, false},
		{"250.00-", -25000, false},
		{"250 CR", -25000, false},
		{"250 DR", 25000, false},
		{"GBP 10", 1000, false},
		{"+7.5", 750, false},
		{".5", 50, false},
		{"5.", 500, false},
		{"1.2345E+3", 123450, false},
		{"1.2345e3", 123450, false},
		{"5E-3", 1, false},
		{"4E-3", 0, false},
		{"1E+17", 0, true},
		{"92233720368547758.08", 0, true},
		{"92233720368547758.07", 9223372036854775807, false},
		{"92233720368547758.075", 0, true},
		{"123456789012345.67", 12345678901234567, false},
		{"\u00a0£ 12.00\u00a0", 1200, false},
		{"TBC", 0, true},
		{"1,23", 0, true},
		{"12,34.5", 0, true},
		{"1.2.3", 0, true},
		{"£", 0, true},
		{"()", 0, true},
		{"1 234", 0, true},
		{"12e", 0, true},
		{"0x10", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePence(tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("ParsePence(%q) = %d, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePence(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParsePence(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatPenceRoundTrip(t *testing.T) {
	for _, p := range []int64{0, 1, -1, 5, 99, 100, -105, 123456, 9223372036854775807, -9223372036854775807} {
		s := FormatPence(p)
		back, err := ParsePence(s)
		if err != nil || back != p {
			t.Errorf("FormatPence(%d) = %q, parsed back as %d (%v)", p, s, back, err)
		}
	}
}

func FuzzParsePence(f *testing.F) {
	for _, s := range []string{"1234.56", "£1,234.56", "(250.00)", "-", "1.2E+3", "250 CR", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePence(s)
		if err != nil {
			if !errors.Is(err, ErrNotAmount) && !errors.Is(err, errTooLarge) {
				t.Fatalf("ParsePence(%q): unexpected error type %v", s, err)
			}
			return
		}
		if p == -9223372036854775808 {
			t.Fatalf("ParsePence(%q) overflowed", s)
		}
		// What we print, we read back the same.
		if back, err := ParsePence(FormatPence(p)); err != nil || back != p {
			t.Fatalf("round trip of %q: %d -> %q -> %d (%v)", s, p, FormatPence(p), back, err)
		}
	})
}

func TestFormatMoney(t *testing.T) {
	for p, want := range map[int64]string{0: "£0.00", 5: "£0.05", -25000: "-£250.00", 123456789: "£1,234,567.89", 100000: "£1,000.00"} {
		if got := FormatMoney(p); got != want {
			t.Errorf("FormatMoney(%d) = %q, want %q", p, got, want)
		}
	}
}

func TestParseThousandsPence(t *testing.T) {
	for in, want := range map[string]int64{"95.4": 9540000, "95.4123": 9541230, "(1.5)": -150000, "-": 0, "1.2E+1": 1200000, "0.0004": 40, "0.000004": 0} {
		got, err := ParseThousandsPence(in)
		if err != nil || got != want {
			t.Errorf("ParseThousandsPence(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

func TestFormatPounds(t *testing.T) {
	for p, want := range map[int64]string{0: "£0", 49: "£0", 50: "£1", -30: "£0", -150: "-£2", 123456789: "£1,234,568", -25000: "-£250"} {
		if got := FormatPounds(p); got != want {
			t.Errorf("FormatPounds(%d) = %q, want %q", p, got, want)
		}
	}
}
