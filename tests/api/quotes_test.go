package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/interfaces/httpapi"
	"github.com/torquehq/torque/internal/e2e"
)

// portal serves the quote handlers' portal routes the way the customer
// portal mounts them: under /api/v1/portal/{slug}, with the tenant and the
// car owner's principal in the context (here injected, from the
// X-Test-Customer header, instead of a portal login).
func quotePortal(t *testing.T, env *e2e.Env, w e2e.Workshop) *httptest.Server {
	t.Helper()
	tid := tenant.MustParse(w.ID)
	h := &httpapi.QuoteHandlers{Quotes: env.Sys.Quoting.Quotes, Invoices: env.Sys.Quoting.Invoices, Log: env.Sys.Log}
	r := chi.NewRouter()
	r.Route("/api/v1/portal/{slug}", func(r chi.Router) {
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
				cid, err := uuid.Parse(req.Header.Get("X-Test-Customer"))
				if err != nil {
					http.Error(rw, "no customer", http.StatusUnauthorized)
					return
				}
				p := authz.Principal{IdentityID: "portal-" + cid.String()[:8], Email: "joao.araujo@example.com", Tenant: tid,
					Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{cid}}
				ctx := authz.WithPrincipal(tenant.WithTenant(req.Context(), tid), p)
				next.ServeHTTP(rw, req.WithContext(ctx))
			})
		})
		h.MountPortal(r)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func portalDo(t *testing.T, srv *httptest.Server, method, path, customerID string, body string) e2e.Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Test-Customer", customerID)
	req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14) Teste")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req) //nolint:forbidigo // a test client against a local test server
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return e2e.Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// problem checks a 4xx problem+json response and returns its fields.
func problem(t *testing.T, r e2e.Response, want int, what string) []string {
	t.Helper()
	if r.Status != want || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("%s: %d %s %s (want %d problem+json)", what, r.Status, r.Header.Get("Content-Type"), r.Body, want)
	}
	var fields []string
	errsList, _ := r.JSON()["errors"].([]any)
	for _, e := range errsList {
		m := e.(map[string]any)
		fields = append(fields, fmt.Sprint(m["field"], ":", m["code"]))
	}
	return fields
}

func itemIDs(q map[string]any) []string {
	var out []string
	for _, it := range q["items"].([]any) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

func TestQuotes_sendSupersedeDecideAndInvoice(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	tok := w.OwnerToken

	joao := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), tok, `{"name":"João Araújo","document":"529.982.247-25",
	  "email":"joao.araujo@example.com","address":{"street":"Rua São Bento","number":"10","city":"São Paulo","state":"SP","postal_code":"01010-000"}}`), 201, "customer")
	jid := joao["id"].(string)
	other := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), tok, `{"name":"Outra Pessoa"}`), 201, "other customer")
	otherID := other["id"].(string)
	car := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+jid+"/vehicles"), tok,
		`{"plate":"BRA2E19","make":"Volkswagen","model":"Gol","year":2019}`), 201, "vehicle")
	order := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), tok, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q,
	  "mileage_km":46000,"description":"Barulho no freio","items":[{"service":"diagnostics","description":"Diagnóstico","quantity":1,"unit_price_cents":5000}]}`,
		jid, car["id"])), 201, "order")
	oid := order["id"].(string)
	quotePath := ws(w, "/service-orders/"+oid+"/quote")

	// Nothing sent yet.
	problem(t, env.Do(t, http.MethodGet, quotePath, tok, nil), 404, "quote before any")

	body := `{"items":[{"service":"brake_pads","description":"Pastilhas dianteiras","quantity":1,"unit_price_cents":32000},
	                   {"service":"oil_change","description":"Troca de óleo","quantity":2,"unit_price_cents":9000}],
	          "valid_until":"2099-12-31","note":"Peças originais"}`
	q1 := mustStatus(t, env.Do(t, http.MethodPost, quotePath, tok, body), 201, "send quote")
	if q1["version"] != float64(1) || q1["status"] != "sent" || q1["total_cents"] != float64(50000) || len(itemIDs(q1)) != 2 ||
		q1["valid_until"] != "2099-12-31" || q1["order_status"] != "quoted" {
		t.Fatalf("quote 1: %v", q1)
	}
	if o := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders/"+oid), tok, nil), 200, "order"); o["status"] != "quoted" {
		t.Fatalf("order after the quote: %v", o["status"])
	}

	// A new quote supersedes the old one.
	q2 := mustStatus(t, env.Do(t, http.MethodPost, quotePath, tok, body), 201, "supersede")
	if q2["version"] != float64(2) || q2["id"] == q1["id"] {
		t.Fatalf("quote 2: %v", q2)
	}
	cur := mustStatus(t, env.Do(t, http.MethodGet, quotePath, tok, nil), 200, "get quote")
	if cur["id"] != q2["id"] || cur["decision"] != nil {
		t.Fatalf("current quote: %v", cur)
	}
	for _, it := range cur["items"].([]any) {
		if it.(map[string]any)["decision"] != "pending" {
			t.Fatalf("undecided item: %v", it)
		}
	}

	// Bad inputs are 4xx problems, never 5xx.
	for _, tc := range []struct {
		body   string
		status int
		fields []string
	}{
		{`{"items":[`, 400, nil},
		{`{"items":[],"colour":"red"}`, 400, nil},
		{`{"items":"x"}`, 422, []string{"items:invalid_type"}},
		{`{"items":[]}`, 422, []string{"items:required"}},
		{`{"items":[{"service":"teleport","quantity":0,"unit_price_cents":-1}],"valid_until":"31/12/2099"}`, 422,
			[]string{"items[0].service:unknown_value", "items[0].quantity:out_of_range", "items[0].unit_price_cents:out_of_range", "valid_until:invalid_format"}},
		{`{"items":[{"service":"oil_change","quantity":1,"unit_price_cents":9223372036854775807},{"service":"oil_change","quantity":2,"unit_price_cents":9000000000000000000}]}`, 422, nil},
		{`{"items":[{"service":"oil_change","quantity":1,"unit_price_cents":100}],"valid_until":"2000-01-01"}`, 422, []string{"valid_until:out_of_range"}},
	} {
		got := problem(t, env.Do(t, http.MethodPost, quotePath, tok, tc.body), tc.status, tc.body)
		if tc.fields != nil && strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: fields %v, want %v", tc.body, got, tc.fields)
		}
	}
	problem(t, env.Do(t, http.MethodPost, ws(w, "/service-orders/not-a-uuid/quote"), tok, body), 404, "bad id")
	problem(t, env.Do(t, http.MethodPost, ws(w, "/service-orders/"+uuid.NewString()+"/quote"), tok, body), 404, "unknown order")

	// Another workshop cannot see or quote this order.
	w2 := env.Signup(t, "basic")
	problem(t, env.Do(t, http.MethodGet, ws(w2, "/service-orders/"+oid+"/quote"), w2.OwnerToken, nil), 404, "other tenant get")
	problem(t, env.Do(t, http.MethodPost, ws(w2, "/service-orders/"+oid+"/quote"), w2.OwnerToken, body), 404, "other tenant send")
	problem(t, env.Do(t, http.MethodGet, ws(w2, "/service-orders/"+oid+"/invoice.pdf"), w2.OwnerToken, nil), 404, "other tenant invoice")

	// The car owner's side.
	srv := quotePortal(t, env, w)
	ids := itemIDs(q2)
	decision := fmt.Sprintf(`{"items":[{"id":%q,"approved":true},{"id":%q,"approved":false}]}`, ids[0], ids[1])
	old := portalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/quotes/"+q1["id"].(string), jid, "")
	if old.Status != 200 || old.JSON()["status"] != "superseded" {
		t.Fatalf("old version from the portal: %d %s", old.Status, old.Body)
	}
	problem(t, portalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/quotes/"+q2["id"].(string), otherID, ""), 404, "another customer's quote")
	problem(t, portalDo(t, srv, http.MethodPost, "/api/v1/portal/"+w.Slug+"/quotes/"+q2["id"].(string)+"/decision", otherID, decision), 404,
		"another customer's decision")
	problem(t, portalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/quotes/"+uuid.NewString(), jid, ""), 404, "unknown quote")
	oldIDs := itemIDs(q1)
	problem(t, portalDo(t, srv, http.MethodPost, "/api/v1/portal/"+w.Slug+"/quotes/"+q1["id"].(string)+"/decision", jid,
		fmt.Sprintf(`{"items":[{"id":%q,"approved":true},{"id":%q,"approved":true}]}`, oldIDs[0], oldIDs[1])), 409, "old version")
	decide := "/api/v1/portal/" + w.Slug + "/quotes/" + q2["id"].(string) + "/decision"
	for _, tc := range []struct {
		body   string
		status int
		fields string
	}{
		{`{"items":[{"id":"` + ids[0] + `","approved":true}]}`, 422, "items:missing"},
		{`{"items":[{"id":"` + ids[0] + `","approved":true},{"id":"` + ids[1] + `","approved":true},{"id":"` + oldIDs[0] + `","approved":true}]}`, 422, "items[2].id:unknown_value"},
		{`{"items":[{"id":"` + ids[0] + `"},{"id":"` + ids[1] + `","approved":true}]}`, 422, "items[0].approved:required"},
		{`{"items":[{"id":"` + ids[0] + `","approved":"sim"}]}`, 422, "items.approved:invalid_type"},
		{`{"items":[{"id":"` + ids[0] + `","approved":true,"why":"x"}]}`, 400, ""},
		{`[]`, 400, ""},
		{`{}`, 422, "items:missing"},
	} {
		got := problem(t, portalDo(t, srv, http.MethodPost, decide, jid, tc.body), tc.status, tc.body)
		if tc.fields != "" && strings.Join(got, ",") != tc.fields {
			t.Errorf("%s: fields %v, want %s", tc.body, got, tc.fields)
		}
	}
	done := portalDo(t, srv, http.MethodPost, decide, jid, decision)
	if done.Status != 200 {
		t.Fatalf("decide: %d %s", done.Status, done.Body)
	}
	dq := done.JSON()
	if dq["status"] != "partially_approved" || dq["order_status"] != "approved" {
		t.Fatalf("decided quote: %v", dq)
	}
	problem(t, portalDo(t, srv, http.MethodPost, decide, jid, decision), 409, "decided twice")

	// Staff see the decisions and their evidence; the order's work is the approved line.
	seen := mustStatus(t, env.Do(t, http.MethodGet, quotePath, tok, nil), 200, "quote after decision")
	ev, _ := seen["decision"].(map[string]any)
	items := seen["items"].([]any)
	if ev == nil || ev["ip"] != "127.0.0.1" || !strings.Contains(fmt.Sprint(ev["user_agent"]), "Android") || ev["quote_version"] != float64(2) ||
		ev["email"] != "joao.araujo@example.com" || ev["decided_by"] == "" || ev["decided_at"] == nil ||
		items[0].(map[string]any)["decision"] != "approved" || items[1].(map[string]any)["decision"] != "declined" {
		t.Fatalf("quote with evidence: %v", seen)
	}
	o := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders/"+oid), tok, nil), 200, "order after decision")
	work := o["items"].([]any)
	if o["status"] != "approved" || len(work) != 1 || work[0].(map[string]any)["service"] != "brake_pads" || o["total_cents"] != float64(32000) {
		t.Fatalf("order after decision: %v", o)
	}
	// An approved order takes no new quote.
	problem(t, env.Do(t, http.MethodPost, quotePath, tok, body), 409, "quote an approved order")

	// Invoices: only for completed or delivered orders.
	invPath := ws(w, "/service-orders/"+oid+"/invoice")
	problem(t, env.Do(t, http.MethodGet, invPath, tok, nil), 409, "invoice of an approved order")
	problem(t, env.Do(t, http.MethodGet, invPath+".pdf", tok, nil), 409, "invoice pdf of an approved order")
	problem(t, portalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/orders/"+oid+"/invoice.pdf", jid, ""), 409, "portal invoice too early")
	for _, st := range []string{"in_progress", "completed"} {
		mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders/"+oid+"/status"), tok, map[string]string{"status": st}), 200, st)
	}
	inv := mustStatus(t, env.Do(t, http.MethodGet, invPath, tok, nil), 200, "invoice json")
	cust := inv["customer"].(map[string]any)
	fiscal := inv["fiscal"].(map[string]any)
	if inv["order_number"] != float64(1) || cust["name"] != "João Araújo" || cust["document"] != "52998224725" ||
		fiscal["issued"] != false || !strings.Contains(fiscal["notice"].(string), "não é uma nota fiscal") || inv["total_cents"] != float64(32000) {
		t.Fatalf("invoice: %v", inv)
	}
	pdf := env.Do(t, http.MethodGet, invPath+".pdf", tok, nil)
	if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) {
		t.Fatalf("invoice pdf: %d %s %.20q", pdf.Status, pdf.Header.Get("Content-Type"), pdf.Body)
	}
	requirePDFText(t, pdf.Body, "Fatura da OS nº 1", "João Araújo", "não é uma nota fiscal", "Pastilhas dianteiras", "R$ 320,00")

	own := portalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/orders/"+oid+"/invoice.pdf", jid, "")
	if own.Status != 200 || !bytes.HasPrefix(own.Body, []byte("%PDF-")) {
		t.Fatalf("portal invoice: %d %.40q", own.Status, own.Body)
	}
	problem(t, portalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/orders/"+oid+"/invoice.pdf", otherID, ""), 404, "another customer's invoice")
}

func TestQuotes_allDeclinedCancelsTheOrder(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	tok := w.OwnerToken
	c := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), tok, `{"name":"Ana Conceição"}`), 201, "customer")
	v := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+c["id"].(string)+"/vehicles"), tok, `{"plate":"ABC1234","make":"Fiat","model":"Uno","year":2008}`), 201, "vehicle")
	o := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), tok, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q}`, c["id"], v["id"])), 201, "order")
	q := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders/"+o["id"].(string)+"/quote"), tok,
		`{"items":[{"service":"tires","description":"4 pneus","quantity":4,"unit_price_cents":45000}]}`), 201, "quote")
	srv := quotePortal(t, env, w)
	r := portalDo(t, srv, http.MethodPost, "/api/v1/portal/"+w.Slug+"/quotes/"+q["id"].(string)+"/decision", c["id"].(string),
		fmt.Sprintf(`{"items":[{"id":%q,"approved":false}]}`, itemIDs(q)[0]))
	if r.Status != 200 || r.JSON()["status"] != "declined" || r.JSON()["order_status"] != "cancelled" {
		t.Fatalf("decline all: %d %s", r.Status, r.Body)
	}
	got := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders/"+o["id"].(string)), tok, nil), 200, "order")
	if got["status"] != "cancelled" {
		t.Fatalf("order after declining everything: %v", got["status"])
	}
}

// requirePDFText extracts the text with poppler's pdftotext when it is
// installed (the page streams are compressed); without it only the header
// was checked.
func requirePDFText(t *testing.T, pdf []byte, want ...string) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed: text not extracted (infrastructure/invoicepdf checks it uncompressed)")
		return
	}
	path := filepath.Join(t.TempDir(), "fatura.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, s := range want {
		if !strings.Contains(string(out), s) {
			t.Errorf("the invoice PDF lacks %q:\n%s", s, out)
		}
	}
}

// Many taps on "approve" at once: exactly one decision is recorded, every
// other request is a 409.
func TestQuotes_concurrentDecisionsRecordOne(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	tok := w.OwnerToken
	c := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), tok, `{"name":"Inês Gonçalves"}`), 201, "customer")
	v := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+c["id"].(string)+"/vehicles"), tok,
		`{"plate":"ABC1D23","make":"Fiat","model":"Argo","year":2022}`), 201, "vehicle")
	o := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), tok, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q}`, c["id"], v["id"])), 201, "order")
	q := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders/"+o["id"].(string)+"/quote"), tok,
		`{"items":[{"service":"battery","description":"Bateria 60Ah","quantity":1,"unit_price_cents":52000}]}`), 201, "quote")
	srv := quotePortal(t, env, w)
	body := fmt.Sprintf(`{"items":[{"id":%q,"approved":true}]}`, itemIDs(q)[0])
	const n = 8
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			// No t.Fatal off the test goroutine: a failed request counts as status 0.
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/portal/"+w.Slug+"/quotes/"+q["id"].(string)+"/decision", strings.NewReader(body))
			req.Header.Set("X-Test-Customer", c["id"].(string))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req) //nolint:forbidigo // a test client against a local test server
			if err != nil {
				codes <- 0
				return
			}
			_ = resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for code := range codes {
		count[code]++
	}
	if count[200] != 1 || count[409] != n-1 {
		t.Fatalf("statuses %v, want one 200 and %d × 409", count, n-1)
	}
}
