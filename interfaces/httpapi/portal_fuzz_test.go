package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzDecodeMePatch: any body of PATCH .../me either decodes or is a request
// error (a 4xx problem), never a panic; an accepted patch only ever touches
// phones and address.
func FuzzDecodeMePatch(f *testing.F) {
	for _, seed := range []string{`{}`, `{"phones":{"mobile":"+5511987654321"}}`, `{"phones":null}`,
		`{"address":{"postal_code":"01310-100","state":"SP"}}`, `{"address":null,"phones":{"landline":null}}`,
		`{"name":"x"}`, `{"email":"a@b.co"}`, `[`, `null`, `{"phones":[]}`, ``} {
		f.Add(seed, "")
	}
	f.Add(`{}`, `"v3"`)
	f.Add(`{}`, `W/"v3"`)
	f.Fuzz(func(t *testing.T, body, ifMatch string) {
		r := httptest.NewRequest(http.MethodPatch, "/api/v1/portal/x/me", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
		}
		in, err := decodeMePatch(r)
		if err != nil {
			var re *RequestError
			if !errors.As(err, &re) || re.Problem.Status < 400 || re.Problem.Status >= 500 {
				t.Fatalf("%q: not a 4xx request error: %v", body, err)
			}
			return
		}
		if strings.Contains(body, `"name"`) && !strings.Contains(body, `"phones"`) && !strings.Contains(body, `"address"`) {
			t.Fatalf("%q: a body naming only other fields was accepted: %+v", body, in)
		}
	})
}
