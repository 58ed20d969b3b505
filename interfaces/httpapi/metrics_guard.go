package httpapi

import (
	"crypto/subtle"
	"net"
	"net/http"
)

// metricsGuard serves /metrics only to a scraper presenting the token, or,
// without a token configured, to a loopback peer (the local stack, a sidecar).
// Anyone else gets a plain 404: the endpoint is not advertised.
func metricsGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got := r.Header.Get("Authorization")
			if subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+token)) == 1 {
				next.ServeHTTP(w, r)
				return
			}
		} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() && r.Header.Get("X-Forwarded-For") == "" {
				next.ServeHTTP(w, r)
				return
			}
		}
		WriteProblem(w, Problem{Type: "/problems/not-found", Status: http.StatusNotFound})
	})
}
