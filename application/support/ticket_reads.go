package support

import (
	"context"
	"time"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/support"
)

const cursorTickets = "tk"

var defaultLocale = i18n.PtBR

// ListTicketsInput is GET .../tickets?status=&late=.
type ListTicketsInput struct {
	Status string
	// Late lists only tickets past their first-response due time without
	// an answer (the SLA view).
	Late bool
	Page pagination.Request
}

// ListTickets lists the workshop's tickets, newest first (support.read).
func (u *UseCases) ListTickets(ctx context.Context, in ListTicketsInput) (pagination.Page[Ticket], error) {
	if _, err := authz.Require(ctx, authz.ReadSupport); err != nil {
		return pagination.Page[Ticket]{}, err
	}
	f := TicketFilter{}
	if in.Status != "" {
		st, err := support.ParseStatus(in.Status)
		if err != nil {
			return pagination.Page[Ticket]{}, err
		}
		f.Status = st.String()
	}
	if in.Late {
		f.LateAt = u.base.Now()
	}
	return u.listTickets(ctx, f, in.Page)
}

func (u *UseCases) listTickets(ctx context.Context, f TicketFilter, page pagination.Request) (pagination.Page[Ticket], error) {
	limit, err := page.Size()
	if err != nil {
		return pagination.Page[Ticket]{}, err
	}
	before, err := pagination.UUIDCursor(cursorTickets, page.Cursor)
	if err != nil {
		return pagination.Page[Ticket]{}, err
	}
	items, err := u.d.Tickets.Tickets(ctx, f, before, limit+1)
	if err != nil {
		return pagination.Page[Ticket]{}, err
	}
	return pagination.Cut(items, limit, cursorTickets, func(t Ticket) string { return t.ID.String() }), nil
}

// Clock is the use cases' current time (views compute the late flag).
func (u *UseCases) Clock() time.Time { return u.base.Now() }
