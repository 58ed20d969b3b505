package br

import "strings"

// Plate is a Brazilian vehicle licence plate, either in the old format
// (three letters, four digits: "ABC1234") or the Mercosul format adopted
// from 2018 (letter in the fifth position: "ABC1D23"). The zero value is
// the "absent" plate.
//
// Both formats must be supported side by side: cars only get a Mercosul
// plate when re-registered or transferred, so a workshop sees the same car
// under both plates over its service history (see SamePlate).
type Plate struct {
	value string // 7 upper-case chars, LLLDDDD or LLLDLDD
}

// ParsePlate parses "ABC-1234", "ABC1234", "abc 1234" or "ABC1D23".
// Dashes and spaces are ignored and ASCII letters are upper-cased; any other
// character is invalid_format, a length other than 7 is invalid_length and
// a shape that is neither format is invalid_format.
func ParsePlate(s string) (Plate, error) {
	const field = fieldPlate
	s = strings.TrimSpace(s)
	if s == "" {
		return Plate{}, errRequired(field)
	}
	v := make([]byte, 0, 7)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c) || isUpper(c) || isLower(c):
			v = append(v, toUpper(c))
		case c == '-' || c == ' ':
			// separator, ignored
		default:
			return Plate{}, newError(field, CodeInvalidFormat, "plate must contain only letters, digits, '-' and spaces")
		}
	}
	if len(v) != 7 {
		return Plate{}, newError(field, CodeInvalidLength, "plate must have 7 characters")
	}
	if !isUpper(v[0]) || !isUpper(v[1]) || !isUpper(v[2]) || !isDigit(v[3]) ||
		!(isDigit(v[4]) || isUpper(v[4])) || !isDigit(v[5]) || !isDigit(v[6]) {
		return Plate{}, newError(field, CodeInvalidFormat, "plate must be in the format ABC1234 or ABC1D23")
	}
	return Plate{value: string(v)}, nil
}

// String returns the normalised plate, upper case without separators, e.g.
// "ABC1234" or "ABC1D23".
func (p Plate) String() string { return p.value }

// IsMercosul reports whether p is in the Mercosul format (letter in the
// fifth position).
func (p Plate) IsMercosul() bool { return len(p.value) == 7 && isUpper(p.value[4]) }

// Mercosul returns the Mercosul equivalent of an old plate, replacing the
// second digit (fifth character) by a letter with the official DENATRAN
// mapping 0→A, 1→B, ..., 9→J ("ABC1234" → "ABC1C34"). Mercosul plates and
// the zero plate are returned unchanged.
func (p Plate) Mercosul() Plate {
	if p.IsZero() || p.IsMercosul() {
		return p
	}
	b := []byte(p.value)
	b[4] = 'A' + (b[4] - '0')
	return Plate{value: string(b)}
}

// Formatted returns the display form: "ABC-1234" for old plates (the dash
// is printed on them) and "ABC1D23" for Mercosul plates (which have none).
func (p Plate) Formatted() string {
	if p.IsZero() || p.IsMercosul() {
		return p.value
	}
	return p.value[:3] + "-" + p.value[3:]
}

// IsZero reports whether p is the zero (absent) Plate.
func (p Plate) IsZero() bool { return p.value == "" }

// SamePlate reports whether a and b identify the same vehicle: they are
// equal, or one is the Mercosul conversion of the other. Use it instead of
// == when looking up service history, since re-plating keeps the car.
//
// Note that the relation is not one-to-one in reverse: Mercosul plates whose
// fifth character is K-Z have no old-format equivalent.
func SamePlate(a, b Plate) bool {
	return a.Mercosul() == b.Mercosul()
}
