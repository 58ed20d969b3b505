package booking

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/errs"
)

// ChangeAppointmentStatus moves an appointment along: confirmed, arrived,
// no_show or cancelled. An illegal move is errs.ErrIllegalTransition. On
// arrival the service order is opened first (with the vehicle and one item
// per service, through OrderOpener, which needs service_order.open) and the
// arrival records its id. Permission: appointment.manage.
func (u *UseCases) ChangeAppointmentStatus(ctx context.Context, in ChangeAppointmentStatusInput) (Appointment, error) {
	if _, err := authz.Require(ctx, authz.ManageAppointments); err != nil {
		return Appointment{}, err
	}
	next, err := booking.ParseStatus(in.Status)
	if err != nil {
		return Appointment{}, err
	}
	a, err := u.d.Appointments.Appointment(ctx, in.ID)
	if err != nil {
		return Appointment{}, err
	}
	var order uuid.UUID
	var number int64
	if next == booking.StatusArrived {
		// Refuse before opening an order that the arrival could not record.
		dayID, err := u.dayRef(ctx, a.Day)
		if err != nil {
			return Appointment{}, err
		}
		d, err := u.days.Load(ctx, dayID)
		if err != nil {
			return Appointment{}, err
		}
		cur, ok := d.Appointment(a.ID)
		if !ok {
			return Appointment{}, errs.ErrNotFound
		}
		if err := cur.Status.CheckChange(next); err != nil {
			return Appointment{}, err
		}
		if order, number, err = u.d.Orders.OpenForAppointment(ctx, fromDomain(cur)); err != nil {
			return Appointment{}, err
		}
	}
	out, err := u.changeStatus(ctx, a, next.String(), order, booking.ByStaff, nil)
	if err != nil {
		return Appointment{}, err
	}
	out.ServiceOrderNumber = number
	return out, nil
}
