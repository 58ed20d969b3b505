package franchises

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/domain/franchise"
)

// UpdateFranchiseSettings sets the settings of a franchise the caller
// manages (franchise.settings_changed.v1 when they change) and returns the
// franchise. ShareComparisonWithMembers lets the owners of member shops see
// the franchise comparison (reports.FranchiseComparison). Anyone else gets
// not found, exactly like another tenant's data.
func (u *UseCases) UpdateFranchiseSettings(ctx context.Context, by memberships.Caller, id uuid.UUID, s franchise.Settings) (FranchiseView, error) {
	fctx, err := u.managedFranchise(ctx, by, id)
	if err != nil {
		return FranchiseView{}, err
	}
	res, err := u.franchises.Update(fctx, id, func(f *franchise.Franchise) error { f.ChangeSettings(s); return nil },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return FranchiseView{}, err
	}
	u.Await(fctx, res)
	return u.d.Directory.Franchise(ctx, id)
}
