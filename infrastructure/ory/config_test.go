package ory

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	client "github.com/ory/client-go"

	"github.com/torquehq/torque/domain/errs"
)

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	ok := Config{PublicURL: "http://127.0.0.1:4433", AdminURL: "http://127.0.0.1:4434"}
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{"valid", func(*Config) {}, ""},
		{"trailing slash trimmed", func(c *Config) { c.PublicURL += "/" }, ""},
		{"missing public", func(c *Config) { c.PublicURL = "" }, "PublicURL: required"},
		{"bad admin scheme", func(c *Config) { c.AdminURL = "ftp://x" }, "AdminURL: scheme"},
		{"credentials in URL", func(c *Config) { c.AdminURL = "http://u:p@x" }, "AdminURL: must not carry"},
		{"default client", func(c *Config) { c.HTTPClient = http.DefaultClient }, "http.DefaultClient"}, //nolint:forbidigo // the client Validate must refuse
		{"client without timeout", func(c *Config) { c.HTTPClient = &http.Client{} }, "Timeout"},
		{"negative size", func(c *Config) { c.SessionCacheSize = -1 }, "SessionCacheSize"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := ok
			tc.mutate(&c)
			c.setDefaults()
			err := c.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate() = %v, want it to mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestConfig_setDefaults(t *testing.T) {
	t.Parallel()
	c := Config{PublicURL: " http://a/ ", AdminURL: "http://b"}
	c.setDefaults()
	if c.PublicURL != "http://a" || c.SessionCacheTTL != DefaultSessionCacheTTL ||
		c.SessionCacheSize != DefaultSessionCacheSize || c.HTTPClient == nil ||
		c.HTTPClient == http.DefaultClient || c.HTTPClient.Timeout != DefaultHTTPTimeout || c.Now == nil { //nolint:forbidigo // checks it is not the default client
		t.Fatalf("defaults not applied: %+v", c)
	}
}

func TestNew_rejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{}); err == nil {
		t.Fatal("New(Config{}) succeeded")
	}
}

func TestCallError(t *testing.T) {
	t.Parallel()
	err := callError("op", &http.Response{StatusCode: http.StatusTooManyRequests}, errors.New("429"))
	if !errors.Is(err, errs.ErrRateLimited) {
		t.Errorf("429: %v, want ErrRateLimited", err)
	}

	// A transport error keeps its cause but not the URL (it can carry an e-mail).
	uerr := &url.Error{Op: "Get", URL: "http://k/admin/identities?credentials_identifier=a%40b.c", Err: context.DeadlineExceeded}
	err = callError("find", nil, uerr)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("transport: %v does not wrap the cause", err)
	}
	if strings.Contains(err.Error(), "credentials_identifier") {
		t.Errorf("transport: %q leaks the URL", err)
	}
}

func TestValidationError_namesTheTraits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		reason string
		want   []string
	}{
		{`I[#/traits/email] S[#/properties/traits/properties/email] validation failed\n I[#/traits/email] S[...] "x" is not valid "email"`, []string{"email"}},
		{`I[#/traits/phone] S[...] invalid country code`, []string{"phone"}},
		{`I[#/traits] S[#/properties/traits/anyOf] anyOf failed`, []string{"traits"}},
		{`I[#/traits/name] ... I[#/traits/email] ...`, []string{"email", "name"}},
		{``, []string{"traits"}},
	}
	for _, tc := range cases {
		body := `{"error":{"code":400,"message":"bad","reason":` + quote(tc.reason) + `}}`
		err := validationError(apiError(body))
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%q: %v is not a ValidationError", tc.reason, err)
		}
		var got []string
		for _, f := range ve.Fields {
			got = append(got, f.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q: fields %v, want %v", tc.reason, got, tc.want)
		}
	}
}

func TestToSession_rejectsInactive(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	k := &Kratos{now: clock.Now}
	active, inactive := "active", "inactive"
	yes, no := true, false
	future, past := clock.Now().Add(time.Hour), clock.Now().Add(-time.Second)
	cases := []struct {
		name    string
		active  *bool
		state   *string
		expires *time.Time
	}{
		{"session inactive", &no, &active, &future},
		{"session active unknown", nil, &active, &future},
		{"identity disabled", &yes, &inactive, &future},
		{"identity state missing", &yes, nil, &future},
		{"expired", &yes, &active, &past},
		{"no expiry", &yes, &active, nil},
	}
	for _, tc := range cases {
		raw := sessionFixture(tc.active, tc.state, tc.expires)
		if _, err := k.toSession(raw); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Errorf("%s: err = %v, want ErrUnauthenticated", tc.name, err)
		}
	}
	s, err := k.toSession(sessionFixture(&yes, &active, &future))
	if err != nil || s.Identity.Email != "ana@example.com" || s.Identity.Name != "Ana" || !s.Identity.Active {
		t.Fatalf("valid session: %+v, %v", s, err)
	}
}

// bodyError stands in for *client.GenericOpenAPIError.
type bodyError struct{ body string }

func (e bodyError) Error() string { return "400 Bad Request" }
func (e bodyError) Body() []byte  { return []byte(e.body) }

func apiError(body string) error { return bodyError{body: body} }

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func sessionFixture(active *bool, state *string, expires *time.Time) *client.Session {
	return &client.Session{
		Id:        "s1",
		Active:    active,
		ExpiresAt: expires,
		Identity: &client.Identity{
			Id: "i1", SchemaId: "staff", State: state,
			Traits: map[string]any{"email": "Ana@Example.com", "name": "Ana"},
		},
	}
}

// Issue 15 item 7: Kratos unreachable or failing (5xx) is errs.ErrUnavailable
// (503), a login refusal stays what it is.
func TestCallError_outageIsUnavailable(t *testing.T) {
	dial := &url.Error{Op: "Get", URL: "http://k/sessions/whoami", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	if err := callError("validate session", nil, dial); !errors.Is(err, errs.ErrUnavailable) {
		t.Errorf("dial error: %v is not ErrUnavailable", err)
	}
	if err := callError("login", &http.Response{StatusCode: http.StatusBadGateway}, errors.New("502")); !errors.Is(err, errs.ErrUnavailable) {
		t.Errorf("502: %v is not ErrUnavailable", err)
	}
	if err := callError("login", &http.Response{StatusCode: http.StatusConflict}, errors.New("409")); errors.Is(err, errs.ErrUnavailable) {
		t.Errorf("409 classified as an outage: %v", err)
	}
}
