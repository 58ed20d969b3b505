package readmodel

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ workshops.AssetStore = (*PostgresAssetStore)(nil)

// PostgresAssetStore keeps a workshop's files (its logo) in Postgres.
type PostgresAssetStore struct{ pool *pgxpool.Pool }

// NewAssetStore returns the adapter.
func NewAssetStore(pool *pgxpool.Pool) *PostgresAssetStore { return &PostgresAssetStore{pool: pool} }

// Put implements workshops.AssetStore.
func (r *PostgresAssetStore) Put(ctx context.Context, name string, a workshops.Asset) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO workshop_assets (tenant_id, name, content_type, data, sha256) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (tenant_id, name) DO UPDATE SET content_type = EXCLUDED.content_type, data = EXCLUDED.data,
			sha256 = EXCLUDED.sha256, created_at = now()`, tid.UUID(), name, a.ContentType, a.Data, a.SHA256)
		return err
	})
}

// Get implements workshops.AssetStore.
func (r *PostgresAssetStore) Get(ctx context.Context, name string) (workshops.Asset, error) {
	var a workshops.Asset
	err := postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT content_type, data, sha256 FROM workshop_assets WHERE name = $1`, name).Scan(
			&a.ContentType, &a.Data, &a.SHA256)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("asset %s: %w", name, errs.ErrNotFound)
	}
	return a, err
}
