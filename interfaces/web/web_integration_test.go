package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// page GETs a back-office page with a session token (what ResolveSession
// accepts besides the browser cookie).
func page(t *testing.T, env *e2e.Env, path, token, lang string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCustomerPage_ownerSeesContactMechanicDoesNotIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	base := "/api/v1/workshops/" + w.Slug
	r := env.Do(t, http.MethodPost, base+"/customers", w.OwnerToken, map[string]any{
		"name": "Ana Cliente", "document": "529.982.247-25", "email": "ana@example.com",
		"phones":  map[string]string{"mobile": "(11) 98765-4321"},
		"address": map[string]string{"street": "Rua das Flores", "number": "12", "city": "Campinas", "state": "SP", "postal_code": "13010-000"},
	})
	if r.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	id, _ := r.JSON()["id"].(string)
	if r = env.Do(t, http.MethodPost, base+"/customers/"+id+"/vehicles", w.OwnerToken,
		map[string]any{"plate": "BRA2E19", "make": "Fiat", "model": "Argo", "year": 2021}); r.Status != http.StatusCreated {
		t.Fatalf("vehicle: %d %s", r.Status, r.Body)
	}

	email := "mecanico-" + e2e.Unique() + "@example.com"
	if _, err := env.Sys.Ory.CreateStaff(context.Background(), email, "Mecânico", e2e.Password); err != nil {
		t.Fatal(err)
	}
	env.VerifyEmail(t, email) // the address is the invitee's own (invitations reset unverified accounts)
	if r = env.Do(t, http.MethodPost, base+"/staff", w.OwnerToken,
		map[string]string{"name": "Mecânico", "email": email, "role": "mechanic"}); r.Status != http.StatusCreated {
		t.Fatalf("add mechanic: %d %s", r.Status, r.Body)
	}
	mechanic := env.Login(t, email, e2e.Password)

	path := "/app/" + w.Slug + "/customers/" + id
	status, body := page(t, env, path, w.OwnerToken, "")
	if status != http.StatusOK {
		t.Fatalf("owner: %d", status)
	}
	for _, want := range []string{`lang="pt-BR"`, "Ana Cliente", "529.982.247-25", "(11) 98765-4321", "Rua das Flores", "BRA2E19", "Veículos"} {
		if !strings.Contains(body, want) {
			t.Errorf("owner's page lacks %q", want)
		}
	}
	if _, en := page(t, env, path, w.OwnerToken, "en"); !strings.Contains(en, "Vehicles") {
		t.Error("English page lacks \"Vehicles\"")
	}

	for _, p := range []string{path, "/app/" + w.Slug + "/customers", "/app/" + w.Slug + "/customers?q=Ana"} {
		status, body = page(t, env, p, mechanic, "")
		if status != http.StatusOK {
			t.Fatalf("mechanic %s: %d", p, status)
		}
		for _, secret := range []string{"529.982.247-25", "52998224725", "98765", "ana@example.com", "Rua das Flores", "13010"} {
			if strings.Contains(body, secret) {
				t.Errorf("mechanic sees %q on %s", secret, p)
			}
		}
		if !strings.Contains(body, "Ana Cliente") {
			t.Errorf("mechanic does not see the customer's name on %s", p)
		}
	}
	// The edit page is the owner's: the use case refuses the mechanic.
	if status, _ = page(t, env, path+"/edit", mechanic, ""); status == http.StatusOK {
		t.Error("mechanic opened the edit form")
	}
	// No session: the login page.
	req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("anonymous: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Someone else's workshop does not exist.
	other := env.Signup(t, "basic")
	if status, _ = page(t, env, path, other.OwnerToken, ""); status != http.StatusNotFound {
		t.Errorf("another workshop's owner: %d, want 404", status)
	}
}
