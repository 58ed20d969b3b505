package crypto

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
)

var _ privacy.BlindIndexer = (*HMACBlindIndexer)(nil)

// blindIndexLen is the HMAC-SHA256 output kept: 128 bits make an accidental
// collision between two values of one tenant negligible (about 2^-64 even
// after 2^32 values) while halving index storage.
const blindIndexLen = 16

var blindIndexKinds = map[string]bool{
	privacy.KindDocument: true, privacy.KindEmail: true, privacy.KindPhone: true,
	privacy.KindPlate: true, privacy.KindNameWord: true, privacy.KindNamePrefix: true,
}

// HMACBlindIndexer computes blind indexes as
// hex(HMAC-SHA256(tenant blind-index key, kind + ":" + value)[:16]).
// The blind-index key is a per-tenant key of its own (purpose 'blind_index'),
// independent of the key-encryption key, created on first use.
type HMACBlindIndexer struct {
	ks *keyStore
}

// Index implements privacy.BlindIndexer for the tenant in ctx. The result is 32
// lower-case hex characters.
func (x *HMACBlindIndexer) Index(ctx context.Context, kind string, normalised string) (string, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return "", err
	}
	if !blindIndexKinds[kind] {
		return "", fmt.Errorf("blind index: unknown kind %q", kind)
	}
	if normalised == "" {
		return "", errors.New("blind index: empty value")
	}
	k, err := x.ks.tenantKey(ctx, t, purposeBlindIndex, true)
	if err != nil {
		return "", fmt.Errorf("blind index: %w", err)
	}
	return blindIndex(k.raw, kind, normalised), nil
}

func blindIndex(key []byte, kind, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{':'})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:blindIndexLen])
}
