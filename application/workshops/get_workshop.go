package workshops

import (
	"context"

	"github.com/torquehq/torque/application/authz"
)

// GetWorkshop returns the workshop of ctx.
func (u *UseCases) GetWorkshop(ctx context.Context) (WorkshopView, error) {
	p, err := authz.Require(ctx, authz.ReadWorkshop)
	if err != nil {
		return WorkshopView{}, err
	}
	return u.d.Directory.WorkshopByID(ctx, p.Tenant.UUID())
}
