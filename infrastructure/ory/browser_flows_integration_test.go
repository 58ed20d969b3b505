package ory_test

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/infrastructure/ory"
)

// A login flow started by a browser is read back with that browser's cookies,
// with the inputs the login page renders; another browser, or an unknown id,
// gets ErrFlowGone so the page starts a new flow.
func TestBrowserFlows_ReadsTheBrowsersLoginFlowIntegration(t *testing.T) {
	ctx := setup(t)
	flows := ory.NewBrowserFlows(publicURL, nil)
	if !strings.HasSuffix(flows.StartURL("login"), "/self-service/login/browser") {
		t.Fatalf("StartURL(login) = %q", flows.StartURL("login"))
	}

	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(flows.StartURL("login"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("flow") == "" {
		t.Fatalf("starting a login flow redirected to %q (status %d)", resp.Header.Get("Location"), resp.StatusCode)
	}
	id := loc.Query().Get("flow")
	base, _ := url.Parse(publicURL)
	var cookies []string
	for _, c := range jar.Cookies(base) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}

	f, err := flows.Flow(ctx, "login", id, strings.Join(cookies, "; "))
	if err != nil {
		t.Fatalf("Flow: %v", err)
	}
	if f.ID != id || f.Action == "" || f.Value("csrf_token") == "" {
		t.Errorf("flow = id %q action %q csrf %q; want the started flow with its form", f.ID, f.Action, f.Value("csrf_token"))
	}
	if !f.HasInput("identifier") || !f.HasInput("password") {
		t.Errorf("login flow asks for no identifier/password: %+v", f.Inputs)
	}
	if f.HasInput("csrf_token") {
		t.Error("a hidden input counted as something to type")
	}

	if _, err := flows.Flow(ctx, "login", id, ""); !errors.Is(err, identity.ErrFlowGone) {
		t.Errorf("the flow read without the browser's cookies: err %v, want ErrFlowGone", err)
	}
	if _, err := flows.Flow(ctx, "login", "00000000-0000-4000-8000-000000000000", ""); !errors.Is(err, identity.ErrFlowGone) {
		t.Errorf("unknown flow: err %v, want ErrFlowGone", err)
	}
	if _, err := flows.LogoutURL(ctx, ""); !errors.Is(err, identity.ErrFlowGone) {
		t.Errorf("logout without a session: err %v, want ErrFlowGone", err)
	}
}
