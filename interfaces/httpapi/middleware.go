package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/requestmeta"
)

// MaxBodyBytes is the largest request body accepted (413 beyond).
const MaxBodyBytes = 1 << 20

// requestContext assigns a request id, adopts or creates a correlation id and
// echoes both in the response headers.
func requestContext(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqID := uuid.Must(uuid.NewV7()).String()
		corr, err := uuid.Parse(r.Header.Get("X-Correlation-Id"))
		if err != nil || corr == uuid.Nil {
			corr = uuid.Must(uuid.NewV7())
		}
		w.Header().Set("X-Request-Id", reqID)
		w.Header().Set("X-Correlation-Id", corr.String())
		ctx := requestmeta.With(r.Context(), requestmeta.Meta{
			Actor: "anonymous", CorrelationID: corr, RequestID: reqID,
		})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog logs one JSON line per request and records metrics by route
// pattern (never the raw path, which holds ids). It never logs bodies,
// query strings or headers, which may hold personal data or secrets.
func accessLog(log *slog.Logger, m RequestObserver) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			defer func() {
				if p := recover(); p != nil {
					log.ErrorContext(r.Context(), "panic", "panic", p)
					if rec.status == 0 {
						WriteProblem(rec, Problem{Type: "/problems/internal", Status: http.StatusInternalServerError})
					}
				}
				route := chi.RouteContext(r.Context()).RoutePattern()
				if route == "" {
					route = "unmatched"
				}
				if rec.status == 0 {
					rec.status = http.StatusOK
				}
				d := time.Since(start)
				if m != nil {
					m.ObserveHTTPRequest(route, metricMethod(r.Method), rec.status, d)
				}
				log.InfoContext(r.Context(), "http request", "method", r.Method, "route", route,
					"status", rec.status, "bytes", rec.bytes, "duration_ms", float64(d.Microseconds())/1000)
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// limitBody caps request bodies at MaxBodyBytes.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			WriteProblem(w, Problem{Type: "/problems/body-too-large", Status: http.StatusRequestEntityTooLarge,
				Detail: "The request body is larger than 1 MiB."})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// metricMethod bounds the method label: a client can send any token as its
// method, and each would be a new time series.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}
