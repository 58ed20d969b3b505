package readmodel

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/staff"
)

var _ staff.Roster = (*PostgresStaffRoster)(nil)

// PostgresStaffRoster reads the staff of the workshop in ctx. E-mails and
// names are sealed under each membership's data subject
// (WorkshopProjection); a shredded one reads as the erasure placeholder.
type PostgresStaffRoster struct{ tenantReads }

// NewStaffRoster returns the adapter; cipher opens e-mails and names.
func NewStaffRoster(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresStaffRoster {
	return &PostgresStaffRoster{tenantReads{pool: pool, cipher: cipher}}
}

// sealedMember is a staff_members row before its e-mail and name are opened.
type sealedMember struct {
	staff.Member
	subject uuid.UUID
}

// Staff implements staff.Roster.
func (r *PostgresStaffRoster) Staff(ctx context.Context) ([]staff.Member, error) {
	rows, err := collect(ctx, r.pool, func(row pgx.CollectableRow) (sealedMember, error) {
		var s sealedMember
		var subject *uuid.UUID
		err := row.Scan(&s.IdentityID, &s.Email, &s.Name, &s.Role, &s.Invited, &s.JoinedAt, &subject)
		if subject != nil {
			s.subject = *subject
		}
		return s, err
	}, `SELECT identity_id, email, name, role, invited, joined_at, subject_id FROM staff_members ORDER BY joined_at, identity_id`)
	if err != nil {
		return nil, err
	}
	out := make([]staff.Member, 0, len(rows))
	for _, m := range rows {
		if m.Email, err = r.openSealedText(ctx, m.subject, staffEmailField(m.IdentityID), m.Email); err != nil {
			return nil, err
		}
		if m.Name, err = r.openSealedText(ctx, m.subject, staffNameField(m.IdentityID), m.Name); err != nil {
			return nil, err
		}
		out = append(out, m.Member)
	}
	return out, nil
}
