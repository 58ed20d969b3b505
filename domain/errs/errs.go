// Package errs names the kinds of failure the business layers report. Only the
// HTTP adapter maps kinds to status codes; business code never speaks HTTP.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of failure. Wrap them with fmt.Errorf("...: %w", errs.ErrNotFound).
var (
	// ErrNotFound: the thing does not exist for this caller (also: another tenant's id).
	ErrNotFound = errors.New("not found")
	// ErrConflict: a duplicate or a concurrent change.
	ErrConflict = errors.New("conflict")
	// ErrForbidden: the caller's role may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated: no valid identity.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrPreconditionFailed: the caller's expected version is stale (If-Match).
	ErrPreconditionFailed = errors.New("precondition failed")
	// ErrReadOnly: the tenant may read but not write (canceled or suspended subscription).
	ErrReadOnly = errors.New("tenant is read-only")
	// ErrEmailUnverified: the caller must first verify their e-mail address
	// (e.g. an owner who has not, inviting staff).
	ErrEmailUnverified = errors.New("e-mail address not verified")
	// ErrRateLimited: too many attempts.
	ErrRateLimited = errors.New("rate limited")
	// ErrIllegalTransition: a state machine refused the change.
	ErrIllegalTransition = errors.New("illegal state transition")
	// ErrUnavailable: a dependency (the database, the identity provider) cannot
	// be reached right now; the request may be retried later unchanged. It
	// says nothing about whether the thing asked for exists.
	ErrUnavailable = errors.New("temporarily unavailable")
	// ErrMFARequired: the workshop requires a second factor and the caller's
	// session has only one (it is also an ErrForbidden).
	ErrMFARequired = fmt.Errorf("second factor required: %w", ErrForbidden)
	// ErrReauthenticate: the action needs a recent authentication and the
	// caller's is older than the privileged-session age (also an ErrForbidden).
	ErrReauthenticate = fmt.Errorf("recent authentication required: %w", ErrForbidden)
)

// FieldError names one field at fault with a stable machine code.
type FieldError struct {
	Field   string
	Code    string
	Message string
}

// ValidationError carries every field at fault in one request.
type ValidationError struct {
	Fields []FieldError
}

// Error lists the fields at fault.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Code)
	}
	return "validation failed: " + strings.Join(parts, ", ")
}

// Invalid builds a ValidationError for one field.
func Invalid(field, code, message string) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Code: code, Message: message}}}
}

// Collector gathers field errors across a whole input so the caller sees all
// of them at once instead of fixing one per round trip.
type Collector struct{ fields []FieldError }

// Add records a field error.
func (c *Collector) Add(field, code, message string) {
	c.fields = append(c.fields, FieldError{Field: field, Code: code, Message: message})
}

// Err returns nil when nothing was added.
func (c *Collector) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: c.fields}
}

// ConflictError is a duplicate that names the field at fault and, when it is
// visible to the caller, the record that already holds the value.
type ConflictError struct {
	Field      string
	Code       string
	Message    string
	ExistingID string
}

// Error describes the conflict.
func (e *ConflictError) Error() string { return "conflict on " + e.Field + ": " + e.Message }

// Unwrap makes it an ErrConflict.
func (e *ConflictError) Unwrap() error { return ErrConflict }
