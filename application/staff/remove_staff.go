package staff

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// RemoveStaff revokes a membership. Only an owner removes an owner, and the
// last owner stays (the aggregate's rule).
func (u *UseCases) RemoveStaff(ctx context.Context, identityID string) error {
	p, err := authz.Require(ctx, authz.RemoveStaff)
	if err != nil {
		return err
	}
	return u.changeMember(ctx, p, identityID, func(w *workshop.Workshop, m workshop.Member) error {
		if m.Role == workshop.RoleOwner && p.Role != authz.RoleOwner {
			return fmt.Errorf("only an owner may remove an owner: %w", errs.ErrForbidden)
		}
		return w.RemoveStaff(identityID)
	})
}
