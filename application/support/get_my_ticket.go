package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
)

// GetMyTicket returns one of the car owner's tickets (portal.read);
// another's is errs.ErrNotFound.
func (u *UseCases) GetMyTicket(ctx context.Context, id uuid.UUID) (Ticket, error) {
	p, err := authz.Require(ctx, authz.PortalRead)
	if err != nil {
		return Ticket{}, err
	}
	t, err := u.d.Tickets.Ticket(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	if !p.ActsFor(t.CustomerID) {
		return Ticket{}, errs.ErrNotFound
	}
	return t, nil
}
