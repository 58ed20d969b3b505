package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// BookAppointmentInput is POST /api/v1/portal/{slug}/appointments.
type BookAppointmentInput struct {
	VehicleID string
	Services  []string
	Start     string // RFC 3339
	Note      string
}

// BookAppointment books a slot for one of the car owner's vehicles. The
// start must be a slot of the opening hours (not in the past, not on a
// holiday); the vehicle must belong to one of the principal's customers
// (otherwise errs.ErrNotFound). When the slot filled up meanwhile — also
// against concurrent bookings in other processes — it fails with an
// *errs.ConflictError (booking.CodeSlotTaken). The customer is then sent a
// confirmation (best effort). Permission: portal.write.
func (u *UseCases) BookAppointment(ctx context.Context, in BookAppointmentInput) (Appointment, error) {
	p, err := authz.Require(ctx, authz.PortalWrite)
	if err != nil {
		return Appointment{}, err
	}
	return u.book(ctx, in, booking.ByCustomer, func(customerID uuid.UUID) bool { return p.ActsFor(customerID) })
}

// BookForCustomer books a slot on behalf of the vehicle's owner (a phone
// call, the front desk), with the same rules as BookAppointment; the
// customer gets the same confirmation. Permission: appointment.manage.
func (u *UseCases) BookForCustomer(ctx context.Context, in BookAppointmentInput) (Appointment, error) {
	if _, err := authz.Require(ctx, authz.ManageAppointments); err != nil {
		return Appointment{}, err
	}
	return u.book(ctx, in, booking.ByStaff, func(uuid.UUID) bool { return true })
}

func (u *UseCases) book(ctx context.Context, in BookAppointmentInput, by string, mayBook func(customerID uuid.UUID) bool) (Appointment, error) {
	var c errs.Collector
	vehicleID, verr := uuid.Parse(strings.TrimSpace(in.VehicleID))
	if verr != nil {
		if strings.TrimSpace(in.VehicleID) == "" {
			c.Add(booking.FieldVehicleID, br.CodeRequired, "vehicle_id is required")
		} else {
			c.Add(booking.FieldVehicleID, br.CodeInvalidFormat, "vehicle_id must be a UUID")
		}
	}
	services := normaliseServices(&c, booking.FieldServices, in.Services)
	start, serr := time.Parse(time.RFC3339, strings.TrimSpace(in.Start))
	if serr != nil {
		if strings.TrimSpace(in.Start) == "" {
			c.Add(booking.FieldStart, br.CodeRequired, "start is required")
		} else {
			c.Add(booking.FieldStart, br.CodeInvalidFormat, "start must be an RFC 3339 time")
		}
	}
	note := strings.TrimSpace(in.Note)
	if len([]rune(note)) > booking.MaxNoteRunes {
		c.Add(booking.FieldNote, "too_long", fmt.Sprintf("note must have at most %d characters", booking.MaxNoteRunes))
	}
	if err := c.Err(); err != nil {
		return Appointment{}, err
	}
	if err := u.checkServices(ctx, services); err != nil {
		return Appointment{}, err
	}
	v, err := u.vehicles.Load(ctx, vehicleID)
	if err != nil {
		return Appointment{}, err
	}
	if !mayBook(v.CustomerID()) {
		return Appointment{}, fmt.Errorf("vehicle %s: %w", vehicleID, errs.ErrNotFound)
	}
	s, err := u.schedule(ctx)
	if err != nil {
		return Appointment{}, err
	}
	now := u.base.Now()
	dur := s.settings.Duration(services)
	end, day, err := s.calendar.Fits(start, dur, now)
	if err != nil {
		return Appointment{}, err
	}
	dayID, err := u.dayRef(ctx, day)
	if err != nil {
		return Appointment{}, err
	}
	book := booking.BookInput{AppointmentID: u.base.NewID(), CustomerID: v.CustomerID(), VehicleID: vehicleID, Day: day,
		Start: start.UTC(), End: end, Services: services, Note: note, BookedBy: by}
	var booked booking.Appointment
	command := func(d *booking.Day) error {
		if err := d.Book(book, s.settings.Bays, now); err != nil {
			return err
		}
		booked, _ = d.Appointment(book.AppointmentID)
		return nil
	}
	res, err := u.createOrUpdateDay(ctx, dayID, command)
	if err != nil {
		return Appointment{}, err
	}
	u.base.Await(ctx, res)
	out := fromDomain(booked)
	out.UpdatedAt = now
	if u.d.Notifier != nil {
		if err := u.d.Notifier.Booked(ctx, s.notice(out)); err != nil {
			u.base.Logger.WarnContext(ctx, "appointment confirmation not sent", "appointment", out.ID, "err", err)
		}
	}
	return out, nil
}

// createOrUpdateDay runs command on the day stream, creating it on the
// first booking. Conflicting appends are retried on the fresh day, so the
// capacity check always sees every committed booking.
func (u *UseCases) createOrUpdateDay(ctx context.Context, dayID uuid.UUID, command func(*booking.Day) error) (eventsourcing.AppendResult, error) {
	for attempt := 0; attempt < 3; attempt++ {
		res, err := u.days.Update(ctx, dayID, command, eventsourcing.RetryOnConflict())
		if !errors.Is(err, errs.ErrNotFound) {
			return res, err
		}
		d := booking.BlankDay(dayID)
		if err := command(d); err != nil {
			return eventsourcing.AppendResult{}, err
		}
		res, err = u.days.Create(ctx, dayID, d)
		var vc *eventsourcing.VersionConflictError
		if !errors.As(err, &vc) {
			return res, err
		}
		// Another booking created the day first: book on top of it.
	}
	return eventsourcing.AppendResult{}, fmt.Errorf("booking day %s: %w", dayID, errs.ErrConflict)
}
