package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/httpapi"
)

func newServer(t *testing.T, checks []httpapi.Check, mount ...func(chi.Router)) *httptest.Server {
	t.Helper()
	h := httpapi.NewRouter(httpapi.Deps{
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Metrics: &requests{},
		MetricsHandler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "metrics") }),
		Ready:          checks, Mount: mount,
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// reply is what a test reads of a response, its body already closed.
type reply struct {
	StatusCode int
	Header     http.Header
}

func get(t *testing.T, url string) (reply, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{StatusCode: resp.StatusCode, Header: resp.Header}, string(b)
}

func TestReadyz_ReportsEachDependency(t *testing.T) {
	t.Parallel()
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error { return errors.New("connection refused") }
	srv := newServer(t, []httpapi.Check{{Name: "postgres", Func: ok}, {Name: "ory", Func: down}})
	resp, body := get(t, srv.URL+"/readyz")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with Ory down = %d, want 503", resp.StatusCode)
	}
	var got struct {
		Checks map[string]string
		Down   []string
	}
	_ = json.Unmarshal([]byte(body), &got)
	if got.Checks["postgres"] != "ok" || got.Checks["ory"] != "unavailable" {
		t.Fatalf("checks = %v", got.Checks)
	}
	if len(got.Down) != 1 || got.Down[0] != "ory" {
		t.Fatalf("down = %v, want [ory]", got.Down)
	}
	if strings.Contains(body, "connection refused") {
		t.Fatal("readiness leaks internal error text")
	}
	srv = newServer(t, []httpapi.Check{{Name: "postgres", Func: ok}})
	if resp, _ := get(t, srv.URL+"/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz all up = %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	// An optional dependency (ClickHouse: analytics only) is reported, not fatal.
	srv = newServer(t, []httpapi.Check{{Name: "postgres", Func: ok}, {Name: "clickhouse", Func: down, Optional: true}})
	resp, body = get(t, srv.URL+"/readyz")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"clickhouse":"unavailable"`) {
		t.Fatalf("readyz with only ClickHouse down = %d %s, want 200 naming it", resp.StatusCode, body)
	}
}

func TestRouter_ProblemJSONAndRequestIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	resp, body := get(t, srv.URL+"/api/v1/nowhere")
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("unknown route: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(body, `"status":404`) {
		t.Fatalf("problem body = %s", body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing security header %s", h)
		}
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("CSP allows framing")
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
	if resp.Header.Get("X-Request-Id") == "" || resp.Header.Get("X-Correlation-Id") == "" {
		t.Fatal("missing request or correlation id header")
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
	req.Header.Set("X-Correlation-Id", "0190f0f0-0000-7000-8000-000000000001")
	r2, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.Header.Get("X-Correlation-Id") != "0190f0f0-0000-7000-8000-000000000001" {
		t.Fatal("an incoming correlation id was not kept")
	}
}

// requests records what the router reports of each request.
type requests struct {
	mu   sync.Mutex
	seen []string
}

func (q *requests) ObserveHTTPRequest(route, method string, status int, _ time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seen = append(q.seen, fmt.Sprintf("%s %s %d", method, route, status))
}

func TestMetrics_RequestsObservedByRoutePatternAndServed(t *testing.T) {
	t.Parallel()
	q := &requests{}
	h := httpapi.NewRouter(httpapi.Deps{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Metrics: q,
		MetricsHandler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "torque_http_requests_total 1") }),
		Mount:          []func(chi.Router){func(r chi.Router) { r.Get("/things/{id}", func(http.ResponseWriter, *http.Request) {}) }}})
	for _, path := range []string{"/healthz", "/api/v1/things/0190f0f0-0000-7000-8000-000000000001", "/metrics"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "127.0.0.1:40000" // /metrics without a token: loopback only
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	want := []string{"GET /healthz 200", "GET /api/v1/things/{id} 200", "GET /metrics 200"}
	if fmt.Sprint(q.seen) != fmt.Sprint(want) {
		t.Errorf("observed %v, want %v (route patterns, never raw paths with ids)", q.seen, want)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "[::1]:40000"
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), "torque_http_requests_total") {
		t.Errorf("/metrics did not serve the metrics handler: %q", rec.Body.String())
	}
}

type payload struct {
	Name string `json:"name"`
	Year int    `json:"year"`
	Sub  struct {
		Code string `json:"code"`
	} `json:"sub"`
}

func TestDecodeJSON_NamesTheFieldAtFault(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil, func(r chi.Router) {
		r.Post("/echo", func(w http.ResponseWriter, r *http.Request) {
			var p payload
			if err := httpapi.DecodeJSON(r, &p); err != nil {
				httpapi.Fail(w, r, slog.Default(), err)
				return
			}
			httpapi.WriteJSON(w, http.StatusOK, p)
		})
	})
	cases := []struct {
		name, body string
		status     int
		field      string
	}{
		{"malformed", `{"name":`, 400, ""},
		{"unknown field", `{"nome":"x"}`, 400, "nome"},
		{"wrong type", `{"year":"2019"}`, 422, "year"},
		{"nested wrong type", `{"sub":{"code":1}}`, 422, "sub.code"},
		{"invalid utf-8", "{\"name\":\"\xff\"}", 400, ""},
		{"two values", `{} {}`, 400, ""},
		{"empty", ``, 400, ""},
		{"array", `[]`, 400, ""},
		{"too large", `{"name":"` + strings.Repeat("a", 1<<20) + `"}`, 413, ""},
	}
	for _, c := range cases {
		resp, err := http.Post(srv.URL+"/api/v1/echo", "application/json", strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: status %d (%s), want %d problem+json", c.name, resp.StatusCode, resp.Header.Get("Content-Type"), c.status)
			continue
		}
		if c.field != "" && !strings.Contains(string(b), `"field":"`+c.field+`"`) {
			t.Errorf("%s: problem does not name field %s: %s", c.name, c.field, b)
		}
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"name":"a","year":1,"sub":{"code":"x"}}`, `{"year":1e999}`, `{"sub":null}`, "\xff", `{"a":1}`, `[`, `{"name":"a\u0000b"}`, `{"name":"a\\u0000b"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var p payload
		err := httpapi.DecodeJSONBytes(body, &p)
		if err == nil {
			// Issue 10 item 17: nothing Postgres cannot store gets through.
			if strings.ContainsRune(p.Name, 0) || strings.ContainsRune(p.Sub.Code, 0) {
				t.Fatalf("decoded a NUL character: %q", body)
			}
			return
		}
		var re *httpapi.RequestError
		if !errors.As(err, &re) || re.Problem.Status < 400 || re.Problem.Status > 499 {
			t.Fatalf("decode error is not a 4xx problem: %v", err)
		}
	})
}

// Issue 10 item 17: a NUL character is a 400 naming the problem, never a 500
// from the database; an escaped backslash followed by "u0000" is ordinary text.
func TestDecodeJSON_refusesNUL(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"name":"a\u0000b"}`, `{"sub":{"code":"\u0000"}}`, `{"name":"\\\u0000"}`, "{\"name\":\"a\x00\"}"} {
		var p payload
		err := httpapi.DecodeJSONBytes([]byte(body), &p)
		var re *httpapi.RequestError
		if !errors.As(err, &re) || re.Problem.Status != http.StatusBadRequest {
			t.Errorf("%s: err = %v, want 400", body, err)
		}
	}
	var p payload
	if err := httpapi.DecodeJSONBytes([]byte(`{"name":"C:\\u0000"}`), &p); err != nil || p.Name != `C:\u0000` {
		t.Errorf("escaped backslash: %v %q", err, p.Name)
	}
}

// Issue 10 item 14: API answers (personal data) are never stored by a browser
// or a proxy.
func TestRouter_APIAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	resp, _ := get(t, srv.URL+"/api/v1/nowhere")
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Fatalf("Cache-Control = %q, want no-store", got)
	}
}

// Issue 10 item 15: a problem's detail is the kind's stable text, never the
// error's own (which names erased people, roles, actions, ids).
func TestWriteError_detailNeverCarriesInternalText(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		fmt.Errorf("customer 0190c1d2 was erased: %w", errs.ErrNotFound),
		fmt.Errorf("role mechanic may not customer.erase: %w", errs.ErrForbidden),
		fmt.Errorf("stream customer/0190 at v3: %w", errs.ErrPreconditionFailed),
		fmt.Errorf("order 12 is closed → open: %w", errs.ErrIllegalTransition),
	} {
		rec := httptest.NewRecorder()
		httpapi.WriteError(rec, httptest.NewRequest(http.MethodGet, "/", nil), slog.New(slog.DiscardHandler), err)
		body := rec.Body.String()
		for _, leak := range []string{"erased", "mechanic", "customer.erase", "0190", "closed"} {
			if strings.Contains(body, leak) {
				t.Errorf("%v: the problem says %q: %s", err, leak, body)
			}
		}
		if !strings.Contains(body, `"detail":"`) {
			t.Errorf("%v: no detail at all: %s", err, body)
		}
	}
}

// Issue 10 item 16: a merge patch refuses unknown keys inside nested objects
// (address) exactly as at the top level.
func TestOptional_refusesUnknownNestedKeys(t *testing.T) {
	t.Parallel()
	type address struct {
		Street *string `json:"street"`
	}
	var req struct {
		Address httpapi.Optional[address] `json:"address"`
	}
	err := httpapi.DecodeJSONBytes([]byte(`{"address":{"street":"Rua A","stret":"typo"}}`), &req)
	var re *httpapi.RequestError
	if !errors.As(err, &re) || re.Problem.Status != http.StatusBadRequest || len(re.Problem.Errors) == 0 || re.Problem.Errors[0].Field != "stret" {
		t.Fatalf("unknown nested key: %v (%+v), want 400 naming stret", err, re)
	}
	if err := httpapi.DecodeJSONBytes([]byte(`{"address":{"street":"Rua A"}}`), &req); err != nil || !req.Address.Set {
		t.Fatalf("valid nested object: %v", err)
	}
}

// Issue 10 item 12: /metrics on the public listener answers only the scraper
// holding the token (or, without one, a loopback peer), and the method label
// is bounded (a client's invented methods are one "OTHER" series).
func TestMetrics_guardedAndMethodLabelBounded(t *testing.T) {
	t.Parallel()
	q := &requests{}
	h := httpapi.NewRouter(httpapi.Deps{Logger: slog.New(slog.DiscardHandler), Metrics: q, MetricsToken: "scrape-secret",
		MetricsHandler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "torque_x 1") })})
	for _, c := range []struct {
		auth, remote string
		want         int
	}{
		{"", "203.0.113.9:1", http.StatusNotFound},
		{"", "127.0.0.1:1", http.StatusNotFound}, // a token is configured: loopback is not enough
		{"Bearer wrong", "203.0.113.9:1", http.StatusNotFound},
		{"Bearer scrape-secret", "203.0.113.9:1", http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = c.remote
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("/metrics with %q from %s: %d, want %d", c.auth, c.remote, rec.Code, c.want)
		}
	}
	open := httpapi.NewRouter(httpapi.Deps{Logger: slog.New(slog.DiscardHandler), Metrics: q,
		MetricsHandler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "torque_x 1") })})
	rec := httptest.NewRecorder()
	open.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil)) // 192.0.2.1: not loopback
	if rec.Code != http.StatusNotFound {
		t.Errorf("/metrics without a token from a remote peer: %d, want 404", rec.Code)
	}
	q.seen = nil
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("X-INVENTED-1", "/healthz", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("X-INVENTED-2", "/healthz", nil))
	for _, s := range q.seen {
		if strings.Contains(s, "INVENTED") {
			t.Errorf("a client's method became a label: %s", s)
		}
	}
}

type memCounter struct {
	mu   sync.Mutex
	hits map[string]int
}

func (m *memCounter) Hit(_ context.Context, key string, _ time.Duration) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hits[key]++
	return m.hits[key], nil
}

// Issue 10 item 5: limiters of two processes sharing a counter enforce one
// limit between them (not one each).
func TestRateLimiter_sharedAcrossProcesses(t *testing.T) {
	t.Parallel()
	shared := &memCounter{hits: map[string]int{}}
	a := httpapi.NewSharedRateLimiter("login-ip", 3, time.Minute, shared)
	b := httpapi.NewSharedRateLimiter("login-ip", 3, time.Minute, shared)
	got := []bool{a.Allow("203.0.113.7"), b.Allow("203.0.113.7"), a.Allow("203.0.113.7"), b.Allow("203.0.113.7")}
	if got[0] != true || got[1] != true || got[2] != true || got[3] != false {
		t.Fatalf("allowed %v across two processes, want the 4th refused", got)
	}
}
