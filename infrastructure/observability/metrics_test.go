package observability_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/observability"
)

// /metrics shows request counts by route pattern beside the event store's and
// the Go runtime's series.
func TestMetrics_ExposesHTTPAndEventStoreSeries(t *testing.T) {
	t.Parallel()
	m := observability.NewMetrics()
	m.ObserveHTTPRequest("/healthz", http.MethodGet, http.StatusOK, 3*time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{`torque_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		"torque_http_request_duration_seconds", "torque_eventstore_append_duration_seconds", "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
