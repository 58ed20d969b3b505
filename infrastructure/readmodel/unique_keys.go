package readmodel

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ uniquekeys.Store = (*PostgresUniqueKeys)(nil)

// PostgresUniqueKeys keeps unique keys in unique_keys, under row-level
// security for the tenant in the context.
type PostgresUniqueKeys struct{ pool *pgxpool.Pool }

// NewUniqueKeys returns the adapter; pool connects as the runtime role.
func NewUniqueKeys(pool *pgxpool.Pool) *PostgresUniqueKeys { return &PostgresUniqueKeys{pool: pool} }

// claimSQL inserts the key or, when it exists, reads its holder. When the
// insert waited for a concurrent claim that then committed, the second
// branch may not see that row (the statement's snapshot predates it) and no
// row comes back: Claim then simply runs again with a fresh snapshot.
const claimSQL = `
WITH ins AS (
    INSERT INTO unique_keys (tenant_id, kind, key_hash, owner_id) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, kind, key_hash) DO NOTHING
    RETURNING owner_id
)
SELECT owner_id, true, 0::float8 FROM ins
UNION ALL
SELECT owner_id, false, extract(epoch FROM now() - claimed_at)::float8 FROM unique_keys
 WHERE tenant_id = $1 AND kind = $2 AND key_hash = $3 AND NOT EXISTS (SELECT 1 FROM ins)`

// Claim implements uniquekeys.Store.
func (u *PostgresUniqueKeys) Claim(ctx context.Context, kind, key string, owner uuid.UUID) (uniquekeys.Claim, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return uniquekeys.Claim{}, err
	}
	for attempt := 0; attempt < 5; attempt++ {
		var c uniquekeys.Claim
		var age float64
		err := postgres.InTenantTx(ctx, u.pool, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, claimSQL, tid.UUID(), kind, key, owner).Scan(&c.Holder, &c.Fresh, &age)
		})
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return uniquekeys.Claim{}, err
		}
		c.Age = time.Duration(age * float64(time.Second))
		return c, nil
	}
	return uniquekeys.Claim{}, errors.New("unique key claim: no stable answer after 5 attempts")
}

// Takeover implements uniquekeys.Store.
func (u *PostgresUniqueKeys) Takeover(ctx context.Context, kind, key string, from, owner uuid.UUID) (bool, error) {
	return u.exec(ctx, `UPDATE unique_keys SET owner_id = $5, claimed_at = now()
		WHERE tenant_id = $1 AND kind = $2 AND key_hash = $3 AND owner_id = $4`, kind, key, from, owner)
}

// Release implements uniquekeys.Store.
func (u *PostgresUniqueKeys) Release(ctx context.Context, kind, key string, owner uuid.UUID) error {
	_, err := u.exec(ctx, `DELETE FROM unique_keys WHERE tenant_id = $1 AND kind = $2 AND key_hash = $3 AND owner_id = $4`,
		kind, key, owner)
	return err
}

// ReleaseOwner implements uniquekeys.Store.
func (u *PostgresUniqueKeys) ReleaseOwner(ctx context.Context, kind string, owner uuid.UUID) error {
	_, err := u.exec(ctx, `DELETE FROM unique_keys WHERE tenant_id = $1 AND kind = $2 AND owner_id = $3`, kind, owner)
	return err
}

// exec runs a statement whose first parameter is the tenant of ctx and
// reports whether it touched a row.
func (u *PostgresUniqueKeys) exec(ctx context.Context, sql string, args ...any) (bool, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return false, err
	}
	var n int64
	err = postgres.InTenantTx(ctx, u.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, append([]any{tid.UUID()}, args...)...)
		n = tag.RowsAffected()
		return err
	})
	return n > 0, err
}
