package br_test

import (
	"math/rand/v2"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestParseCNPJ_checkDigits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantCode, wantValue string
		wantAlpha                     bool
	}{
		{"numeric masked", "11.222.333/0001-81", "", "11222333000181", false},
		{"numeric bare", "11222333000181", "", "11222333000181", false},
		{"numeric other", "11.444.777/0001-61", "", "11444777000161", false},
		{"numeric spaces", " 11 222 333 0001 81 ", "", "11222333000181", false},
		// Official example published by Receita Federal for the 2026 format.
		{"alphanumeric official", "12.ABC.345/01DE-35", "", "12ABC34501DE35", true},
		{"alphanumeric bare", "12ABC34501DE35", "", "12ABC34501DE35", true},
		{"alphanumeric lower", "12.abc.345/01de-35", "", "12ABC34501DE35", true},
		{"empty", "", br.CodeRequired, "", false},
		{"invalid char", "11.222.333/0001_81", br.CodeInvalidFormat, "", false},
		{"accented letter", "12.ÁBC.345/01DE-35", br.CodeInvalidFormat, "", false},
		{"short", "11.222.333/0001-8", br.CodeInvalidLength, "", false},
		{"long", "11.222.333/0001-811", br.CodeInvalidLength, "", false},
		{"cpf length", "52998224725", br.CodeInvalidLength, "", false},
		{"letter in dv", "12.ABC.345/01DE-3A", br.CodeInvalidFormat, "", false},
		{"repeated digits", "00.000.000/0000-00", br.CodeRepeatedDigits, "", false},
		{"repeated 1", "11111111111111", br.CodeRepeatedDigits, "", false},
		{"bad dv numeric", "11.222.333/0001-82", br.CodeInvalidCheckDigit, "", false},
		{"bad dv alpha", "12.ABC.345/01DE-36", br.CodeInvalidCheckDigit, "", false},
		{"letter swapped", "12.ABD.345/01DE-35", br.CodeInvalidCheckDigit, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := br.ParseCNPJ(tt.in)
			requireCode(t, err, tt.wantCode, "cnpj")
			if got.String() != tt.wantValue {
				t.Fatalf("String() = %q, want %q", got.String(), tt.wantValue)
			}
			if got.IsAlphanumeric() != tt.wantAlpha {
				t.Fatalf("IsAlphanumeric() = %v", got.IsAlphanumeric())
			}
		})
	}
}

func TestCNPJ_formatted(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"11222333000181", "11.222.333/0001-81"},
		{"12abc34501de35", "12.ABC.345/01DE-35"},
	}
	for _, tt := range tests {
		c, err := br.ParseCNPJ(tt.in)
		requireCode(t, err, "", "")
		if got := c.Formatted(); got != tt.want {
			t.Errorf("Formatted(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var zero br.CNPJ
	if !zero.IsZero() || zero.Formatted() != "" || zero.IsAlphanumeric() {
		t.Fatal("zero CNPJ misbehaves")
	}
}

// cnpjDV is an independent formulation of the check digit (weights 2..9
// cycling from the right, values = ASCII-48) used to cross-check production.
func cnpjDV(s string) byte {
	sum, w := 0, 2
	for i := len(s) - 1; i >= 0; i-- {
		sum += int(s[i]-'0') * w
		w++
		if w > 9 {
			w = 2
		}
	}
	if r := sum % 11; r >= 2 {
		return byte('0' + 11 - r)
	}
	return '0'
}

func TestParseCNPJ_randomRoundTrip(t *testing.T) {
	t.Parallel()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		b := make([]byte, 12)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		s += string(cnpjDV(s))
		s += string(cnpjDV(s))
		c, err := br.ParseCNPJ(s)
		if err != nil {
			t.Fatalf("ParseCNPJ(%q): %v", s, err)
		}
		if c.String() != s {
			t.Fatalf("String() = %q, want %q", c.String(), s)
		}
		again, err := br.ParseCNPJ(c.Formatted())
		if err != nil || again != c {
			t.Fatalf("Formatted() round trip of %q: %v", c.Formatted(), err)
		}
	}
}

func TestGenerateCNPJ_valid(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	for _, alpha := range []bool{false, true} {
		for range 500 {
			c := br.GenerateCNPJ(r, alpha)
			got, err := br.ParseCNPJ(c.Formatted())
			if err != nil || got != c {
				t.Fatalf("GenerateCNPJ(alpha=%v) produced %q: %v", alpha, c, err)
			}
			if c.IsAlphanumeric() != alpha {
				t.Fatalf("GenerateCNPJ(alpha=%v) produced %q", alpha, c)
			}
		}
	}
	if br.GenerateCNPJ(nil, true).IsZero() {
		t.Fatal("GenerateCNPJ(nil) returned zero")
	}
}

func FuzzParseCNPJ(f *testing.F) {
	for _, s := range []string{
		"11.222.333/0001-81", "11222333000181", "12.ABC.345/01DE-35", "12abc34501de35",
		"00000000000000", "AAAAAAAAAAAAAA", "12.ABC.345/01DE-3A", "", "/", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := br.ParseCNPJ(s)
		if err != nil {
			checkFuzzError(t, err, "cnpj")
			return
		}
		if len(c.String()) != 14 {
			t.Fatalf("String() = %q", c.String())
		}
		for _, again := range []string{c.String(), c.Formatted()} {
			c2, err := br.ParseCNPJ(again)
			if err != nil || c2 != c {
				t.Fatalf("re-parse of %q: %v, %v", again, c2, err)
			}
		}
	})
}
