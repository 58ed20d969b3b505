package support

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/support"
)

// OpenTicketInput is the portal's POST .../tickets.
type OpenTicketInput struct {
	// CustomerID is the customer record the car owner acts for (optional
	// when the principal acts for exactly one).
	CustomerID uuid.UUID
	Subject    string
	Body       string
	OrderID    string
}

// OpenTicket opens a ticket for the car owner in ctx (portal.write). An
// order_id that is not one of the customer's orders is a validation error.
func (u *UseCases) OpenTicket(ctx context.Context, in OpenTicketInput) (Ticket, error) {
	p, err := authz.Require(ctx, authz.PortalWrite)
	if err != nil {
		return Ticket{}, err
	}
	customerID, err := actingCustomer(p, in.CustomerID)
	if err != nil {
		return Ticket{}, err
	}
	var orderID uuid.UUID
	if in.OrderID != "" {
		if orderID, err = uuid.Parse(in.OrderID); err != nil {
			return Ticket{}, errs.Invalid(support.FieldOrderID, br.CodeInvalidFormat, "order_id must be a UUID")
		}
		if u.d.Orders != nil {
			owner, err := u.d.Orders.OrderCustomer(ctx, orderID)
			if errors.Is(err, errs.ErrNotFound) || (err == nil && owner != customerID) {
				return Ticket{}, errs.Invalid(support.FieldOrderID, "not_found", "no such service order of yours")
			}
			if err != nil {
				return Ticket{}, err
			}
		}
	}
	return u.open(ctx, support.OpenInput{CustomerID: customerID, OrderID: orderID, Subject: in.Subject, Body: in.Body,
		Source: support.SourcePortal, OpenedBy: "customer:" + customerID.String()}, "")
}

// OpenTicketForDetractor opens a ticket for a customer whose feedback
// scored 6 or less (NPS detractor); it is called by the feedback event
// handler, so it needs no principal: ctx must carry the workshop's tenant.
// A score above 6 opens nothing (zero Ticket, nil).
func (u *UseCases) OpenTicketForDetractor(ctx context.Context, workshop uuid.UUID, customerID, orderID uuid.UUID, score int, comment string) (Ticket, error) {
	if score > 6 {
		return Ticket{}, nil
	}
	ctx = inTenant(ctx, workshop)
	l := defaultLocale
	body := catalogue.T(l, "support.detractor.body", score, comment)
	if len([]rune(body)) > support.MaxBodyRunes {
		body = string([]rune(body)[:support.MaxBodyRunes])
	}
	return u.open(ctx, support.OpenInput{CustomerID: customerID, OrderID: orderID,
		Subject: catalogue.T(l, "support.detractor.subject", score), Body: body,
		Source: support.SourceFeedback, OpenedBy: "system:feedback"}, "")
}

// open stores a new ticket with its due time; systemReply, when set, is an
// automatic message added at once.
func (u *UseCases) open(ctx context.Context, in support.OpenInput, systemReply string) (Ticket, error) {
	now := u.base.Now()
	hours, err := u.hours(ctx)
	if err != nil {
		return Ticket{}, err
	}
	due := hours.AddOpenTime(now, support.FirstResponseTarget)
	id := u.base.NewID()
	t, err := support.Open(id, in, due, now)
	if err != nil {
		return Ticket{}, err
	}
	if systemReply != "" {
		t.SystemWrites(u.base.NewID(), systemReply, now)
	}
	res, err := u.tickets.Create(ctx, id, t)
	if err != nil {
		return Ticket{}, err
	}
	u.base.Await(ctx, res)
	return fromAggregate(t, res.ToVersion), nil
}

// hoursTTL is how long this process trusts the opening hours it read (the
// chat asks them for every customer message).
const hoursTTL = 30 * time.Second

type cachedHours struct {
	h  support.Hours
	at time.Time
}

// hours reads the workshop's opening hours (defaults when unknown).
func (u *UseCases) hours(ctx context.Context) (support.Hours, error) {
	t := tenantOf(ctx)
	now := u.base.Clock()
	if c, ok := u.hoursCache.Load(t); ok && now.Sub(c.(cachedHours).at) < hoursTTL {
		return c.(cachedHours).h, nil
	}
	h, err := u.readHours(ctx)
	if err == nil {
		u.hoursCache.Store(t, cachedHours{h: h, at: now})
	}
	return h, err
}

func (u *UseCases) readHours(ctx context.Context) (support.Hours, error) {
	tz, windows := "", []support.Window(nil)
	if u.d.Hours != nil {
		var err error
		if tz, windows, err = u.d.Hours.OpeningHours(ctx); err != nil && !errors.Is(err, errs.ErrNotFound) {
			return support.Hours{}, err
		}
	}
	if tz == "" {
		tz = "America/Sao_Paulo"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	return support.Hours{Loc: loc, Windows: windows}, nil
}

func actingCustomer(p authz.Principal, asked uuid.UUID) (uuid.UUID, error) {
	if asked != uuid.Nil {
		if !p.ActsFor(asked) {
			return uuid.Nil, errs.ErrNotFound
		}
		return asked, nil
	}
	if len(p.CustomerIDs) == 0 {
		return uuid.Nil, errs.ErrNotFound
	}
	return p.CustomerIDs[0], nil
}

func fromAggregate(t *support.Ticket, version int64) Ticket {
	out := Ticket{ID: t.ID(), CustomerID: t.CustomerID(), OrderID: t.OrderID(), Subject: t.Subject(),
		Status: t.Status().String(), AssigneeID: t.Assignee(), OpenedAt: t.OpenedAt(),
		FirstResponseDue: t.FirstResponseDue(), FirstResponseAt: t.FirstResponseAt(), UpdatedAt: t.OpenedAt(), Version: version}
	for _, m := range t.Messages() {
		out.Messages = append(out.Messages, TicketMessage(m))
		out.LastMessageAt, out.UpdatedAt = m.At, m.At
	}
	return out
}
