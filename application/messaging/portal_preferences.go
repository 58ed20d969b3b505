package messaging

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
)

// myRecords are the car owner's records in the tenant of ctx (oldest
// first); anyone but a car owner is forbidden.
func myRecords(ctx context.Context, action authz.Action) ([]uuid.UUID, error) {
	p, err := authz.Require(ctx, action)
	if err != nil {
		return nil, err
	}
	if p.Role != authz.RoleCustomer || len(p.CustomerIDs) == 0 {
		return nil, fmt.Errorf("no customer record for the caller: %w", errs.ErrNotFound)
	}
	return p.CustomerIDs, nil
}

// GetMyPreferences returns the car owner's own preferences (portal, GET
// .../me/preferences): those of their oldest record, as portal.Me shows.
// Permission portal.read.
func (u *UseCases) GetMyPreferences(ctx context.Context) (messaging.Preferences, error) {
	ids, err := myRecords(ctx, authz.PortalRead)
	if err != nil {
		return messaging.Preferences{}, err
	}
	return u.GetPreferences(ctx, ids[0])
}

// SetMyPreferences replaces the car owner's choices (portal, PUT
// .../me/preferences) on every record the workshop holds with their
// e-mail, so the person gets one behaviour; it returns those of the oldest
// record. Permission portal.write.
func (u *UseCases) SetMyPreferences(ctx context.Context, in messaging.PreferencesInput) (messaging.Preferences, error) {
	ids, err := myRecords(ctx, authz.PortalWrite)
	if err != nil {
		return messaging.Preferences{}, err
	}
	var first messaging.Preferences
	for i, id := range ids {
		p, err := u.SetPreferences(ctx, id, in)
		if err != nil {
			return messaging.Preferences{}, err
		}
		if i == 0 {
			first = p
		}
	}
	return first, nil
}
