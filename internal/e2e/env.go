// Package e2e starts the whole product in-process for black-box tests: the
// real composition root (internal/wiring) on a fresh Postgres database, the
// projection worker, and an HTTP server, talking to the local stack's real
// Kratos, Mailpit and stripe-mock. Tests use it only through HTTP.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/internal/syncbuf"
	"github.com/torquehq/torque/internal/wiring"
)

// Env is one running Torque.
type Env struct {
	URL    string
	Sys    *wiring.System
	DB     *pgtest.DB
	Config wiring.Config
	Logs   *LogBuffer
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// TestStripeWebhookSecret signs webhook payloads in tests.
const TestStripeWebhookSecret = "whsec_e2e_secret" //nolint:gosec // a test-only signing secret

// Options tunes StartWith.
type Options struct {
	// NoWorker starts no projection worker (bulk loads); call StartWorker later.
	NoWorker bool
	// Configure, when set, adjusts the configuration before Build (e.g. to
	// route the database or Kratos through a fault-injecting proxy).
	Configure func(*wiring.Config)
	// ClickHouse, when its Addr is set, turns analytics on against that
	// database (see infrastructure/clickhouse/chtest).
	ClickHouse struct{ Addr, Database string }
	// DB, when set, is the database to run on instead of a fresh one
	// (benchmarks reuse a loaded data set: pgtest.Persistent).
	DB *pgtest.DB
}

// Start runs Torque for the test and stops it at cleanup.
func Start(t testing.TB) *Env {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWorker starts the projection worker of an env started without one.
func (e *Env) StartWorker(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = e.Sys.RunWorker(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// StartWith runs Torque with options.
func StartWith(t testing.TB, opt Options) *Env {
	t.Helper()
	db := opt.DB
	if db == nil {
		db = pgtest.New(t)
	}
	logs := &LogBuffer{}
	cfg := wiring.Config{
		PublicURL:        "http://127.0.0.1:8080",
		DatabaseURL:      db.AppURL,
		DatabaseAdminURL: db.AdminURL,
		DatabaseMaxConns: 30,
		KratosPublicURL:  envOr("TORQUE_KRATOS_PUBLIC_URL", "http://127.0.0.1:4433"),
		KratosAdminURL:   envOr("TORQUE_KRATOS_ADMIN_URL", "http://127.0.0.1:4434"),
		SMTPAddr:         envOr("TORQUE_SMTP_ADDR", "127.0.0.1:1025"),
		MailFrom:         "no-reply@torque.local",
		StripeAPIURL:     envOr("TORQUE_STRIPE_API_URL", "http://127.0.0.1:12111"),
		StripeSecretKey:  "sk_test_123",
		StripeWebhookKey: TestStripeWebhookSecret,
		StripePrices:     map[string]string{"basic": "price_basic", "pro": "price_pro", "franchise": "price_franchise"},
		MasterKeys:       "e2e:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
		LogLevel:         slog.LevelInfo,
		ProjectionPoll:   5 * time.Millisecond,
		ConsistencyWait:  15 * time.Second, // -race on 2 busy cores can lag; production uses 2 s
		ShutdownTimeout:  5 * time.Second,
		LogOutput:        logs,
	}
	if opt.Configure != nil {
		opt.Configure(&cfg)
	}
	cfg.ClickHouseAddr, cfg.ClickHouseDB = opt.ClickHouse.Addr, opt.ClickHouse.Database
	ctx, cancel := context.WithCancel(context.Background())
	sys, err := wiring.Build(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("e2e: build: %v", err)
	}
	done := make(chan struct{})
	if opt.NoWorker {
		close(done)
	} else {
		go func() { defer close(done); _ = sys.RunWorker(ctx) }()
	}
	srv := httptest.NewServer(sys.Handler())
	t.Cleanup(func() {
		// No password or session token may ever reach a log line.
		for _, secret := range []string{Password, "ory_st_", "sk_test_123", TestStripeWebhookSecret} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the server logged a secret (%s…)", secret[:4])
			}
		}
		if t.Failed() {
			t.Logf("server log:\n%s", tail(logs.String(), 40))
		}
		srv.Close()
		cancel()
		<-done
		sys.Close()
	})
	return &Env{URL: srv.URL, Sys: sys, DB: db, Config: cfg, Logs: logs}
}

// LogBuffer collects the server's log lines (tests assert no secret leaks).
type LogBuffer = syncbuf.Buffer

// Response is a decoded HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r Response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Decode decodes the body into v.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

var client = &http.Client{Timeout: 30 * time.Second}

// Do sends a request with an optional JSON body (string, []byte or any
// value to marshal) and bearer token; extra headers as key/value pairs.
func (e *Env) Do(t testing.TB, method, path, token string, body any, headers ...string) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
