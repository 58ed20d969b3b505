package br

import (
	"math/rand/v2"
	"strings"
)

// CPF is a valid Cadastro de Pessoas Físicas number (individual taxpayer id).
//
// The zero value is the "absent" CPF; it is never returned by ParseCPF with a
// nil error. Fields are unexported so that any non-zero CPF in the program is
// guaranteed to have passed ParseCPF (or GenerateCPF).
type CPF struct {
	digits string // exactly 11 ASCII digits
}

// ParseCPF parses "529.982.247-25" or "52998224725".
//
// Dots, dashes and spaces are ignored wherever they appear, because users
// paste CPFs from PDFs, spreadsheets and other systems with inconsistent
// masks; any other character is rejected instead of being dropped, so that a
// value like "529O982247-25" (letter O) is reported rather than "fixed".
func ParseCPF(s string) (CPF, error) {
	return parseCPF(s, fieldCPF)
}

func parseCPF(s, field string) (CPF, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return CPF{}, errRequired(field)
	}
	digits := make([]byte, 0, 11)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits = append(digits, c)
		case c == '.' || c == '-' || c == ' ':
			// mask separator, ignored
		default:
			return CPF{}, newError(field, CodeInvalidFormat, "CPF must contain only digits, '.', '-' and spaces")
		}
	}
	return cpfFromDigits(string(digits), field)
}

// cpfFromDigits validates an already separator-free value. It is shared with
// ParseDocument, which strips separators itself before dispatching by length.
func cpfFromDigits(d, field string) (CPF, error) {
	if !allDigits(d) {
		return CPF{}, newError(field, CodeInvalidFormat, "CPF must contain only digits")
	}
	if len(d) != 11 {
		return CPF{}, newError(field, CodeInvalidLength, "CPF must have 11 digits")
	}
	if allSame(d) {
		return CPF{}, newError(field, CodeRepeatedDigits, "CPF cannot have all digits equal")
	}
	if cpfCheckDigits(d[:9]) != d[9:] {
		return CPF{}, newError(field, CodeInvalidCheckDigit, "CPF check digits do not match")
	}
	return CPF{digits: d}, nil
}

// cpfCheckDigits computes the two modulo-11 verification digits of a 9-digit
// CPF base: weights 10..2 for the first, 11..2 (over base + first DV) for the
// second; a remainder below 2 yields 0, otherwise 11-remainder.
func cpfCheckDigits(base string) string {
	dv := func(s string) byte {
		sum, w := 0, len(s)+1
		for i := 0; i < len(s); i++ {
			sum += int(s[i]-'0') * w
			w--
		}
		r := sum % 11
		if r < 2 {
			return '0'
		}
		return byte('0' + 11 - r)
	}
	d1 := dv(base)
	d2 := dv(base + string(d1))
	return string([]byte{d1, d2})
}

// String returns the 11 digits without mask, the canonical storage form.
func (c CPF) String() string { return c.digits }

// Formatted returns the conventional "000.000.000-00" display mask, or ""
// for the zero CPF.
func (c CPF) Formatted() string {
	if c.IsZero() {
		return ""
	}
	d := c.digits
	return d[0:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:11]
}

// IsZero reports whether c is the zero (absent) CPF.
func (c CPF) IsZero() bool { return c.digits == "" }

// GenerateCPF returns a random valid CPF, for seeders and tests elsewhere.
// A nil r uses the global math/rand/v2 source; pass a seeded *rand.Rand for
// reproducible data.
func GenerateCPF(r *rand.Rand) CPF {
	for {
		base := make([]byte, 9)
		for i := range base {
			base[i] = "0123456789"[intN(r, 10)]
		}
		d := string(base) + cpfCheckDigits(string(base))
		if !allSame(d) {
			return CPF{digits: d}
		}
	}
}
