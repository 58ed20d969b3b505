package crypto

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/ttlcache"
)

// Purposes of tenant keys (tenant_keys.purpose).
const (
	purposeKEK        = "kek"
	purposeBlindIndex = "blind_index"
)

// tenantKeyVersion is the generation of key material this code creates.
const tenantKeyVersion = 1

// errNoKey: no key row exists and the caller asked not to create one.
var errNoKey = errors.New("no key")

type tenantKeyRef struct {
	tenant  tenant.ID
	purpose string
}

type tenantKey struct {
	raw     []byte // never mutated once cached
	version int
}

type subjectRef struct {
	tenant  tenant.ID
	subject uuid.UUID
}

// subjectKey is a subject's unwrapped data key or the fact that it was shredded.
type subjectKey struct {
	aead   cipher.AEAD
	erased bool
}

// keyStore loads, lazily creates, caches and shreds keys. Every query runs
// under row-level security for the tenant it names, whatever the context.
type keyStore struct {
	pool       *pgxpool.Pool
	keys       KeyWrapper
	ttl        time.Duration
	now        func() time.Time
	tenantKeys *ttlcache.Cache[tenantKeyRef, tenantKey]
	subjects   *ttlcache.Cache[subjectRef, subjectKey]
	// listenerStarted is set once RunShredListener was called; from then on
	// cached subject keys are used only while listenerLive says this process
	// hears every shred (see shred_listener.go).
	listenerStarted atomic.Bool
	listenerLive    atomic.Bool
}

// subjectCacheUsable reports whether cached subject keys may be trusted: with
// no shred listener, for one TTL; with one, only while it is connected.
func (s *keyStore) subjectCacheUsable() bool {
	return !s.listenerStarted.Load() || s.listenerLive.Load()
}

// runTenantBatch sends b (after scoping it to t) as one implicit transaction
// and hands the results, past the tenant setting, to read. It returns only
// after the transaction ended, so a nil error means it committed.
func (s *keyStore) runTenantBatch(ctx context.Context, t tenant.ID, queue func(*pgx.Batch), read func(pgx.BatchResults) error) error {
	b := &pgx.Batch{}
	b.Queue(postgres.SetTenantSQL, t.String())
	queue(b)
	br := s.pool.SendBatch(ctx, b)
	_, err := br.Exec()
	if err == nil {
		err = read(br)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

const selectTenantKeySQL = `
SELECT master_key_id, wrapped, version FROM tenant_keys WHERE tenant_id = $1 AND purpose = $2`

const insertTenantKeySQL = `
INSERT INTO tenant_keys (tenant_id, purpose, version, master_key_id, wrapped, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (tenant_id, purpose) DO NOTHING`

type tenantKeyRow struct {
	masterKeyID string
	wrapped     []byte
	version     int
}

func scanTenantKey(br pgx.BatchResults) (tenantKeyRow, error) {
	var r tenantKeyRow
	err := br.QueryRow().Scan(&r.masterKeyID, &r.wrapped, &r.version)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, errNoKey
	}
	return r, err
}

// tenantKey returns the tenant's key of a purpose, creating it when create is
// set. Creation is race-safe: concurrent creators each insert ON CONFLICT DO
// NOTHING and then all read back the one row that won. Keys are cached only
// once committed.
func (s *keyStore) tenantKey(ctx context.Context, t tenant.ID, purpose string, create bool) (tenantKey, error) {
	ref := tenantKeyRef{tenant: t, purpose: purpose}
	readAt := s.now()
	if k, ok := s.tenantKeys.Get(ref, readAt); ok {
		return k, nil
	}
	var row tenantKeyRow
	err := s.runTenantBatch(ctx, t, func(b *pgx.Batch) {
		b.Queue(selectTenantKeySQL, t.UUID(), purpose)
	}, func(br pgx.BatchResults) (err error) {
		row, err = scanTenantKey(br)
		return err
	})
	if errors.Is(err, errNoKey) && create {
		row, err = s.createTenantKey(ctx, t, purpose)
	}
	if err != nil {
		if errors.Is(err, errNoKey) {
			return tenantKey{}, err
		}
		return tenantKey{}, fmt.Errorf("tenant %s %s key: %w", t, purpose, err)
	}
	raw, err := s.keys.Unwrap(ctx, row.masterKeyID, row.wrapped, tenantKeyAAD(t, purpose, row.version))
	if err != nil {
		return tenantKey{}, fmt.Errorf("tenant %s %s key: %w", t, purpose, err)
	}
	if len(raw) != KeySize {
		return tenantKey{}, fmt.Errorf("tenant %s %s key: %w: unwrapped %d bytes", t, purpose, ErrUnwrap, len(raw))
	}
	k := tenantKey{raw: raw, version: row.version}
	s.tenantKeys.Put(ref, k, readAt.Add(s.ttl), s.now(), nil)
	return k, nil
}

func (s *keyStore) createTenantKey(ctx context.Context, t tenant.ID, purpose string) (tenantKeyRow, error) {
	raw := randomKey()
	keyID, wrapped, err := s.keys.Wrap(ctx, raw, tenantKeyAAD(t, purpose, tenantKeyVersion))
	if err != nil {
		return tenantKeyRow{}, fmt.Errorf("wrap: %w", err)
	}
	var row tenantKeyRow
	err = s.runTenantBatch(ctx, t, func(b *pgx.Batch) {
		b.Queue(insertTenantKeySQL, t.UUID(), purpose, tenantKeyVersion, keyID, wrapped, s.now())
		b.Queue(selectTenantKeySQL, t.UUID(), purpose)
	}, func(br pgx.BatchResults) (err error) {
		if _, err := br.Exec(); err != nil {
			return err
		}
		// Read committed: this statement sees the row of a concurrent creator
		// that won the conflict (the insert waited for it to commit).
		row, err = scanTenantKey(br)
		return err
	})
	return row, err
}

const selectSubjectKeySQL = `
SELECT wrapped, tenant_key_version FROM subject_keys WHERE tenant_id = $1 AND subject_id = $2`

const insertSubjectKeySQL = `
INSERT INTO subject_keys (tenant_id, subject_id, wrapped, tenant_key_version, created_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (tenant_id, subject_id) DO NOTHING`

// shredSubjectKeySQL destroys a key, or leaves a tombstone when the subject
// never had one, so that no key is created for the erased subject later.
const shredSubjectKeySQL = `
INSERT INTO subject_keys (tenant_id, subject_id, wrapped, created_at, shredded_at)
VALUES ($1, $2, NULL, $3, $3)
ON CONFLICT (tenant_id, subject_id) DO UPDATE
   SET wrapped = NULL, shredded_at = EXCLUDED.shredded_at
 WHERE subject_keys.shredded_at IS NULL`

type subjectKeyRow struct {
	wrapped          []byte // nil once shredded
	tenantKeyVersion int
}

func scanSubjectKey(br pgx.BatchResults) (subjectKeyRow, error) {
	var r subjectKeyRow
	err := br.QueryRow().Scan(&r.wrapped, &r.tenantKeyVersion)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, errNoKey
	}
	return r, err
}

// subjectKey returns the subject's data key, creating it when create is set.
// It fails with privacy.ErrErased when the key was shredded and with errNoKey
// when there is none and create is not set.
//
// A cache entry expires one TTL after the database read it came from began, so
// a key read before a Shred committed (in any process) is dropped at most one
// TTL after the Shred; a running shred listener drops it as soon as the
// Shred's NOTIFY arrives.
func (s *keyStore) subjectKey(ctx context.Context, t tenant.ID, subject uuid.UUID, create bool) (cipher.AEAD, error) {
	ref := subjectRef{tenant: t, subject: subject}
	// Taken before the read: a key read before the shred listener (re)connects
	// is never cached after it cleared the cache.
	gen := s.subjects.Generation()
	readAt := s.now()
	if k, ok := s.subjects.Get(ref, readAt); ok && s.subjectCacheUsable() {
		if k.erased {
			return nil, privacy.ErrErased
		}
		return k.aead, nil
	}
	var kek tenantKey
	var err error
	if create {
		// Before the subject row, so that creating it can wrap the new key.
		if kek, err = s.tenantKey(ctx, t, purposeKEK, true); err != nil {
			return nil, err
		}
	}
	var row subjectKeyRow
	err = s.runTenantBatch(ctx, t, func(b *pgx.Batch) {
		b.Queue(selectSubjectKeySQL, t.UUID(), subject)
	}, func(br pgx.BatchResults) (err error) {
		row, err = scanSubjectKey(br)
		return err
	})
	if errors.Is(err, errNoKey) && create {
		row, err = s.createSubjectKey(ctx, t, subject, kek)
	}
	if err != nil {
		if errors.Is(err, errNoKey) {
			return nil, err
		}
		return nil, fmt.Errorf("subject key: %w", err)
	}
	if row.wrapped == nil {
		s.subjects.PutIfGen(gen, ref, subjectKey{erased: true}, readAt.Add(s.ttl), s.now(), nil)
		return nil, privacy.ErrErased
	}
	if !create {
		if kek, err = s.tenantKey(ctx, t, purposeKEK, false); err != nil {
			if errors.Is(err, errNoKey) {
				return nil, fmt.Errorf("subject key of %s exists but tenant %s has no key-encryption key: %w", subject, t, ErrUnwrap)
			}
			return nil, err
		}
	}
	if row.tenantKeyVersion != kek.version {
		return nil, fmt.Errorf("subject key of %s is wrapped by tenant key version %d, the tenant key is version %d: %w",
			subject, row.tenantKeyVersion, kek.version, ErrUnwrap)
	}
	kekAEAD, err := newAEAD(kek.raw)
	if err != nil {
		return nil, err
	}
	raw, err := kekAEAD.Open(nil, nil, row.wrapped, subjectKeyAAD(t, subject, row.tenantKeyVersion))
	if err != nil {
		return nil, fmt.Errorf("subject key of %s: %w", subject, ErrUnwrap)
	}
	aead, err := newAEAD(raw)
	if err != nil {
		return nil, fmt.Errorf("subject key of %s: %w", subject, ErrUnwrap)
	}
	// A tombstone cached by a concurrent Shred wins over the key read before it.
	got := s.subjects.PutIfGen(gen, ref, subjectKey{aead: aead}, readAt.Add(s.ttl), s.now(),
		func(old subjectKey) bool { return old.erased })
	if got.erased {
		return nil, privacy.ErrErased
	}
	return aead, nil
}

func (s *keyStore) createSubjectKey(ctx context.Context, t tenant.ID, subject uuid.UUID, kek tenantKey) (subjectKeyRow, error) {
	kekAEAD, err := newAEAD(kek.raw)
	if err != nil {
		return subjectKeyRow{}, err
	}
	wrapped := kekAEAD.Seal(nil, nil, randomKey(), subjectKeyAAD(t, subject, kek.version)) //nolint:gosec // G407: newAEAD is cipher.NewGCMWithRandomNonce, which draws the nonce itself
	var row subjectKeyRow
	err = s.runTenantBatch(ctx, t, func(b *pgx.Batch) {
		b.Queue(insertSubjectKeySQL, t.UUID(), subject, wrapped, kek.version, s.now())
		b.Queue(selectSubjectKeySQL, t.UUID(), subject)
	}, func(br pgx.BatchResults) (err error) {
		if _, err := br.Exec(); err != nil {
			return err
		}
		// Ours, or the key of a concurrent first use that won (or a tombstone).
		row, err = scanSubjectKey(br)
		return err
	})
	return row, err
}

// shred destroys the subject's key in the database and, in the same
// transaction, notifies every process's shred listener (delivered at commit,
// so no listener drops a key that is still alive); then it replaces this
// process's cache entry with a tombstone. Erasure is rare, so the NOTIFY (which
// serialises committing transactions that notify) never touches the hot path.
func (s *keyStore) shred(ctx context.Context, t tenant.ID, subject uuid.UUID) error {
	now := s.now()
	err := s.runTenantBatch(ctx, t, func(b *pgx.Batch) {
		b.Queue(shredSubjectKeySQL, t.UUID(), subject, now)
		b.Queue(notifyShredSQL, shredChannel, shredPayload(t, subject))
	}, func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			return err
		}
		_, err := br.Exec()
		return err
	})
	if err != nil {
		return fmt.Errorf("shred subject key: %w", err)
	}
	// Erasure is permanent, so the tombstone may live a full TTL from now.
	s.subjects.Put(subjectRef{tenant: t, subject: subject}, subjectKey{erased: true}, s.now().Add(s.ttl), s.now(), nil)
	return nil
}

func randomKey() []byte {
	k := make([]byte, KeySize)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (it crashes the program instead).
	return k
}
