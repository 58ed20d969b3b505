package datasubject

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
)

// ListConsents returns the customer's consent history, oldest first: per
// purpose and channel, given or withdrawn, when, how and by whom. Staff
// with customer.read_personal, or the car owner for their own record.
func (u *UseCases) ListConsents(ctx context.Context, customerID uuid.UUID) ([]Consent, error) {
	p, err := authz.RequireOnCustomer(ctx, authz.ReadCustomerPII, customerID) // the car owner too, on their own record (portal)
	if err != nil {
		return nil, err
	}
	if _, err := customers.ReadActive(ctx, u.d.Customers, customerID, false); err != nil {
		return nil, err
	}
	return u.consents(ctx, p, customerID)
}
