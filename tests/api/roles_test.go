package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// staffWith creates an identity with a password and has the owner add it to
// the workshop with role; it returns a session token.
func staffWith(t *testing.T, env *e2e.Env, w e2e.Workshop, role string) string {
	t.Helper()
	email := role + "-" + e2e.Unique() + "@example.com"
	if _, err := env.Sys.Ory.CreateStaff(context.Background(), email, "Equipe "+role, e2e.Password); err != nil {
		t.Fatal(err)
	}
	r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/staff", w.OwnerToken,
		map[string]string{"name": "Equipe " + role, "email": email, "role": role})
	if r.Status != http.StatusCreated {
		t.Fatalf("add %s: %d %s", role, r.Status, r.Body)
	}
	return env.Login(t, email, e2e.Password)
}

// Roles returns a token per role for one workshop.
func roles(t *testing.T, env *e2e.Env, w e2e.Workshop) map[string]string {
	return map[string]string{
		"owner":    w.OwnerToken,
		"manager":  staffWith(t, env, w, "manager"),
		"advisor":  staffWith(t, env, w, "advisor"),
		"mechanic": staffWith(t, env, w, "mechanic"),
	}
}

func TestRoleMatrix_WorkshopAndStaffEndpointsIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	tokens := roles(t, env, w)
	base := "/api/v1/workshops/" + w.Slug
	type call struct {
		name, method, path string
		body               func() any
		allowed            map[string]int // role → expected status; others 403
	}
	ok := func(status int, rs ...string) map[string]int {
		m := map[string]int{}
		for _, r := range rs {
			m[r] = status
		}
		return m
	}
	calls := []call{
		{"read workshop", http.MethodGet, base, nil, ok(200, "owner", "manager", "advisor", "mechanic")},
		{"update profile", http.MethodPatch, base, func() any { return map[string]string{"primary_color": "#112233"} }, ok(200, "owner", "manager")},
		{"list staff", http.MethodGet, base + "/staff", nil, ok(200, "owner", "manager", "advisor")},
		{"invite staff", http.MethodPost, base + "/staff", func() any {
			return map[string]string{"name": "Novo", "email": "novo-" + e2e.Unique() + "@example.com", "role": "mechanic"}
		}, ok(201, "owner", "manager")},
		{"billing portal", http.MethodPost, base + "/billing/portal", nil, ok(200, "owner")},
	}
	for _, c := range calls {
		for role, tok := range tokens {
			want, allowed := c.allowed[role]
			if !allowed {
				want = http.StatusForbidden
			}
			var body any
			if c.body != nil {
				body = c.body()
			}
			r := env.Do(t, c.method, c.path, tok, body)
			if r.Status != want {
				t.Errorf("%s as %s: %d %s, want %d", c.name, role, r.Status, r.Body, want)
			}
		}
	}
	// Only an owner may create another owner.
	r := env.Do(t, http.MethodPost, base+"/staff", tokens["manager"],
		map[string]string{"name": "X", "email": "x-" + e2e.Unique() + "@example.com", "role": "owner"})
	if r.Status != http.StatusForbidden {
		t.Errorf("a manager created an owner: %d", r.Status)
	}
}
