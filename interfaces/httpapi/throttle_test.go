package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/interfaces/httpapi"
)

// A route limit keyed by a body field counts per field value (trimmed, any
// case), answers 429 problem+json with Retry-After, and leaves the body
// intact for the handler.
func TestThrottled_keysByBodyFieldAndKeepsTheBody(t *testing.T) {
	t.Parallel()
	var got []string
	h := httpapi.Throttled(httpapi.Throttle{Limiter: httpapi.NewRateLimiter(2, 10*time.Minute), Key: httpapi.ByJSONField("", "email")})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got = append(got, string(b))
			w.WriteHeader(http.StatusNoContent)
		}))
	send := func(body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
		return rec
	}
	for _, b := range []string{`{"email":"a@example.com"}`, `{"email":" A@Example.com "}`, `not json`, `{"email":"b@example.com"}`} {
		if rec := send(b); rec.Code != http.StatusNoContent {
			t.Fatalf("%s: %d", b, rec.Code)
		}
	}
	if got[0] != `{"email":"a@example.com"}` || got[2] != "not json" {
		t.Errorf("the handler read %q", got)
	}
	rec := send(`{"email":"a@EXAMPLE.com"}`)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "600" ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("third attempt for one address: %d Retry-After %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Header().Get("Content-Type"))
	}
}
