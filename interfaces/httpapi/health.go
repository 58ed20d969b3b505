package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Check is one readiness dependency.
type Check struct {
	Name string
	Func func(ctx context.Context) error
	// Optional checks are reported ("unavailable") but do not make the
	// process unready (e.g. ClickHouse: only analytics waits for it).
	Optional bool
}

func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// readyz runs every check concurrently with a 2 s budget; 200 only if all pass.
func readyz(checks []Check) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		results := make(map[string]string, len(checks))
		optional := make(map[string]bool, len(checks))
		for _, c := range checks {
			optional[c.Name] = c.Optional
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, c := range checks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status := "ok"
				if err := c.Func(ctx); err != nil {
					status = "unavailable"
				}
				mu.Lock()
				results[c.Name] = status
				mu.Unlock()
			}()
		}
		wg.Wait()
		code := http.StatusOK
		down := []string{}
		for name, s := range results {
			if s != "ok" && !optional[name] {
				code = http.StatusServiceUnavailable
				down = append(down, name)
			}
		}
		sort.Strings(down)
		status := "ready"
		if code != http.StatusOK {
			status = "not ready"
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		// "down" names the dependencies that failed, e.g. ["ory"].
		_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "checks": results, "down": down})
	}
}
