package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
)

func portalPath(slug, path string) string { return "/api/v1/portal/" + slug + path }

// portalLogin asks for a code, reads it from Mailpit and logs in.
func portalLogin(t *testing.T, env *e2e.Env, slug, email string) string {
	t.Helper()
	mp := mailpit.New(envOr("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// Earlier codes to this address would be ambiguous.
	if err := mp.DeleteTo(ctx, email); err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	mustStatus(t, env.Do(t, http.MethodPost, portalPath(slug, "/auth/code"), "", map[string]string{"email": email}), http.StatusAccepted, "ask for a code")
	// Other mail (order status messages) may reach the same address meanwhile.
	msg, err := mp.WaitFor(ctx, email, mailpit.SubjectContains("código de acesso"))
	if err != nil {
		t.Fatalf("no code e-mail for %s: %v", email, err)
	}
	code, err := mailpit.Code(msg.Text)
	if err != nil {
		t.Fatalf("no code in %q: %v", msg.Text, err)
	}
	out := mustStatus(t, env.Do(t, http.MethodPost, portalPath(slug, "/auth/login"), "", map[string]string{"email": strings.ToUpper(email), "code": code}),
		http.StatusOK, "log in with the code")
	tok, _ := out["session_token"].(string)
	if tok == "" || out["expires_at"] == nil {
		t.Fatalf("login answer: %v", out)
	}
	return tok
}

// seedCustomer registers a customer with a vehicle and one service order.
func seedCustomer(t *testing.T, env *e2e.Env, w e2e.Workshop, name, email, plate string) (customerID, orderID string) {
	t.Helper()
	c := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken,
		map[string]any{"name": name, "email": email, "phones": map[string]string{"mobile": "+5511987654321"}}), http.StatusCreated, "create customer")
	customerID = c["id"].(string)
	v := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+customerID+"/vehicles"), w.OwnerToken,
		map[string]any{"plate": plate, "make": "Volkswagen", "model": "Gol", "year": 2019}), http.StatusCreated, "add vehicle")
	o := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), w.OwnerToken, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q,
	  "description":"Revisão","items":[{"service":"oil_change","description":"Troca de óleo","quantity":1,"unit_price_cents":18000}]}`,
		customerID, v["id"])), http.StatusCreated, "open order")
	return customerID, o["id"].(string)
}

func orderIDs(t *testing.T, r e2e.Response) []string {
	t.Helper()
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	r.Decode(t, &page)
	var ids []string
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestPortal_EachCarOwnerSeesOnlyTheirOwnIntegration: two customers of one
// workshop, and the same person at two workshops, each see only their own
// records; portal and staff sessions never cross.
func TestPortal_EachCarOwnerSeesOnlyTheirOwnIntegration(t *testing.T) {
	env := e2e.Start(t)
	a := env.Signup(t, "pro")
	b := env.Signup(t, "pro")
	u := e2e.Unique()
	maria, ana := "maria-"+u+"@example.com", "ana-"+u+"@example.com"
	mariaA, orderMariaA := seedCustomer(t, env, a, "Maria Conceição", maria, "BRA2E19")
	anaA, orderAnaA := seedCustomer(t, env, a, "Ana Souza", ana, "ABC1234")
	mariaB, orderMariaB := seedCustomer(t, env, b, "Maria C. Lima", maria, "XYZ9A87")

	tokMaria := portalLogin(t, env, a.Slug, maria)
	tokAna := portalLogin(t, env, a.Slug, ana)

	me := mustStatus(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/me"), tokMaria, nil), http.StatusOK, "maria /me at A")
	if me["id"] != mariaA || me["email"] != maria || me["name"] != "Maria Conceição" {
		t.Fatalf("maria's /me at A = %v", me)
	}
	if vs, _ := me["vehicles"].([]any); len(vs) != 1 || vs[0].(map[string]any)["plate"] != "BRA2E19" {
		t.Fatalf("maria's vehicles at A = %v", me["vehicles"])
	}
	if ids := orderIDs(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/orders"), tokMaria, nil)); len(ids) != 1 || ids[0] != orderMariaA {
		t.Fatalf("maria's orders at A = %v", ids)
	}
	mustStatus(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/orders/"+orderMariaA), tokMaria, nil), http.StatusOK, "maria's own order")
	// Ana's order, and Maria's order at B, do not exist for Maria at A.
	for _, id := range []string{orderAnaA, orderMariaB, "not-a-uuid"} {
		mustStatus(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/orders/"+id), tokMaria, nil), http.StatusNotFound, "another order")
	}
	me = mustStatus(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/me"), tokAna, nil), http.StatusOK, "ana /me")
	if me["id"] != anaA {
		t.Fatalf("ana's /me = %v", me)
	}
	if ids := orderIDs(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/orders"), tokAna, nil)); len(ids) != 1 || ids[0] != orderAnaA {
		t.Fatalf("ana's orders = %v", ids)
	}

	// The same person at B, logged in there: B's record only.
	tokMariaB := portalLogin(t, env, b.Slug, maria)
	me = mustStatus(t, env.Do(t, http.MethodGet, portalPath(b.Slug, "/me"), tokMariaB, nil), http.StatusOK, "maria /me at B")
	if me["id"] != mariaB {
		t.Fatalf("maria's /me at B = %v", me)
	}
	if ids := orderIDs(t, env.Do(t, http.MethodGet, portalPath(b.Slug, "/orders"), tokMariaB, nil)); len(ids) != 1 || ids[0] != orderMariaB {
		t.Fatalf("maria's orders at B = %v", ids)
	}

	// Ana is no customer of B: 404 there, as for a workshop that does not exist.
	mustStatus(t, env.Do(t, http.MethodGet, portalPath(b.Slug, "/me"), tokAna, nil), http.StatusNotFound, "ana at B")
	mustStatus(t, env.Do(t, http.MethodGet, portalPath("no-such-"+u, "/me"), tokAna, nil), http.StatusNotFound, "unknown portal")
	// A portal session reaches no staff endpoint.
	for _, path := range []string{"/api/v1/me", ws(a, ""), ws(a, "/customers"), ws(a, "/customers/"+anaA), ws(b, "/customers/"+mariaB)} {
		mustStatus(t, env.Do(t, http.MethodGet, path, tokMaria, nil), http.StatusNotFound, "portal session on "+path)
	}
	// A staff session reaches no portal endpoint, even of its own workshop.
	for _, path := range []string{"/me", "/orders", "/orders/" + orderMariaA, "/me/export"} {
		mustStatus(t, env.Do(t, http.MethodGet, portalPath(a.Slug, path), a.OwnerToken, nil), http.StatusNotFound, "staff session on portal "+path)
	}
	mustStatus(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/me"), "", nil), http.StatusUnauthorized, "no session")
	mustStatus(t, env.Do(t, http.MethodGet, portalPath(a.Slug, "/me"), "ory_st_forged", nil), http.StatusUnauthorized, "forged session")
}

// TestPortal_SelfServiceIntegration: change phone and address (same
// validation as staff), export, erasure request listed for the owner.
func TestPortal_SelfServiceIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	email := "joao-" + e2e.Unique() + "@example.com"
	id, _ := seedCustomer(t, env, w, "João Araújo", email, "BRA2E19")
	tok := portalLogin(t, env, w.Slug, email)

	out := mustStatus(t, env.Do(t, http.MethodPatch, portalPath(w.Slug, "/me"), tok,
		`{"phones":{"mobile":"(11) 91234-5678"},"address":{"street":"Av. Paulista","number":"1000","city":"São Paulo","state":"sp","postal_code":"01310-100"}}`),
		http.StatusOK, "patch me")
	if ph, _ := out["phones"].(map[string]any); ph["mobile"] != "+5511912345678" {
		t.Fatalf("phones after patch = %v", out["phones"])
	}
	if ad, _ := out["address"].(map[string]any); ad["state"] != "SP" || ad["postal_code"] != "01310100" {
		t.Fatalf("address after patch = %v", out["address"])
	}
	staff := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers/"+id), w.OwnerToken, nil), http.StatusOK, "staff reads the change")
	if ph, _ := staff["phones"].(map[string]any); ph["mobile"] != "+5511912345678" {
		t.Fatalf("staff sees phones %v", staff["phones"])
	}

	bad := []struct {
		name, body string
		status     int
		field      string
	}{
		{"bad phone", `{"phones":{"mobile":"123"}}`, 422, "phones.mobile"},
		{"bad UF", `{"address":{"state":"XX"}}`, 422, "address.state"},
		{"name is the workshop's", `{"name":"Outro"}`, 400, ""},
		{"email is the login", `{"email":"x@example.com"}`, 400, ""},
		{"not JSON", `{`, 400, ""},
	}
	for _, c := range bad {
		r := env.Do(t, http.MethodPatch, portalPath(w.Slug, "/me"), tok, c.body)
		if r.Status != c.status || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %d %s %s", c.name, r.Status, r.Header.Get("Content-Type"), r.Body)
			continue
		}
		if c.field != "" && !strings.Contains(string(r.Body), `"`+c.field+`"`) {
			t.Errorf("%s: %s does not name %s", c.name, r.Body, c.field)
		}
	}

	ex := env.Do(t, http.MethodGet, portalPath(w.Slug, "/me/export"), tok, nil)
	if ex.Status != http.StatusOK || !strings.Contains(ex.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %s", ex.Status, ex.Header)
	}
	if c, _ := ex.JSON()["customer"].(map[string]any); c["id"] != id || c["email"] != email {
		t.Fatalf("export customer = %v", ex.JSON()["customer"])
	}

	for i := 0; i < 2; i++ { // asking twice is harmless
		r := env.Do(t, http.MethodPost, portalPath(w.Slug, "/me/erasure-request"), tok, nil)
		if r.Status != http.StatusAccepted {
			t.Fatalf("erasure request: %d %s", r.Status, r.Body)
		}
	}
	pending, err := env.Sys.Portal.PendingErasures(ownerCtx(t, env, w))
	if err != nil || len(pending) != 1 || pending[0].CustomerID.String() != id || pending[0].Name != "João Araújo" {
		t.Fatalf("pending erasures = %+v, %v", pending, err)
	}
	mustStatus(t, env.Do(t, http.MethodDelete, ws(w, "/customers/"+id), w.OwnerToken, nil), http.StatusNoContent, "owner confirms the erasure")
	if pending, err = env.Sys.Portal.PendingErasures(ownerCtx(t, env, w)); err != nil || len(pending) != 0 {
		t.Fatalf("pending after erasure = %+v, %v", pending, err)
	}
	// The erased person's portal session no longer finds a record.
	mustStatus(t, env.Do(t, http.MethodGet, portalPath(w.Slug, "/me"), tok, nil), http.StatusNotFound, "me after erasure")
}

// TestPortal_AuthRejectsBadInputAndNeverEnumeratesIntegration.
func TestPortal_AuthRejectsBadInputAndNeverEnumeratesIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "basic")
	u := e2e.Unique()
	known := "cliente-" + u + "@example.com"
	seedCustomer(t, env, w, "Cliente "+u, known, "BRA2E19")
	// Known, unknown, and the owner's (staff) address: 202 alike.
	for _, email := range []string{known, "ninguem-" + u + "@example.com", w.OwnerEmail} {
		r := env.Do(t, http.MethodPost, portalPath(w.Slug, "/auth/code"), "", map[string]string{"email": email})
		if r.Status != http.StatusAccepted || len(r.Body) != 0 {
			t.Fatalf("auth/code %s: %d %s", email, r.Status, r.Body)
		}
	}
	// Only the known address got a code.
	mp := mailpit.New(envOr("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := mp.WaitFor(ctx, known, nil); err != nil {
		t.Fatalf("no code for the known address: %v", err)
	}
	if list, err := mp.MessagesTo(ctx, "ninguem-"+u+"@example.com"); err != nil || len(list) != 0 {
		t.Fatalf("an unknown address got mail: %v %v", list, err)
	}

	cases := []struct {
		name, path, body string
		status           int
	}{
		{"code: bad e-mail", "/auth/code", `{"email":"not-an-email"}`, 422},
		{"code: unknown field", "/auth/code", `{"email":"` + known + `","x":1}`, 400},
		{"code: not JSON", "/auth/code", `nope`, 400},
		{"login: no code", "/auth/login", `{"email":"` + known + `"}`, 422},
		{"login: bad e-mail", "/auth/login", `{"email":"x","code":"123456"}`, 422},
		{"login: wrong code", "/auth/login", `{"email":"` + known + `","code":"000000"}`, 401},
		{"login: never asked", "/auth/login", `{"email":"ninguem-` + u + `@example.com","code":"123456"}`, 401},
		{"login: unknown field", "/auth/login", `{"email":"` + known + `","code":"1","y":2}`, 400},
	}
	for _, c := range cases {
		r := env.Do(t, http.MethodPost, portalPath(w.Slug, c.path), "", c.body)
		if r.Status != c.status || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %d %s %s", c.name, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
	}
	mustStatus(t, env.Do(t, http.MethodPost, portalPath("no-such-"+u, "/auth/code"), "", map[string]string{"email": known}), http.StatusNotFound, "unknown portal")
}

// ownerCtx is the workshop owner's context for calling use cases directly.
func ownerCtx(t *testing.T, _ *e2e.Env, w e2e.Workshop) context.Context {
	t.Helper()
	ctx := tenantCtx(t, w)
	tid, _ := tenant.FromContext(ctx)
	return authz.WithPrincipal(ctx, authz.Principal{IdentityID: "owner", Tenant: tid, Role: authz.RoleOwner})
}
