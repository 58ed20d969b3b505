package quotes

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/serviceorder"
)

// SendQuoteInput is POST .../service-orders/{id}/quote.
type SendQuoteInput struct {
	OrderID uuid.UUID
	Quote   serviceorder.QuoteInput
	// ExpectedVersion is the order's If-Match version (nil: none).
	ExpectedVersion *int64
}

// SendQuote sends a quote for an open or quoted order (permission
// service_order.quote); a quote still waiting is superseded (version + 1).
// The order moves to quoted. Records service_order.quote_sent.v1, on which
// the customer is to be told (portal link). Read-your-writes.
func (u *UseCases) SendQuote(ctx context.Context, in SendQuoteInput) (Quote, error) {
	p, err := authz.Require(ctx, authz.SendQuote)
	if err != nil {
		return Quote{}, err
	}
	cat, err := u.catalog(ctx)
	if err != nil {
		return Quote{}, err
	}
	now := u.base.Now()
	quoteID := u.base.NewID()
	var out Quote
	res, err := u.orders.Update(ctx, in.OrderID, func(o *serviceorder.ServiceOrder) error {
		if err := o.SendQuote(quoteID, u.base.NewID, in.Quote, cat, p.IdentityID, now); err != nil {
			return err
		}
		q, _ := o.CurrentQuote()
		out = view(o, q, false)
		return nil
	}, usecase.UpdateOptions(in.ExpectedVersion)...)
	if err != nil {
		return Quote{}, err
	}
	u.base.Await(ctx, res)
	return out, nil
}
