package br_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParseCPF_checkDigits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantCode, wantDigits string
	}{
		{"masked", "529.982.247-25", "", "52998224725"},
		{"bare", "52998224725", "", "52998224725"},
		{"spaces", " 529 982 247 25 ", "", "52998224725"},
		{"odd separators", "5.2.9-98224725", "", "52998224725"},
		{"other valid", "111.444.777-35", "", "11144477735"},
		{"dv zero", "123.456.789-09", "", "12345678909"},
		{"leading zero", "012.345.678-90", "", "01234567890"},
		{"empty", "", br.CodeRequired, ""},
		{"blank", "   ", br.CodeRequired, ""},
		{"letter", "529.982.247-2X", br.CodeInvalidFormat, ""},
		{"slash", "529/982/247-25", br.CodeInvalidFormat, ""},
		{"unicode digit", "５29.982.247-25", br.CodeInvalidFormat, ""},
		{"only separators", "..-", br.CodeInvalidLength, ""},
		{"short", "529.982.247-2", br.CodeInvalidLength, ""},
		{"long", "529.982.247-255", br.CodeInvalidLength, ""},
		{"repeated 1", "111.111.111-11", br.CodeRepeatedDigits, ""},
		{"repeated 0", "00000000000", br.CodeRepeatedDigits, ""},
		{"repeated 9", "999.999.999-99", br.CodeRepeatedDigits, ""},
		{"bad first dv", "529.982.247-35", br.CodeInvalidCheckDigit, ""},
		{"bad second dv", "529.982.247-26", br.CodeInvalidCheckDigit, ""},
		{"transposed", "259.982.247-25", br.CodeInvalidCheckDigit, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := br.ParseCPF(tt.in)
			requireCode(t, err, tt.wantCode, "cpf")
			if got.String() != tt.wantDigits {
				t.Fatalf("String() = %q, want %q", got.String(), tt.wantDigits)
			}
			if tt.wantCode != "" && !got.IsZero() {
				t.Fatal("failed parse must return the zero CPF")
			}
		})
	}
}

func TestCPF_formatted(t *testing.T) {
	t.Parallel()
	c, err := br.ParseCPF("52998224725")
	requireCode(t, err, "", "")
	if got := c.Formatted(); got != "529.982.247-25" {
		t.Fatalf("Formatted() = %q", got)
	}
	if c.IsZero() {
		t.Fatal("IsZero() = true for a parsed CPF")
	}
	var zero br.CPF
	if !zero.IsZero() || zero.String() != "" || zero.Formatted() != "" {
		t.Fatalf("zero CPF: %q %q", zero.String(), zero.Formatted())
	}
}

// makeCPF builds a valid CPF from a 9-digit base with the "sum*10 mod 11 mod
// 10" formulation, independent from the production code, so the two
// implementations cross-check each other.
func makeCPF(base [9]int) string {
	d := base[:]
	for len(d) < 11 {
		sum := 0
		for i, v := range d {
			sum += v * (len(d) + 1 - i)
		}
		d = append(d, sum*10%11%10)
	}
	s := ""
	for _, v := range d {
		s += strconv.Itoa(v)
	}
	return s
}

func TestParseCPF_randomRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var base [9]int
		for i := range base {
			base[i] = r.IntN(10)
		}
		want := makeCPF(base)
		c, err := br.ParseCPF(want)
		if err != nil {
			if allSameString(want) {
				requireCode(t, err, br.CodeRepeatedDigits, "cpf")
				continue
			}
			t.Fatalf("ParseCPF(%q): %v", want, err)
		}
		if c.String() != want {
			t.Fatalf("String() = %q, want %q", c.String(), want)
		}
		again, err := br.ParseCPF(c.Formatted())
		if err != nil || again != c {
			t.Fatalf("Formatted() round trip: %v %v", again, err)
		}
		// Any single-digit change in the check digits must be caught.
		for pos := 9; pos < 11; pos++ {
			b := []byte(want)
			b[pos] = "0123456789"[(int(b[pos]-'0')+1+r.IntN(9))%10]
			_, err := br.ParseCPF(string(b))
			requireCode(t, err, br.CodeInvalidCheckDigit, "cpf")
		}
	}
}

func TestGenerateCPF_valid(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		c := br.GenerateCPF(r)
		got, err := br.ParseCPF(c.String())
		if err != nil || got != c {
			t.Fatalf("GenerateCPF produced %q: %v", c, err)
		}
	}
	if br.GenerateCPF(nil).IsZero() {
		t.Fatal("GenerateCPF(nil) returned zero")
	}
	a := br.GenerateCPF(rand.New(rand.NewPCG(9, 9)))
	b := br.GenerateCPF(rand.New(rand.NewPCG(9, 9)))
	if a != b {
		t.Fatalf("same seed gave %v and %v", a, b)
	}
}

func allSameString(s string) bool {
	for i := range s {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

func FuzzParseCPF(f *testing.F) {
	for _, s := range []string{
		"529.982.247-25", "52998224725", "111.111.111-11", "", " ", "529.982.247-26",
		"abc", "5299822472", "529982247255", "012.345.678-90", "\x00", "٥٢٩",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := br.ParseCPF(s)
		if err != nil {
			checkFuzzError(t, err, "cpf")
			if !c.IsZero() {
				t.Fatal("non-zero CPF with error")
			}
			return
		}
		if len(c.String()) != 11 {
			t.Fatalf("String() = %q", c.String())
		}
		for _, again := range []string{c.String(), c.Formatted()} {
			c2, err := br.ParseCPF(again)
			if err != nil || c2 != c {
				t.Fatalf("re-parse of %q: %v, %v (want %v)", again, c2, err, c)
			}
		}
	})
}
