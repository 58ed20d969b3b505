package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// Roles returns a token per role for one workshop.
func roles(t *testing.T, env *e2e.Env, w e2e.Workshop) map[string]string {
	return map[string]string{
		"owner":    w.OwnerToken,
		"manager":  env.Staff(t, w, "manager"),
		"advisor":  env.Staff(t, w, "advisor"),
		"mechanic": env.Staff(t, w, "mechanic"),
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

func TestRoleMatrix_RegistryEndpointsIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	env, w := f.env, f.w
	tokens := roles(t, env, w)
	other := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken, `{"name":"Segundo Dono"}`), 201, "second customer")
	plates := 0
	nextPlate := func() string { plates++; return fmt.Sprintf("TST%dA%02d", plates%10, plates%100) }
	orderBody := func() any {
		return map[string]any{"customer_id": f.customerID, "vehicle_id": f.vehicleID,
			"items": []map[string]any{{"service": "diagnostics", "description": "Diagnóstico", "quantity": 1, "unit_price_cents": 9000}}}
	}
	staff := []string{"owner", "manager", "advisor"}
	all := []string{"owner", "manager", "advisor", "mechanic"}
	c, v, o := "/customers/"+f.customerID, "/vehicles/"+f.vehicleID, "/service-orders/"+f.orderID
	calls := []struct {
		name, method, path string
		body               func() any
		status             int
		allowed            []string
	}{
		{"create customer", "POST", "/customers", func() any { return map[string]string{"name": "Cliente " + e2e.Unique()} }, 201, staff},
		{"read customer", "GET", c, nil, 200, all},
		{"search customers", "GET", "/customers?q=ana", nil, 200, all},
		{"correct customer", "PATCH", c, func() any { return map[string]string{"name": "Ana Lima " + e2e.Unique()} }, 200, staff},
		{"add note", "POST", c + "/notes", func() any { return map[string]string{"text": "Nota " + e2e.Unique()} }, 201, all},
		{"list notes", "GET", c + "/notes", nil, 200, all},
		{"customer history", "GET", c + "/history", nil, 200, all},
		{"export", "GET", c + "/export", nil, 200, []string{"owner", "manager"}},
		{"list consents", "GET", c + "/consents", nil, 200, staff},
		{"give consent", "POST", c + "/consents", func() any {
			return map[string]string{"purpose": "service_messages", "channel": "whatsapp", "source": "counter"}
		}, 201, staff},
		{"add vehicle", "POST", c + "/vehicles", func() any {
			return map[string]any{"plate": nextPlate(), "make": "Fiat", "model": "Argo", "year": 2020}
		}, 201, staff},
		{"read vehicle", "GET", v, nil, 200, all},
		{"correct vehicle", "PATCH", v, func() any { return map[string]string{"color": "Azul " + e2e.Unique()[:3]} }, 200, staff},
		{"vehicle history", "GET", v + "/history", nil, 200, all},
		{"open order", "POST", "/service-orders", orderBody, 201, staff},
		{"list orders", "GET", "/service-orders", nil, 200, all},
		{"read order", "GET", o, nil, 200, all},
		{"audit log", "GET", "/audit-log", nil, 200, []string{"owner"}},
	}
	for _, call := range calls {
		for role, tok := range tokens {
			want := http.StatusForbidden
			for _, a := range call.allowed {
				if a == role {
					want = call.status
				}
			}
			var body any
			if call.body != nil {
				body = call.body()
			}
			r := env.Do(t, call.method, ws(w, call.path), tok, body)
			if r.Status != want {
				t.Errorf("%s as %s: %d %s, want %d", call.name, role, r.Status, trim(r.Body), want)
			}
		}
	}
	// Status changes: every role, mechanics included, moves the job along.
	for i, role := range []string{"mechanic", "advisor", "manager"} {
		st := []string{"in_progress", "completed", "delivered"}[i]
		r := env.Do(t, http.MethodPost, ws(w, o+"/status"), tokens[role], map[string]string{"status": st})
		if r.Status != http.StatusOK {
			t.Errorf("status %s as %s: %d %s", st, role, r.Status, trim(r.Body))
		}
	}
	// Transfer and erasure, each refused before the allowed role does it.
	for _, role := range []string{"mechanic"} {
		if r := env.Do(t, http.MethodPost, ws(w, v+"/transfer"), tokens[role], map[string]string{"customer_id": other["id"].(string)}); r.Status != http.StatusForbidden {
			t.Errorf("transfer as %s: %d", role, r.Status)
		}
	}
	if r := env.Do(t, http.MethodPost, ws(w, v+"/transfer"), tokens["advisor"], map[string]string{"customer_id": other["id"].(string)}); r.Status != http.StatusOK {
		t.Errorf("transfer as advisor: %d %s", r.Status, trim(r.Body))
	}
	for _, role := range []string{"mechanic", "advisor", "manager"} {
		if r := env.Do(t, http.MethodDelete, ws(w, "/customers/"+other["id"].(string)), tokens[role], nil); r.Status != http.StatusForbidden {
			t.Errorf("erase as %s: %d", role, r.Status)
		}
	}
	if r := env.Do(t, http.MethodDelete, ws(w, "/customers/"+other["id"].(string)), tokens["owner"], nil); r.Status != http.StatusNoContent {
		t.Errorf("erase as owner: %d %s", r.Status, trim(r.Body))
	}
}
