package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/portal"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var (
	_ portal.LoginFlows      = (*PostgresPortalStore)(nil)
	_ portal.ErasureRequests = (*PostgresPortalStore)(nil)
)

// PostgresPortalStore keeps the portal's login flows (portal_login_flows)
// and lists the pending erasure requests (registry_customers, filled by
// RecordsProjection). Every statement runs in the tenant of ctx under
// row-level security (migration 0011).
type PostgresPortalStore struct{ pool *pgxpool.Pool }

// NewPortalStore returns the adapter; pool connects as the runtime role.
func NewPortalStore(pool *pgxpool.Pool) *PostgresPortalStore { return &PostgresPortalStore{pool: pool} }

// Save implements portal.LoginFlows. Expired flows of the tenant go at the
// same time, so the table stays small.
func (s *PostgresPortalStore) Save(ctx context.Context, emailIndex, flowID string, expiresAt time.Time) error {
	return postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		tid, _ := tenant.FromContext(ctx)
		if _, err := tx.Exec(ctx, `DELETE FROM portal_login_flows WHERE tenant_id = $1 AND expires_at < now()`, tid.UUID()); err != nil {
			return fmt.Errorf("portal flows: purge: %w", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO portal_login_flows (tenant_id, email_index, flow_id, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (tenant_id, email_index) DO UPDATE SET flow_id = EXCLUDED.flow_id, expires_at = EXCLUDED.expires_at`,
			tid.UUID(), emailIndex, flowID, expiresAt)
		if err != nil {
			return fmt.Errorf("portal flows: save: %w", err)
		}
		return nil
	})
}

// Flow implements portal.LoginFlows.
func (s *PostgresPortalStore) Flow(ctx context.Context, emailIndex string, now time.Time) (string, error) {
	var id string
	err := postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		tid, _ := tenant.FromContext(ctx)
		return tx.QueryRow(ctx, `SELECT flow_id FROM portal_login_flows WHERE tenant_id = $1 AND email_index = $2 AND expires_at > $3`,
			tid.UUID(), emailIndex, now).Scan(&id)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("portal flows: none: %w", errs.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("portal flows: read: %w", err)
	}
	return id, nil
}

// Delete implements portal.LoginFlows.
func (s *PostgresPortalStore) Delete(ctx context.Context, emailIndex string) error {
	return postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		tid, _ := tenant.FromContext(ctx)
		_, err := tx.Exec(ctx, `DELETE FROM portal_login_flows WHERE tenant_id = $1 AND email_index = $2`, tid.UUID(), emailIndex)
		return err
	})
}

// PendingErasures implements portal.ErasureRequests (names are left for the
// caller, who reads them through the customer read model).
func (s *PostgresPortalStore) PendingErasures(ctx context.Context) ([]portal.ErasureRequest, error) {
	var out []portal.ErasureRequest
	err := postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		tid, _ := tenant.FromContext(ctx)
		rows, err := tx.Query(ctx, `SELECT customer_id, erasure_requested_at FROM registry_customers
			WHERE tenant_id = $1 AND erasure_requested_at IS NOT NULL AND NOT erased ORDER BY erasure_requested_at, customer_id LIMIT 500`, tid.UUID())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r portal.ErasureRequest
			if err := rows.Scan(&r.CustomerID, &r.RequestedAt); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("portal: pending erasures: %w", err)
	}
	return out, nil
}
