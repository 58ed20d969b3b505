package workshops

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// AAL2 is the assurance level of a session with a second factor (as in
// authz.Principal.AAL).
const AAL2 = "aal2"

// SetMFARequirement turns "a second factor for everyone" on or off
// (authz.ManageSecurity: owners only, with a recent authentication). Turning
// it on needs the caller's own session at AAL2 (errs.ErrMFARequired
// otherwise): an owner who has not enrolled a second factor would lock
// themselves out of their workshop. Waits for the read model, whose flag the
// workshop scoping of every request reads.
func (u *UseCases) SetMFARequirement(ctx context.Context, required bool) (WorkshopView, error) {
	p, err := authz.Require(ctx, authz.ManageSecurity)
	if err != nil {
		return WorkshopView{}, err
	}
	if required && p.AAL != AAL2 {
		return WorkshopView{}, fmt.Errorf("require a second factor: the owner's session has none: %w", errs.ErrMFARequired)
	}
	res, err := u.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error {
		return w.SetMFARequired(required, p.IdentityID)
	}, usecase.UpdateOptions(nil)...)
	if err != nil {
		return WorkshopView{}, err
	}
	u.Await(ctx, res)
	return u.d.Directory.WorkshopByID(ctx, p.Tenant.UUID())
}
