package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// Without a portal configured, every portal path is the portal's 404 page.
func TestPortal_routesReachThePortal(t *testing.T) {
	t.Parallel()
	h, err := New(Config{PublicURL: "http://127.0.0.1:8080", Flows: flowsAt("")})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/p/oficina/", "/p/oficina", "/p/oficina/login", "/p/oficina/orders/x"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Portal não encontrado") {
			t.Errorf("%s: %d %s", p, rec.Code, rec.Body.String()[:min(300, rec.Body.Len())])
		}
	}
}

// The portal's copy exists in both locales with the same format verbs.
func TestPortalCopy_sameKeysAndVerbsInEveryLocale(t *testing.T) {
	t.Parallel()
	verb := regexp.MustCompile(`%[a-z]`)
	for key, pt := range portalCopyPtBR {
		en, ok := portalCopyEn[key]
		if !ok {
			t.Errorf("en lacks %q", key)
			continue
		}
		if a, b := strings.Join(verb.FindAllString(pt, -1), ""), strings.Join(verb.FindAllString(en, -1), ""); a != b {
			t.Errorf("%s: pt-BR verbs %q, en verbs %q", key, a, b)
		}
		if _, dup := pageCopyPtBR[key]; dup {
			t.Errorf("%s is also in the back office's copy", key)
		}
	}
	for key := range portalCopyEn {
		if _, ok := portalCopyPtBR[key]; !ok {
			t.Errorf("pt-BR lacks %q", key)
		}
	}
}
