package datasubject

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/customer"
)

// consents reads the customer's consent history and records the read.
func (u *UseCases) consents(ctx context.Context, p authz.Principal, customerID uuid.UUID) ([]Consent, error) {
	list, err := u.d.Consents.Consents(ctx, customerID)
	if err != nil {
		return nil, err
	}
	var rs auditlog.Reads
	if len(list) > 0 {
		rs.Add(customerID, "consents")
	}
	if err := u.audit.Record(ctx, p, EndpointListConsents, rs); err != nil {
		return nil, err
	}
	return pagination.NonNil(list), nil
}

// changeConsent runs change on the customer's consents, with the source
// named or the default, and returns the consent history.
func (u *UseCases) changeConsent(ctx context.Context, customerID uuid.UUID, source string,
	change func(c *customer.Customer, source string, at time.Time) error) ([]Consent, error) {
	p, err := authz.RequireOnCustomer(ctx, authz.ManageConsent, customerID) // the car owner too, on their own record (portal)
	if err != nil {
		return nil, err
	}
	src := sourceOrDefault(source)
	now := u.base.Now()
	res, err := u.customers.Update(ctx, customerID, func(c *customer.Customer) error {
		return change(c, src, now)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return nil, err
	}
	u.base.Await(ctx, res)
	return u.consents(ctx, p, customerID)
}
