package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/internal/e2e"
)

// portalServer mounts the support portal routes the way the portal mount
// does (PublicRoutes and PortalRoutes): the tenant of the slug and (when
// customerIDs is not nil) a car owner's principal in the request context.
func portalServer(t *testing.T, env *e2e.Env, w e2e.Workshop, customerIDs ...string) *httptest.Server {
	t.Helper()
	tid := tenant.MustParse(w.ID)
	var ids []uuid.UUID
	for _, c := range customerIDs {
		ids = append(ids, uuid.MustParse(c))
	}
	r := chi.NewRouter()
	r.Route("/api/v1/portal/{slug}", func(r chi.Router) {
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
				if chi.URLParam(req, "slug") != w.Slug {
					http.NotFound(rw, req)
					return
				}
				ctx := tenant.WithTenant(req.Context(), tid)
				if ids != nil {
					ctx = authz.WithPrincipal(ctx, authz.Principal{Tenant: tid, Role: authz.RoleCustomer, CustomerIDs: ids})
				}
				next.ServeHTTP(rw, req.WithContext(ctx))
			})
		})
		env.Sys.SupportHandlers().MountPortalPublic(r)
		env.Sys.SupportHandlers().MountPortal(r)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

type portalResp struct {
	Status int
	Body   []byte
	Type   string
}

func (p portalResp) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(p.Body, &m); err != nil {
		t.Fatalf("%d %s: %v", p.Status, p.Body, err)
	}
	return m
}

func supportPortalDo(t *testing.T, srv *httptest.Server, method, path, body string) portalResp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return portalResp{Status: res.StatusCode, Body: b, Type: res.Header.Get("Content-Type")}
}

func items(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", m)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestSupportArticles_DefaultsEditingSearchAndPublicListIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	tok := w.OwnerToken

	list := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/articles?limit=200"), tok, nil), 200, "list")
	arts := items(t, list)
	var oil map[string]any
	for _, a := range arts {
		if a["title"] == "Com que frequência trocar o óleo?" {
			oil = a
		}
	}
	if len(arts) < 8 || oil == nil || !strings.Contains(oil["body_html"].(string), "<strong>") || oil["default"] != true {
		t.Fatalf("pt-BR defaults missing: %d %v", len(arts), oil)
	}
	if again := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/articles?limit=200"), tok, nil), 200, "list")); len(again) != len(arts) {
		t.Fatalf("defaults seeded twice: %d then %d", len(arts), len(again))
	}

	// A workshop hides one default and deletes another; they stay so.
	hidden := arts[1]
	mustStatus(t, env.Do(t, http.MethodPut, ws(w, "/articles/"+hidden["id"].(string)), tok, map[string]any{
		"kind": hidden["kind"], "title": hidden["title"], "body_markdown": hidden["body_markdown"], "published": false}), 200, "hide")
	if r := env.Do(t, http.MethodDelete, ws(w, "/articles/"+arts[2]["id"].(string)), tok, nil); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if after := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/articles?limit=200"), tok, nil), 200, "list")); len(after) != len(arts)-1 {
		t.Fatalf("a deleted default came back: %d, want %d", len(after), len(arts)-1)
	}

	// A new article with hostile Markdown is stored sanitised.
	created := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/articles"), tok, map[string]any{
		"kind": "tutorial", "title": "Como trocar a palheta", "published": true,
		"body_markdown": "Passo a passo da **palheta** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"}), 201, "create")
	html := created["body_html"].(string)
	if strings.Contains(html, "<script") || strings.Contains(html, "javascript:") || strings.Contains(html, "onerror") {
		t.Fatalf("stored HTML is not inert: %s", html)
	}
	draft := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/articles"), tok, map[string]any{
		"kind": "faq", "title": "Rascunho sobre palheta", "body_markdown": "ainda não", "published": false}), 201, "draft")

	// Portal: published only, searched in Portuguese (plural/singular).
	srv := portalServer(t, env, w)
	pub := supportPortalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/articles?limit=200", "")
	if pub.Status != 200 {
		t.Fatalf("public list: %d %s", pub.Status, pub.Body)
	}
	body := string(pub.Body)
	if strings.Contains(body, hidden["title"].(string)) || strings.Contains(body, draft["id"].(string)) ||
		strings.Contains(body, "body_markdown") || !strings.Contains(body, "Como trocar a palheta") {
		t.Fatalf("public list shows drafts or hides published: %s", body)
	}
	found := supportPortalDo(t, srv, http.MethodGet, "/api/v1/portal/"+w.Slug+"/articles?q="+url.QueryEscape("palhetas"), "")
	titles := []string{}
	for _, a := range items(t, found.JSON(t)) {
		titles = append(titles, a["title"].(string))
	}
	// "palhetas" finds "palheta" (Portuguese stemming), never the draft, and
	// not the articles that do not mention it.
	if !slices.Contains(titles, "Como trocar a palheta") || slices.Contains(titles, "Rascunho sobre palheta") ||
		slices.Contains(titles, "Com que frequência trocar o óleo?") {
		t.Fatalf("search palhetas: %v", titles)
	}

	// Bad input: 422 naming fields; unknown field 400; problem+json.
	r := env.Do(t, http.MethodPost, ws(w, "/articles"), tok, `{"kind":"blog","title":"","body_markdown":""}`)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"kind"`) || !strings.Contains(string(r.Body), `"title"`) {
		t.Fatalf("bad article: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodPost, ws(w, "/articles"), tok, `{"kind":"faq","title":"x","body_markdown":"y","extra":1}`); r.Status != http.StatusBadRequest {
		t.Fatalf("unknown field: %d %s", r.Status, r.Body)
	}

	// Another workshop: 404 for this one's article, and its own list differs.
	other := env.Signup(t, "pro")
	if r := env.Do(t, http.MethodGet, ws(other, "/articles/"+created["id"].(string)), other.OwnerToken, nil); r.Status != http.StatusNotFound {
		t.Fatalf("other tenant read: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodGet, ws(w, "/articles/"+created["id"].(string)), other.OwnerToken, nil); r.Status != http.StatusNotFound {
		t.Fatalf("other workshop's owner on this slug: %d %s", r.Status, r.Body)
	}
	// A mechanic may not edit the help centre.
	if r := env.Do(t, http.MethodGet, ws(w, "/articles"), env.Staff(t, w, "mechanic"), nil); r.Status != http.StatusForbidden {
		t.Fatalf("mechanic: %d", r.Status)
	}
}

func TestSupportTickets_LifecycleAssignmentAndPortalIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	env, w := f.env, f.w
	tok := w.OwnerToken
	portal := portalServer(t, env, w, f.customerID)
	base := "/api/v1/portal/" + w.Slug

	// Bad input from the portal.
	if r := supportPortalDo(t, portal, http.MethodPost, base+"/tickets", `{"subject":"","body":""}`); r.Status != 422 || !strings.Contains(r.Type, "problem+json") {
		t.Fatalf("empty ticket: %d %s", r.Status, r.Body)
	}
	if r := supportPortalDo(t, portal, http.MethodPost, base+"/tickets", `{"subject":"a","body":"b","order_id":"`+uuid.NewString()+`"}`); r.Status != 422 {
		t.Fatalf("foreign order: %d %s", r.Status, r.Body)
	}
	opened := supportPortalDo(t, portal, http.MethodPost, base+"/tickets",
		fmt.Sprintf(`{"subject":"Barulho depois da revisão","body":"Ouço um barulho na roda dianteira.","order_id":%q}`, f.orderID))
	if opened.Status != 201 {
		t.Fatalf("open: %d %s", opened.Status, opened.Body)
	}
	tk := opened.JSON(t)
	id := tk["id"].(string)
	if tk["status"] != "open" || tk["first_response_due"] == nil || tk["order_id"] != f.orderID {
		t.Fatalf("opened ticket: %v", tk)
	}

	// Staff see it, answer, move it along.
	list := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/tickets?status=open"), tok, nil), 200, "list"))
	if len(list) != 1 || list[0]["subject"] != "Barulho depois da revisão" {
		t.Fatalf("staff list: %v", list)
	}
	if r := env.Do(t, http.MethodGet, ws(w, "/tickets?status=bogus"), tok, nil); r.Status != 422 {
		t.Fatalf("bad status filter: %d", r.Status)
	}
	advisor := env.Staff(t, w, "advisor")
	me := mustStatus(t, env.Do(t, http.MethodGet, "/api/v1/me", advisor, nil), 200, "me")
	staffID, _ := me["identity_id"].(string)
	if staffID == "" {
		staffID, _ = me["id"].(string)
	}
	assigned := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/tickets/"+id+"/assign"), tok, map[string]string{"staff_id": staffID}), 200, "assign")
	if assigned["assignee_id"] != staffID {
		t.Fatalf("assign: %v", assigned)
	}
	replied := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/tickets/"+id+"/messages"), advisor, `{"body":"Pode trazer amanhã às 9h?"}`), 201, "reply")
	if replied["status"] != "in_progress" || replied["first_response_at"] == nil {
		t.Fatalf("reply: %v", replied)
	}
	// Illegal: in_progress → closed.
	if r := env.Do(t, http.MethodPost, ws(w, "/tickets/"+id+"/status"), tok, `{"status":"closed"}`); r.Status != http.StatusConflict {
		t.Fatalf("in_progress → closed: %d %s", r.Status, r.Body)
	}
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/tickets/"+id+"/status"), tok, `{"status":"resolved"}`), 200, "resolve")

	// The customer writes again: the resolved ticket reopens.
	again := supportPortalDo(t, portal, http.MethodPost, base+"/tickets/"+id+"/messages", `{"body":"O barulho voltou."}`)
	if again.Status != 201 || again.JSON(t)["status"] != "in_progress" {
		t.Fatalf("customer reply: %d %s", again.Status, again.Body)
	}
	full := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/tickets/"+id), tok, nil), 200, "get")
	msgs, _ := full["messages"].([]any)
	if len(msgs) != 3 || !strings.Contains(sprint(msgs), "O barulho voltou.") {
		t.Fatalf("messages: %v", full["messages"])
	}
	mine := supportPortalDo(t, portal, http.MethodGet, base+"/tickets", "")
	if mine.Status != 200 || len(items(t, mine.JSON(t))) != 1 {
		t.Fatalf("my tickets: %d %s", mine.Status, mine.Body)
	}

	// Another customer of the same workshop: not found, nothing stored.
	stranger := portalServer(t, env, w, uuid.NewString())
	if r := supportPortalDo(t, stranger, http.MethodPost, base+"/tickets/"+id+"/messages", `{"body":"oi"}`); r.Status != 404 {
		t.Fatalf("stranger reply: %d %s", r.Status, r.Body)
	}
	if r := supportPortalDo(t, stranger, http.MethodGet, base+"/tickets/"+id, ""); r.Status != 404 {
		t.Fatalf("stranger read: %d", r.Status)
	}
	// Another workshop's staff: 404.
	other := env.Signup(t, "pro")
	if r := env.Do(t, http.MethodGet, ws(other, "/tickets/"+id), other.OwnerToken, nil); r.Status != 404 {
		t.Fatalf("other tenant: %d", r.Status)
	}
	// A mechanic does not handle support.
	if r := env.Do(t, http.MethodGet, ws(w, "/tickets"), env.Staff(t, w, "mechanic"), nil); r.Status != 403 {
		t.Fatalf("mechanic: %d", r.Status)
	}
	// Close, then nothing more.
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/tickets/"+id+"/status"), tok, `{"status":"resolved"}`), 200, "resolve")
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/tickets/"+id+"/status"), tok, `{"status":"closed"}`), 200, "close")
	if r := supportPortalDo(t, portal, http.MethodPost, base+"/tickets/"+id+"/messages", `{"body":"e agora?"}`); r.Status != 409 {
		t.Fatalf("reply on closed: %d %s", r.Status, r.Body)
	}

	// Detractor feedback opens a ticket; a promoter does not.
	ctx := tenantCtx(t, w)
	dt, err := env.Sys.Support.OpenTicketForDetractor(ctx, uuid.MustParse(w.ID), uuid.MustParse(f.customerID), uuid.MustParse(f.orderID), 3, "Demorou demais")
	if err != nil || dt.Subject == "" || dt.Status != "open" {
		t.Fatalf("detractor: %+v %v", dt, err)
	}
	if pt, err := env.Sys.Support.OpenTicketForDetractor(ctx, uuid.MustParse(w.ID), uuid.MustParse(f.customerID), uuid.Nil, 9, ""); err != nil || pt.ID != uuid.Nil {
		t.Fatalf("promoter opened a ticket: %+v %v", pt, err)
	}
	fb := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/tickets?status=open"), tok, nil), 200, "list"))
	if len(fb) != 1 || fb[0]["source"] != "feedback" {
		t.Fatalf("feedback ticket: %v", fb)
	}
}

func TestSupportArticleImages_LogoChecksAndPublicURLIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	img := pngLogo(t, 64, 64)
	cases := []struct {
		body []byte
		ct   string
		want int
	}{
		{[]byte("not an image"), "image/png", 422},
		{img, "text/plain", 415},
		{pngLogo(t, 2100, 10), "image/png", 422},
	}
	for _, c := range cases {
		if r := env.Do(t, http.MethodPost, ws(w, "/articles/images"), w.OwnerToken, c.body, "Content-Type", c.ct); r.Status != c.want {
			t.Fatalf("%s %d bytes: %d %s (want %d)", c.ct, len(c.body), r.Status, r.Body, c.want)
		}
	}
	up := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/articles/images"), w.OwnerToken, img, "Content-Type", "image/png"), 201, "upload")
	url := up["url"].(string)
	if !strings.HasPrefix(url, "/assets/"+w.Slug+"/article-") {
		t.Fatalf("url %q", url)
	}
	got := env.Do(t, http.MethodGet, url, "", nil)
	if got.Status != 200 || got.Header.Get("Content-Type") != "image/png" || len(got.Body) != len(img) {
		t.Fatalf("GET %s: %d %s", url, got.Status, got.Header.Get("Content-Type"))
	}
	// The image shows in an article's HTML.
	a := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/articles"), w.OwnerToken, map[string]any{
		"kind": "tutorial", "title": "Com foto", "body_markdown": "![motor](" + url + ")", "published": true}), 201, "article")
	if !strings.Contains(a["body_html"].(string), `src="`+url+`"`) {
		t.Fatalf("body_html %s", a["body_html"])
	}
	// Another workshop's slug does not serve it; a mechanic cannot upload.
	other := env.Signup(t, "pro")
	if r := env.Do(t, http.MethodGet, strings.Replace(url, w.Slug, other.Slug, 1), "", nil); r.Status != 404 {
		t.Fatalf("image under another slug: %d", r.Status)
	}
	if r := env.Do(t, http.MethodPost, ws(w, "/articles/images"), env.Staff(t, w, "mechanic"), img, "Content-Type", "image/png"); r.Status != 403 {
		t.Fatalf("mechanic upload: %d", r.Status)
	}
}
