package workshops

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/workshop"
)

// DefineServiceInput is one of the workshop's own services.
type DefineServiceInput struct {
	Code, Label    string
	IntervalKm     int64
	IntervalMonths int
}

// DefineService adds or redefines one of the workshop's own services and
// returns the whole catalogue.
func (u *UseCases) DefineService(ctx context.Context, in DefineServiceInput) ([]catalog.Service, error) {
	p, err := authz.Require(ctx, authz.ManageCatalog)
	if err != nil {
		return nil, err
	}
	res, err := u.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error {
		return w.DefineService(in.Code, in.Label, in.IntervalKm, in.IntervalMonths)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return nil, err
	}
	u.Await(ctx, res)
	return u.ListServices(ctx)
}
