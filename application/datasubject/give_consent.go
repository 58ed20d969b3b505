package datasubject

import (
	"context"
	"time"

	"github.com/google/uuid"

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
	return u.changeConsent(ctx, in.CustomerID, in.Source, func(c *customer.Customer, src string, at time.Time) error {
		return c.GiveConsent(in.Purpose, in.Channel, src, at)
	})
}
