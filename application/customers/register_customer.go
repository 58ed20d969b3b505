package customers

import (
	"context"
	"strings"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
)

// RegisterCustomer registers a customer (POST .../customers). A document
// already registered in the workshop is a *errs.ConflictError naming the
// existing customer. When in.MarketingConsent is set without a Source, the
// consent is recorded as given through the API.
func (u *UseCases) RegisterCustomer(ctx context.Context, in customer.RegisterInput) (Customer, error) {
	p, err := authz.Require(ctx, authz.WriteCustomer)
	if err != nil {
		return Customer{}, err
	}
	if in.MarketingConsent && strings.TrimSpace(in.Source) == "" {
		in.Source = DefaultSource
	}
	id := u.base.NewID()
	c, err := customer.Register(id, in, u.base.Now())
	if err != nil {
		return Customer{}, err
	}
	cl, err := u.keys.Claim(ctx, uniquekeys.Document, c.Document(), id, u.customerAlive)
	if err != nil {
		return Customer{}, err
	}
	res, err := u.customers.Create(ctx, id, c)
	if err != nil {
		cl.Undo(ctx)
		return Customer{}, err
	}
	u.base.Await(ctx, res)
	out := fromAggregate(c, res.ToVersion, canReadPII(p))
	out.Vehicles = []vehicles.Vehicle{}
	return out, nil
}
