package crypto

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/domain/tenant"
)

const insertSubjectKeysSQL = `
INSERT INTO subject_keys (tenant_id, subject_id, wrapped, tenant_key_version, created_at)
SELECT $1, s, w, $4, $5 FROM unnest($2::uuid[], $3::bytea[]) AS x(s, w)
ON CONFLICT (tenant_id, subject_id) DO NOTHING`

const selectSubjectKeysSQL = `
SELECT subject_id, wrapped, tenant_key_version FROM subject_keys WHERE tenant_id = $1 AND subject_id = ANY($2::uuid[])`

// PrepareSubjectKeys creates the data keys of many subjects of tenant t in
// one transaction (the keys that already exist are kept) and caches them,
// so that sealing their payloads next (eventcodec with this cipher's hook)
// finds every key without a round trip. Bulk loaders use it; the result is
// exactly the rows and keys that first use one subject at a time creates.
func (c *EnvelopeCipher) PrepareSubjectKeys(ctx context.Context, t tenant.ID, subjects []uuid.UUID) error {
	if len(subjects) == 0 {
		return nil
	}
	ks := c.ks
	kek, err := ks.tenantKey(ctx, t, purposeKEK, true)
	if err != nil {
		return err
	}
	kekAEAD, err := newAEAD(kek.raw)
	if err != nil {
		return err
	}
	wrapped := make([][]byte, len(subjects))
	for i, s := range subjects {
		wrapped[i] = kekAEAD.Seal(nil, nil, randomKey(), subjectKeyAAD(t, s, kek.version)) //nolint:gosec // G407: newAEAD draws the nonce itself
	}
	gen := ks.subjects.Generation()
	readAt := ks.now()
	type row struct {
		subject uuid.UUID
		wrapped []byte
		version int
	}
	var rows []row
	err = ks.runTenantBatch(ctx, t, func(b *pgx.Batch) {
		b.Queue(insertSubjectKeysSQL, t.UUID(), subjects, wrapped, kek.version, ks.now())
		b.Queue(selectSubjectKeysSQL, t.UUID(), subjects)
	}, func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			return err
		}
		rs, err := br.Query()
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.subject, &r.wrapped, &r.version); err != nil {
				return err
			}
			rows = append(rows, r)
		}
		return rs.Err()
	})
	if err != nil {
		return fmt.Errorf("prepare subject keys: %w", err)
	}
	for _, r := range rows {
		ref := subjectRef{tenant: t, subject: r.subject}
		if r.wrapped == nil {
			ks.subjects.PutIfGen(gen, ref, subjectKey{erased: true}, readAt.Add(ks.ttl), ks.now(), nil)
			continue
		}
		if r.version != kek.version {
			return fmt.Errorf("subject key of %s is wrapped by tenant key version %d, the tenant key is version %d: %w",
				r.subject, r.version, kek.version, ErrUnwrap)
		}
		raw, err := kekAEAD.Open(nil, nil, r.wrapped, subjectKeyAAD(t, r.subject, r.version))
		if err != nil {
			return fmt.Errorf("subject key of %s: %w", r.subject, ErrUnwrap)
		}
		aead, err := newAEAD(raw)
		if err != nil {
			return fmt.Errorf("subject key of %s: %w", r.subject, ErrUnwrap)
		}
		ks.subjects.PutIfGen(gen, ref, subjectKey{aead: aead}, readAt.Add(ks.ttl), ks.now(), func(old subjectKey) bool { return old.erased })
	}
	return nil
}
