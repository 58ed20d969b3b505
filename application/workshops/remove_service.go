package workshops

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/workshop"
)

// RemoveService removes one of the workshop's own services (orders that
// used it keep their items).
func (u *UseCases) RemoveService(ctx context.Context, code string) error {
	p, err := authz.Require(ctx, authz.ManageCatalog)
	if err != nil {
		return err
	}
	res, err := u.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error { return w.RemoveService(code) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return err
	}
	u.Await(ctx, res)
	return nil
}
