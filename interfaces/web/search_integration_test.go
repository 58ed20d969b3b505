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

// Issue 10 item 14: a customer search submitted without JavaScript must not
// put the query (often a CPF) in the address bar, the history or an access
// log. The form posts (same-origin checked like every form) and the results
// are answered directly, not stored; the htmx live search posts too.
func TestCustomerSearch_withoutJavaScriptKeepsQueryOutOfURLIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "basic")
	const cpf = "529.982.247-25"
	if r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/customers", w.OwnerToken,
		map[string]any{"name": "Ana Cliente", "document": cpf, "phones": map[string]string{"mobile": "(11) 98765-4321"}}); r.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	list := "/app/" + w.Slug + "/customers"

	status, body := page(t, env, list, w.OwnerToken, "")
	if status != http.StatusOK {
		t.Fatalf("customers page: %d", status)
	}
	form := regexp.MustCompile(`<form[^>]*role="search"[^>]*>`).FindString(body)
	if form == "" {
		t.Fatal("no search form on the customers page")
	}
	if !strings.Contains(form, `method="post"`) {
		t.Errorf("the search form submits by GET (the query lands in the URL): %s", form)
	}
	if strings.Contains(body, `hx-get="`+list) {
		t.Error("the live search sends the query in a GET URL")
	}
	action := regexp.MustCompile(`action="([^"]*)"`).FindStringSubmatch(form)
	if action == nil || !strings.Contains(body, `hx-post="`+action[1]+`"`) {
		t.Fatalf("the live search does not post to the form's action %v", action)
	}

	post := func(origin string, headers ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, env.URL+action[1], strings.NewReader(url.Values{"q": {cpf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+w.OwnerToken)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	read := func(resp *http.Response) string {
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	// Without JavaScript: the results page itself, no redirect to ?q=.
	resp := post(env.Config.PublicURL)
	got := read(resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" {
		t.Fatalf("search by form: %d Location %q, want 200 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("search results may be stored: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	if !strings.Contains(got, "Ana Cliente") {
		t.Error("search by CPF did not find the customer")
	}
	// The live search (htmx): only the results.
	resp = post(env.Config.PublicURL, "HX-Request", "true", "HX-Target", "results")
	if got = read(resp); resp.StatusCode != http.StatusOK || !strings.Contains(got, "Ana Cliente") || strings.Contains(got, "<form") {
		t.Errorf("live search: %d, want the results alone with the customer", resp.StatusCode)
	}
	// CSRF protection intact: a post from elsewhere is refused.
	if resp = post("https://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site search post: %d, want 403", resp.StatusCode)
	}
	read(resp)
}
