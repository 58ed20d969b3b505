package readmodel

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/domain/errs"
)

var _ signup.SlugReservations = (*PostgresSlugReservations)(nil)

// PostgresSlugReservations keeps slugs unique across workshops.
type PostgresSlugReservations struct{ pool *pgxpool.Pool }

// NewSlugReservations returns the adapter.
func NewSlugReservations(pool *pgxpool.Pool) *PostgresSlugReservations {
	return &PostgresSlugReservations{pool: pool}
}

// Reserve implements signup.SlugReservations.
func (r *PostgresSlugReservations) Reserve(ctx context.Context, slug string, workshopID uuid.UUID) error {
	tag, err := r.pool.Exec(ctx, `INSERT INTO workshop_slugs (slug, workshop_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, slug, workshopID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("slug %q is taken: %w", slug, errs.ErrConflict)
	}
	return nil
}

// Release implements signup.SlugReservations.
func (r *PostgresSlugReservations) Release(ctx context.Context, slug string, workshopID uuid.UUID) error {
	_, err := r.pool.Exec(ctx, `DELETE FROM workshop_slugs WHERE slug = $1 AND workshop_id = $2`, slug, workshopID)
	return err
}
