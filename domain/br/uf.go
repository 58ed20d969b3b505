package br

import "strings"

// UF is one of the 27 Brazilian federative units (26 states plus the
// Distrito Federal). The zero value is the "absent" UF.
type UF struct {
	code string // two upper-case letters, always a key of ufNames
}

// ufList keeps the official order (alphabetical by name, as IBGE and most
// government forms list them), which is what users expect in a select box.
var ufList = [...]struct{ code, name string }{
	{"AC", "Acre"},
	{"AL", "Alagoas"},
	{"AP", "Amapá"},
	{"AM", "Amazonas"},
	{"BA", "Bahia"},
	{"CE", "Ceará"},
	{"DF", "Distrito Federal"},
	{"ES", "Espírito Santo"},
	{"GO", "Goiás"},
	{"MA", "Maranhão"},
	{"MT", "Mato Grosso"},
	{"MS", "Mato Grosso do Sul"},
	{"MG", "Minas Gerais"},
	{"PA", "Pará"},
	{"PB", "Paraíba"},
	{"PR", "Paraná"},
	{"PE", "Pernambuco"},
	{"PI", "Piauí"},
	{"RJ", "Rio de Janeiro"},
	{"RN", "Rio Grande do Norte"},
	{"RS", "Rio Grande do Sul"},
	{"RO", "Rondônia"},
	{"RR", "Roraima"},
	{"SC", "Santa Catarina"},
	{"SP", "São Paulo"},
	{"SE", "Sergipe"},
	{"TO", "Tocantins"},
}

var ufNames = func() map[string]string {
	m := make(map[string]string, len(ufList))
	for _, u := range ufList {
		m[u.code] = u.name
	}
	return m
}()

// ParseUF parses a two-letter UF code such as "SP", " sp " or "Rj".
// Surrounding whitespace is trimmed and the comparison is case-insensitive
// (ASCII only); a code outside the 27 real UFs is unknown_value.
func ParseUF(s string) (UF, error) {
	const field = fieldState
	s = strings.TrimSpace(s)
	if s == "" {
		return UF{}, errRequired(field)
	}
	if len(s) == 2 {
		code := string([]byte{toUpper(s[0]), toUpper(s[1])})
		if _, ok := ufNames[code]; ok {
			return UF{code: code}, nil
		}
	}
	return UF{}, newError(field, CodeUnknownValue, "not a Brazilian UF code")
}

// AllUFs returns the 27 UFs in the official order (alphabetical by name).
// It returns a fresh slice each time, so callers may sort or modify it.
func AllUFs() []UF {
	out := make([]UF, len(ufList))
	for i, u := range ufList {
		out[i] = UF{code: u.code}
	}
	return out
}

// String returns the upper-case two-letter code, e.g. "SP".
func (u UF) String() string { return u.code }

// Name returns the name in Portuguese, e.g. "São Paulo" ("" for the zero UF).
func (u UF) Name() string { return ufNames[u.code] }

// IsZero reports whether u is the zero (absent) UF.
func (u UF) IsZero() bool { return u.code == "" }
