package br

import (
	"math/rand/v2"
	"strings"
)

// CNPJ is a valid Cadastro Nacional da Pessoa Jurídica number (company id).
//
// It supports both the classic all-numeric CNPJ and the alphanumeric CNPJ
// that Receita Federal issues from July 2026 (IN RFB 2.229/2024): the first
// 12 characters may be digits or upper-case letters, the last 2 are always
// numeric check digits. Existing numeric CNPJs remain valid forever, so both
// forms coexist and are handled by the same type.
//
// The zero value is the "absent" CNPJ.
type CNPJ struct {
	value string // exactly 14 chars: [0-9A-Z]{12}[0-9]{2}
}

// ParseCNPJ parses "11.222.333/0001-81", "11222333000181" or an alphanumeric
// CNPJ such as "12.ABC.345/01DE-35".
//
// Dots, slashes, dashes and spaces are ignored; lower-case letters are
// upper-cased (people type them, and the check digit algorithm is defined on
// upper-case ASCII codes); any other character is rejected.
func ParseCNPJ(s string) (CNPJ, error) {
	return parseCNPJ(s, fieldCNPJ)
}

func parseCNPJ(s, field string) (CNPJ, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return CNPJ{}, errRequired(field)
	}
	v := make([]byte, 0, 14)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c) || isUpper(c) || isLower(c):
			v = append(v, toUpper(c))
		case c == '.' || c == '/' || c == '-' || c == ' ':
			// mask separator, ignored
		default:
			return CNPJ{}, newError(field, CodeInvalidFormat, "CNPJ must contain only letters, digits, '.', '/', '-' and spaces")
		}
	}
	return cnpjFromNormalized(string(v), field)
}

// cnpjFromNormalized validates a separator-free, upper-cased value made of
// [0-9A-Z]; it is shared with ParseDocument.
func cnpjFromNormalized(v, field string) (CNPJ, error) {
	if len(v) != 14 {
		return CNPJ{}, newError(field, CodeInvalidLength, "CNPJ must have 14 characters")
	}
	if !allDigits(v[12:]) {
		return CNPJ{}, newError(field, CodeInvalidFormat, "CNPJ check digits (last 2 characters) must be numeric")
	}
	if allSame(v) {
		return CNPJ{}, newError(field, CodeRepeatedDigits, "CNPJ cannot have all characters equal")
	}
	if cnpjCheckDigits(v[:12]) != v[12:] {
		return CNPJ{}, newError(field, CodeInvalidCheckDigit, "CNPJ check digits do not match")
	}
	return CNPJ{value: v}, nil
}

var (
	cnpjWeights1 = [...]int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	cnpjWeights2 = [...]int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
)

// cnpjCheckDigits computes the two check digits of a 12-character base.
//
// Each character is worth its ASCII code minus 48. For digits this is the
// digit itself, so the numeric CNPJ algorithm is unchanged; for letters it
// gives 'A'=17 ... 'Z'=42, which is exactly how Receita Federal extended the
// algorithm to alphanumeric CNPJs without touching the weights.
func cnpjCheckDigits(base string) string {
	dv := func(s string, weights []int) byte {
		sum := 0
		for i := 0; i < len(s); i++ {
			sum += int(s[i]-'0') * weights[i]
		}
		r := sum % 11
		if r < 2 {
			return '0'
		}
		return byte('0' + 11 - r)
	}
	d1 := dv(base, cnpjWeights1[:])
	d2 := dv(base+string(d1), cnpjWeights2[:])
	return string([]byte{d1, d2})
}

// String returns the 14 characters without mask, the canonical storage form.
func (c CNPJ) String() string { return c.value }

// Formatted returns the "00.000.000/0000-00" display mask (the same 2.3.3/4-2
// grouping for alphanumeric CNPJs, e.g. "12.ABC.345/01DE-35"), or "" for the
// zero CNPJ.
func (c CNPJ) Formatted() string {
	if c.IsZero() {
		return ""
	}
	v := c.value
	return v[0:2] + "." + v[2:5] + "." + v[5:8] + "/" + v[8:12] + "-" + v[12:14]
}

// IsAlphanumeric reports whether the CNPJ uses the post-2026 format, i.e.
// contains at least one letter. Useful because some legacy integrations
// (older NF-e layouts, bank files) still only accept numeric CNPJs.
func (c CNPJ) IsAlphanumeric() bool {
	for i := 0; i < len(c.value); i++ {
		if isUpper(c.value[i]) {
			return true
		}
	}
	return false
}

// IsZero reports whether c is the zero (absent) CNPJ.
func (c CNPJ) IsZero() bool { return c.value == "" }

const cnpjAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// GenerateCNPJ returns a random valid CNPJ. When alphanumeric is true the
// result is guaranteed to contain at least one letter (so IsAlphanumeric is
// true); otherwise it is all digits. A nil r uses the global source.
func GenerateCNPJ(r *rand.Rand, alphanumeric bool) CNPJ {
	alphabet := cnpjAlphabet[:10]
	if alphanumeric {
		alphabet = cnpjAlphabet
	}
	for {
		base := make([]byte, 12)
		for i := range base {
			base[i] = alphabet[intN(r, len(alphabet))]
		}
		if alphanumeric {
			// Force one letter so callers asking for an alphanumeric CNPJ
			// really exercise the new format.
			base[intN(r, 12)] = cnpjAlphabet[10+intN(r, 26)]
		}
		v := string(base) + cnpjCheckDigits(string(base))
		if !allSame(v) {
			return CNPJ{value: v}
		}
	}
}
