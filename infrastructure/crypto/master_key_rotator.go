package crypto

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
)

var _ privacy.KeyRotator = (*MasterKeyRotator)(nil)

// RotatorConfig configures MasterKeyRotator.
type RotatorConfig struct {
	// Admin connects as the maintenance role, which must bypass row-level
	// security (superuser or BYPASSRLS): rotation works across all tenants.
	Admin *pgxpool.Pool
	// Keys is the new ring: its current key wraps, and it must still hold every
	// key that wrapped a tenant key until rotation has finished.
	Keys KeyWrapper
	// BatchSize is the number of tenant keys re-wrapped per transaction (default 500).
	BatchSize int
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

func (c *RotatorConfig) setDefaults() {
	if c.BatchSize == 0 {
		c.BatchSize = 500
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate reports missing dependencies.
func (c RotatorConfig) Validate() error {
	if c.Admin == nil || c.Keys == nil {
		return errors.New("key rotator: Admin and Keys are required")
	}
	if c.BatchSize < 0 {
		return errors.New("key rotator: BatchSize must not be negative")
	}
	return nil
}

// MasterKeyRotator re-wraps tenant keys under the current master key, for
// `torque keys rotate`. Only the wrapping changes, never the key material, so
// running processes (which still hold the old master key in their ring, and
// cache unwrapped keys) are unaffected, and subject keys, wrapped by tenant
// keys, need nothing.
type MasterKeyRotator struct {
	cfg RotatorConfig
}

// NewMasterKeyRotator validates cfg and returns the rotator.
func NewMasterKeyRotator(cfg RotatorConfig) (*MasterKeyRotator, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &MasterKeyRotator{cfg: cfg}, nil
}

// Keyset pagination over the primary key; rows already wrapped by the current
// key are skipped, which makes a rerun (or a concurrent run) re-wrap nothing.
const staleTenantKeysSQL = `
SELECT tenant_id, purpose, version, master_key_id, wrapped
  FROM tenant_keys
 WHERE master_key_id <> $1 AND (tenant_id, purpose) > ($2, $3)
 ORDER BY tenant_id, purpose
 LIMIT $4`

// The old wrapping is part of the condition: if anything changed the row since
// it was read (another rotator), the update does nothing.
const rewrapTenantKeySQL = `
UPDATE tenant_keys
   SET master_key_id = $5, wrapped = $6, rotated_at = $7
 WHERE tenant_id = $1 AND purpose = $2 AND master_key_id = $3 AND wrapped = $4`

type staleKey struct {
	tenant      uuid.UUID
	purpose     string
	version     int
	masterKeyID string
	wrapped     []byte
}

// RotateMasterKeys implements privacy.KeyRotator. It stops at the first tenant
// key it cannot unwrap (e.g. its master key was already removed from the
// ring), reporting how many it re-wrapped before; batches done stay done.
func (r *MasterKeyRotator) RotateMasterKeys(ctx context.Context) (int, error) {
	if err := r.checkBypassRLS(ctx); err != nil {
		return 0, err
	}
	current := r.cfg.Keys.CurrentKeyID()
	total := 0
	afterTenant, afterPurpose := uuid.Nil, ""
	for {
		batch, err := r.staleBatch(ctx, current, afterTenant, afterPurpose)
		if err != nil {
			return total, err
		}
		if len(batch) == 0 {
			return total, nil
		}
		n, err := r.rewrap(ctx, batch)
		total += n
		if err != nil {
			return total, err
		}
		last := batch[len(batch)-1]
		afterTenant, afterPurpose = last.tenant, last.purpose
	}
}

// checkBypassRLS refuses to run as a role that row-level security filters: it
// would see no tenant key and report a successful rotation of nothing.
func (r *MasterKeyRotator) checkBypassRLS(ctx context.Context) error {
	var bypass bool
	err := r.cfg.Admin.QueryRow(ctx,
		`SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&bypass)
	if err != nil {
		return fmt.Errorf("key rotation: check role: %w", err)
	}
	if !bypass {
		return errors.New("key rotation: must run as the maintenance role (superuser or BYPASSRLS); row-level security would hide the tenant keys")
	}
	return nil
}

func (r *MasterKeyRotator) staleBatch(ctx context.Context, current string, afterTenant uuid.UUID, afterPurpose string) ([]staleKey, error) {
	rows, err := r.cfg.Admin.Query(ctx, staleTenantKeysSQL, current, afterTenant, afterPurpose, r.cfg.BatchSize)
	if err != nil {
		return nil, fmt.Errorf("key rotation: list tenant keys: %w", err)
	}
	batch, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (staleKey, error) {
		var k staleKey
		err := row.Scan(&k.tenant, &k.purpose, &k.version, &k.masterKeyID, &k.wrapped)
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("key rotation: list tenant keys: %w", err)
	}
	return batch, nil
}

// rewrap unwraps and re-wraps a batch in memory, then writes it in one
// transaction. It returns the number of rows actually changed.
func (r *MasterKeyRotator) rewrap(ctx context.Context, batch []staleKey) (int, error) {
	now := r.cfg.Now()
	b := &pgx.Batch{}
	for _, k := range batch {
		t, err := tenant.FromUUID(k.tenant)
		if err != nil {
			return 0, fmt.Errorf("key rotation: tenant key with nil tenant: %w", err)
		}
		aad := tenantKeyAAD(t, k.purpose, k.version)
		raw, err := r.cfg.Keys.Unwrap(ctx, k.masterKeyID, k.wrapped, aad)
		if err != nil {
			return 0, fmt.Errorf("key rotation: tenant %s %s key: %w", t, k.purpose, err)
		}
		newID, wrapped, err := r.cfg.Keys.Wrap(ctx, raw, aad)
		if err != nil {
			return 0, fmt.Errorf("key rotation: tenant %s %s key: wrap: %w", t, k.purpose, err)
		}
		b.Queue(rewrapTenantKeySQL, k.tenant, k.purpose, k.masterKeyID, k.wrapped, newID, wrapped, now)
	}
	n := 0
	err := pgx.BeginFunc(ctx, r.cfg.Admin, func(tx pgx.Tx) error {
		br := tx.SendBatch(ctx, b)
		for range batch {
			tag, err := br.Exec()
			if err != nil {
				_ = br.Close()
				return err
			}
			n += int(tag.RowsAffected())
		}
		return br.Close()
	})
	if err != nil {
		return 0, fmt.Errorf("key rotation: write batch: %w", err)
	}
	return n, nil
}
