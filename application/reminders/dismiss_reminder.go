package reminders

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/maintenance"
)

// DismissReminder stops the reminder of the current due cycle of a
// vehicle's service (a new service starts a new cycle, reminded again).
// Permission: reminders.dismiss. Returns the item with its new status; a
// vehicle or service with no due point is errs.ErrNotFound.
func (u *UseCases) DismissReminder(ctx context.Context, vehicleID uuid.UUID, service string) (Item, error) {
	p, err := authz.Require(ctx, authz.DismissReminder)
	if err != nil {
		return Item{}, err
	}
	if err := u.refresh(ctx); err != nil {
		return Item{}, err
	}
	it, err := u.d.Due.DueOf(ctx, vehicleID, service)
	if err != nil {
		return Item{}, err
	}
	c := maintenance.Cycle{VehicleID: it.VehicleID, CustomerID: it.CustomerID, Service: it.Service, Cycle: it.Cycle,
		DueAt: it.DueAt, DueKm: it.DueKm, HasDueKm: it.HasDueKm}
	id := maintenance.ReminderID(c.VehicleID, c.Service, c.Cycle)
	now := u.base.Now()
	res, err := u.reminders.Create(ctx, id, maintenance.NewReminderDismissed(c, p.IdentityID, now))
	if eventsourcing.IsVersionConflict(err) {
		// The stream exists (the reminder was scheduled or sent): dismiss it.
		res, err = u.reminders.Update(ctx, id, func(r *maintenance.Reminder) error {
			return r.Dismiss(p.IdentityID, now)
		}, eventsourcing.RetryOnConflict())
	}
	if err != nil {
		return Item{}, err
	}
	u.base.Await(ctx, res)
	return u.d.Due.DueOf(ctx, vehicleID, service)
}
