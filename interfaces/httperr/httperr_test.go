package httperr_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/httperr"
)

func TestClassify_EveryKindHasOneStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want int
	}{
		{errs.ErrUnauthenticated, http.StatusUnauthorized},
		{errs.ErrForbidden, http.StatusForbidden},
		{errs.ErrNotFound, http.StatusNotFound},
		{errs.ErrPreconditionFailed, http.StatusPreconditionFailed},
		{errs.ErrIllegalTransition, http.StatusConflict},
		{errs.ErrConflict, http.StatusConflict},
		// A canceled subscription reads but cannot write: 402 in the API and
		// on pages alike (pages once answered 403 here).
		{errs.ErrReadOnly, http.StatusPaymentRequired},
		{errs.ErrRateLimited, http.StatusTooManyRequests},
		{&errs.ValidationError{}, http.StatusUnprocessableEntity},
	}
	for _, c := range cases {
		wrapped := fmt.Errorf("use case: %w", c.err)
		got, known := httperr.Classify(wrapped)
		if !known || got.Status != c.want {
			t.Errorf("Classify(%v) = %d (known %v), want %d", c.err, got.Status, known, c.want)
		}
		if got.MessageKey == "" || got.Type == "" {
			t.Errorf("Classify(%v) has no message key or type: %+v", c.err, got)
		}
	}
}

func TestClassify_UnknownErrorIsInternal(t *testing.T) {
	t.Parallel()
	got, known := httperr.Classify(errors.New("database is on fire"))
	if known || got.Status != http.StatusInternalServerError {
		t.Fatalf("unknown error classified as %+v (known %v)", got, known)
	}
}

type sqlStateError string

func (e sqlStateError) Error() string    { return "FATAL: " + string(e) }
func (e sqlStateError) SQLState() string { return string(e) }

// Issue 15 item 7: an outage is 503, never 404 or 500, even when an adapter
// wrapped it in "not found" or did not map it at all.
func TestClassify_OutageIsUnavailable(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		errs.ErrUnavailable,
		fmt.Errorf("workshop: %w: %w", errs.ErrNotFound, errs.ErrUnavailable),
		fmt.Errorf("query: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}),
		fmt.Errorf("query: %w", io.ErrUnexpectedEOF),
		sqlStateError("57P01"), // terminating connection due to administrator command
		sqlStateError("57P03"), // the database system is starting up
		sqlStateError("08006"),
	} {
		c, known := httperr.Classify(err)
		if !known || c.Status != http.StatusServiceUnavailable {
			t.Errorf("Classify(%v) = %d, want 503", err, c.Status)
		}
	}
	if c, _ := httperr.Classify(sqlStateError("23505")); c.Status == http.StatusServiceUnavailable {
		t.Error("a unique violation is not an outage")
	}
	h := http.Header{}
	httperr.SetRetryAfter(h, http.StatusServiceUnavailable)
	if h.Get("Retry-After") == "" {
		t.Error("a 503 carries no Retry-After")
	}
	h = http.Header{}
	httperr.SetRetryAfter(h, http.StatusNotFound)
	if h.Get("Retry-After") != "" {
		t.Error("a 404 carries Retry-After")
	}
}
