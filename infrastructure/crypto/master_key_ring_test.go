package crypto_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/torquehq/torque/infrastructure/crypto"
)

func b64Key(fill byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{fill}, crypto.KeySize))
}

func TestParseMasterKeys_valid(t *testing.T) {
	t.Parallel()
	raw := bytes.Repeat([]byte{7}, crypto.KeySize)
	spec := fmt.Sprintf(" k2:%s , k1:%s,k0:%s,k-3.a_b:%s",
		b64Key(2), base64.RawStdEncoding.EncodeToString(raw),
		base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, crypto.KeySize)),
		base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xfe}, crypto.KeySize)))
	ring, err := crypto.ParseMasterKeys(spec)
	if err != nil {
		t.Fatal(err)
	}
	if ring.CurrentKeyID() != "k2" {
		t.Errorf("current = %q", ring.CurrentKeyID())
	}
	if got := ring.KeyIDs(); !slices.Equal(got, []string{"k2", "k1", "k0", "k-3.a_b"}) {
		t.Errorf("ids = %q", got)
	}
}

func TestParseMasterKeys_errors(t *testing.T) {
	t.Parallel()
	secret := b64Key(9)
	cases := []struct {
		name, spec, want string
	}{
		{"empty", "", "none configured"},
		{"blank", "  ", "none configured"},
		{"no colon", "k1" + secret, "want \"id:base64\""},
		{"empty id", ":" + secret, "empty key id"},
		{"bad id", "k 1:" + secret, "only letters"},
		{"bad base64", "k1:not*base64!", "not valid base64"},
		{"short key", "k1:" + base64.StdEncoding.EncodeToString([]byte("too short")), "is 9 bytes, want 32"},
		{"long key", "k1:" + base64.StdEncoding.EncodeToString(make([]byte, 33)), "is 33 bytes, want 32"},
		{"duplicate id", "k1:" + b64Key(1) + ",k1:" + b64Key(2), "duplicate id \"k1\""},
		{"same key twice", "k2:" + secret + ",k1:" + secret, "hold the same key"},
		{"trailing comma", "k1:" + b64Key(1) + ",", "entry 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := crypto.ParseMasterKeys(c.spec)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "not*base64") {
				t.Fatalf("error echoes key material: %v", err)
			}
		})
	}
}

func TestMasterKeyRing_String_hidesKeys(t *testing.T) {
	t.Parallel()
	secret := b64Key(5)
	ring, err := crypto.ParseMasterKeys("k1:" + secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(ring), fmt.Sprintf("%v %+v %#v %s", ring, ring, ring, ring)} {
		if strings.Contains(s, secret) || !strings.Contains(s, "k1") {
			t.Errorf("printed ring: %s", s)
		}
	}
}

func TestMasterKeyRing_WrapUnwrap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	old, err := crypto.ParseMasterKeys("k1:" + b64Key(1))
	if err != nil {
		t.Fatal(err)
	}
	ring, err := crypto.ParseMasterKeys("k2:" + b64Key(2) + ",k1:" + b64Key(1))
	if err != nil {
		t.Fatal(err)
	}
	secret, aad := []byte("tenant key material 32 bytes...."), []byte("tenant|kek|1")
	id, wrapped, err := old.Wrap(ctx, secret, aad)
	if err != nil || id != "k1" {
		t.Fatalf("wrap: %q %v", id, err)
	}
	if bytes.Contains(wrapped, secret) {
		t.Fatal("wrapped holds the plaintext")
	}
	got, err := ring.Unwrap(ctx, id, wrapped, aad)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("unwrap with old key kept in the ring: %q %v", got, err)
	}
	if id, _, _ := ring.Wrap(ctx, secret, aad); id != "k2" {
		t.Errorf("ring wraps with %q, want the first key", id)
	}
	if _, err := ring.Unwrap(ctx, id, wrapped, []byte("tenant|blind_index|1")); !errors.Is(err, crypto.ErrUnwrap) {
		t.Errorf("other aad: %v", err)
	}
	if _, err := ring.Unwrap(ctx, "k2", wrapped, aad); !errors.Is(err, crypto.ErrUnwrap) {
		t.Errorf("wrong key id: %v", err)
	}
	if _, err := ring.Unwrap(ctx, "k0", wrapped, aad); !errors.Is(err, crypto.ErrUnknownMasterKey) {
		t.Errorf("unknown key id: %v", err)
	}
	if _, err := ring.Unwrap(ctx, "k1", wrapped[:10], aad); !errors.Is(err, crypto.ErrUnwrap) {
		t.Errorf("truncated: %v", err)
	}
}

func TestGenerateMasterKey_parses(t *testing.T) {
	t.Parallel()
	a, err := crypto.GenerateMasterKey("2026-05")
	if err != nil {
		t.Fatal(err)
	}
	b, err := crypto.GenerateMasterKey("2026-01")
	if err != nil {
		t.Fatal(err)
	}
	ring, err := crypto.ParseMasterKeys(a + "," + b)
	if err != nil {
		t.Fatal(err)
	}
	if ring.CurrentKeyID() != "2026-05" {
		t.Errorf("current = %q", ring.CurrentKeyID())
	}
	if _, err := crypto.GenerateMasterKey("bad id"); err == nil {
		t.Error("bad id accepted")
	}
}
