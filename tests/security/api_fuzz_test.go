package security_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
	"github.com/torquehq/torque/internal/wiring"
)

// fuzzTarget is one running Torque with a seeded workshop: the owner's and
// a car owner's sessions and the ids path parameters are filled with.
type fuzzTarget struct {
	env         *e2e.Env
	ops         []operation
	byName      map[string]int
	owner       e2e.Workshop
	portalToken string
	ids         map[string]string // collection segment → a real id in it
	identityID  string
	base        string // the server fuzzed requests go to
}

// webLogoUpload is the back office's multipart logo form, fuzzed with the
// API's operations (the only multipart body Torque reads).
const webLogoUpload = "POST /app/{slug}/settings/logo"

func startFuzzTarget(tb testing.TB) *fuzzTarget {
	tb.Helper()
	env := e2e.Start(tb)
	ft := &fuzzTarget{env: env, byName: map[string]int{}, ids: map[string]string{}}
	// The fuzzed requests go to a second process on the same database whose
	// writes do not wait for the read models (the first one's worker fills
	// them): the fuzzer wants answers, not read-your-writes; a wait that
	// times out only logs a warning.
	cfg := env.Config
	cfg.ConsistencyWait = 20 * time.Millisecond
	sys, err := wiring.Build(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(sys.Handler())
	tb.Cleanup(func() { srv.Close(); sys.Close() })
	ft.base = srv.URL
	r := env.Do(tb, http.MethodGet, "/api/v1/openapi.json", "", nil)
	doc, err := parseDocument(r.Body)
	if r.Status != http.StatusOK || err != nil {
		tb.Fatalf("openapi.json: %d %v", r.Status, err)
	}
	ft.ops = doc.operations()
	ft.ops = append(ft.ops, operation{Method: http.MethodPost, Path: "/app/{slug}/settings/logo", ContentTypes: []string{"multipart/form-data"}})
	for i, o := range ft.ops {
		ft.byName[o.Name()] = i
	}

	ft.owner = signup(tb, env, "franchise")
	ws := "/api/v1/workshops/" + ft.owner.Slug
	email := "cliente-" + e2e.Unique() + "@example.com"
	c := must(tb, env.Do(tb, http.MethodPost, ws+"/customers", ft.owner.OwnerToken,
		map[string]any{"name": "Cliente Fuzz", "email": email, "document": "529.982.247-25", "phones": map[string]string{"mobile": "+5511987654321"}}), http.StatusCreated)
	ft.ids["customers"] = c["id"].(string)
	v := must(tb, env.Do(tb, http.MethodPost, ws+"/customers/"+ft.ids["customers"]+"/vehicles", ft.owner.OwnerToken,
		map[string]any{"plate": "BRA2E19", "make": "Fiat", "model": "Uno", "year": 2019}), http.StatusCreated)
	ft.ids["vehicles"] = v["id"].(string)
	o := must(tb, env.Do(tb, http.MethodPost, ws+"/service-orders", ft.owner.OwnerToken, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q,
	  "description":"Revisão","items":[{"service":"oil_change","description":"Troca de óleo","quantity":1,"unit_price_cents":18000}]}`,
		ft.ids["customers"], ft.ids["vehicles"])), http.StatusCreated)
	ft.ids["service-orders"] = o["id"].(string)
	if f := env.Do(tb, http.MethodPost, "/api/v1/franchises", ft.owner.OwnerToken, map[string]string{"name": "Rede Fuzz"}); f.Status == http.StatusCreated {
		ft.ids["franchises"], _ = f.JSON()["id"].(string)
	}
	me := must(tb, env.Do(tb, http.MethodGet, "/api/v1/me", ft.owner.OwnerToken, nil), http.StatusOK)
	ft.identityID, _ = me["identity_id"].(string)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		// The portal finds car owners through the search read model.
		if r := env.Do(tb, http.MethodGet, ws+"/customers?q="+email, ft.owner.OwnerToken, nil); bytes.Contains(r.Body, []byte(ft.ids["customers"])) {
			break
		}
	}
	ft.portalToken = portalLogin(tb, env, ft.owner.Slug, email)
	return ft
}

// signup is e2e's Signup with patience for a busy machine (the identity
// provider hashes passwords).
func signup(tb testing.TB, env *e2e.Env, plan string) e2e.Workshop {
	tb.Helper()
	u := e2e.Unique()
	w := e2e.Workshop{Slug: "oficina-" + u, OwnerEmail: "dono-" + u + "@example.com", OwnerPass: e2e.Password}
	body, _ := json.Marshal(map[string]any{"workshop_name": "Oficina Fuzz " + u, "slug": w.Slug, "plan": plan,
		"owner": map[string]any{"name": "Dono " + u, "email": w.OwnerEmail, "password": w.OwnerPass}})
	out := must(tb, slowDo(tb, env, "/api/v1/signup", body), http.StatusCreated)
	w.ID, _ = out["workshop"].(map[string]any)["id"].(string)
	body, _ = json.Marshal(map[string]string{"email": w.OwnerEmail, "password": w.OwnerPass})
	w.OwnerToken, _ = must(tb, slowDo(tb, env, "/api/v1/auth/login", body), http.StatusOK)["session_token"].(string)
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if env.Do(tb, http.MethodGet, "/api/v1/workshops/"+w.Slug, w.OwnerToken, nil).Status == http.StatusOK {
			break // the workshop's read model caught up (slow on a busy machine)
		}
	}
	return w
}

func slowDo(tb testing.TB, env *e2e.Env, path string, body []byte) e2e.Response {
	tb.Helper()
	resp, err := (&http.Client{Timeout: 3 * time.Minute}).Post(env.URL+path, "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return e2e.Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func must(tb testing.TB, r e2e.Response, status int) map[string]any {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("seed: %d %s", r.Status, r.Body)
	}
	return r.JSON()
}

func portalLogin(tb testing.TB, env *e2e.Env, slug, email string) string {
	tb.Helper()
	url := os.Getenv("TORQUE_MAILPIT_URL")
	if url == "" {
		url = "http://127.0.0.1:8025"
	}
	mp := mailpit.New(url, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_ = mp.DeleteTo(ctx, email)
	if r := env.Do(tb, http.MethodPost, "/api/v1/portal/"+slug+"/auth/code", "", map[string]string{"email": email}); r.Status != http.StatusAccepted {
		tb.Fatalf("portal code: %d %s", r.Status, r.Body)
	}
	msg, err := mp.WaitFor(ctx, email, mailpit.SubjectContains("código de acesso"))
	if err != nil {
		tb.Fatalf("portal code e-mail: %v", err)
	}
	code, err := mailpit.Code(msg.Text)
	if err != nil {
		tb.Fatal(err)
	}
	out := must(tb, env.Do(tb, http.MethodPost, "/api/v1/portal/"+slug+"/auth/login", "", map[string]string{"email": email, "code": code}), http.StatusOK)
	return out["session_token"].(string)
}

// realIDs puts the seeded records' ids in an example's *_id fields, so the
// examples reach the use cases instead of stopping at "not found".
func (ft *fuzzTarget) realIDs(v any) any {
	collections := map[string]string{"customer_id": "customers", "vehicle_id": "vehicles", "order_id": "service-orders",
		"service_order_id": "service-orders", "franchise_id": "franchises", "to_customer_id": "customers"}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if c, ok := collections[k]; ok && ft.ids[c] != "" {
				if _, isString := x.(string); isString {
					out[k] = ft.ids[c]
					continue
				}
			}
			out[k] = ft.realIDs(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = ft.realIDs(x)
		}
		return out
	}
	return v
}

var paramRe = regexp.MustCompile(`\{([^}]+)\}`)

// url fills the operation's path parameters: the seeded workshop, real ids
// where the collection has one, the schema's enum or example otherwise.
func (ft *fuzzTarget) url(o operation) string {
	segs := strings.Split(o.Path, "/")
	for i, s := range segs {
		m := paramRe.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		name, val := m[1], ""
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		switch {
		case name == "slug":
			val = ft.owner.Slug
		case name == "identity_id":
			val = ft.identityID
		case name == "id" && ft.ids[prev] != "":
			val = ft.ids[prev]
		default:
			if sch := o.Params[name]; sch != nil {
				if enum, ok := sch["enum"].([]any); ok && len(enum) > 0 {
					val = fmt.Sprint(enum[0])
				} else if ex, ok := sch["example"]; ok {
					val = fmt.Sprint(ex)
				}
			}
			if val == "" {
				val = "0190b7a4-0000-7000-8000-0000000000ff"
			}
		}
		segs[i] = strings.Replace(s, m[0], val, 1)
	}
	return strings.Join(segs, "/")
}

// pick finds the operation a fuzz input names; a name the fuzzer mangled
// still selects one (by hash), so mutations of it keep exercising the API.
func (ft *fuzzTarget) pick(name string) operation {
	if i, ok := ft.byName[name]; ok {
		return ft.ops[i]
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return ft.ops[int(h.Sum32()%uint32(len(ft.ops)))]
}

var fuzzClient = &http.Client{Timeout: 3 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// send sends body to the operation as its client would: JSON (alternately
// as merge-patch where documented), an image, or the logo form's multipart.
func (ft *fuzzTarget) send(t testing.TB, o operation, body []byte) (int, []byte) {
	t.Helper()
	ct := o.ContentTypes[0]
	if len(body) > 0 && body[0]%2 == 1 && len(o.ContentTypes) > 1 {
		ct = o.ContentTypes[1]
	}
	if o.Name() == webLogoUpload {
		if !bytes.HasPrefix(body, []byte("--")) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			name := "logo.png"
			if i := bytes.IndexByte(body, '\n'); i > 0 && i < 64 {
				name = string(body[:i]) // a fuzzed file name (NUL, quotes, paths)
			}
			part, _ := mw.CreateFormFile("logo", name)
			_, _ = part.Write(body)
			_ = mw.Close()
			ct, body = mw.FormDataContentType(), buf.Bytes()
		} else {
			ct = "multipart/form-data; boundary=fuzz" // a raw, possibly broken, multipart body
		}
	}
	req, err := http.NewRequest(o.Method, ft.base+ft.url(o), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", ft.env.Config.PublicURL)
	tok := ft.owner.OwnerToken
	if strings.HasPrefix(o.Path, "/api/v1/portal/") {
		tok = ft.portalToken
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := fuzzClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", o.Name(), err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, out
}

// Regression seeds: inputs that once answered 5xx (issue 10 item 17).
var apiRegressions = []struct{ op, body string }{}

// FuzzAPI_neverAnswers5xx drives every API operation that takes a body
// (listed from the served OpenAPI document, plus the back office's
// multipart logo upload) through the real router, the real database and
// Kratos, as the owner of a seeded workshop (and as a car owner on portal
// routes), and requires an answer below 500 for any body. Under `go test`
// the seed corpus runs (sample bodies built from each operation's schema,
// transformed: nulls, wrong types, long and odd text, extreme numbers;
// garbage and NUL for uploads); `make fuzz` mutates them.
func FuzzAPI_neverAnswers5xx(f *testing.F) {
	ft := startFuzzTarget(f)
	r := ft.env.Do(f, http.MethodGet, "/api/v1/openapi.json", "", nil)
	doc, _ := parseDocument(r.Body)
	garbage := [][]byte{
		{}, []byte("\x00\x00\x00\x00"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"),
		[]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), []byte("evil\x00.png\n<svg onload=alert(1)>"),
		[]byte("--fuzz\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"a\x00.png\"\r\n\r\n\x00\x00\r\n--fuzz--\r\n"),
		[]byte("--fuzz\r\nContent-Disposition: form-data; name=\"logo\"\r\n\r\n"),
	}
	for _, o := range ft.ops {
		if o.isJSON() {
			// The documented examples as sent, and every kind of bad
			// input applied to the first (or to a sample of the schema).
			first := doc.sample(o.Schema, 0)
			for i, ex := range o.Examples {
				ex = ft.realIDs(ex)
				if i == 0 {
					first = ex
					continue
				}
				b, _ := json.Marshal(ex)
				f.Add(o.Name(), b)
			}
			for _, b := range variants(first) {
				f.Add(o.Name(), b)
			}
			continue
		}
		for _, b := range garbage {
			f.Add(o.Name(), b)
		}
	}
	// The upload form is reached (not stopped at the session or CSRF check):
	// a broken image is a 422 form, not a 401/403/404.
	if status, out := ft.send(f, ft.pick(webLogoUpload), []byte("not an image")); status != http.StatusUnprocessableEntity {
		f.Fatalf("%s: %d, want 422 (%s)", webLogoUpload, status, trunc(out))
	}
	for _, reg := range apiRegressions {
		f.Add(reg.op, []byte(reg.body))
	}
	f.Fuzz(func(t *testing.T, name string, body []byte) {
		o := ft.pick(name)
		status, out := ft.send(t, o, body)
		if status >= 500 {
			t.Fatalf("%s with %q answered %d: %s", o.Name(), trunc(body), status, out)
		}
	})
}

func trunc(b []byte) []byte {
	if len(b) > 300 {
		return append(b[:300:300], "…"...)
	}
	return b
}
