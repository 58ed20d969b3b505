package crypto

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeyWrapper wraps and unwraps tenant keys with master keys held outside the
// database. MasterKeyRing implements it from configuration; a KMS adapter can
// replace it (aad maps to the KMS's encryption context).
type KeyWrapper interface {
	// CurrentKeyID names the master key that Wrap uses now. Tenant keys wrapped
	// by any other key are re-wrapped by `torque keys rotate`.
	CurrentKeyID() string
	// Wrap encrypts a tenant key under the current master key, bound to aad.
	Wrap(ctx context.Context, plaintext, aad []byte) (keyID string, wrapped []byte, err error)
	// Unwrap decrypts what Wrap returned; it fails with ErrUnknownMasterKey when
	// keyID is not available and with ErrUnwrap when wrapped or aad differ.
	Unwrap(ctx context.Context, keyID string, wrapped, aad []byte) ([]byte, error)
}

var (
	// ErrUnknownMasterKey: a tenant key is wrapped by a master key that is not
	// in the ring (it was removed before `torque keys rotate` re-wrapped it).
	ErrUnknownMasterKey = errors.New("master key not in the key ring")
	// ErrUnwrap: a wrapped key does not open: the master key with that id is not
	// the one that wrapped it, or the stored key row was altered.
	ErrUnwrap = errors.New("key unwrap failed (wrong key or altered key row)")
)

// KeySize is the size of every key of the scheme: AES-256 and HMAC-SHA256 keys.
const KeySize = 32

const maxKeyIDLen = 64

type masterKey struct {
	id   string
	aead cipher.AEAD
	raw  []byte
}

// MasterKeyRing holds the master keys from configuration. The first key wraps;
// every key unwraps, so a retired key stays in the ring until rotation has
// re-wrapped everything it protected.
//
// Its String and GoString print key ids only, never key material.
type MasterKeyRing struct {
	keys []masterKey
}

var _ KeyWrapper = (*MasterKeyRing)(nil)

// ParseMasterKeys parses "k2:BASE64,k1:BASE64": comma-separated entries of a
// key id (letters, digits, '-', '_', '.') and the standard or URL base64 of 32
// random bytes (e.g. `openssl rand -base64 32`). The first entry is the current
// key. Errors name the entry and the id but never echo key material.
func ParseMasterKeys(s string) (*MasterKeyRing, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("master keys: none configured (want \"id:base64,...\")")
	}
	ring := &MasterKeyRing{}
	for i, part := range strings.Split(s, ",") {
		n := i + 1
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("master keys: entry %d: want \"id:base64\"", n)
		}
		id = strings.TrimSpace(id)
		if err := validKeyID(id); err != nil {
			return nil, fmt.Errorf("master keys: entry %d: %w", n, err)
		}
		raw, err := decodeKey(strings.TrimSpace(b64))
		if err != nil {
			return nil, fmt.Errorf("master keys: entry %d (id %q): key is not valid base64", n, id)
		}
		if len(raw) != KeySize {
			return nil, fmt.Errorf("master keys: entry %d (id %q): key is %d bytes, want %d", n, id, len(raw), KeySize)
		}
		for _, k := range ring.keys {
			if k.id == id {
				return nil, fmt.Errorf("master keys: duplicate id %q", id)
			}
			if subtle.ConstantTimeCompare(k.raw, raw) == 1 {
				return nil, fmt.Errorf("master keys: ids %q and %q hold the same key", k.id, id)
			}
		}
		aead, err := newAEAD(raw)
		if err != nil {
			return nil, fmt.Errorf("master keys: entry %d (id %q): %w", n, id, err)
		}
		ring.keys = append(ring.keys, masterKey{id: id, aead: aead, raw: raw})
	}
	return ring, nil
}

// GenerateMasterKey returns a new ring entry "id:base64" of 32 random bytes,
// for `torque keys generate`.
func GenerateMasterKey(id string) (string, error) {
	if err := validKeyID(id); err != nil {
		return "", err
	}
	raw := make([]byte, KeySize)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails (it crashes the program instead).
	return id + ":" + base64.StdEncoding.EncodeToString(raw), nil
}

func validKeyID(id string) error {
	if id == "" {
		return errors.New("empty key id")
	}
	if len(id) > maxKeyIDLen {
		return fmt.Errorf("key id longer than %d characters", maxKeyIDLen)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("key id %q: only letters, digits, '-', '_' and '.' are allowed", id)
		}
	}
	return nil
}

// decodeKey accepts standard or URL base64, padded or not.
func decodeKey(s string) ([]byte, error) {
	var firstErr error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.Strict().DecodeString(s)
		if err == nil {
			return b, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// newAEAD returns AES-256-GCM with a random 96-bit nonce that Seal prepends to
// its output and Open reads back (nonce || ciphertext || tag).
func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// CurrentKeyID implements KeyWrapper: the first key of the ring.
func (r *MasterKeyRing) CurrentKeyID() string { return r.keys[0].id }

// KeyIDs lists the ids in ring order (current first).
func (r *MasterKeyRing) KeyIDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.id
	}
	return ids
}

// Wrap implements KeyWrapper with AES-256-GCM under the current master key.
func (r *MasterKeyRing) Wrap(_ context.Context, plaintext, aad []byte) (string, []byte, error) {
	k := r.keys[0]
	return k.id, k.aead.Seal(nil, nil, plaintext, aad), nil //nolint:gosec // G407: newAEAD is cipher.NewGCMWithRandomNonce, which draws the nonce itself
}

// Unwrap implements KeyWrapper.
func (r *MasterKeyRing) Unwrap(_ context.Context, keyID string, wrapped, aad []byte) ([]byte, error) {
	for _, k := range r.keys {
		if k.id != keyID {
			continue
		}
		if len(wrapped) < k.aead.Overhead() {
			return nil, fmt.Errorf("master key %q: %w", keyID, ErrUnwrap)
		}
		pt, err := k.aead.Open(nil, nil, wrapped, aad)
		if err != nil {
			return nil, fmt.Errorf("master key %q: %w", keyID, ErrUnwrap)
		}
		return pt, nil
	}
	return nil, fmt.Errorf("%w: %q (ring holds %s)", ErrUnknownMasterKey, keyID, strings.Join(r.KeyIDs(), ", "))
}

// String lists the key ids, never the keys.
func (r *MasterKeyRing) String() string {
	return "MasterKeyRing[" + strings.Join(r.KeyIDs(), ",") + "]"
}

// GoString keeps %#v from printing key material.
func (r *MasterKeyRing) GoString() string { return r.String() }
