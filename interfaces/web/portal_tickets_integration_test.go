package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// "Meus atendimentos": the car owner opens a ticket from the portal page
// (an empty one is refused beside its field), sees staff's answer on the
// ticket page and replies; another customer cannot open it.
func TestPortalTicketPagesIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	ws := "/api/v1/workshops/" + w.Slug
	u := e2e.Unique()
	email, other := "dono-"+u+"@example.com", "outro-"+u+"@example.com"
	for _, e := range []string{email, other} {
		if r := env.Do(t, http.MethodPost, ws+"/customers", w.OwnerToken, map[string]any{"name": "Carla " + e[:4], "email": e}); r.Status != 201 {
			t.Fatalf("customer: %d %s", r.Status, r.Body)
		}
	}
	tok, otherTok := portalToken(t, env, w.Slug, email), portalToken(t, env, w.Slug, other)
	c := noRedirect()
	do := func(tok, method, path string, form url.Values) (int, http.Header, string) {
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
		return resp.StatusCode, resp.Header, string(b)
	}
	p := "/p/" + w.Slug
	if st, _, body := do(tok, http.MethodGet, p+"/atendimentos", nil); st != 200 || !strings.Contains(body, "Abrir um atendimento") {
		t.Fatalf("tickets page: %d %s", st, body)
	}
	if st, _, body := do(tok, http.MethodPost, p+"/atendimentos", url.Values{"subject": {"Barulho"}, "body": {""}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `data-field="body"`) {
		t.Fatalf("empty body: %d %s", st, body)
	}
	st, h, body := do(tok, http.MethodPost, p+"/atendimentos", url.Values{"subject": {"Barulho no freio"}, "body": {"Está chiando ao frear."}})
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(p) + `/atendimentos/([0-9a-f-]{36})$`).FindStringSubmatch(h.Get("Location"))
	if st != http.StatusSeeOther || m == nil {
		t.Fatalf("open: %d %v %s", st, h, body)
	}
	if r := env.Do(t, http.MethodPost, ws+"/tickets/"+m[1]+"/messages", w.OwnerToken, map[string]any{"body": "Pode trazer amanhã às 9h."}); r.Status != 200 && r.Status != 201 {
		t.Fatalf("staff reply: %d %s", r.Status, r.Body)
	}
	if st, _, body := do(tok, http.MethodGet, p+"/atendimentos/"+m[1], nil); st != 200 || !strings.Contains(body, "Está chiando ao frear.") || !strings.Contains(body, "Pode trazer amanhã às 9h.") {
		t.Fatalf("ticket page: %d %s", st, body)
	}
	if st, _, _ := do(tok, http.MethodPost, p+"/atendimentos/"+m[1], url.Values{"body": {"Combinado!"}}); st != http.StatusSeeOther {
		t.Fatalf("reply: %d", st)
	}
	if _, _, body := do(tok, http.MethodGet, p+"/atendimentos", nil); !strings.Contains(body, "Barulho no freio") {
		t.Fatalf("list: %s", body)
	}
	if st, _, _ := do(otherTok, http.MethodGet, p+"/atendimentos/"+m[1], nil); st != http.StatusNotFound {
		t.Fatalf("another customer's ticket: %d", st)
	}
}
