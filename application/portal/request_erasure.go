package portal

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/customer"
)

// RequestErasure is POST /api/v1/portal/{slug}/me/erasure-request
// (authz.PortalWrite): it records customer.erasure_requested.v1 on every
// record of the car owner; the workshop's owner confirms in the back office
// (datasubject.EraseCustomer). Asking again is harmless.
func (u *UseCases) RequestErasure(ctx context.Context) error {
	p, _, err := owner(ctx, authz.PortalWrite)
	if err != nil {
		return err
	}
	now := u.base.Now()
	for _, id := range p.CustomerIDs {
		res, err := u.customers.Update(ctx, id, func(c *customer.Customer) error {
			return c.RequestErasure(PatchSource, now)
		})
		if err != nil {
			return err
		}
		u.base.Await(ctx, res)
	}
	return nil
}
