package session_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/workshop"

	"github.com/torquehq/torque/interfaces/session"
)

func TestSameOrigin_OnlyTorquesOwnPagesMayWriteWithACookie(t *testing.T) {
	t.Parallel()
	const origin = "https://app.torque.example"
	cases := []struct {
		name   string
		header map[string]string
		want   bool
	}{
		{"own Origin", map[string]string{"Origin": origin}, true},
		{"foreign Origin", map[string]string{"Origin": "https://evil.example"}, false},
		{"lookalike Origin", map[string]string{"Origin": origin + ".evil.example"}, false},
		{"same-origin fetch", map[string]string{"Sec-Fetch-Site": "same-origin"}, true},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"own Referer", map[string]string{"Referer": origin + "/app/x"}, true},
		{"lookalike Referer", map[string]string{"Referer": origin + ".evil.example/"}, false},
		{"nothing proves it", nil, false},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		for k, v := range c.header {
			r.Header.Set(k, v)
		}
		if got := session.SameOrigin(r, origin+"/"); got != c.want {
			t.Errorf("%s: SameOrigin = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBearerTokenAndCookie_AreFoundWhereOrySendsThem(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "bearer  ory_st_abc ")
	if got := session.BearerToken(r); got != "ory_st_abc" {
		t.Errorf("BearerToken = %q", got)
	}
	r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	if got := session.BearerToken(r); got != "" {
		t.Errorf("Basic credentials taken as a bearer token: %q", got)
	}
	for name, want := range map[string]bool{"ory_kratos_session": true, "ory_session_projectslug": true, "other": false} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: name, Value: "v"})
		if got := session.HasCookie(r); got != want {
			t.Errorf("HasCookie(%s) = %v, want %v", name, got, want)
		}
	}
}

// Issue 10 item 5: behind N trusted proxies the client is the N-th
// X-Forwarded-For entry from the right; what the client wrote on the left is
// never taken (it would choose its own rate-limit key).
func TestClientIPBehind_rightMostUntrustedHop(t *testing.T) {
	cases := []struct {
		xff  []string
		hops int
		want string
	}{
		{[]string{"6.6.6.6, 203.0.113.7"}, 1, "203.0.113.7"},           // forged left-most entry ignored
		{[]string{"6.6.6.6", "203.0.113.7"}, 1, "203.0.113.7"},         // several header lines
		{[]string{"6.6.6.6, 203.0.113.7, 10.0.0.2"}, 2, "203.0.113.7"}, // CDN + ingress
		{[]string{"203.0.113.7"}, 3, "203.0.113.7"},                    // fewer entries than proxies
		{[]string{"6.6.6.6, 203.0.113.7"}, 0, "192.0.2.1"},             // no proxy: the peer
		{[]string{"6.6.6.6, not-an-ip"}, 1, "192.0.2.1"},               // garbage: the peer
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.1:5555"
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := session.ClientIPBehind(r, c.hops); got != c.want {
			t.Errorf("XFF %q behind %d proxies: %s, want %s", c.xff, c.hops, got, c.want)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
	if got := session.ClientIP(r, true); got != "203.0.113.7" {
		t.Errorf("ClientIP with one trusted proxy = %s, want the right-most hop", got)
	}
}

type fixedScope struct{ ws workshops.WorkshopView }

func (f fixedScope) Scope(context.Context, string, string) (workshops.WorkshopView, string, error) {
	return f.ws, "owner", nil
}

// Issue 10 item 6: the trial ends on the server's clock. Past it (plus the
// grace for checkout and webhooks), a workshop billing never called active is
// read-only; an active one, or one still inside its trial, writes.
func TestScopeToWorkshop_trialEndsOnTheServer(t *testing.T) {
	old := time.Now().AddDate(0, 0, -(workshop.TrialDays + 3))
	for _, c := range []struct {
		status   string
		created  time.Time
		readOnly bool
	}{
		{"trialing", time.Now().AddDate(0, 0, -1), false},
		{"trialing", old, true},
		{"active", old, false},
		{"canceled", time.Now(), true},
	} {
		ws := workshops.WorkshopView{ID: uuid.Must(uuid.NewV7()), Slug: "oficina", Status: c.status, CreatedAt: c.created}
		ctx, _, err := session.ScopeToWorkshop(context.Background(), fixedScope{ws}, "oficina",
			identity.Session{Identity: identity.Identity{ID: "id-1"}})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := authz.PrincipalFrom(ctx)
		if p.ReadOnly != c.readOnly {
			t.Errorf("%s created %s ago: read-only %v, want %v", c.status, time.Since(c.created).Round(time.Hour), p.ReadOnly, c.readOnly)
		}
	}
}

// FuzzClientIPBehind: whatever X-Forwarded-For holds, the rate-limit key is
// an IP address (never the header's free text), and without trusted proxies
// it is the peer's.
func FuzzClientIPBehind(f *testing.F) {
	for _, s := range []string{"6.6.6.6, 203.0.113.7", "", ",,,", "not-an-ip", "::1, 2001:db8::1", "1.1.1.1,\t2.2.2.2 "} {
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, xff string, hops int) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.1:5555"
		r.Header.Set("X-Forwarded-For", xff)
		hops = hops % 5
		if hops < 0 {
			hops = -hops
		}
		got := session.ClientIPBehind(r, hops)
		if net.ParseIP(got) == nil {
			t.Fatalf("ClientIPBehind(%q, %d) = %q, not an IP", xff, hops, got)
		}
		if hops == 0 && got != "192.0.2.1" {
			t.Fatalf("no trusted proxy, yet %q came from the header", got)
		}
	})
}
