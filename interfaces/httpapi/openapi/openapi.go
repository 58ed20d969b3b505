// Package openapi serves the OpenAPI 3.1 document of the REST API and renders
// its offline reference page.
package openapi

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

// The OpenAPI 3.1 document of the API is a hand-maintained JSON file,
// embedded in the binary and served as is at GET /api/v1/openapi.json. The
// reference page at GET /api/docs is rendered from it on the server, once,
// and uses only its own stylesheet and script (served from the embedded
// assets folder), so it works offline and under the strict CSP of
// httpapi's securityHeaders. httpapi/openapi_test.go keeps the document and the router in step.

//go:embed openapi.json
var baseJSON []byte

// Each feature documents its paths in a fragment of its own, parts/<feature>.json:
// a JSON object holding any of "tags", "paths" and "components". Fragments
// are merged into openapi.json in file-name order; a key defined twice stops
// the process at start-up (and every test) rather than hiding one definition.
//
//go:embed parts
var fragments embed.FS

//go:embed assets
var docsAssets embed.FS

//go:embed docs.html.tmpl
var docsHTML string

// docsAssetPrefix is where the page's stylesheet and script are served.
const docsAssetPrefix = "/api/docs/assets/"

// openAPIDoc is the parsed document; a malformed embedded file stops the
// process at start-up rather than serving a broken contract.
var openAPIDoc = func() *jnode {
	n, err := parseJSONOrdered(baseJSON)
	if err != nil {
		panic("openapi: embedded openapi.json: " + err.Error())
	}
	if err := mergeFragments(n, fragments); err != nil {
		panic("openapi: " + err.Error())
	}
	return n
}()

// openAPIJSON is the served document: the base with every fragment merged.
var openAPIJSON = func() []byte {
	b, err := json.MarshalIndent(openAPIDoc, "", "  ")
	if err != nil {
		panic("openapi: " + err.Error())
	}
	return b
}()

var openAPIETag = strongETag(openAPIJSON)

func strongETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// serveStatic writes body with its type and ETag, answering If-None-Match.
func serveStatic(w http.ResponseWriter, r *http.Request, contentType, etag string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// ServeDocument writes the OpenAPI document (GET /api/v1/openapi.json).
func ServeDocument(w http.ResponseWriter, r *http.Request) {
	serveStatic(w, r, "application/json", openAPIETag, openAPIJSON)
}

// Fail writes an error response (the API's problem+json) for a status,
// a problem type and a detail.
type Fail func(w http.ResponseWriter, status int, problemType, detail string)

// Docs serves the reference page and its assets (mounted at /api/docs);
// errors are written by fail.
func Docs(fail Fail) http.Handler {
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { serveDocsPage(w, r, fail) })
	r.Get("/assets/{file}", func(w http.ResponseWriter, r *http.Request) { serveDocsAsset(w, r, fail) })
	return r
}

// renderedDocs renders the page on first use and keeps it with its ETag.
var renderedDocs = sync.OnceValues(func() (docsPage, error) {
	page, err := renderDocs(openAPIDoc)
	return docsPage{html: page, etag: strongETag(page)}, err
})

type docsPage struct {
	html []byte
	etag string
}

func serveDocsPage(w http.ResponseWriter, r *http.Request, fail Fail) {
	page, err := renderedDocs()
	if err != nil {
		fail(w, http.StatusInternalServerError, "/problems/internal", "The API reference could not be rendered.")
		return
	}
	serveStatic(w, r, "text/html; charset=utf-8", page.etag, page.html)
}

var docsAssetTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
}

func serveDocsAsset(w http.ResponseWriter, r *http.Request, fail Fail) {
	name := chi.URLParam(r, "file")
	typ, ok := docsAssetTypes[path.Ext(name)]
	var body []byte
	if ok && !strings.ContainsAny(name, `/\`) {
		var err error
		body, err = docsAssets.ReadFile("assets/" + name)
		ok = err == nil
	}
	if !ok {
		fail(w, http.StatusNotFound, "/problems/not-found", "")
		return
	}
	serveStatic(w, r, typ, strongETag(body), body)
}

// ---------------------------------------------------------------------------
// An order-preserving JSON tree: the page lists paths, fields and responses
// in the order the document gives them.

const (
	jObject = 'o'
	jArray  = 'a'
	jScalar = 's'
)

// ---------------------------------------------------------------------------
// The reference page.
