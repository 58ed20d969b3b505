package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/support"
)

// CustomerReply posts the car owner's message (portal.write) on one of
// their tickets; a resolved or waiting ticket goes back to in_progress.
// Another customer's ticket is errs.ErrNotFound.
func (u *UseCases) CustomerReply(ctx context.Context, id uuid.UUID, body string) (Ticket, error) {
	p, err := authz.Require(ctx, authz.PortalWrite)
	if err != nil {
		return Ticket{}, err
	}
	now := u.base.Now()
	return u.updateTicket(ctx, id, func(t *support.Ticket) error {
		if !p.ActsFor(t.CustomerID()) {
			return errs.ErrNotFound
		}
		return t.CustomerWrites(u.base.NewID(), body, now)
	})
}
