package customer

import (
	"github.com/torquehq/torque/domain/validate"
)

// Stable error codes this package adds to those of domain/br (required,
// invalid_format, invalid_check_digit, invalid_length, out_of_range,
// unknown_value, repeated_digits), which it also uses.
const (
	// CodeTooLong means a text is longer than its field allows.
	CodeTooLong = validate.CodeTooLong
)

// Limits of free-text fields, in characters (runes, not bytes: "São Paulo"
// counts 9).
const (
	maxNameRunes        = 200
	maxAddressLineRunes = 200
	maxNoteRunes        = 5000
)
