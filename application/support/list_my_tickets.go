package support

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
)

// ListMyTickets lists the car owner's own tickets (portal.read).
func (u *UseCases) ListMyTickets(ctx context.Context, page pagination.Request) (pagination.Page[Ticket], error) {
	p, err := authz.Require(ctx, authz.PortalRead)
	if err != nil {
		return pagination.Page[Ticket]{}, err
	}
	if len(p.CustomerIDs) == 0 {
		return pagination.Page[Ticket]{Items: []Ticket{}}, nil
	}
	return u.listTickets(ctx, TicketFilter{CustomerID: p.CustomerIDs}, page)
}
