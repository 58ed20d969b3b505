// Package crypto is the privacy adapter: field-level envelope encryption with
// per-subject data keys (crypto-shredding), blind indexes, the event payload
// hook that seals personal fields, and master-key rotation.
//
// Key hierarchy: the master key ring (configuration or KMS, never in the
// database) wraps per-tenant keys (tenant_keys: one key-encryption key and one
// blind-index key per tenant); each tenant's key-encryption key wraps its data
// subjects' keys (subject_keys); a subject key encrypts that subject's fields
// with AES-256-GCM. See docs/privacy-crypto.md.
package crypto

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/ttlcache"
)

var (
	_ privacy.Cipher      = (*EnvelopeCipher)(nil)
	_ privacy.SubjectKeys = (*EnvelopeCipher)(nil)
)

// Config configures EnvelopeCipher.
type Config struct {
	// Pool connects as the runtime role (subject to row-level security). A
	// dedicated small pool is advisable: the payload hook may need a connection
	// while the caller holds one of the event store's.
	Pool *pgxpool.Pool
	// Keys wraps tenant keys: a *MasterKeyRing from configuration, or a KMS.
	Keys KeyWrapper
	// CacheTTL bounds how long unwrapped keys stay in memory (default 1
	// minute). Without RunShredListener it is also how long another process
	// may keep decrypting a subject after Shred; with it, a Shred reaches
	// every process within a NOTIFY's latency.
	CacheTTL time.Duration
	// CacheSize caps the number of cached subject keys (default 10000); tenant
	// keys are capped at a tenth of it (at least 100).
	CacheSize int
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.CacheTTL == 0 {
		c.CacheTTL = time.Minute
	}
	if c.CacheSize == 0 {
		c.CacheSize = 10_000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate reports a missing dependency or a nonsensical cache setting.
func (c Config) Validate() error {
	var errs []error
	if c.Pool == nil {
		errs = append(errs, errors.New("crypto: Pool is required"))
	}
	if c.Keys == nil {
		errs = append(errs, errors.New("crypto: Keys is required"))
	}
	if c.CacheTTL < 0 || c.CacheTTL > 10*time.Minute {
		errs = append(errs, errors.New("crypto: CacheTTL must be between 0 and 10 minutes"))
	}
	if c.CacheSize < 0 {
		errs = append(errs, errors.New("crypto: CacheSize must not be negative"))
	}
	return errors.Join(errs...)
}

// EnvelopeCipher encrypts personal fields with per-subject data keys stored,
// wrapped, in Postgres, and shreds those keys on erasure. It is safe for
// concurrent use; create one per process and share it (the blind indexer and
// the payload hook it hands out share its key cache, so a Shred is seen by all
// of them at once).
type EnvelopeCipher struct {
	ks *keyStore
}

// New validates cfg and returns the cipher.
func New(cfg Config) (*EnvelopeCipher, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &EnvelopeCipher{ks: &keyStore{
		pool:       cfg.Pool,
		keys:       cfg.Keys,
		ttl:        cfg.CacheTTL,
		now:        cfg.Now,
		tenantKeys: ttlcache.New[tenantKeyRef, tenantKey](max(cfg.CacheSize/10, 100)),
		subjects:   ttlcache.New[subjectRef, subjectKey](cfg.CacheSize),
	}}, nil
}

// Encrypt implements privacy.Cipher for the tenant in ctx.
func (c *EnvelopeCipher) Encrypt(ctx context.Context, subject uuid.UUID, field string, plaintext []byte) (string, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return "", err
	}
	return c.encryptFor(ctx, t, subject, field, plaintext)
}

// Decrypt implements privacy.Cipher for the tenant in ctx.
func (c *EnvelopeCipher) Decrypt(ctx context.Context, subject uuid.UUID, field string, ciphertext string) ([]byte, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	return c.decryptFor(ctx, t, subject, field, ciphertext)
}

// Shred implements privacy.SubjectKeys for the tenant in ctx.
func (c *EnvelopeCipher) Shred(ctx context.Context, subject uuid.UUID) error {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	if subject == uuid.Nil {
		return errors.New("shred: nil subject")
	}
	return c.ks.shred(ctx, t, subject)
}

func checkRecord(subject uuid.UUID, field string) error {
	if subject == uuid.Nil {
		return errors.New("nil subject")
	}
	if field == "" {
		return errors.New("empty field name")
	}
	return nil
}

// encryptFor is Encrypt for an explicit tenant (projections carry the tenant
// in the event, not in the context).
func (c *EnvelopeCipher) encryptFor(ctx context.Context, t tenant.ID, subject uuid.UUID, field string, plaintext []byte) (string, error) {
	if err := checkRecord(subject, field); err != nil {
		return "", fmt.Errorf("encrypt: %w", err)
	}
	aead, err := c.ks.subjectKey(ctx, t, subject, true)
	if err != nil {
		return "", fmt.Errorf("encrypt %s: %w", field, err)
	}
	return sealCiphertext(aead, fieldAAD(t, subject, field), plaintext), nil
}

// decryptFor is Decrypt for an explicit tenant.
func (c *EnvelopeCipher) decryptFor(ctx context.Context, t tenant.ID, subject uuid.UUID, field string, ciphertext string) ([]byte, error) {
	if err := checkRecord(subject, field); err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	// Reject garbage before touching the database.
	sealed, err := parseCiphertext(ciphertext)
	if err != nil {
		return nil, fmt.Errorf("decrypt %s: %w", field, err)
	}
	aead, err := c.ks.subjectKey(ctx, t, subject, false)
	if errors.Is(err, errNoKey) {
		// Nobody ever encrypted for this subject in this tenant: the ciphertext
		// was made elsewhere (another tenant) or forged.
		return nil, fmt.Errorf("decrypt %s: %w: no key for the subject in this tenant", field, privacy.ErrTampered)
	}
	if err != nil {
		return nil, fmt.Errorf("decrypt %s: %w", field, err)
	}
	pt, err := openSealed(aead, fieldAAD(t, subject, field), sealed)
	if err != nil {
		return nil, fmt.Errorf("decrypt %s: %w", field, err)
	}
	return pt, nil
}

// BlindIndexer returns the blind indexer sharing this cipher's key store.
func (c *EnvelopeCipher) BlindIndexer() *HMACBlindIndexer { return &HMACBlindIndexer{ks: c.ks} }

// PayloadHook returns the event payload hook sharing this cipher's key store.
func (c *EnvelopeCipher) PayloadHook() *FieldEncryptionHook { return &FieldEncryptionHook{c: c} }
