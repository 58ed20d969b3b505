package api_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

func pngLogo(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLogoUploadIsServedPubliclyIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	logo := pngLogo(t, 120, 40)
	for _, bad := range []struct {
		body   []byte
		ct     string
		status int
	}{
		{logo, "application/json", 415},
		{[]byte("not an image"), "image/png", 422},
		{pngLogo(t, 3000, 10), "image/png", 422},
	} {
		if r := env.Do(t, http.MethodPut, ws(w, "/logo"), w.OwnerToken, bad.body, "Content-Type", bad.ct); r.Status != bad.status {
			t.Errorf("logo %s (%d bytes): %d %s, want %d", bad.ct, len(bad.body), r.Status, trim(r.Body), bad.status)
		}
	}
	mech := env.Staff(t, w, "mechanic")
	if r := env.Do(t, http.MethodPut, ws(w, "/logo"), mech, logo, "Content-Type", "image/png"); r.Status != http.StatusForbidden {
		t.Fatalf("a mechanic changed the logo: %d", r.Status)
	}
	r := env.Do(t, http.MethodPut, ws(w, "/logo"), w.OwnerToken, logo, "Content-Type", "image/png")
	url, _ := r.JSON()["logo_url"].(string)
	if r.Status != http.StatusOK || url == "" {
		t.Fatalf("upload: %d %s", r.Status, trim(r.Body))
	}
	resp, err := http.Get(env.URL + url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, logo) {
		t.Fatalf("GET %s: %d %s (%d bytes)", url, resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
	if r := env.Do(t, http.MethodPatch, ws(w, ""), w.OwnerToken, `{"logo_url":"https://elsewhere.example/logo.png"}`); r.Status != 422 {
		t.Fatalf("an outside logo URL (blocked by the CSP) was accepted: %d", r.Status)
	}
}
