// Package httperr is the one mapping from the application's error kinds
// (domain/errs) to HTTP statuses, shared by the REST API (problem+json) and
// the back office (error pages), so both answer the same status for the same
// kind.
package httperr

import (
	"errors"
	"net/http"

	"github.com/torquehq/torque/domain/errs"
)

// Class is how one kind of error is answered over HTTP.
type Class struct {
	// Status is the HTTP status code.
	Status int
	// Type is the problem type slug ("not-found"), used as /problems/{Type}.
	Type string
	// MessageKey is the message catalogue key of the text a person reads.
	MessageKey string
}

// Validation is the class of *errs.ValidationError.
var Validation = Class{http.StatusUnprocessableEntity, "validation", "problem.validation"}

// Internal is the class of an error of no known kind.
var Internal = Class{http.StatusInternalServerError, "internal", "web.error.generic"}

var kinds = []struct {
	kind  error
	class Class
}{
	{errs.ErrUnauthenticated, Class{http.StatusUnauthorized, "unauthenticated", "problem.unauthenticated"}},
	{errs.ErrForbidden, Class{http.StatusForbidden, "forbidden", "problem.forbidden"}},
	{errs.ErrNotFound, Class{http.StatusNotFound, "not-found", "web.error.not_found"}},
	{errs.ErrPreconditionFailed, Class{http.StatusPreconditionFailed, "precondition-failed", "web.error.conflict"}},
	{errs.ErrIllegalTransition, Class{http.StatusConflict, "illegal-transition", "web.error.illegal_transition"}},
	{errs.ErrConflict, Class{http.StatusConflict, "conflict", "web.error.conflict"}},
	{errs.ErrReadOnly, Class{http.StatusPaymentRequired, "subscription-inactive", "problem.subscription_inactive"}},
	{errs.ErrRateLimited, Class{http.StatusTooManyRequests, "rate-limited", "problem.rate_limited"}},
}

// Classify returns the class of err and whether its kind is known; an
// unknown error is Internal (and should be logged by the caller).
func Classify(err error) (Class, bool) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		return Validation, true
	}
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			return k.class, true
		}
	}
	return Internal, false
}
