package quotes

import (
	"context"

	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
)

// PortalGetQuote returns any version of a quote to the car owner it is
// for (permission portal.read); another customer's quote, like an unknown
// one, is errs.ErrNotFound.
func (u *UseCases) PortalGetQuote(ctx context.Context, quoteID uuid.UUID) (Quote, error) {
	p, err := authz.Require(ctx, authz.PortalRead)
	if err != nil {
		return Quote{}, err
	}
	o, err := u.ownOrderOfQuote(ctx, p, quoteID)
	if err != nil {
		return Quote{}, err
	}
	q, _ := o.QuoteByID(quoteID)
	return view(o, q, true), nil
}

// DecideQuoteInput is POST /api/v1/portal/{slug}/quotes/{id}/decision,
// with the request's evidence.
type DecideQuoteInput struct {
	QuoteID   uuid.UUID
	Decision  serviceorder.DecisionInput
	IP        string
	UserAgent string
}

// DecideQuote records the car owner's decision on every line of a quote
// (permission portal.write), once, on the current version only (else an
// errs.ErrConflict); a quote not theirs is errs.ErrNotFound. The evidence
// (identity, e-mail, IP, user agent, version, time) is stored with it.
// Approved lines become the order's items and the order moves to approved,
// or to cancelled when every line is declined. Read-your-writes.
func (u *UseCases) DecideQuote(ctx context.Context, in DecideQuoteInput) (Quote, error) {
	p, err := authz.Require(ctx, authz.PortalWrite)
	if err != nil {
		return Quote{}, err
	}
	orderID, err := u.d.Quotes.OrderOfQuote(ctx, in.QuoteID)
	if err != nil {
		return Quote{}, err
	}
	now := u.base.Now()
	var out Quote
	res, err := u.orders.Update(ctx, orderID, func(o *serviceorder.ServiceOrder) error {
		if !p.ActsFor(o.CustomerID()) {
			return fmt.Errorf("quote %s: %w", in.QuoteID, errs.ErrNotFound)
		}
		ev := serviceorder.Evidence{ActorID: p.IdentityID, ActorEmail: p.Email, IP: in.IP, UserAgent: in.UserAgent}
		if err := o.DecideQuote(in.QuoteID, in.Decision, ev, now); err != nil {
			return err
		}
		q, _ := o.QuoteByID(in.QuoteID)
		out = view(o, q, true)
		return nil
	}, eventsourcing.RetryOnConflict()) // a concurrent decision from another process then reads as already decided
	if err != nil {
		return Quote{}, err
	}
	u.base.Await(ctx, res)
	return out, nil
}

// ownOrderOfQuote loads the order of a quote the principal's customers own.
func (u *UseCases) ownOrderOfQuote(ctx context.Context, p authz.Principal, quoteID uuid.UUID) (*serviceorder.ServiceOrder, error) {
	orderID, err := u.d.Quotes.OrderOfQuote(ctx, quoteID)
	if err != nil {
		return nil, err
	}
	o, err := u.orders.Load(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if _, ok := o.QuoteByID(quoteID); !ok || !p.ActsFor(o.CustomerID()) {
		return nil, fmt.Errorf("quote %s: %w", quoteID, errs.ErrNotFound)
	}
	return o, nil
}
