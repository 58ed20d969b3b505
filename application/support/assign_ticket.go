package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/support"
)

// AssignTicket gives a ticket to a staff member (support.answer).
func (u *UseCases) AssignTicket(ctx context.Context, id uuid.UUID, staffID string) (Ticket, error) {
	if _, err := authz.Require(ctx, authz.AnswerSupport); err != nil {
		return Ticket{}, err
	}
	now := u.base.Now()
	return u.updateTicket(ctx, id, func(t *support.Ticket) error {
		return t.Assign(staffID, now)
	})
}
