package session_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

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
