package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/torquehq/torque/interfaces/httpapi/openapi"

	"github.com/go-chi/chi/v5"
)

// Deps are what the HTTP API needs; cmd/torque fills them.
type Deps struct {
	Logger *slog.Logger
	// Metrics records each request (nil: none).
	Metrics RequestObserver
	// MetricsHandler serves GET /metrics (nil: not served).
	MetricsHandler http.Handler
	// MetricsToken guards /metrics on the public listener: the scraper sends
	// Authorization: Bearer <token>. Empty: only a loopback peer may read it.
	MetricsToken string
	// Ready lists the readiness checks (Postgres, publisher, Ory).
	Ready []Check
	// Mount adds feature routes under /api/v1 (one func per feature).
	Mount []func(r chi.Router)
}

// RequestObserver records the outcome of each request, by route pattern.
type RequestObserver interface {
	ObserveHTTPRequest(route, method string, status int, d time.Duration)
}

// NewRouter builds the HTTP handler.
func NewRouter(d Deps) http.Handler {
	r := chi.NewRouter()
	r.Use(requestContext, securityHeaders, accessLog(d.Logger, d.Metrics), limitBody, consistencyReport)
	r.Get("/healthz", healthz)
	r.Get("/readyz", readyz(d.Ready))
	if d.MetricsHandler != nil {
		r.Handle("/metrics", metricsGuard(d.MetricsToken, d.MetricsHandler))
	}
	r.Mount("/api/docs", openapi.Docs(func(w http.ResponseWriter, status int, typ, detail string) {
		WriteProblem(w, Problem{Type: typ, Status: status, Detail: detail})
	}))
	r.Route("/api/v1", func(api chi.Router) {
		api.Get("/openapi.json", openapi.ServeDocument)
		for _, m := range d.Mount {
			m(api)
		}
	})
	r.NotFound(func(w http.ResponseWriter, _ *http.Request) {
		WriteProblem(w, Problem{Type: "/problems/not-found", Status: http.StatusNotFound})
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, _ *http.Request) {
		WriteProblem(w, Problem{Type: "/problems/method-not-allowed", Status: http.StatusMethodNotAllowed})
	})
	return r
}
