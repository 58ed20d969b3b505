package web

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/torquehq/torque/application/identity"
)

// Every message key a template or handler names exists in the catalogue.
func TestTemplates_useOnlyCatalogueKeys(t *testing.T) {
	t.Parallel()
	key := regexp.MustCompile(`"(web\.[a-z_.]*[a-z_])"`)
	check := func(name, src string) {
		for _, m := range key.FindAllStringSubmatch(src, -1) {
			if !messages.Has(m[1]) {
				t.Errorf("%s: %q is not in the catalogue", name, m[1])
			}
		}
	}
	_ = fs.WalkDir(assets, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(assets, p)
			check(p, string(b))
		}
		return nil
	})
	for _, prefix := range []string{"web.status.", "web.plan.", "web.order.to.", "web.field."} {
		var suffixes []string
		switch prefix {
		case "web.status.":
			suffixes = boardStatuses
		case "web.plan.":
			suffixes = []string{"basic", "pro", "franchise"}
		case "web.order.to.":
			suffixes = []string{"in_progress", "completed", "delivered", "cancelled"}
		case "web.field.":
			suffixes = []string{"email", "code", "password"}
		}
		for _, s := range suffixes {
			if !messages.Has(prefix + s) {
				t.Errorf("%s%s is not in the catalogue", prefix, s)
			}
		}
	}
}

// Public pages render in pt-BR by default and in English on request, with
// the API's security headers, no inline style or script, and the login
// form's target (Kratos) allowed by form-action.
func TestSignupPage_localeAndHeaders(t *testing.T) {
	t.Parallel()
	h, err := New(Config{PublicURL: "http://127.0.0.1:8080", Flows: flowsAt("http://127.0.0.1:4433")})
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"": "Cadastre sua oficina", "en-US,en;q=0.9": "Sign up your workshop"} {
		req := httptest.NewRequest(http.MethodGet, "/signup", nil)
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("Accept-Language %q: %d, want %q in the page", lang, rec.Code, want)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action 'self' http://127.0.0.1:4433") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP = %q", csp)
		}
		if rec.Header().Get("X-Frame-Options") != "DENY" {
			t.Error("no X-Frame-Options")
		}
		if strings.Contains(body, "style=") || strings.Contains(body, "<style") || regexp.MustCompile(`<script>`).MatchString(body) {
			t.Error("inline style or script: the CSP would block it")
		}
	}
	// A cookie choice beats Accept-Language.
	req := httptest.NewRequest(http.MethodGet, "/signup", nil)
	req.Header.Set("Accept-Language", "pt-BR")
	req.AddCookie(&http.Cookie{Name: localeCookie, Value: "en"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `lang="en"`) {
		t.Error("the locale cookie was ignored")
	}
}

// A cross-site form post is refused before any session or use case is
// consulted.
func TestSignup_refusesCrossSitePosts(t *testing.T) {
	t.Parallel()
	h, err := New(Config{PublicURL: "http://127.0.0.1:8080", Flows: flowsAt("")})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/signup", "/logout", "/app/oficina/customers"} {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("slug=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", path, rec.Code)
		}
	}
}

func TestStaticAssetsAreEmbedded(t *testing.T) {
	t.Parallel()
	h, err := New(Config{Flows: flowsAt("")})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/static/htmx.min.js", "/static/app.js", "/static/app.css", "/static/print.css"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK || rec.Body.Len() < 100 {
			t.Errorf("%s: %d (%d bytes)", p, rec.Code, rec.Body.Len())
		}
	}
}

// flowsAt is an identity.BrowserFlows whose provider lives at base and knows
// no flow: enough for pages that never read one.
type flowsAt string

func (f flowsAt) PublicURL() string { return string(f) }
func (f flowsAt) StartURL(kind string) string {
	return string(f) + "/self-service/" + kind + "/browser"
}
func (f flowsAt) Flow(context.Context, string, string, string) (identity.Flow, error) {
	return identity.Flow{}, identity.ErrFlowGone
}
func (f flowsAt) LogoutURL(context.Context, string) (string, error) { return "", identity.ErrFlowGone }

// The back office's copy exists in every locale with the same format verbs,
// so switching language never shows a key or a broken sentence.
func TestPageCopy_sameKeysAndVerbsInEveryLocale(t *testing.T) {
	t.Parallel()
	verb := regexp.MustCompile(`%[a-z]`)
	for key, pt := range pageCopyPtBR {
		en, ok := pageCopyEn[key]
		if !ok {
			t.Errorf("en lacks %q", key)
			continue
		}
		if a, b := strings.Join(verb.FindAllString(pt, -1), ""), strings.Join(verb.FindAllString(en, -1), ""); a != b {
			t.Errorf("%s: pt-BR verbs %q, en verbs %q", key, a, b)
		}
	}
	for key := range pageCopyEn {
		if _, ok := pageCopyPtBR[key]; !ok {
			t.Errorf("pt-BR lacks %q", key)
		}
	}
	for key := range pageCopyPtBR {
		if !strings.HasPrefix(key, "web.") {
			t.Errorf("page copy key %q outside web.*: application texts belong in application/i18n", key)
		}
	}
}

// Switching language returns to a page of this site only: a next that a
// browser would read as another host sends the visitor home instead.
func TestSetLocale_neverRedirectsOffSite(t *testing.T) {
	t.Parallel()
	h, err := New(Config{PublicURL: "http://127.0.0.1:8080", Flows: flowsAt("")})
	if err != nil {
		t.Fatal(err)
	}
	for next, want := range map[string]string{
		"/app/oficina/customers": "/app/oficina/customers",
		"//evil.example":         "/",
		`/\evil.example`:         "/",
		"https://evil.example":   "/",
		"":                       "/",
		"/\t/evil.example":       "/", // browsers drop tabs: //evil.example
		"/\n/evil.example":       "/",
		"/\r/evil.example":       "/",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/lang/en?next="+url.QueryEscape(next), nil))
		if got := rec.Header().Get("Location"); got != want {
			t.Errorf("next=%q redirected to %q, want %q", next, got, want)
		}
	}
}

// FuzzLocalPath: whatever next is, the redirect stays on this site as a
// browser would read it (tabs and line breaks dropped, backslashes as slashes).
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/app", "//evil", "/\\evil", "/\t/evil", "https://evil", "/%2F/evil", "/\u3000/evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := localPath(next)
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := url.Parse(browser)
		if err != nil {
			if got != "/" && got != next {
				t.Fatalf("localPath(%q) = %q", next, got)
			}
			return
		}
		if u.Host != "" || u.Scheme != "" || !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") {
			t.Fatalf("localPath(%q) = %q leaves the site (browser reads %q)", next, got, browser)
		}
	})
}

// Issue 10 item 14: the live customer search does not push ?q= (a CPF, a
// phone) into the browser history.
func TestCustomerSearch_doesNotPushQueryIntoHistory(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("templates/customers.html")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "hx-push-url") {
		t.Error("the customer search pushes its query into the browser history")
	}
}

// Issue 10 item 17: a NUL character in a form or a query is a 400 page, never
// a 500 from the database (profile, privacy policy, franchise names...).
func TestForms_refuseNUL(t *testing.T) {
	t.Parallel()
	h, err := New(Config{PublicURL: "http://127.0.0.1:8080", Flows: flowsAt("")})
	if err != nil {
		t.Fatal(err)
	}
	post := httptest.NewRequest(http.MethodPost, "/signup", strings.NewReader("workshop_name=Oficina%00X&slug=x"))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.Header.Set("Origin", "http://127.0.0.1:8080")
	for _, r := range []*http.Request{post, httptest.NewRequest(http.MethodGet, "/lang/en?next=%2Fa%00b", nil)} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s %s with NUL: %d, want 400", r.Method, r.URL, rec.Code)
		}
	}
}
