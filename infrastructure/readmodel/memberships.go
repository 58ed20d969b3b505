package readmodel

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/domain/errs"
)

var (
	_ memberships.Memberships = (*PostgresMemberships)(nil)
	_ franchises.Memberships  = (*PostgresMemberships)(nil)
)

// PostgresMemberships reads who belongs to which workshop, with what role.
type PostgresMemberships struct{ pool *pgxpool.Pool }

// NewMemberships returns the adapter.
func NewMemberships(pool *pgxpool.Pool) *PostgresMemberships { return &PostgresMemberships{pool: pool} }

// MembershipsOf implements memberships.Memberships and franchises.Memberships.
func (r *PostgresMemberships) MembershipsOf(ctx context.Context, identityID string) ([]memberships.MembershipView, error) {
	rows, err := r.pool.Query(ctx, `SELECT w.id, w.slug, w.name, m.role FROM memberships m JOIN workshops w ON w.id = m.tenant_id
		WHERE m.identity_id = $1 ORDER BY w.name, w.slug`, identityID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (memberships.MembershipView, error) {
		var m memberships.MembershipView
		err := row.Scan(&m.WorkshopID, &m.WorkshopSlug, &m.WorkshopName, &m.Role)
		return m, err
	})
}

// Role returns the identity's role in the workshop, or errs.ErrNotFound.
func (r *PostgresMemberships) Role(ctx context.Context, workshopID uuid.UUID, identityID string) (string, error) {
	var role string
	err := r.pool.QueryRow(ctx, `SELECT role FROM memberships WHERE tenant_id = $1 AND identity_id = $2`, workshopID, identityID).Scan(&role)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("membership: %w", errs.ErrNotFound)
	}
	return role, err
}
