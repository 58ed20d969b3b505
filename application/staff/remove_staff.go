package staff

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// RemoveStaff revokes a membership. Only an owner removes an owner, and the
// last owner stays (the aggregate's rule).
//
// Removing a member erases their e-mail and name from this workshop: the
// key of the membership's data subject (workshop.StaffSubject), which seals
// them in the events and the staff read model, is shredded once the
// removal is allowed and before it is recorded, as a customer's erasure
// does (issue 10, item 9). Should recording fail afterwards, the member
// stays with their e-mail and name reading as the erasure placeholder and
// removing them again completes it; a later invitation of the same person
// gets a new subject.
func (u *UseCases) RemoveStaff(ctx context.Context, identityID string) error {
	p, err := authz.Require(ctx, authz.RemoveStaff)
	if err != nil {
		return err
	}
	return u.changeMember(ctx, p, identityID, func(w *workshop.Workshop, m workshop.Member) error {
		if m.Role == workshop.RoleOwner && p.Role != authz.RoleOwner {
			return fmt.Errorf("only an owner may remove an owner: %w", errs.ErrForbidden)
		}
		if err := w.RemoveStaff(identityID); err != nil {
			return err
		}
		if m.Subject == uuid.Nil {
			return nil
		}
		if err := u.d.Keys.Shred(ctx, m.Subject); err != nil {
			return fmt.Errorf("shred the member's key: %w", err)
		}
		return nil
	})
}
