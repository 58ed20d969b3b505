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

// ChangeAppointmentStatusInput is POST .../appointments/{id}/status.
type ChangeAppointmentStatusInput struct {
	ID     uuid.UUID
	Status string // confirmed, arrived, no_show, cancelled
}
