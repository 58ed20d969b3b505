package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
)

// portalToken logs a car owner in through the API (code read from Mailpit).
func portalToken(t *testing.T, env *e2e.Env, slug, email string) string {
	t.Helper()
	addr := os.Getenv("TORQUE_MAILPIT_URL")
	if addr == "" {
		addr = "http://127.0.0.1:8025"
	}
	mp := mailpit.New(addr, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := mp.DeleteTo(ctx, email); err != nil {
		t.Fatal(err)
	}
	if r := env.Do(t, http.MethodPost, "/api/v1/portal/"+slug+"/auth/code", "", map[string]string{"email": email}); r.Status != http.StatusAccepted {
		t.Fatalf("code: %d %s", r.Status, r.Body)
	}
	msg, err := mp.WaitFor(ctx, email, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, err := mailpit.Code(msg.Text)
	if err != nil {
		t.Fatal(err)
	}
	r := env.Do(t, http.MethodPost, "/api/v1/portal/"+slug+"/auth/login", "", map[string]string{"email": email, "code": code})
	tok, _ := r.JSON()["session_token"].(string)
	if r.Status != http.StatusOK || tok == "" {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	return tok
}

// The portal's quote page refuses a decision that leaves a line undecided,
// takes one decision only, and shows nothing of another customer's; the
// invoice is only for the owner's own completed orders.
func TestPortalQuotePagesIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	ws := func(p string) string { return "/api/v1/workshops/" + w.Slug + p }
	must := func(r e2e.Response, want int, what string) map[string]any {
		t.Helper()
		if r.Status != want {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
		return r.JSON()
	}
	seed := func(name, email, plate string) (string, map[string]any) {
		c := must(env.Do(t, http.MethodPost, ws("/customers"), w.OwnerToken, map[string]any{"name": name, "email": email}), 201, "customer")
		v := must(env.Do(t, http.MethodPost, ws("/customers/"+c["id"].(string)+"/vehicles"), w.OwnerToken,
			map[string]any{"plate": plate, "make": "Fiat", "model": "Uno", "year": 2015}), 201, "vehicle")
		o := must(env.Do(t, http.MethodPost, ws("/service-orders"), w.OwnerToken, map[string]any{"customer_id": c["id"], "vehicle_id": v["id"],
			"items": []map[string]any{{"service": "diagnostics", "quantity": 1, "unit_price_cents": 5000}}}), 201, "order")
		oid := o["id"].(string)
		q := must(env.Do(t, http.MethodPost, ws("/service-orders/"+oid+"/quote"), w.OwnerToken, map[string]any{"items": []map[string]any{
			{"service": "brake_pads", "description": "Pastilhas", "quantity": 1, "unit_price_cents": 32000},
			{"service": "oil_change", "description": "Óleo", "quantity": 1, "unit_price_cents": 18000}}}), 201, "quote")
		return oid, q
	}
	u := e2e.Unique()
	email := "dono-" + u + "@example.com"
	oid, q := seed("Carla Dona", email, "QPG1A23")
	_, otherQuote := seed("Outra Pessoa", "outra-"+u+"@example.com", "QPG1B23")
	tok := portalToken(t, env, w.Slug, email)

	c := noRedirect()
	do := func(method, path string, form url.Values) (int, string) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, env.URL+path, body)
		req.AddCookie(&http.Cookie{Name: "torque_portal", Value: tok})
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", env.Config.PublicURL)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	p := "/p/" + w.Slug
	qid := q["id"].(string)
	items := q["items"].([]any)
	line := func(i int) string { return "item." + items[i].(map[string]any)["id"].(string) }

	if st, body := do(http.MethodGet, p+"/orders/"+oid, nil); st != 200 || !strings.Contains(body, p+"/quotes/"+qid) {
		t.Fatalf("order page links to the quote: %d", st)
	}
	if st, _ := do(http.MethodGet, p+"/quotes/"+otherQuote["id"].(string), nil); st != http.StatusNotFound {
		t.Fatalf("another customer's quote: %d", st)
	}
	if st, _ := do(http.MethodGet, p+"/quotes/"+uuid.NewString(), nil); st != http.StatusNotFound {
		t.Fatalf("unknown quote: %d", st)
	}
	if st, _ := do(http.MethodGet, p+"/quotes/not-a-uuid", nil); st != http.StatusNotFound {
		t.Fatalf("bad id: %d", st)
	}
	if st, body := do(http.MethodPost, p+"/quotes/"+qid, url.Values{line(0): {"approve"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Escolha aprovar ou recusar em cada item.") {
		t.Fatalf("a line left undecided: %d", st)
	}
	if st, _ := do(http.MethodPost, p+"/quotes/"+otherQuote["id"].(string), url.Values{line(0): {"approve"}}); st != http.StatusNotFound {
		t.Fatalf("deciding another customer's quote: %d", st)
	}
	if st, _ := do(http.MethodGet, p+"/orders/"+oid+"/invoice.pdf", nil); st != http.StatusConflict {
		t.Fatalf("invoice of an order not completed: %d", st)
	}
	decide := url.Values{line(0): {"approve"}, line(1): {"decline"}}
	if st, _ := do(http.MethodPost, p+"/quotes/"+qid, decide); st != http.StatusSeeOther {
		t.Fatalf("decision: %d", st)
	}
	if st, body := do(http.MethodPost, p+"/quotes/"+qid, decide); st != http.StatusConflict || !strings.Contains(body, "não aceita mais decisão") {
		t.Fatalf("deciding twice: %d", st)
	}
	got := must(env.Do(t, http.MethodGet, ws("/service-orders/"+oid+"/quote"), w.OwnerToken, nil), 200, "staff reads the quote")
	if got["status"] != "partially_approved" {
		t.Fatalf("quote after the decision: %v", got)
	}
	if st, body := do(http.MethodGet, p+"/quotes/"+qid, nil); st != 200 || strings.Contains(body, `type="radio"`) ||
		!strings.Contains(body, `data-decision="declined"`) || !strings.Contains(body, "R$ 320,00") {
		t.Fatalf("decided page: %d", st)
	}
}
