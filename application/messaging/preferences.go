package messaging

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
)

// requireFor lets staff with action, or the car owner acting for customer
// (portal), through; anything else about another customer is not found.
func requireFor(ctx context.Context, staff authz.Action, portal authz.Action, customerID uuid.UUID) error {
	p, ok := authz.PrincipalFrom(ctx)
	if ok && p.Role == authz.RoleCustomer {
		if _, err := authz.Require(ctx, portal); err != nil {
			return err
		}
		if !p.ActsFor(customerID) {
			return fmt.Errorf("customer %s: %w", customerID, errs.ErrNotFound)
		}
		return nil
	}
	_, err := authz.Require(ctx, staff)
	return err
}

// GetPreferences returns the customer's preferences (the defaults when
// they never chose). Permission: customer.read, or portal.read for the car
// owner's own record.
func (u *UseCases) GetPreferences(ctx context.Context, customerID uuid.UUID) (messaging.Preferences, error) {
	if err := requireFor(ctx, authz.ReadCustomer, authz.PortalRead, customerID); err != nil {
		return messaging.Preferences{}, err
	}
	if err := u.customerExists(ctx, customerID); err != nil {
		return messaging.Preferences{}, err
	}
	p, found, err := u.d.Prefs.Preferences(ctx, customerID)
	if err != nil || found {
		return p, err
	}
	return messaging.DefaultPreferences(), nil
}

// SetPreferences replaces the customer's choices (channels, reminder
// frequency, quiet hours); the channels unsubscribed by link stay.
// Permission: customer.write, or portal.write for the car owner's own record.
func (u *UseCases) SetPreferences(ctx context.Context, customerID uuid.UUID, in messaging.PreferencesInput) (messaging.Preferences, error) {
	if err := requireFor(ctx, authz.WriteCustomer, authz.PortalWrite, customerID); err != nil {
		return messaging.Preferences{}, err
	}
	if err := u.customerExists(ctx, customerID); err != nil {
		return messaging.Preferences{}, err
	}
	cur, found, err := u.d.Prefs.Preferences(ctx, customerID)
	if err != nil {
		return messaging.Preferences{}, err
	}
	if !found {
		cur = messaging.DefaultPreferences()
	}
	p, err := messaging.ParsePreferences(in, cur)
	if err != nil {
		return messaging.Preferences{}, err
	}
	if err := u.d.Prefs.SavePreferences(ctx, customerID, p, u.base.Now()); err != nil {
		return messaging.Preferences{}, err
	}
	return p, nil
}

func (u *UseCases) customerExists(ctx context.Context, id uuid.UUID) error {
	r, err := u.d.Recipients.Recipient(ctx, id)
	if err != nil {
		return err
	}
	if r.Erased {
		return fmt.Errorf("customer %s erased: %w", id, errs.ErrNotFound)
	}
	return nil
}
