package franchises

import (
	"context"
	"github.com/torquehq/torque/domain/errs"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/workshop"
)

// AcceptFranchise is the workshop owner's acceptance of an invitation: the
// franchise records the member, then the workshop records its franchise.
func (u *UseCases) AcceptFranchise(ctx context.Context, franchiseID uuid.UUID) error {
	p, err := authz.Require(ctx, authz.ManageFranchise)
	if err != nil {
		return err
	}
	if franchiseID == uuid.Nil {
		// `{}` decodes to the nil id: a validation error, not a panic.
		return errs.Invalid("franchise_id", "required", "franchise_id is required")
	}
	fctx := usecase.InOwnTenant(ctx, franchiseID)
	res, err := u.franchises.Update(fctx, franchiseID, func(f *franchise.Franchise) error { return f.Accept(p.Tenant.UUID()) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return err
	}
	u.Await(fctx, res)
	res, err = u.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error { return w.JoinFranchise(franchiseID) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return err
	}
	u.Await(ctx, res)
	return nil
}
