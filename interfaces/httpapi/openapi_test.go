package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/interfaces/httpapi"
)

// productionRouter builds the router with every feature mounted the way
// internal/wiring does. The services are nil: the tests walk the routes and
// fetch the documentation, never a feature handler.
func productionRouter(t *testing.T) http.Handler {
	t.Helper()
	mh := &httpapi.MessagingHandlers{}
	rp := &httpapi.ReportHandlers{}
	sh := &httpapi.SupportHandlers{Chat: &httpapi.ChatHandlers{}}
	th := &httpapi.AccountHandlers{WorkshopRoutes: []func(chi.Router){(&httpapi.RecordsHandlers{}).MountWorkshop, mh.MountWorkshop,
		(&httpapi.QuoteHandlers{}).MountWorkshop, (&httpapi.BookingHandlers{}).MountWorkshop,
		(&httpapi.ReminderHandlers{}).MountWorkshop, rp.MountWorkshop,
		sh.MountWorkshop, (&httpapi.MFAHandlers{}).MountWorkshop},
		AuthenticatedRoutes: []func(chi.Router){rp.MountAuthenticated}}
	return httpapi.NewRouter(httpapi.Deps{
		Logger:         slog.New(slog.NewJSONHandler(io.Discard, nil)),
		MetricsHandler: http.NotFoundHandler(), // served as in production; never fetched here
		Mount: []func(chi.Router){th.Mount, (&httpapi.PortalHandlers{PortalRoutes: []func(chi.Router){(&httpapi.QuoteHandlers{}).MountPortal, (&httpapi.BookingHandlers{}).MountPortal, sh.MountPortal, mh.MountPortal},
			PublicRoutes: []func(chi.Router){sh.MountPortalPublic}}).Mount, mh.Mount},
	})
}

func fetch(t *testing.T, h http.Handler, url string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func mediaType(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	mt, _, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", rec.Header().Get("Content-Type"), err)
	}
	return mt
}

type openAPIDoc = map[string]any

func loadSpec(t *testing.T, h http.Handler) openAPIDoc {
	t.Helper()
	rec := fetch(t, h, "/api/v1/openapi.json")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d", rec.Code)
	}
	if mt := mediaType(t, rec); mt != "application/json" {
		t.Fatalf("openapi.json Content-Type = %q", mt)
	}
	dec := json.NewDecoder(rec.Body)
	var doc openAPIDoc
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if dec.More() {
		t.Fatal("openapi.json has data after the document")
	}
	return doc
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

type specOp struct {
	method, path string
	item, op     map[string]any
}

func specOps(t *testing.T, doc openAPIDoc) []specOp {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok || len(paths) == 0 {
		t.Fatal("the document has no paths")
	}
	var out []specOp
	for p, raw := range paths {
		item, _ := raw.(map[string]any)
		for _, m := range httpMethods {
			if op, ok := item[m].(map[string]any); ok {
				out = append(out, specOp{method: strings.ToUpper(m), path: p, item: item, op: op})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path+out[i].method < out[j].path+out[j].method })
	return out
}

// resolve follows a local "$ref" ("#/components/...").
func resolve(t *testing.T, doc openAPIDoc, v any) any {
	t.Helper()
	for range 16 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		if !strings.HasPrefix(ref, "#/") {
			t.Fatalf("non-local $ref %q", ref)
		}
		var cur any = doc
		for _, part := range strings.Split(ref[2:], "/") {
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			obj, ok := cur.(map[string]any)
			if !ok || obj[part] == nil {
				t.Fatalf("$ref %q does not resolve", ref)
			}
			cur = obj[part]
		}
		v = cur
	}
	t.Fatal("$ref cycle")
	return nil
}

func hasExample(t *testing.T, doc openAPIDoc, content any) bool {
	t.Helper()
	c, _ := content.(map[string]any)
	for _, raw := range c {
		media, _ := raw.(map[string]any)
		if _, ok := media["example"]; ok {
			return true
		}
		if exs, ok := media["examples"].(map[string]any); ok {
			for _, ex := range exs {
				if e, ok := resolve(t, doc, ex).(map[string]any); ok && e["value"] != nil {
					return true
				}
			}
		}
	}
	return false
}

func TestOpenAPI_DocumentIsComplete(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t, productionRouter(t))
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] == "" || info["version"] == nil {
		t.Fatalf("info = %v", info)
	}
	// Every $ref anywhere resolves.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["$ref"].(string); ok {
				resolve(t, doc, x)
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)

	roles := map[string]bool{"owner": true, "manager": true, "advisor": true, "mechanic": true}
	pathParam := regexp.MustCompile(`\{([^}]+)\}`)
	ids := map[string]string{}
	for _, o := range specOps(t, doc) {
		name := o.method + " " + o.path
		id, _ := o.op["operationId"].(string)
		if id == "" {
			t.Errorf("%s: no operationId", name)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s: operationId %q also used by %s", name, id, other)
		}
		ids[id] = name
		if s, _ := o.op["summary"].(string); strings.TrimSpace(s) == "" {
			t.Errorf("%s: no summary", name)
		}
		responses, _ := o.op["responses"].(map[string]any)
		if len(responses) == 0 {
			t.Errorf("%s: no responses", name)
		}
		example := false
		if rb, ok := o.op["requestBody"]; ok {
			example = hasExample(t, doc, resolve(t, doc, rb).(map[string]any)["content"])
			if !example {
				t.Errorf("%s: the request body has no example", name)
			}
		}
		for code, raw := range responses {
			r, _ := resolve(t, doc, raw).(map[string]any)
			if r["description"] == nil {
				t.Errorf("%s %s: no description", name, code)
			}
			ex := hasExample(t, doc, r["content"])
			if code[0] == '2' && r["content"] != nil && !ex {
				t.Errorf("%s %s: a success body without an example", name, code)
			}
			if _, shared := raw.(map[string]any)["$ref"]; !shared && ex {
				example = true // an example written for this operation
			}
		}
		if !example {
			t.Errorf("%s: no example of its own (request body or response)", name)
		}
		// Every {param} of the path is declared, at path or operation level.
		declared := map[string]bool{}
		for _, list := range []any{o.item["parameters"], o.op["parameters"]} {
			ps, _ := list.([]any)
			for _, p := range ps {
				pm, _ := resolve(t, doc, p).(map[string]any)
				if pm["in"] == "path" {
					declared[pm["name"].(string)] = true
				}
			}
		}
		for _, m := range pathParam.FindAllStringSubmatch(o.path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %q is not declared", name, m[1])
			}
		}
		if rs, ok := o.op["x-torque-roles"].([]any); ok {
			for _, r := range rs {
				if !roles[r.(string)] {
					t.Errorf("%s: unknown role %v", name, r)
				}
			}
		}
	}
	t.Logf("%d operations", len(ids))
}

var chiParam = regexp.MustCompile(`\{([^}:]+):[^}]*\}`)

// openAPIPath turns a chi route pattern into an OpenAPI path: no regexp in
// parameters, no trailing slash (a subrouter's root, e.g. the workshop).
func openAPIPath(pattern string) string {
	p := chiParam.ReplaceAllString(pattern, "{$1}")
	for strings.HasSuffix(p, "/") && p != "/" {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}

func TestOpenAPI_DocumentsEveryRouteAndNoOther(t *testing.T) {
	t.Parallel()
	h := productionRouter(t)
	routes, ok := h.(chi.Routes)
	if !ok {
		t.Fatalf("NewRouter returned %T, not a chi router", h)
	}
	methods := map[string]map[string]bool{} // path → methods
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.Contains(route, "*") {
			t.Errorf("catch-all route %s %s cannot be documented; mount a chi router instead", method, route)
		}
		p := openAPIPath(route)
		if methods[p] == nil {
			methods[p] = map[string]bool{}
		}
		methods[p][method] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// r.Handle registers a route for every method (/metrics); it is
	// documented as the GET it is meant for.
	anyMethod := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		http.MethodHead, http.MethodOptions, http.MethodConnect, http.MethodTrace}
	inRouter := map[string]bool{}
	for p, ms := range methods {
		all := ms["*"]
		if !all {
			all = true
			for _, m := range anyMethod {
				all = all && ms[m]
			}
		}
		if all {
			inRouter[http.MethodGet+" "+p] = true
			continue
		}
		for m := range ms {
			inRouter[m+" "+p] = true
		}
	}
	if !inRouter["GET /metrics"] || !inRouter["GET /api/v1/workshops/{slug}"] || !inRouter["POST /api/v1/workshops/{slug}/customers"] {
		t.Fatalf("the router walk missed known routes: %v", inRouter)
	}
	inSpec := map[string]bool{}
	for _, o := range specOps(t, loadSpec(t, h)) {
		inSpec[o.method+" "+o.path] = true
	}
	var missing, extra []string
	for r := range inRouter {
		if !inSpec[r] {
			missing = append(missing, r)
		}
	}
	for r := range inSpec {
		if !inRouter[r] {
			extra = append(extra, r)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	for _, r := range missing {
		t.Errorf("route %s is not in openapi.json", r)
	}
	for _, r := range extra {
		t.Errorf("openapi.json documents %s, which the router does not serve", r)
	}
	t.Logf("%d routes, %d documented operations", len(inRouter), len(inSpec))
}

func TestOpenAPI_ServedWithETag(t *testing.T) {
	t.Parallel()
	h := productionRouter(t)
	rec := fetch(t, h, "/api/v1/openapi.json")
	etag := rec.Header().Get("ETag")
	if rec.Code != http.StatusOK || etag == "" {
		t.Fatalf("GET openapi.json = %d, ETag %q", rec.Code, etag)
	}
	if again := fetch(t, h, "/api/v1/openapi.json", "If-None-Match", etag); again.Code != http.StatusNotModified {
		t.Fatalf("If-None-Match with the current ETag = %d, want 304", again.Code)
	}
	if rec.Header().Get("X-Request-Id") == "" || rec.Header().Get("Content-Security-Policy") == "" {
		t.Fatal("the document skips the common middleware")
	}
}

var (
	attrURL      = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)
	inlineScript = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>`)
	eventAttr    = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
)

func TestAPIDocs_ListsEveryOperationWithOwnAssetsOnly(t *testing.T) {
	t.Parallel()
	h := productionRouter(t)
	doc := loadSpec(t, h)
	rec := fetch(t, h, "/api/docs")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/docs = %d: %s", rec.Code, rec.Body)
	}
	if mt := mediaType(t, rec); mt != "text/html" {
		t.Fatalf("/api/docs Content-Type = %q", mt)
	}
	if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatal("/api/docs is served without the CSP")
	}
	page := rec.Body.String()
	for _, o := range specOps(t, doc) {
		id := o.op["operationId"].(string)
		if !strings.Contains(page, `id="op-`+id+`"`) {
			t.Errorf("the page has no section for %s (%s %s)", id, o.method, o.path)
		}
		if !strings.Contains(page, ">"+o.path+"<") {
			t.Errorf("the page does not show the path %s", o.path)
		}
	}
	// The CSP forbids inline scripts and styles: the page must not need them.
	if strings.Contains(strings.ToLower(page), "<style") || strings.Contains(page, " style=") {
		t.Error("the page has inline styles")
	}
	for _, tag := range inlineScript.FindAllString(page, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("inline script %s", tag)
		}
	}
	if m := eventAttr.FindString(page); m != "" {
		t.Errorf("inline event handler %q", m)
	}
	wantType := map[string]string{".css": "text/css", ".js": "text/javascript", ".json": "application/json"}
	assets := 0
	for _, m := range attrURL.FindAllStringSubmatch(page, -1) {
		u := m[1]
		if strings.HasPrefix(u, "#") {
			continue
		}
		if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
			t.Errorf("the page references %q, which is not same-origin", u)
			continue
		}
		res := fetch(t, h, u)
		if res.Code != http.StatusOK {
			t.Errorf("GET %s = %d", u, res.Code)
			continue
		}
		for ext, typ := range wantType {
			if strings.HasSuffix(u, ext) {
				assets++
				if mt := mediaType(t, res); mt != typ {
					t.Errorf("GET %s Content-Type = %q, want %q", u, mt, typ)
				}
			}
		}
	}
	if assets < 3 {
		t.Errorf("the page references %d assets, want the stylesheet, the script and the document", assets)
	}
	if rec := fetch(t, h, "/api/docs/assets/missing.css"); rec.Code != http.StatusNotFound {
		t.Errorf("a missing asset = %d, want 404", rec.Code)
	}
	if rec := fetch(t, h, "/api/docs/assets/docs.html.tmpl"); rec.Code != http.StatusNotFound {
		t.Errorf("the page template is served as an asset: %d", rec.Code)
	}
}

// The rate-limited operations (tests/security TestRateLimits_*) document their
// 429 with Retry-After, and the invitations their 403 for an inviter whose own
// address is unverified (issue 10 items 2 and 5): a client reading the contract
// must be able to tell "wait" and "verify your address" from "not allowed".
func TestOpenAPI_DocumentsRateLimitsAndUnverifiedInviters(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t, productionRouter(t))
	ops := map[string]specOp{}
	for _, o := range specOps(t, doc) {
		ops[o.method+" "+o.path] = o
	}
	response := func(name, status string) map[string]any {
		t.Helper()
		o, ok := ops[name]
		if !ok {
			t.Fatalf("%s is not documented", name)
		}
		responses, _ := o.op["responses"].(map[string]any)
		r, _ := resolve(t, doc, responses[status]).(map[string]any)
		if r == nil {
			t.Errorf("%s does not document %s", name, status)
		}
		return r
	}
	for _, name := range []string{
		"POST /api/v1/signup",
		"POST /api/v1/auth/login",
		"POST /api/v1/workshops/{slug}/staff",
		"POST /api/v1/franchises/{id}/managers",
		"POST /api/v1/portal/{slug}/auth/code",
		"POST /api/v1/portal/{slug}/auth/login",
		"POST /api/v1/feedback/{token}",
		"POST /api/v1/unsubscribe/{token}",
	} {
		if r := response(name, "429"); r != nil {
			if headers, _ := r["headers"].(map[string]any); headers["Retry-After"] == nil {
				t.Errorf("%s: 429 without Retry-After", name)
			}
		}
	}
	for _, name := range []string{"POST /api/v1/workshops/{slug}/staff", "POST /api/v1/franchises/{id}/managers"} {
		if r := response(name, "403"); r != nil {
			if b, _ := json.Marshal(r); !strings.Contains(string(b), "/problems/email-unverified") {
				t.Errorf("%s: 403 does not mention /problems/email-unverified", name)
			}
		}
	}
}
