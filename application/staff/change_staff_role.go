package staff

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// ChangeStaffRole changes a member's role. Only an owner grants or takes the
// owner role, and the last owner keeps it (the aggregate's rule).
func (u *UseCases) ChangeStaffRole(ctx context.Context, identityID, role string) error {
	p, err := authz.Require(ctx, authz.ChangeStaffRole)
	if err != nil {
		return err
	}
	r, err := workshop.ParseRole(role)
	if err != nil {
		return err
	}
	return u.changeMember(ctx, p, identityID, func(w *workshop.Workshop, m workshop.Member) error {
		if (r == workshop.RoleOwner || m.Role == workshop.RoleOwner) && p.Role != authz.RoleOwner {
			return fmt.Errorf("only an owner may grant or take the owner role: %w", errs.ErrForbidden)
		}
		return w.ChangeRole(identityID, r)
	})
}
