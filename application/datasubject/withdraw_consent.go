package datasubject

import (
	"context"
	"time"

	"github.com/google/uuid"

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
	return u.changeConsent(ctx, in.CustomerID, in.Source, func(c *customer.Customer, src string, at time.Time) error {
		return c.WithdrawConsent(in.Purpose, src, at)
	})
}
