package franchises

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/workshop"
)

// CreateFranchise creates a franchise managed by the caller, who must own at
// least one workshop (franchises are sold to workshop owners).
func (u *UseCases) CreateFranchise(ctx context.Context, by memberships.Caller, name string) (FranchiseView, error) {
	ms, err := u.d.Memberships.MembershipsOf(ctx, by.IdentityID)
	if err != nil {
		return FranchiseView{}, err
	}
	owner := false
	for _, m := range ms {
		owner = owner || m.Role == workshop.RoleOwner.String()
	}
	if !owner {
		return FranchiseView{}, fmt.Errorf("only workshop owners create franchises: %w", errs.ErrForbidden)
	}
	id := u.NewID()
	f, err := franchise.Create(id, name, by.IdentityID, by.Email, by.Name, u.Now())
	if err != nil {
		return FranchiseView{}, err
	}
	fctx := usecase.InOwnTenant(ctx, id)
	res, err := u.franchises.Create(fctx, id, f)
	if err != nil {
		return FranchiseView{}, err
	}
	u.Await(fctx, res)
	return u.d.Directory.Franchise(ctx, id)
}
