package staff

import (
	"context"

	"github.com/torquehq/torque/application/authz"
)

// ListStaff lists the staff of the workshop in ctx.
func (u *UseCases) ListStaff(ctx context.Context) ([]Member, error) {
	if _, err := authz.Require(ctx, authz.ListStaff); err != nil {
		return nil, err
	}
	return u.d.Roster.Staff(ctx)
}
