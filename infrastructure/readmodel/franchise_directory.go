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
	_ franchises.Directory          = (*PostgresFranchiseDirectory)(nil)
	_ memberships.ManagedFranchises = (*PostgresFranchiseDirectory)(nil)
)

// PostgresFranchiseDirectory reads the franchises read model.
type PostgresFranchiseDirectory struct{ pool *pgxpool.Pool }

// NewFranchiseDirectory returns the adapter.
func NewFranchiseDirectory(pool *pgxpool.Pool) *PostgresFranchiseDirectory {
	return &PostgresFranchiseDirectory{pool: pool}
}

// Franchise implements franchises.Directory.
func (r *PostgresFranchiseDirectory) Franchise(ctx context.Context, id uuid.UUID) (franchises.FranchiseView, error) {
	v := franchises.FranchiseView{ID: id}
	err := r.pool.QueryRow(ctx, `SELECT name, share_comparison_with_members FROM franchises WHERE id = $1`, id).Scan(&v.Name, &v.ShareComparisonWithMembers)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("franchise: %w", errs.ErrNotFound)
	}
	if err != nil {
		return v, err
	}
	rows, err := r.pool.Query(ctx, `SELECT identity_id FROM franchise_managers WHERE franchise_id = $1 ORDER BY identity_id`, id)
	if err != nil {
		return v, err
	}
	if v.Managers, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return v, err
	}
	rows, err = r.pool.Query(ctx, `SELECT f.workshop_id, w.slug, w.name, f.state FROM franchise_workshops f
		JOIN workshops w ON w.id = f.workshop_id WHERE f.franchise_id = $1 ORDER BY w.name`, id)
	if err != nil {
		return v, err
	}
	v.Workshops, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (franchises.FranchiseWorkshop, error) {
		var w franchises.FranchiseWorkshop
		err := row.Scan(&w.WorkshopID, &w.Slug, &w.Name, &w.State)
		return w, err
	})
	return v, err
}

// FranchisesManagedBy implements franchises.Directory and
// memberships.ManagedFranchises.
func (r *PostgresFranchiseDirectory) FranchisesManagedBy(ctx context.Context, identityID string) ([]uuid.UUID, error) {
	rows, err := r.pool.Query(ctx, `SELECT franchise_id FROM franchise_managers WHERE identity_id = $1`, identityID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}
