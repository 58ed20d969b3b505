package booking

import (
	"context"
	"strconv"
	"time"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
)

// maxListed bounds the appointments one read looks at.
const maxListed = 5000

// FindSlots returns the free slots for the services in the query's range:
// within opening hours, not on national holidays, not in the past, and
// while fewer appointments than bays overlap. The duration is the sum of
// the services' minutes rounded up to whole slots. Permission: portal.read
// (car owners) or appointment.read (staff).
func (u *UseCases) FindSlots(ctx context.Context, in SlotQueryInput) ([]Slot, error) {
	if _, err := authz.Require(ctx, authz.PortalRead); err != nil {
		if _, err2 := authz.Require(ctx, authz.ReadAppointments); err2 != nil {
			return nil, err
		}
	}
	s, err := u.schedule(ctx)
	if err != nil {
		return nil, err
	}
	now := u.base.Now()
	q, err := ParseSlotQuery(in, s.calendar.Location(), now)
	if err != nil {
		return nil, err
	}
	if err := u.checkServices(ctx, q.Services); err != nil {
		return nil, err
	}
	dur := s.settings.Duration(q.Services)
	// Appointments that may overlap a slot starting in the range.
	busy, err := u.d.Appointments.Appointments(ctx, Filter{From: q.From.Add(-24 * time.Hour), To: q.To.Add(24 * time.Hour), HoldingBay: true}, maxListed)
	if err != nil {
		return nil, err
	}
	intervals := make([]booking.Interval, 0, len(busy))
	for _, a := range busy {
		intervals = append(intervals, booking.Interval{Start: a.Start, End: a.End})
	}
	free := s.calendar.FreeSlots(q.From, q.To, now, dur, s.settings.Bays, intervals)
	out := make([]Slot, 0, len(free))
	for _, f := range free {
		out = append(out, Slot{Start: f.Start.UTC(), End: f.End.UTC()})
	}
	return out, nil
}

// checkServices fails with a field error on services for a code outside
// the workshop's catalogue.
func (u *UseCases) checkServices(ctx context.Context, services []string) error {
	cat, err := u.catalog(ctx)
	if err != nil {
		return err
	}
	for _, sv := range services {
		code, err := catalog.ParseServiceCode(sv)
		if err != nil {
			return errs.Invalid(booking.FieldServices, br.CodeInvalidFormat, "services are catalogue codes such as oil_change")
		}
		if _, ok := cat.Lookup(code); !ok {
			return errs.Invalid(booking.FieldServices, br.CodeUnknownValue, "service "+strconv.Quote(sv)+" is not offered by this workshop")
		}
	}
	return nil
}
