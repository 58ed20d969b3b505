package booking

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/errs"
)

// maxMine bounds a car owner's list of appointments.
const maxMine = 200

// MyAppointments lists the appointments of the principal's customers, by
// start. Permission: portal.read.
func (u *UseCases) MyAppointments(ctx context.Context) ([]Appointment, error) {
	p, err := authz.Require(ctx, authz.PortalRead)
	if err != nil {
		return nil, err
	}
	if len(p.CustomerIDs) == 0 {
		return []Appointment{}, nil
	}
	return u.d.Appointments.Appointments(ctx, Filter{CustomerIDs: p.CustomerIDs}, maxMine)
}

// CancelMyAppointment cancels one of the principal's own appointments while
// it is booked or confirmed and has not started (otherwise
// errs.ErrIllegalTransition); another customer's appointment is
// errs.ErrNotFound. Permission: portal.write.
func (u *UseCases) CancelMyAppointment(ctx context.Context, id uuid.UUID) (Appointment, error) {
	p, err := authz.Require(ctx, authz.PortalWrite)
	if err != nil {
		return Appointment{}, err
	}
	a, err := u.d.Appointments.Appointment(ctx, id)
	if err != nil {
		return Appointment{}, err
	}
	if !p.ActsFor(a.CustomerID) {
		return Appointment{}, fmt.Errorf("appointment %s: %w", id, errs.ErrNotFound)
	}
	now := u.base.Now()
	if !a.Start.After(now) {
		return Appointment{}, fmt.Errorf("appointment %s has started: %w", id, errs.ErrIllegalTransition)
	}
	return u.changeStatus(ctx, a, booking.StatusCancelled.String(), uuid.Nil, booking.ByCustomer, func(b booking.Appointment) error {
		if !p.ActsFor(b.CustomerID) {
			return fmt.Errorf("appointment %s: %w", id, errs.ErrNotFound)
		}
		return nil
	})
}

// changeStatus records a status change on a's day; check runs on the
// appointment as the day stream holds it.
func (u *UseCases) changeStatus(ctx context.Context, a Appointment, to string, order uuid.UUID, by string,
	check func(booking.Appointment) error) (Appointment, error) {
	dayID, err := u.dayRef(ctx, a.Day)
	if err != nil {
		return Appointment{}, err
	}
	now := u.base.Now()
	var after booking.Appointment
	res, err := u.days.Update(ctx, dayID, func(d *booking.Day) error {
		cur, ok := d.Appointment(a.ID)
		if !ok {
			return fmt.Errorf("appointment %s: %w", a.ID, errs.ErrNotFound)
		}
		if check != nil {
			if err := check(cur); err != nil {
				return err
			}
		}
		if err := d.ChangeStatus(a.ID, to, order, by, now); err != nil {
			return err
		}
		after, _ = d.Appointment(a.ID)
		return nil
	})
	if err != nil {
		return Appointment{}, err
	}
	u.base.Await(ctx, res)
	out := fromDomain(after)
	out.UpdatedAt = now
	return out, nil
}
