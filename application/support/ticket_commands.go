package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/tenant"
)

// StaffReply posts a staff answer (support.answer) and tells the customer
// through the TicketNotifier; a failed notification is logged, not
// reported (the answer is stored).
func (u *UseCases) StaffReply(ctx context.Context, id uuid.UUID, body string) (Ticket, error) {
	p, err := authz.Require(ctx, authz.AnswerSupport)
	if err != nil {
		return Ticket{}, err
	}
	now := u.base.Now()
	var after *support.Ticket
	res, err := u.tickets.Update(ctx, id, func(t *support.Ticket) error {
		after = t
		return t.StaffWrites(u.base.NewID(), p.IdentityID, body, now)
	}, usecase.UpdateOptions(nil)...)
	if err != nil {
		return Ticket{}, err
	}
	u.base.Await(ctx, res)
	if u.d.Notifier != nil {
		n := ReplyNotice{TicketID: id, CustomerID: after.CustomerID(), Subject: after.Subject(), Body: body}
		if err := u.d.Notifier.StaffReplied(usecase.Detached(ctx), n); err != nil {
			u.base.Logger.WarnContext(ctx, "ticket reply notification failed", "ticket", id, "err", err)
		}
	}
	return fromAggregate(after, res.ToVersion), nil
}

func inTenant(ctx context.Context, workshop uuid.UUID) context.Context {
	if t, err := tenant.FromContext(ctx); err == nil && t.UUID() == workshop {
		return ctx
	}
	return usecase.InOwnTenant(ctx, workshop)
}

// updateTicket runs command on ticket id, saves it and waits for the read
// model (read-your-writes).
func (u *UseCases) updateTicket(ctx context.Context, id uuid.UUID, command func(*support.Ticket) error) (Ticket, error) {
	var after *support.Ticket
	res, err := u.tickets.Update(ctx, id, func(t *support.Ticket) error {
		after = t
		return command(t)
	}, usecase.UpdateOptions(nil)...)
	if err != nil {
		return Ticket{}, err
	}
	u.base.Await(ctx, res)
	return fromAggregate(after, res.ToVersion), nil
}
