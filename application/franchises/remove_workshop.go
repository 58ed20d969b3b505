package franchises

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/workshop"
)

// RemoveWorkshop takes a workshop, member or only invited, out of a
// franchise the caller manages.
func (u *UseCases) RemoveWorkshop(ctx context.Context, by memberships.Caller, id, workshopID uuid.UUID) error {
	fctx, err := u.managedFranchise(ctx, by, id)
	if err != nil {
		return err
	}
	res, err := u.franchises.Update(fctx, id, func(f *franchise.Franchise) error { return f.RemoveWorkshop(workshopID) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return err
	}
	u.Await(fctx, res)
	wctx := usecase.InOwnTenant(ctx, workshopID)
	res, err = u.workshops.Update(wctx, workshopID, func(w *workshop.Workshop) error {
		if w.FranchiseID() != id {
			return nil // was only invited
		}
		return w.LeaveFranchise(id)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return err
	}
	u.Await(wctx, res)
	return nil
}
