package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/internal/e2e"
)

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// The portal sends a visitor without a session to its login page, answers
// the code request alike for any address, and refuses cross-site posts.
func TestPortalPages_loginAndCSRFIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "basic")
	c := noRedirect()
	get := func(path string) (int, http.Header, string) {
		resp, err := c.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	if st, h, body := get("/p/" + w.Slug + "/"); st != http.StatusSeeOther || h.Get("Location") != "/p/"+w.Slug+"/login" {
		t.Fatalf("home without session: %d %v %s", st, h, body)
	}
	st, _, body := get("/p/" + w.Slug + "/login")
	if st != http.StatusOK || !strings.Contains(body, "Oficina Teste") || !strings.Contains(body, `href="/p/`+w.Slug+`/privacy"`) {
		t.Fatalf("login page: %d %s", st, body)
	}
	if st, _, body := get("/p/" + w.Slug + "/privacy"); st != http.StatusOK || !strings.Contains(body, "Oficina Teste") {
		t.Fatalf("privacy page: %d %s", st, body)
	}
	if st, _, _ := get("/p/no-such-" + e2e.Unique() + "/login"); st != http.StatusNotFound {
		t.Fatalf("unknown portal: %d", st)
	}
	post := func(path, origin string, form url.Values) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	form := url.Values{"email": {"ninguem-" + e2e.Unique() + "@example.com"}}
	if st, body := post("/p/"+w.Slug+"/login", "https://evil.example", form); st != http.StatusForbidden {
		t.Fatalf("cross-site post: %d %s", st, body)
	}
	st, body = post("/p/"+w.Slug+"/login", env.Config.PublicURL, form)
	if st != http.StatusOK || !strings.Contains(body, "Se este e-mail estiver cadastrado") || !strings.Contains(body, `name="code"`) {
		t.Fatalf("code request: %d %s", st, body)
	}
	if st, body := post("/p/"+w.Slug+"/login", env.Config.PublicURL, url.Values{"email": {"não-é-email"}}); st != http.StatusUnprocessableEntity {
		t.Fatalf("bad e-mail: %d %s", st, body)
	}
}

// A car owner's erasure request shows on the owner's list, linked to the
// erase confirmation; a mechanic may not see the list.
func TestErasureRequestsPageIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/customers", w.OwnerToken,
		map[string]any{"name": "Rita Apagar", "email": "rita-" + e2e.Unique() + "@example.com"})
	if r.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	id := uuid.MustParse(r.JSON()["id"].(string))
	tid := tenant.MustParse(w.ID)
	ctx := authz.WithPrincipal(tenant.WithTenant(context.Background(), tid),
		authz.Principal{IdentityID: "rita", Tenant: tid, Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{id}})
	if err := env.Sys.Portal.RequestErasure(ctx); err != nil {
		t.Fatal(err)
	}
	status, body := page(t, env, "/app/"+w.Slug+"/erasure-requests", w.OwnerToken, "")
	if status != http.StatusOK || !strings.Contains(body, "Rita Apagar") ||
		!strings.Contains(body, "/app/"+w.Slug+"/customers/"+id.String()+"/erase") {
		t.Fatalf("erasure requests page: %d %s", status, body)
	}
}
