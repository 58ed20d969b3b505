package br

import "math/rand/v2"

// Small byte-level helpers shared by the parsers. They deliberately work on
// ASCII only: Unicode case mapping would let look-alikes such as 'ſ' (long s)
// or the dotless 'ı' be upper-cased into valid letters, silently accepting
// input that no human typed as a plate or a UF.

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

func toUpper(c byte) byte {
	if isLower(c) {
		return c - 'a' + 'A'
	}
	return c
}

func toLower(c byte) byte {
	if isUpper(c) {
		return c - 'A' + 'a'
	}
	return c
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// allSame reports whether s is made of one repeated byte; such CPFs and CNPJs
// satisfy the modulo-11 check but are placeholders, never real documents.
func allSame(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

// intN draws from r, or from the global generator when r is nil, so that
// generators are convenient in ad-hoc seeders but reproducible when a seeded
// *rand.Rand is passed.
func intN(r *rand.Rand, n int) int {
	if r == nil {
		return rand.IntN(n) //nolint:gosec // G404: test and demo data, not secrets
	}
	return r.IntN(n)
}
