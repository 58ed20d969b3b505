package authz

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
)

// RequireOnCustomer is Require for a use case on one customer's records that
// staff reach with staffAction and that a car owner (RoleCustomer) may use on
// the records they act for: the owner needs PortalWrite when staffAction
// changes data (IsWrite), PortalRead otherwise, and any other customer id is
// errs.ErrNotFound, exactly as if it did not exist.
func RequireOnCustomer(ctx context.Context, staffAction Action, customerID uuid.UUID) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok || p.Role != RoleCustomer {
		return Require(ctx, staffAction)
	}
	portal := PortalRead
	if IsWrite(staffAction) {
		portal = PortalWrite
	}
	if _, err := Require(ctx, portal); err != nil {
		return Principal{}, err
	}
	if !p.ActsFor(customerID) {
		return Principal{}, fmt.Errorf("customer %s is not the car owner's: %w", customerID, errs.ErrNotFound)
	}
	return p, nil
}
