package br

import "strings"

// CEP is a valid Código de Endereçamento Postal (Brazilian postal code).
// The zero value is the "absent" CEP.
type CEP struct {
	digits string // exactly 8 ASCII digits
}

// ParseCEP parses "01001-000" or "01001000". Dots and spaces are also
// ignored because the old "01.001-000" mask still shows up in legacy
// records. Any other character is invalid_format, anything but 8 digits is
// invalid_length, and "00000-000" is out_of_range (it is the placeholder
// commonly typed to skip a mandatory field, not a real postal code).
//
// Only the shape is validated: whether the CEP exists is a question for an
// address lookup service, not for a value object.
func ParseCEP(s string) (CEP, error) {
	const field = fieldPostalCode
	s = strings.TrimSpace(s)
	if s == "" {
		return CEP{}, errRequired(field)
	}
	digits := make([]byte, 0, 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits = append(digits, c)
		case c == '-' || c == '.' || c == ' ':
			// mask separator, ignored
		default:
			return CEP{}, newError(field, CodeInvalidFormat, "CEP must contain only digits, '-', '.' and spaces")
		}
	}
	if len(digits) != 8 {
		return CEP{}, newError(field, CodeInvalidLength, "CEP must have 8 digits")
	}
	d := string(digits)
	if d == "00000000" {
		return CEP{}, newError(field, CodeOutOfRange, "CEP 00000-000 does not exist")
	}
	return CEP{digits: d}, nil
}

// String returns the 8 digits without mask, e.g. "01001000".
func (c CEP) String() string { return c.digits }

// Formatted returns the "00000-000" display mask, or "" for the zero CEP.
func (c CEP) Formatted() string {
	if c.IsZero() {
		return ""
	}
	return c.digits[:5] + "-" + c.digits[5:]
}

// IsZero reports whether c is the zero (absent) CEP.
func (c CEP) IsZero() bool { return c.digits == "" }
