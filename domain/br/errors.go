package br

import "errors"

// Stable, machine-readable error codes carried by ValidationError.Code.
//
// They are part of the public contract (API clients and the pt-BR message
// catalogue key on them), so existing values must never change.
const (
	// CodeRequired means the input was empty or only whitespace.
	CodeRequired = "required"
	// CodeInvalidFormat means the input contains characters or a shape the
	// value can never have (letters in a CPF, a malformed e-mail...).
	CodeInvalidFormat = "invalid_format"
	// CodeInvalidCheckDigit means the shape is right but the check digits
	// (CPF/CNPJ) do not match, which usually signals a typo.
	CodeInvalidCheckDigit = "invalid_check_digit"
	// CodeInvalidLength means the input has the wrong number of significant
	// characters once separators are removed.
	CodeInvalidLength = "invalid_length"
	// CodeOutOfRange means a number is outside the accepted bounds
	// (negative money, an absurd odometer reading, CEP 00000-000...).
	CodeOutOfRange = "out_of_range"
	// CodeUnknownValue means the input is well formed but not one of the
	// values that exist in reality (an unknown UF or DDD).
	CodeUnknownValue = "unknown_value"
	// CodeRepeatedDigits means a CPF/CNPJ made of a single repeated
	// character: those pass the modulo-11 check but are never issued, and
	// they are the most common "fake" values typed into forms.
	CodeRepeatedDigits = "repeated_digits"
)

// Default field names set by the parsers. They match the snake_case names
// used in API payloads so that a handler can usually return the error as is.
const (
	fieldDocument    = "document"
	fieldCPF         = "cpf"
	fieldCNPJ        = "cnpj"
	fieldPostalCode  = "postal_code"
	fieldState       = "state"
	fieldPhone       = "phone"
	fieldEmail       = "email"
	fieldPlate       = "plate"
	fieldAmountCents = "amount_cents"
	fieldMileageKm   = "mileage_km"
)

// ErrInvalid is the sentinel wrapped by every ValidationError, so callers
// that only care whether input was rejected can use errors.Is(err, ErrInvalid)
// without importing the concrete type.
var ErrInvalid = errors.New("invalid value")

// ValidationError is returned by every parser in this package; Code is stable
// and machine-readable.
//
// Field defaults to the canonical name of the value ("cpf", "phone"...);
// callers that parse a value coming from a differently named input (for
// example "owner_phone") may overwrite it, see WithField.
// Message is a short English description meant for logs and developers; user
// facing translations are keyed on Code.
type ValidationError struct {
	Field   string
	Code    string
	Message string
}

// Error implements error as "field: message (code)".
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Message + " (" + e.Code + ")"
	}
	return e.Field + ": " + e.Message + " (" + e.Code + ")"
}

// Unwrap returns ErrInvalid so that errors.Is(err, ErrInvalid) holds for every
// validation failure produced by this package.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// WithField returns a copy of err with Field replaced when err is (or wraps) a
// *ValidationError, and err unchanged otherwise. It copies instead of mutating
// so that an error value shared elsewhere is never modified behind its owner's
// back.
func WithField(err error, field string) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	cp := *ve
	cp.Field = field
	return &cp
}

func newError(field, code, message string) *ValidationError {
	return &ValidationError{Field: field, Code: code, Message: message}
}

func errRequired(field string) *ValidationError {
	return newError(field, CodeRequired, "value is required")
}
