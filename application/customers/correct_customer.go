package customers

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/customer"
)

// CorrectCustomerInput is PATCH .../customers/{id}: a JSON merge patch and,
// from If-Match, the version the client saw.
type CorrectCustomerInput struct {
	CustomerID uuid.UUID
	Patch      customer.CustomerPatch
	// ExpectedVersion, when set, fails the correction with
	// errs.ErrPreconditionFailed unless the customer is at that version.
	ExpectedVersion *int64
}

// CorrectCustomer applies a merge patch (LGPD right to correction) and
// returns the customer as GetCustomer would (without auditing: the caller
// wrote the data). A document held by another customer is a
// *errs.ConflictError. A car owner (portal) corrects the records they act for
// (the portal decides which fields it lets them patch).
func (u *UseCases) CorrectCustomer(ctx context.Context, in CorrectCustomerInput) (Customer, error) {
	p, err := authz.RequireOnCustomer(ctx, authz.WriteCustomer, in.CustomerID)
	if err != nil {
		return Customer{}, err
	}
	patch := in.Patch
	if patch.MarketingConsent.Set && strings.TrimSpace(patch.Source) == "" {
		patch.Source = DefaultSource
	}
	now := u.base.Now()
	newDoc := ""
	if d := patch.Document; d.Set && !d.Null {
		newDoc = d.Value
	}
	cl, err := u.keys.Claim(ctx, uniquekeys.Document, newDoc, in.CustomerID, u.customerAlive)
	if err != nil {
		return Customer{}, err
	}
	var after *customer.Customer
	var oldDoc string
	res, err := u.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
		oldDoc = c.Document()
		if err := c.Correct(patch, now); err != nil {
			return err
		}
		after = c
		return nil
	}, usecase.UpdateOptions(in.ExpectedVersion)...)
	if err != nil {
		cl.Undo(ctx)
		return Customer{}, err
	}
	if oldDoc != "" && oldDoc != after.Document() {
		u.keys.Release(ctx, uniquekeys.Document, oldDoc, in.CustomerID)
	}
	u.base.Await(ctx, res)
	out := fromAggregate(after, res.ToVersion, canReadPII(p))
	if out.Vehicles, err = u.d.Vehicles.VehiclesOf(ctx, in.CustomerID); err != nil {
		return Customer{}, err
	}
	out.Vehicles = pagination.NonNil(out.Vehicles)
	return out, nil
}
