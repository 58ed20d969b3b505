package br

import "strings"

// DocumentKind tells whether a Document is a CPF or a CNPJ.
//
// It is a struct rather than a string or int so that the only possible
// non-zero values are DocumentKindCPF and DocumentKindCNPJ: no code can
// invent DocumentKind("rg"). Values are comparable with ==.
type DocumentKind struct {
	slug string
}

// The two kinds of taxpayer document. Workshops serve both individuals (CPF)
// and fleets/companies (CNPJ), so the customer record accepts either.
var (
	DocumentKindCPF  = DocumentKind{slug: "cpf"}
	DocumentKindCNPJ = DocumentKind{slug: "cnpj"}
)

// String returns "cpf" or "cnpj" ("" for the zero kind); it is stable and
// suitable for storage.
func (k DocumentKind) String() string { return k.slug }

// IsZero reports whether k is the zero (unknown) kind.
func (k DocumentKind) IsZero() bool { return k.slug == "" }

// Document is either a CPF or a CNPJ, chosen by the length of the input.
// The zero value is the "absent" document.
type Document struct {
	kind  DocumentKind
	value string // canonical CPF or CNPJ value, without mask
}

// ParseDocument parses a CPF (11 digits) or a CNPJ (14 characters, numeric
// or alphanumeric) once '.', '/', '-' and spaces are removed; any other
// length is invalid_length.
//
// It exists because forms usually offer a single "CPF/CNPJ" input; the
// length is the only reliable discriminator, since a CNPJ may start with
// zeros and users omit or mix masks. Errors use the field "document".
func ParseDocument(s string) (Document, error) {
	const field = fieldDocument
	s = strings.TrimSpace(s)
	if s == "" {
		return Document{}, errRequired(field)
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
			return Document{}, newError(field, CodeInvalidFormat, "document must contain only letters, digits, '.', '/', '-' and spaces")
		}
	}
	switch len(v) {
	case 11:
		cpf, err := cpfFromDigits(string(v), field)
		if err != nil {
			return Document{}, err
		}
		return Document{kind: DocumentKindCPF, value: cpf.String()}, nil
	case 14:
		cnpj, err := cnpjFromNormalized(string(v), field)
		if err != nil {
			return Document{}, err
		}
		return Document{kind: DocumentKindCNPJ, value: cnpj.String()}, nil
	default:
		return Document{}, newError(field, CodeInvalidLength, "document must have 11 (CPF) or 14 (CNPJ) characters")
	}
}

// DocumentFromCPF wraps an already parsed CPF; a zero CPF gives a zero
// Document.
func DocumentFromCPF(c CPF) Document {
	if c.IsZero() {
		return Document{}
	}
	return Document{kind: DocumentKindCPF, value: c.String()}
}

// DocumentFromCNPJ wraps an already parsed CNPJ; a zero CNPJ gives a zero
// Document.
func DocumentFromCNPJ(c CNPJ) Document {
	if c.IsZero() {
		return Document{}
	}
	return Document{kind: DocumentKindCNPJ, value: c.String()}
}

// Kind returns DocumentKindCPF or DocumentKindCNPJ (zero for a zero Document).
func (d Document) Kind() DocumentKind { return d.kind }

// String returns the normalised value without mask (11 digits or 14 chars).
func (d Document) String() string { return d.value }

// Formatted returns the display mask of the underlying CPF or CNPJ.
func (d Document) Formatted() string {
	switch d.kind {
	case DocumentKindCPF:
		return CPF{digits: d.value}.Formatted()
	case DocumentKindCNPJ:
		return CNPJ{value: d.value}.Formatted()
	}
	return ""
}

// IsZero reports whether d is the zero (absent) Document.
func (d Document) IsZero() bool { return d.value == "" }

// CPF returns the document as a CPF and true when it is one.
func (d Document) CPF() (CPF, bool) {
	if d.kind != DocumentKindCPF {
		return CPF{}, false
	}
	return CPF{digits: d.value}, true
}

// CNPJ returns the document as a CNPJ and true when it is one.
func (d Document) CNPJ() (CNPJ, bool) {
	if d.kind != DocumentKindCNPJ {
		return CNPJ{}, false
	}
	return CNPJ{value: d.value}, true
}
