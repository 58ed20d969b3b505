package datasubject

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/customer"
)

// WithdrawConsentInput withdraws consent for a purpose on every channel.
type WithdrawConsentInput struct {
	CustomerID uuid.UUID
	Purpose    string
	Source     string
}

// WithdrawConsent records the withdrawal and returns the consent history.
func (u *UseCases) WithdrawConsent(ctx context.Context, in WithdrawConsentInput) ([]Consent, error) {
	p, err := authz.Require(ctx, authz.ManageConsent)
	if err != nil {
		return nil, err
	}
	src := sourceOrDefault(in.Source)
	now := u.base.Now()
	res, err := u.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
		return c.WithdrawConsent(in.Purpose, src, now)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return nil, err
	}
	u.base.Await(ctx, res)
	return u.consents(ctx, p, in.CustomerID)
}
