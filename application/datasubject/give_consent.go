package datasubject

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/customer"
)

// GiveConsentInput records a consent: Purpose "service_messages" or
// "marketing", Channel "all", "email", "sms" or "whatsapp", Source where it
// was collected ("api" when empty).
type GiveConsentInput struct {
	CustomerID uuid.UUID
	Purpose    string
	Channel    string
	Source     string
}

// GiveConsent records the customer's consent and returns the consent
// history. Repeating a consent that stands records nothing.
func (u *UseCases) GiveConsent(ctx context.Context, in GiveConsentInput) ([]Consent, error) {
	p, err := authz.Require(ctx, authz.ManageConsent)
	if err != nil {
		return nil, err
	}
	src := sourceOrDefault(in.Source)
	now := u.base.Now()
	res, err := u.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
		return c.GiveConsent(in.Purpose, in.Channel, src, now)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return nil, err
	}
	u.base.Await(ctx, res)
	return u.consents(ctx, p, in.CustomerID)
}
