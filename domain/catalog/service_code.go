package catalog

import (
	"strings"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// ServiceCode identifies a service, e.g. "oil_change": 2-40 characters of
// lower-case ASCII letters, digits and '_'. The zero value is the "absent"
// code; any other value has passed ParseServiceCode.
type ServiceCode struct{ s string }

const (
	minCodeLen = 2
	maxCodeLen = 40
)

// ParseServiceCode parses a service code. Surrounding whitespace is trimmed
// but case is not folded: codes are identifiers shared with integrators and
// reports, so "Oil_Change" is refused rather than silently matched.
// Errors are *errs.ValidationError on the field "code"; callers re-label it
// (e.g. "items[0].service").
func ParseServiceCode(s string) (ServiceCode, error) {
	const field = "code"
	s = strings.TrimSpace(s)
	if s == "" {
		return ServiceCode{}, errs.Invalid(field, br.CodeRequired, "service code is required")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return ServiceCode{}, errs.Invalid(field, br.CodeInvalidFormat, "service code must contain only lower-case letters, digits and '_'")
		}
	}
	if len(s) < minCodeLen || len(s) > maxCodeLen {
		return ServiceCode{}, errs.Invalid(field, br.CodeInvalidLength, "service code must have 2 to 40 characters")
	}
	return ServiceCode{s: s}, nil
}

// String returns the code, e.g. "oil_change".
func (c ServiceCode) String() string { return c.s }

// IsZero reports whether c is the zero (absent) code.
func (c ServiceCode) IsZero() bool { return c.s == "" }
