// Package resilience_test tries Torque as an operator would: dependencies cut
// and restored under load, a worker stopped, a poisoned event.
package resilience_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/wiring"
)

// Ports of this suite's fault proxies (the s10 helper range 20800-20899).
const (
	pgProxyAddr          = "127.0.0.1:20801"
	kratosPublicProxyAdr = "127.0.0.1:20802"
	kratosAdminProxyAdr  = "127.0.0.1:20803"
)

// viaProxy points a URL at the proxy address and returns the proxied URL and
// the original host:port.
func viaProxy(t *testing.T, raw, proxy string) (string, string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	u.Host = proxy
	return u.String(), target
}

type outcome struct {
	phase  string
	status int
	retry  string
	path   string
}

// Issue 15 item 7: while Postgres or Kratos is unreachable every request
// answers 503 with Retry-After (never 404, never 500), /readyz names the
// dependency that is down, and the server recovers by itself.
func TestOutage_postgresAndKratosAnswer503ThenRecover(t *testing.T) {
	var pg, kpub, kadm *faultProxy
	env := e2e.StartWith(t, e2e.Options{Configure: func(c *wiring.Config) {
		var target string
		c.DatabaseURL, target = viaProxy(t, c.DatabaseURL, pgProxyAddr)
		pg = newFaultProxy(t, pgProxyAddr, target)
		c.KratosPublicURL, target = viaProxy(t, c.KratosPublicURL, kratosPublicProxyAdr)
		kpub = newFaultProxy(t, kratosPublicProxyAdr, target)
		c.KratosAdminURL, target = viaProxy(t, c.KratosAdminURL, kratosAdminProxyAdr)
		kadm = newFaultProxy(t, kratosAdminProxyAdr, target)
	}})
	w := env.Signup(t, "basic")
	tok := w.OwnerToken
	base := "/api/v1/workshops/" + w.Slug
	r := env.Do(t, http.MethodPost, base+"/customers", tok, map[string]any{"name": "Cliente Antes"})
	if r.Status != http.StatusCreated {
		t.Fatalf("customer before the outage: %d %s", r.Status, r.Body)
	}
	custID, _ := r.JSON()["id"].(string)

	// Load: 4 clients read and write throughout.
	var mu sync.Mutex
	phase := "up"
	var outcomes []outcome
	stop := make(chan struct{})
	var wg sync.WaitGroup
	hc := &http.Client{Timeout: 20 * time.Second}
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var req *http.Request
				if i%2 == 0 {
					req, _ = http.NewRequest(http.MethodGet, env.URL+base+"/customers/"+custID, nil)
				} else {
					req, _ = http.NewRequest(http.MethodPost, env.URL+base+"/customers",
						stringsReader(fmt.Sprintf(`{"name":"Cliente %d-%d"}`, c, i)))
					req.Header.Set("Content-Type", "application/json")
				}
				req.Header.Set("Authorization", "Bearer "+tok)
				mu.Lock()
				ph := phase
				mu.Unlock()
				resp, err := hc.Do(req)
				if err != nil {
					mu.Lock()
					outcomes = append(outcomes, outcome{phase: ph, status: -1, path: err.Error()})
					mu.Unlock()
					continue
				}
				_ = resp.Body.Close()
				mu.Lock()
				outcomes = append(outcomes, outcome{phase: ph, status: resp.StatusCode, retry: resp.Header.Get("Retry-After"), path: req.Method + " " + req.URL.Path})
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	setPhase := func(p string) { mu.Lock(); phase = p; mu.Unlock() }

	time.Sleep(500 * time.Millisecond)
	pg.Cut()
	setPhase("postgres down")
	time.Sleep(300 * time.Millisecond)
	ready := env.Do(t, http.MethodGet, "/readyz", "", nil)
	if ready.Status != http.StatusServiceUnavailable || !contains(ready.JSON()["down"], "postgres") {
		t.Errorf("readyz with Postgres down: %d %s, want 503 naming postgres", ready.Status, ready.Body)
	}
	time.Sleep(1500 * time.Millisecond)
	pg.Restore()
	setPhase("postgres restored")
	waitFor(t, "recovery after Postgres returns", func() bool {
		return env.Do(t, http.MethodGet, base+"/customers/"+custID, tok, nil).Status == http.StatusOK
	})
	setPhase("up again")
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()

	down503 := 0
	for _, o := range outcomes {
		switch o.status {
		case http.StatusServiceUnavailable:
			if o.retry == "" {
				t.Errorf("%s: %s answered 503 without Retry-After", o.phase, o.path)
			}
			if o.phase == "postgres down" {
				down503++
			}
		case http.StatusOK, http.StatusCreated:
		default:
			t.Errorf("%s: %s answered %d (want 2xx or 503)", o.phase, o.path, o.status)
		}
	}
	if down503 == 0 {
		t.Errorf("no request answered 503 while Postgres was down (%d requests)", len(outcomes))
	}
	t.Logf("postgres outage: %d requests, %d answered 503 while down", len(outcomes), down503)

	// Kratos: a login and an unknown session are 503 while it is down (the
	// session may be valid), and /readyz names ory.
	kpub.Cut()
	kadm.Cut()
	login := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": w.OwnerEmail, "password": w.OwnerPass})
	if login.Status != http.StatusServiceUnavailable || login.Header.Get("Retry-After") == "" {
		t.Errorf("login with Kratos down: %d %s, want 503 with Retry-After", login.Status, login.Body)
	}
	unknown := env.Do(t, http.MethodGet, base+"/customers/"+custID, "ory_st_not-a-cached-session", nil)
	if unknown.Status != http.StatusServiceUnavailable {
		t.Errorf("session check with Kratos down: %d %s, want 503", unknown.Status, unknown.Body)
	}
	ready = env.Do(t, http.MethodGet, "/readyz", "", nil)
	if ready.Status != http.StatusServiceUnavailable || !contains(ready.JSON()["down"], "ory") || contains(ready.JSON()["down"], "postgres") {
		t.Errorf("readyz with Kratos down: %d %s, want 503 naming ory only", ready.Status, ready.Body)
	}
	kpub.Restore()
	kadm.Restore()
	waitFor(t, "login after Kratos returns", func() bool {
		return env.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": w.OwnerEmail, "password": w.OwnerPass}).Status == http.StatusOK
	})
	if r := env.Do(t, http.MethodGet, "/readyz", "", nil); r.Status != http.StatusOK {
		t.Errorf("readyz after recovery: %d %s", r.Status, r.Body)
	}
}

func contains(list any, name string) bool {
	items, _ := list.([]any)
	for _, it := range items {
		if it == name {
			return true
		}
	}
	return false
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 30 s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
