package datasubject

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
)

// EraseCustomer erases the person (DELETE .../customers/{id}, LGPD art.
// 18, owners only): it destroys the person's key first, so every copy of
// their data, in events and read models alike, becomes unreadable at once
// even if a later step fails; then it records Erased, which removes the
// personal data from the read models, and frees the person's document and
// their vehicles' plates for reuse. The service orders stay, anonymised,
// as the workshop's warranty record of the vehicles.
//
// An unknown or already erased customer is errs.ErrNotFound.
func (u *UseCases) EraseCustomer(ctx context.Context, id uuid.UUID) error {
	if _, err := authz.Require(ctx, authz.EraseCustomer); err != nil {
		return err
	}
	c, err := u.customers.Load(ctx, id)
	if err != nil {
		return err
	}
	if c.IsErased() {
		return fmt.Errorf("customer %s was already erased: %w", id, errs.ErrNotFound)
	}
	owned, err := u.d.Vehicles.VehiclesOf(ctx, id)
	if err != nil {
		return err
	}
	if err := u.d.SubjectKeys.Shred(ctx, id); err != nil {
		return fmt.Errorf("shred the customer's key: %w", err)
	}
	now := u.base.Now()
	res, err := u.customers.Update(ctx, id, func(c *customer.Customer) error { return c.Erase(now) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return err
	}
	// A failure below leaves stale unique keys, which uniquekeys.Claimer
	// takes over once it finds their holder erased; the erasure itself stands.
	var releaseErrs []error
	releaseErrs = append(releaseErrs, u.d.Uniqueness.ReleaseOwner(usecase.Detached(ctx), uniquekeys.Document, id))
	for _, v := range owned {
		releaseErrs = append(releaseErrs, u.d.Uniqueness.ReleaseOwner(usecase.Detached(ctx), uniquekeys.Plate, v.ID))
	}
	if err := errors.Join(releaseErrs...); err != nil {
		u.base.Logger.WarnContext(ctx, "erasure: could not free unique keys", "err", err)
	}
	u.base.Await(ctx, res)
	return nil
}
