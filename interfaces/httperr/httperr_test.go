package httperr_test

import (
	"errors"
	"fmt"
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
