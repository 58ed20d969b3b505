package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
)

func testAEAD(t testing.TB, fill byte) cipher.AEAD {
	t.Helper()
	a, err := newAEAD(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// openCiphertext parses and decrypts s, as EnvelopeCipher.decryptFor does
// around its key lookup; it never returns data with an error.
func openCiphertext(aead cipher.AEAD, aad []byte, s string) ([]byte, error) {
	sealed, err := parseCiphertext(s)
	if err != nil {
		return nil, err
	}
	return openSealed(aead, aad, sealed)
}

// sealWithNonce builds a v1 ciphertext with a chosen nonce from the plain
// GCM primitive, which also pins the layout nonce || ciphertext || tag.
func sealWithNonce(t testing.TB, fill byte, nonce, aad, plaintext []byte) string {
	t.Helper()
	block, err := aes.NewCipher(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return "v1." + base64.RawURLEncoding.EncodeToString(gcm.Seal(bytes.Clone(nonce), nonce, plaintext, aad))
}

func TestOpenCiphertext_standardLayout(t *testing.T) {
	t.Parallel()
	s := sealWithNonce(t, 6, []byte("123456789012"), []byte("aad"), []byte("[1,2]")) //nolint:gosec // G407: a fixed nonce pins the wire layout
	pt, err := openCiphertext(testAEAD(t, 6), []byte("aad"), s)
	if err != nil || string(pt) != "[1,2]" {
		t.Fatalf("open: %q %v", pt, err)
	}
}

func TestSealCiphertext_format(t *testing.T) {
	t.Parallel()
	aead := testAEAD(t, 1)
	aad := []byte("t|s|f")
	s := sealCiphertext(aead, aad, []byte(`"Maria"`))
	if !strings.HasPrefix(s, "v1.") {
		t.Fatalf("no version prefix: %s", s)
	}
	if strings.ContainsAny(s[3:], "+/=.") {
		t.Fatalf("not unpadded base64url: %s", s)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s[3:])
	if err != nil || len(raw) != 12+len(`"Maria"`)+16 {
		t.Fatalf("body is not nonce||ct||tag: %d bytes, %v", len(raw), err)
	}
	if s2 := sealCiphertext(aead, aad, []byte(`"Maria"`)); s2 == s {
		t.Fatal("two seals of one plaintext are equal: nonce not random")
	}
	pt, err := openCiphertext(aead, aad, s)
	if err != nil || string(pt) != `"Maria"` {
		t.Fatalf("open: %q %v", pt, err)
	}
	if pt, err := openCiphertext(aead, []byte("t|s|g"), s); !errors.Is(err, privacy.ErrTampered) || pt != nil {
		t.Fatalf("other aad: %q %v", pt, err)
	}
	if pt, err := openCiphertext(testAEAD(t, 2), aad, s); !errors.Is(err, privacy.ErrTampered) || pt != nil {
		t.Fatalf("other key: %q %v", pt, err)
	}
}

func TestOpenCiphertext_everyAlterationFails(t *testing.T) {
	t.Parallel()
	aead := testAEAD(t, 3)
	aad := []byte("aad")
	s := sealCiphertext(aead, aad, []byte(`{"street":"Rua A"}`))
	raw, _ := base64.RawURLEncoding.DecodeString(s[3:])
	for i := range raw {
		for _, bit := range []byte{0x01, 0x80} {
			mut := bytes.Clone(raw)
			mut[i] ^= bit
			alt := "v1." + base64.RawURLEncoding.EncodeToString(mut)
			if pt, err := openCiphertext(aead, aad, alt); !errors.Is(err, privacy.ErrTampered) || pt != nil {
				t.Fatalf("byte %d bit %#x: %q %v", i, bit, pt, err)
			}
		}
	}
	for name, alt := range map[string]string{
		"empty":        "",
		"prefix only":  "v1.",
		"no prefix":    s[3:],
		"v2":           "v2." + s[3:],
		"truncated":    s[:len(s)-1],
		"extended":     s + "A",
		"padded":       s + "=",
		"std alphabet": strings.NewReplacer("-", "+", "_", "/").Replace(s) + "+",
		"short":        "v1." + base64.RawURLEncoding.EncodeToString(raw[:27]),
		"spaces":       " " + s,
		"newline":      s[:10] + "\r\n" + s[10:],
	} {
		if pt, err := openCiphertext(aead, aad, alt); !errors.Is(err, privacy.ErrTampered) || pt != nil {
			t.Errorf("%s: %q %v", name, pt, err)
		}
	}
}

func TestFieldAAD_bindsTenantSubjectField(t *testing.T) {
	t.Parallel()
	tn := tenant.MustParse("0196a000-0000-7000-8000-000000000001")
	s := uuid.MustParse("0196a000-0000-7000-8000-000000000002")
	got := string(fieldAAD(tn, s, "customer.registered.v1.Name"))
	want := "0196a000-0000-7000-8000-000000000001|0196a000-0000-7000-8000-000000000002|customer.registered.v1.Name"
	if got != want {
		t.Fatalf("aad = %q", got)
	}
}

// Ciphertexts stored before fieldAAD stopped calling uuid.UUID.String must
// still open: the bytes it binds are the same for every UUID.
func TestFieldAAD_sameBytesAsTheCanonicalStrings(t *testing.T) {
	t.Parallel()
	for range 200 {
		tn, s := tenant.MustParse(uuid.NewString()), uuid.New()
		want := tn.String() + "|" + s.String() + "|f"
		if got := string(fieldAAD(tn, s, "f")); got != want {
			t.Fatalf("aad = %q, want %q", got, want)
		}
	}
}

// FuzzOpenCiphertext: the parser never panics and never returns data for a
// string that is not the exact ciphertext it was given as a seed.
func FuzzOpenCiphertext(f *testing.F) {
	aead := testAEAD(f, 4)
	aad := []byte("0196a000-0000-7000-8000-000000000001|0196a000-0000-7000-8000-000000000002|f")
	// Deterministic (fixed nonce): every fuzz worker process must agree on
	// which string is the one genuine ciphertext.
	valid := sealWithNonce(f, 4, bytes.Repeat([]byte{9}, 12), aad, []byte(`"12345678909"`))
	for _, seed := range []string{valid, "", "v1.", "v1.AAAA", "v2.AAAA", "v1." + strings.Repeat("A", 40), valid[:len(valid)-2], valid + "==", "v1.\x00\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pt, err := openCiphertext(aead, aad, s)
		if s == valid {
			if err != nil || string(pt) != `"12345678909"` {
				t.Fatalf("valid ciphertext: %q %v", pt, err)
			}
			return
		}
		if err == nil || pt != nil {
			t.Fatalf("returned data for %q: %q %v", s, pt, err)
		}
		if !errors.Is(err, privacy.ErrTampered) {
			t.Fatalf("error is not ErrTampered: %v", err)
		}
	})
}
