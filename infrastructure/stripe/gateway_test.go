package stripe_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/domain/errs"
	torquestripe "github.com/torquehq/torque/infrastructure/stripe"
)

// recordedRequest is one API call as stripe-go sent it.
type recordedRequest struct {
	Method, Path   string
	IdempotencyKey string
	Form           url.Values
}

// recorder is an http.RoundTripper that records requests before passing them on.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []recordedRequest
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recordedRequest{Method: req.Method, Path: req.URL.Path, IdempotencyKey: req.Header.Get("Idempotency-Key")}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		rec.Form, _ = url.ParseQuery(string(body))
		req.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, rec)
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) requests() []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedRequest(nil), r.reqs...)
}

// mockGateway builds a gateway on stripe-mock whose requests are recorded.
func mockGateway(t *testing.T) (*torquestripe.StripeGateway, *recorder) {
	t.Helper()
	cfg := testConfig()
	requireStripeMock(t, cfg.APIURL)
	transport, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		t.Fatal("unexpected default transport")
	}
	rec := &recorder{next: transport.Clone()}
	cfg.HTTPClient = &http.Client{Transport: rec, Timeout: 10 * time.Second}
	cfg.MaxNetworkRetries = -1 // a failure must show, not be retried away
	g, err := torquestripe.NewStripeGateway(cfg)
	if err != nil {
		t.Fatalf("NewStripeGateway: %v", err)
	}
	return g, rec
}

// requireStripeMock skips under -short and otherwise waits for stripe-mock,
// polling with a deadline instead of sleeping.
func requireStripeMock(t *testing.T, base string) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs stripe-mock (deploy/local/up.sh)")
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(5 * time.Second)
	for {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/v1/customers", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth("sk_test_123", "")
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stripe-mock not answering at %s (start it with deploy/local/up.sh): %v", base, err)
		}
		select {
		case <-t.Context().Done():
			t.Fatal(t.Context().Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestStripeGateway_CreateCustomerIntegration(t *testing.T) {
	t.Parallel()
	g, rec := mockGateway(t)
	in := billing.CustomerInput{WorkshopID: workshopID, WorkshopName: "Oficina do Zé", Email: "dono@oficina.example", Name: "José da Silva"}

	id1, err := g.CreateCustomer(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateCustomer: %v", err)
	}
	if !strings.HasPrefix(id1, "cus_") {
		t.Errorf("customer id %q, want cus_…", id1)
	}
	// A retried signup sends the same idempotency key, so Stripe returns the
	// first customer (stripe-mock ignores the key and makes a new id).
	if _, err := g.CreateCustomer(context.Background(), in); err != nil {
		t.Fatalf("CreateCustomer again: %v", err)
	}
	other := in
	other.WorkshopID = "0193a3c4-7e1f-7000-8000-000000000002"
	if _, err := g.CreateCustomer(context.Background(), other); err != nil {
		t.Fatalf("CreateCustomer other workshop: %v", err)
	}

	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	first := reqs[0]
	if first.Method != http.MethodPost || first.Path != "/v1/customers" {
		t.Errorf("request %s %s, want POST /v1/customers", first.Method, first.Path)
	}
	for field, want := range map[string]string{
		"name": "Oficina do Zé", "email": "dono@oficina.example",
		"metadata[workshop_id]": workshopID, "metadata[contact_name]": "José da Silva",
		"preferred_locales[0]": "pt-BR",
	} {
		if got := first.Form.Get(field); got != want {
			t.Errorf("form %s = %q, want %q", field, got, want)
		}
	}
	if first.IdempotencyKey == "" || first.IdempotencyKey != reqs[1].IdempotencyKey {
		t.Errorf("retry keys %q and %q, want the same non-empty key", first.IdempotencyKey, reqs[1].IdempotencyKey)
	}
	if reqs[2].IdempotencyKey == first.IdempotencyKey {
		t.Error("two workshops share an idempotency key")
	}
}

func TestStripeGateway_CreateCheckoutIntegration(t *testing.T) {
	t.Parallel()
	g, rec := mockGateway(t)
	in := billing.CheckoutInput{
		CustomerID: "cus_Pq1a2b3c4d", WorkshopID: workshopID, Plan: billing.PlanPro, TrialDays: 14,
		SuccessURL: "https://app.example.test/billing/success", CancelURL: "https://app.example.test/billing/cancel",
	}
	s, err := g.CreateCheckout(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateCheckout: %v", err)
	}
	if !strings.HasPrefix(s.ID, "cs_") || s.URL == "" {
		t.Errorf("session %+v, want a cs_ id and a URL", s)
	}
	if u, err := url.Parse(s.URL); err != nil || u.Scheme != "https" {
		t.Errorf("session URL %q is not an https URL", s.URL)
	}

	noTrial := in
	noTrial.TrialDays = 0
	noTrial.Plan = billing.PlanFranchise
	if _, err := g.CreateCheckout(context.Background(), noTrial); err != nil {
		t.Fatalf("CreateCheckout without trial: %v", err)
	}
	if _, err := g.CreateCheckout(context.Background(), in); err != nil {
		t.Fatalf("CreateCheckout retried: %v", err)
	}

	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v1/checkout/sessions" {
		t.Errorf("request %s %s, want POST /v1/checkout/sessions", r.Method, r.Path)
	}
	for field, want := range map[string]string{
		"mode":                                     "subscription",
		"customer":                                 "cus_Pq1a2b3c4d",
		"client_reference_id":                      workshopID,
		"line_items[0][price]":                     "price_pro",
		"line_items[0][quantity]":                  "1",
		"subscription_data[trial_period_days]":     "14",
		"subscription_data[metadata][workshop_id]": workshopID,
		"subscription_data[metadata][plan]":        "pro",
		"metadata[workshop_id]":                    workshopID,
		"success_url":                              in.SuccessURL,
		"cancel_url":                               in.CancelURL,
		"locale":                                   "pt-BR",
	} {
		if got := r.Form.Get(field); got != want {
			t.Errorf("form %s = %q, want %q", field, got, want)
		}
	}
	if got := reqs[1].Form.Get("line_items[0][price]"); got != "price_franchise" {
		t.Errorf("franchise checkout price %q, want price_franchise", got)
	}
	if reqs[1].Form.Has("subscription_data[trial_period_days]") {
		t.Error("checkout without trial sent trial_period_days")
	}
	if r.IdempotencyKey == "" || r.IdempotencyKey != reqs[2].IdempotencyKey {
		t.Errorf("retry keys %q and %q, want the same non-empty key", r.IdempotencyKey, reqs[2].IdempotencyKey)
	}
	if reqs[1].IdempotencyKey == r.IdempotencyKey {
		t.Error("a different checkout reused the idempotency key")
	}
}

func TestStripeGateway_CreatePortalSessionIntegration(t *testing.T) {
	t.Parallel()
	g, rec := mockGateway(t)
	u, err := g.CreatePortalSession(context.Background(), "cus_Pq1a2b3c4d", "https://app.example.test/settings/billing")
	if err != nil {
		t.Fatalf("CreatePortalSession: %v", err)
	}
	if u == "" {
		t.Error("empty portal URL")
	}
	reqs := rec.requests()
	if len(reqs) != 1 || reqs[0].Path != "/v1/billing_portal/sessions" ||
		reqs[0].Form.Get("customer") != "cus_Pq1a2b3c4d" ||
		reqs[0].Form.Get("return_url") != "https://app.example.test/settings/billing" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestStripeGateway_APIErrorIntegration(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	requireStripeMock(t, cfg.APIURL)
	cfg.Locale = "xx-YY" // stripe-mock validates enums against the OpenAPI spec
	bad, err := torquestripe.NewStripeGateway(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.CreateCheckout(context.Background(), billing.CheckoutInput{
		CustomerID: "cus_1", WorkshopID: workshopID, Plan: billing.PlanBasic, SuccessURL: "https://app.example.test/s",
	})
	if err == nil {
		t.Fatal("CreateCheckout with an invalid locale: want an error")
	}
}

func TestStripeGateway_CreateCustomer_idempotencyConflict(t *testing.T) {
	t.Parallel()
	// A fake API answering like Stripe when a key is reused with other parameters.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with."}}`)
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig()
	cfg.APIURL = srv.URL
	cfg.HTTPClient = srv.Client()
	cfg.MaxNetworkRetries = -1
	g, err := torquestripe.NewStripeGateway(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.CreateCustomer(context.Background(), billing.CustomerInput{WorkshopID: workshopID, WorkshopName: "x", Email: "a@b.example"})
	if !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("CreateCustomer: err = %v, want ErrConflict", err)
	}
}

func TestStripeGateway_validatesInput(t *testing.T) {
	t.Parallel()
	// No request may leave for invalid input: the API URL points nowhere.
	cfg := testConfig()
	cfg.APIURL = "http://127.0.0.1:1"
	cfg.MaxNetworkRetries = -1
	g, err := torquestripe.NewStripeGateway(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ve *errs.ValidationError
	if _, err := g.CreateCustomer(ctx, billing.CustomerInput{}); !errors.As(err, &ve) {
		t.Errorf("CreateCustomer without workshop: %v", err)
	}
	if _, err := g.CreateCheckout(ctx, billing.CheckoutInput{TrialDays: -1}); !errors.As(err, &ve) || len(ve.Fields) != 5 {
		t.Errorf("CreateCheckout with nothing: %v, want 5 fields at fault", err)
	}
	if _, err := g.CreatePortalSession(ctx, "", ""); !errors.As(err, &ve) {
		t.Errorf("CreatePortalSession without customer: %v", err)
	}
}
