package franchises

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/memberships"
)

// GetFranchise returns a franchise the caller manages.
func (u *UseCases) GetFranchise(ctx context.Context, by memberships.Caller, id uuid.UUID) (FranchiseView, error) {
	if _, err := u.managedFranchise(ctx, by, id); err != nil {
		return FranchiseView{}, err
	}
	return u.d.Directory.Franchise(ctx, id)
}
