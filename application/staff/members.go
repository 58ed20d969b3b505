package staff

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// changeMember runs change on a member of the caller's workshop (not found
// when there is no such member) and waits for the read models. No retry on
// conflict: change decides on the roles as loaded.
func (u *UseCases) changeMember(ctx context.Context, p authz.Principal, identityID string,
	change func(w *workshop.Workshop, m workshop.Member) error) error {
	res, err := u.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error {
		m, ok := w.Member(identityID)
		if !ok {
			return fmt.Errorf("member: %w", errs.ErrNotFound)
		}
		return change(w, m)
	})
	if err != nil {
		return err
	}
	u.Await(ctx, res)
	return nil
}
