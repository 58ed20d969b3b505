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

// NameBucketBits is how many bits of the HMAC a name term keeps (kinds
// name_word and name_prefix): 12 bits, 4,096 buckets per kind and workshop,
// written as 3 hex characters. Buckets are deliberately coarse so that
// several name words share one (issue 10, item 10): a workshop with 4,000
// distinct name terms has about one other term in each term's bucket
// (Poisson mean 4,000/4,096), so a bucket no longer names one word. A lookup
// therefore returns candidates: with T name terms stored in the workshop, a
// query term brings on average T/4,096 false candidates besides its true
// matches (about 1 for 1,000 customers, about 40 for 50,000), which the search
// drops after decrypting their names (privacy.NameMatches). Documents,
// e-mails, phones and plates keep 128 bits: they are exact lookups and unique
// keys, where a false match would be wrong, not just slower.
const NameBucketBits = 12

// HMACBlindIndexer computes blind indexes as
// hex(HMAC-SHA256(tenant blind-index key, kind + ":" + value)[:16]), and name
// terms as the first NameBucketBits bits of the same HMAC, in hex.
// The blind-index key is a per-tenant key of its own (purpose 'blind_index'),
// independent of the key-encryption key, created on first use.
type HMACBlindIndexer struct {
	ks *keyStore
}

// Index implements privacy.BlindIndexer for the tenant in ctx. The result is 32
// lower-case hex characters, or NameBucketBits/4 for the name kinds.
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
	if kind == privacy.KindNameWord || kind == privacy.KindNamePrefix {
		return nameBucket(k.raw, kind, normalised), nil
	}
	return blindIndex(k.raw, kind, normalised), nil
}

// nameBucket is the HMAC truncated to NameBucketBits, as hex.
func nameBucket(key []byte, kind, value string) string {
	full := blindIndex(key, kind, value)
	return full[:NameBucketBits/4]
}

func blindIndex(key []byte, kind, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{':'})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:blindIndexLen])
}
