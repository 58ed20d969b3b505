package web_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// The public help centre lists the workshop's default articles, finds one by
// search and shows its body rendered from Markdown; an unknown article is 404.
func TestPortalHelpCentreIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "basic")
	get := func(path string) (int, string) {
		resp, err := noRedirect().Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	st, body := get("/p/" + w.Slug + "/ajuda")
	if st != http.StatusOK || !strings.Contains(body, "Central de ajuda") || !strings.Contains(body, "Com que frequência trocar o óleo?") {
		t.Fatalf("help centre: %d %s", st, body)
	}
	st, body = get("/p/" + w.Slug + "/ajuda?q=freios")
	if st != http.StatusOK || !strings.Contains(body, "Quando revisar os freios?") || strings.Contains(body, "Com que frequência trocar o óleo?") {
		t.Fatalf("search: %d %s", st, body)
	}
	link := regexp.MustCompile(`href="(/p/` + regexp.QuoteMeta(w.Slug) + `/ajuda/[0-9a-f-]{36})"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no article link: %s", body)
	}
	st, body = get(link[1])
	if st != http.StatusOK || !strings.Contains(body, "<strong>fluido de freio</strong>") {
		t.Fatalf("article: %d %s", st, body)
	}
	if st, _ := get("/p/" + w.Slug + "/ajuda/00000000-0000-0000-0000-000000000000"); st != http.StatusNotFound {
		t.Fatalf("unknown article: %d", st)
	}
}
