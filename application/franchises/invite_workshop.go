package franchises

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
)

// InviteWorkshop invites a workshop (by slug) into a franchise the caller
// manages; the workshop's owner then accepts (AcceptFranchise).
func (u *UseCases) InviteWorkshop(ctx context.Context, by memberships.Caller, id uuid.UUID, slug string) (FranchiseView, error) {
	fctx, err := u.managedFranchise(ctx, by, id)
	if err != nil {
		return FranchiseView{}, err
	}
	ws, err := u.d.Workshops.WorkshopBySlug(ctx, slug)
	if err != nil {
		return FranchiseView{}, errs.Invalid("workshop_slug", "unknown_value", "no workshop with this slug")
	}
	res, err := u.franchises.Update(fctx, id, func(f *franchise.Franchise) error { return f.Invite(ws.ID) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return FranchiseView{}, err
	}
	u.Await(fctx, res)
	return u.d.Directory.Franchise(ctx, id)
}
