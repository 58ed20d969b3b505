// Package api_test exercises the public REST API over HTTP against the real
// stack (Postgres, Kratos, Mailpit, stripe-mock), as an outside client would.
package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

func TestSignupLoginMeIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	if w.CheckoutURL == "" {
		t.Error("signup returned no Stripe checkout URL")
	}
	me := env.Do(t, http.MethodGet, "/api/v1/me", w.OwnerToken, nil)
	if me.Status != http.StatusOK {
		t.Fatalf("/me: %d %s", me.Status, me.Body)
	}
	var body struct {
		IdentityID  string `json:"identity_id"`
		Email       string `json:"email"`
		Memberships []struct {
			Workshop string `json:"workshop"`
			Role     string `json:"role"`
		} `json:"memberships"`
	}
	me.Decode(t, &body)
	if body.Email != w.OwnerEmail || body.IdentityID == "" || len(body.Memberships) != 1 ||
		body.Memberships[0].Workshop != w.Slug || body.Memberships[0].Role != "owner" {
		t.Fatalf("/me = %s", me.Body)
	}
	ws := env.Do(t, http.MethodGet, "/api/v1/workshops/"+w.Slug, w.OwnerToken, nil)
	if ws.Status != http.StatusOK || ws.JSON()["status"] != "trialing" || ws.Header.Get("ETag") == "" {
		t.Fatalf("workshop: %d %s", ws.Status, ws.Body)
	}
	if strings.Contains(env.Logs.String(), e2e.Password) || strings.Contains(env.Logs.String(), w.OwnerToken) {
		t.Fatal("a password or session token reached the logs")
	}
}

func TestSignup_RejectsBadInputAndTakenSlugIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "basic")
	cases := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"taken slug", `{"workshop_name":"X","slug":"` + w.Slug + `","plan":"basic","owner":{"name":"A","email":"a-` + e2e.Unique() + `@example.com","password":"long-enough-1"}}`, 409, "slug"},
		{"reserved slug", `{"workshop_name":"X","slug":"admin","plan":"basic","owner":{"name":"A","email":"a@example.com","password":"long-enough-1"}}`, 422, "slug"},
		{"bad plan", `{"workshop_name":"X","slug":"ok-slug-` + e2e.Unique() + `","plan":"gold","owner":{"name":"A","email":"a@example.com","password":"long-enough-1"}}`, 422, "plan"},
		{"short password", `{"workshop_name":"X","slug":"ok-slug-` + e2e.Unique() + `","plan":"basic","owner":{"name":"A","email":"a@example.com","password":"123"}}`, 422, "owner.password"},
		{"bad email", `{"workshop_name":"X","slug":"ok-slug-` + e2e.Unique() + `","plan":"basic","owner":{"name":"A","email":"not-an-email","password":"long-enough-1"}}`, 422, "owner.email"},
		// A taken e-mail answers like a new signup (no enumeration): see
		// TestSignup_knownAddressAnswersLikeANewOneIntegration.
		{"unknown field", `{"workshop":"X"}`, 400, "workshop"},
	}
	for _, c := range cases {
		r := env.Do(t, http.MethodPost, "/api/v1/signup", "", c.body)
		if r.Status != c.status || !strings.Contains(string(r.Body), `"field":"`+c.field+`"`) {
			t.Errorf("%s: %d %s, want %d naming %s", c.name, r.Status, r.Body, c.status, c.field)
		}
	}
}

func TestLogin_SameAnswerWhetherOrNotTheAccountExistsIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "basic")
	wrong := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": w.OwnerEmail, "password": "wrong-password-1"})
	missing := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "nobody-" + e2e.Unique() + "@example.com", "password": "wrong-password-1"})
	if wrong.Status != http.StatusUnauthorized || missing.Status != http.StatusUnauthorized || string(wrong.Body) != string(missing.Body) {
		t.Fatalf("wrong password %d %s; unknown account %d %s", wrong.Status, wrong.Body, missing.Status, missing.Body)
	}
	for _, tok := range []string{"", "forged-token", "ory_st_" + e2e.Unique()} {
		if r := env.Do(t, http.MethodGet, "/api/v1/me", tok, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("token %q: /me = %d", tok, r.Status)
		}
	}
	// Logging out revokes the session.
	if r := env.Do(t, http.MethodPost, "/api/v1/auth/logout", w.OwnerToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/me", w.OwnerToken, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("/me after logout = %d", r.Status)
	}
}

func TestLogin_RateLimitedPerIdentifierIntegration(t *testing.T) {
	env := e2e.Start(t)
	email := "brute-" + e2e.Unique() + "@example.com"
	limited := false
	for i := 0; i < 15; i++ {
		r := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": email, "password": "guess-" + e2e.Unique()})
		if r.Status == http.StatusTooManyRequests {
			limited = true
			if r.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			break
		}
	}
	if !limited {
		t.Fatal("15 failed logins for one e-mail in a minute were never rate limited")
	}
}

func TestOtherWorkshopIsNotFoundIntegration(t *testing.T) {
	env := e2e.Start(t)
	a, b := env.Signup(t, "basic"), env.Signup(t, "basic")
	for _, path := range []string{"/api/v1/workshops/" + b.Slug, "/api/v1/workshops/" + b.Slug + "/staff",
		"/api/v1/workshops/no-such-" + e2e.Unique()} {
		r := env.Do(t, http.MethodGet, path, a.OwnerToken, nil)
		if r.Status != http.StatusNotFound || strings.Contains(string(r.Body), b.Slug+"\"") && strings.Contains(string(r.Body), "Oficina") {
			t.Errorf("%s as another workshop's owner: %d %s", path, r.Status, r.Body)
		}
	}
	r := env.Do(t, http.MethodPatch, "/api/v1/workshops/"+b.Slug, a.OwnerToken, `{"name":"Hacked"}`)
	if r.Status != http.StatusNotFound {
		t.Fatalf("patching another workshop: %d", r.Status)
	}
	_ = context.Background()
}

func TestCookieSession_CrossSiteWritesAreRefusedIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "basic")
	// A browser holding a session cookie: writes need Torque's own origin.
	r := env.Do(t, http.MethodPatch, "/api/v1/workshops/"+w.Slug, "", `{"name":"Via outro site"}`,
		"Cookie", "ory_kratos_session=forged", "Origin", "https://evil.example")
	if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "csrf") {
		t.Fatalf("cross-site cookie write: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, http.MethodPatch, "/api/v1/workshops/"+w.Slug, "", `{"name":"Sem origem"}`, "Cookie", "ory_kratos_session=forged")
	if r.Status != http.StatusForbidden {
		t.Fatalf("cookie write without Origin: %d %s", r.Status, r.Body)
	}
	// Same origin passes the CSRF check and then fails authentication (forged cookie).
	r = env.Do(t, http.MethodPatch, "/api/v1/workshops/"+w.Slug, "", `{"name":"Mesma origem"}`,
		"Cookie", "ory_kratos_session=forged", "Origin", env.Config.PublicURL)
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("same-origin write with a forged cookie: %d %s", r.Status, r.Body)
	}
}
