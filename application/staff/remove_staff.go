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
	// No retry on conflict: the decision depends on the roles as loaded.
	res, err := u.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error {
		m, ok := w.Member(identityID)
		if !ok {
			return fmt.Errorf("member: %w", errs.ErrNotFound)
		}
		if m.Role == workshop.RoleOwner && p.Role != authz.RoleOwner {
			return fmt.Errorf("only an owner may remove an owner: %w", errs.ErrForbidden)
		}
		return w.RemoveStaff(identityID)
	})
	if err != nil {
		return err
	}
	u.Await(ctx, res)
	return nil
}
