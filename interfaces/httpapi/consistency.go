package httpapi

import (
	"net/http"

	"github.com/torquehq/torque/application/usecase"
)

// ConsistencyHeader is the response header that says a write's read models
// had not caught up when the response was sent (read-your-writes timed out):
//
//	Torque-Consistency: stale; position=customer/0190…@3
//
// one value per stale stream. The write is committed; a read of that stream
// shows it once its version reaches the position. Without the header the
// response reflects the request's writes.
const ConsistencyHeader = "Torque-Consistency"

// consistencyReport gives every request a usecase.StalenessReport and, when
// the use case recorded a stale write, adds ConsistencyHeader to the response
// before its status is written.
func consistencyReport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, rep := usecase.WithStalenessReport(r.Context())
		next.ServeHTTP(&staleWriter{ResponseWriter: w, rep: rep}, r.WithContext(ctx))
	})
}

type staleWriter struct {
	http.ResponseWriter
	rep     *usecase.StalenessReport
	written bool
}

func (s *staleWriter) mark() {
	if s.written {
		return
	}
	s.written = true
	for _, p := range s.rep.Positions() {
		s.Header().Add(ConsistencyHeader, "stale; position="+p)
	}
}

func (s *staleWriter) WriteHeader(code int) {
	s.mark()
	s.ResponseWriter.WriteHeader(code)
}

func (s *staleWriter) Write(b []byte) (int, error) {
	s.mark()
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *staleWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
