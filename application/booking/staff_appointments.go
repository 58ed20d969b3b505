package booking

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// ListAppointmentsInput is GET /api/v1/workshops/{slug}/appointments.
type ListAppointmentsInput struct {
	// From and To: dates (local days, To included) or RFC 3339; default
	// today for 7 days; at most 31 days.
	From, To string
}

// ListAppointments lists the workshop's appointments starting in the range,
// by start, every status included. Permission: appointment.read.
func (u *UseCases) ListAppointments(ctx context.Context, in ListAppointmentsInput) ([]Appointment, error) {
	if _, err := authz.Require(ctx, authz.ReadAppointments); err != nil {
		return nil, err
	}
	s, err := u.schedule(ctx)
	if err != nil {
		return nil, err
	}
	from, to, err := u.Range(s.calendar.Location(), in.From, in.To)
	if err != nil {
		return nil, err
	}
	return u.d.Appointments.Appointments(ctx, Filter{From: from, To: to}, maxListed)
}

// Range parses a from/to pair as the lists read them: a missing from is
// the start of today (local), a missing to is 7 days later.
func (u *UseCases) Range(loc *time.Location, fromS, toS string) (time.Time, time.Time, error) {
	var c errs.Collector
	from, okF := parseBound(&c, "from", fromS, loc, false)
	to, okT := parseBound(&c, "to", toS, loc, true)
	if err := c.Err(); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if okF && from.IsZero() {
		n := u.base.Now().In(loc)
		from = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	}
	if okT && to.IsZero() {
		to = from.Add(DefaultSlotRange)
	}
	switch {
	case !to.After(from):
		return time.Time{}, time.Time{}, errs.Invalid("to", br.CodeOutOfRange, "to must be after from")
	case to.Sub(from) > booking.MaxSlotRange:
		return time.Time{}, time.Time{}, errs.Invalid("to", br.CodeOutOfRange, "a query covers at most 31 days")
	}
	return from.UTC(), to.UTC(), nil
}

// Location returns the time zone of the workshop in ctx (for pages that
// print appointments and slots). Permission: appointment.read, or
// portal.read for a car owner (the portal's booking page).
func (u *UseCases) Location(ctx context.Context) (*time.Location, error) {
	if _, err := authz.Require(ctx, authz.PortalRead); err != nil {
		if _, err2 := authz.Require(ctx, authz.ReadAppointments); err2 != nil {
			return nil, err2
		}
	}
	s, err := u.schedule(ctx)
	if err != nil {
		return nil, err
	}
	return s.calendar.Location(), nil
}

// GetAppointment returns one appointment. Permission: appointment.read.
func (u *UseCases) GetAppointment(ctx context.Context, id uuid.UUID) (Appointment, error) {
	if _, err := authz.Require(ctx, authz.ReadAppointments); err != nil {
		return Appointment{}, err
	}
	return u.d.Appointments.Appointment(ctx, id)
}

// ChangeAppointmentStatusInput is POST .../appointments/{id}/status.
type ChangeAppointmentStatusInput struct {
	ID     uuid.UUID
	Status string // confirmed, arrived, no_show, cancelled
}

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
