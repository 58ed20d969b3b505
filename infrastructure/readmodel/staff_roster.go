package readmodel

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/staff"
)

var _ staff.Roster = (*PostgresStaffRoster)(nil)

// PostgresStaffRoster reads the staff of the workshop in ctx.
type PostgresStaffRoster struct{ pool *pgxpool.Pool }

// NewStaffRoster returns the adapter.
func NewStaffRoster(pool *pgxpool.Pool) *PostgresStaffRoster { return &PostgresStaffRoster{pool: pool} }

// Staff implements staff.Roster.
func (r *PostgresStaffRoster) Staff(ctx context.Context) ([]staff.Member, error) {
	return collect(ctx, r.pool, func(row pgx.CollectableRow) (staff.Member, error) {
		var s staff.Member
		err := row.Scan(&s.IdentityID, &s.Email, &s.Name, &s.Role, &s.Invited, &s.JoinedAt)
		return s, err
	}, `SELECT identity_id, email, name, role, invited, joined_at FROM staff_members ORDER BY joined_at, identity_id`)
}
