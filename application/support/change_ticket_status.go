package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/support"
)

// ChangeTicketStatus moves a ticket (support.answer); an illegal move
// wraps errs.ErrIllegalTransition.
func (u *UseCases) ChangeTicketStatus(ctx context.Context, id uuid.UUID, status string) (Ticket, error) {
	if _, err := authz.Require(ctx, authz.AnswerSupport); err != nil {
		return Ticket{}, err
	}
	now := u.base.Now()
	return u.updateTicket(ctx, id, func(t *support.Ticket) error {
		return t.ChangeStatus(status, now)
	})
}
