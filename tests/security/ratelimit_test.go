// Package security_test holds the black-box checks of the security review
// (issue 10, docs/security.md) that need the whole product: the real
// composition root on a real database.
package security_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/wiring"
)

// secondProcess runs another Torque (its own composition root, its own
// memory) on env's database: a second API replica.
func secondProcess(t *testing.T, env *e2e.Env) string {
	t.Helper()
	cfg := env.Config
	cfg.LogOutput = env.Logs
	sys, err := wiring.Build(context.Background(), cfg)
	if err != nil {
		t.Fatalf("second process: %v", err)
	}
	srv := httptest.NewServer(sys.Handler())
	t.Cleanup(func() { srv.Close(); sys.Close() })
	return srv.URL
}

var client = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// answer is what a limit test looks at: the status and the headers.
type answer struct {
	StatusCode int
	Header     http.Header
}

// attempt is one request of a limit test.
type attempt func(base string) answer

func postJSON(path, token, body string) attempt {
	return func(base string) answer {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return do(req)
	}
}

func postForm(origin, path string, form url.Values) attempt {
	return func(base string) answer {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		return do(req)
	}
}

func do(req *http.Request) answer {
	resp, err := client.Do(req)
	if err != nil {
		return answer{Header: http.Header{}}
	}
	_ = resp.Body.Close()
	return answer{StatusCode: resp.StatusCode, Header: resp.Header}
}

// sharedLimit sends limit+1 requests alternating between the two processes
// (each attempt from the list in turn) and requires the first limit to pass
// the limiter and the last to be refused with 429 and Retry-After: one limit
// for both processes. Per-process counting lets every request through.
// A fixed window may end during the run: then it is run once more.
func sharedLimit(t *testing.T, bases [2]string, limit int, window time.Duration, attempts ...attempt) {
	t.Helper()
	for try := 0; try < 2; try++ {
		start := time.Now()
		var codes []int
		var last answer
		for i := 0; i <= limit; i++ {
			last = attempts[i%len(attempts)](bases[i%2])
			codes = append(codes, last.StatusCode)
		}
		if start.Truncate(window) != time.Now().Truncate(window) && try == 0 {
			continue // the counting window turned over mid-run
		}
		for i, c := range codes[:limit] {
			if c == http.StatusTooManyRequests || c == 0 || c >= 500 {
				t.Fatalf("attempt %d of %d answered %d (all: %v)", i+1, limit, c, codes)
			}
		}
		if last.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("attempt %d across two processes answered %d, want 429 (all: %v)", limit+1, last.StatusCode, codes)
		}
		if last.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		return
	}
}

func TestRateLimits_sharedByEveryProcess(t *testing.T) {
	env := e2e.Start(t)
	bases := [2]string{env.URL, secondProcess(t, env)}
	origin := env.Config.PublicURL
	ws := signup(t, env, "basic") // patient: the identity provider hashes passwords

	t.Run("signup API and page, per address", func(t *testing.T) {
		email := "repetido-" + e2e.Unique() + "@example.com"
		// Invalid on purpose (no workshop name): counted, never created.
		api := postJSON("/api/v1/signup", "", `{"slug":"x","plan":"basic","owner":{"name":"A","email":"`+email+`","password":"x"}}`)
		page := postForm(origin, "/signup", url.Values{"slug": {"x"}, "plan": {"basic"}, "owner.email": {strings.ToUpper(email)}})
		sharedLimit(t, bases, 5, 10*time.Minute, api, api, page, page)
	})
	t.Run("staff invitations, per invited address", func(t *testing.T) {
		body := `{"name":"","email":"convidado-` + e2e.Unique() + `@example.com","role":"nope"}`
		sharedLimit(t, bases, 5, time.Hour, postJSON("/api/v1/workshops/"+ws.Slug+"/staff", ws.OwnerToken, body))
	})
	t.Run("portal code requests, API and page, per address", func(t *testing.T) {
		email := "cliente-" + e2e.Unique() + "@example.com"
		api := postJSON("/api/v1/portal/"+ws.Slug+"/auth/code", "", `{"email":"`+email+`"}`)
		page := postForm(origin, "/p/"+ws.Slug+"/login", url.Values{"email": {email}})
		sharedLimit(t, bases, 10, time.Minute, api, api, page, page)
	})
	t.Run("feedback and unsubscribe links, per token", func(t *testing.T) {
		tok := "tok" + e2e.Unique()
		api := postJSON("/api/v1/feedback/"+tok, "", `{"score":9}`)
		page := postForm(origin, "/f/"+tok, url.Values{"score": {"9"}})
		sharedLimit(t, bases, 10, 10*time.Minute, api, api, page, page)
		tok = "tok" + e2e.Unique()
		sharedLimit(t, bases, 10, 10*time.Minute, postJSON("/api/v1/unsubscribe/"+tok, "", `{}`), postForm(origin, "/u/"+tok, url.Values{}))
	})
}
