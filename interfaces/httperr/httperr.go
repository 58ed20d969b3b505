// Package httperr is the one mapping from the application's error kinds
// (domain/errs) to HTTP statuses, shared by the REST API (problem+json) and
// the back office (error pages), so both answer the same status for the same
// kind.
package httperr

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

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

// Unavailable is the class of errs.ErrUnavailable and of any failure to reach
// a dependency: 503 with a Retry-After, never 404 or 500, so that a client
// neither concludes that a workshop does not exist nor gives up.
var Unavailable = Class{http.StatusServiceUnavailable, "unavailable", "problem.unavailable"}

// MFARequired is the class of errs.ErrMFARequired: the workshop requires a
// second factor (TOTP) and the session has one factor only.
var MFARequired = Class{http.StatusForbidden, "mfa-required", "problem.mfa_required"}

// Reauthenticate is the class of errs.ErrReauthenticate: the action needs a
// recent sign-in (a refresh login) first.
var Reauthenticate = Class{http.StatusForbidden, "reauthenticate", "problem.reauthenticate"}

// RetryAfter is the Retry-After (seconds) of a 503: a database or identity
// provider restart takes a few seconds.
const RetryAfter = 5

// SetRetryAfter adds Retry-After to a 503 answer that has none.
func SetRetryAfter(h http.Header, status int) {
	if status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", strconv.Itoa(RetryAfter))
	}
}

var kinds = []struct {
	kind  error
	class Class
}{
	// First: an outage wrapped in another kind (a lookup that failed to reach
	// the database) is still an outage.
	{errs.ErrUnavailable, Unavailable},
	{errs.ErrUnauthenticated, Class{http.StatusUnauthorized, "unauthenticated", "problem.unauthenticated"}},
	// Before ErrForbidden, which they wrap: the client must learn what to do.
	{errs.ErrMFARequired, MFARequired},
	{errs.ErrReauthenticate, Reauthenticate},
	{errs.ErrEmailUnverified, Class{http.StatusForbidden, "email-unverified", "problem.email_unverified"}},
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
	if unreachable(err) {
		return Unavailable, true
	}
	return Internal, false
}

// unreachable is the safety net for a dependency failure an adapter did not
// map to errs.ErrUnavailable: a network error, a connection cut mid-answer,
// or a database error of the connection-exception (08), operator-intervention
// (57P0x: shutdown, crash, starting up) or too-many-connections (53300)
// classes. It inspects behaviour only (no driver import), so the layers stay
// apart.
func unreachable(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		code := st.SQLState()
		return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "57P") || code == "53300"
	}
	return false
}
