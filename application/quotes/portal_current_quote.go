package quotes

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
)

// PortalCurrentQuote returns the current quote of one of the car owner's
// own orders (permission portal.read), for the portal's order page; an
// order not theirs, or without a quote, is errs.ErrNotFound.
func (u *UseCases) PortalCurrentQuote(ctx context.Context, orderID uuid.UUID) (Quote, error) {
	p, err := authz.Require(ctx, authz.PortalRead)
	if err != nil {
		return Quote{}, err
	}
	o, err := u.orders.Load(ctx, orderID)
	if err != nil {
		return Quote{}, err
	}
	if !p.ActsFor(o.CustomerID()) {
		return Quote{}, fmt.Errorf("service order %s: %w", orderID, errs.ErrNotFound)
	}
	q, ok := o.CurrentQuote()
	if !ok {
		return Quote{}, fmt.Errorf("service order %s has no quote: %w", orderID, errs.ErrNotFound)
	}
	return view(o, q, true), nil
}
