package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// GetTicket returns a ticket with its messages (support.read).
func (u *UseCases) GetTicket(ctx context.Context, id uuid.UUID) (Ticket, error) {
	if _, err := authz.Require(ctx, authz.ReadSupport); err != nil {
		return Ticket{}, err
	}
	return u.d.Tickets.Ticket(ctx, id)
}
