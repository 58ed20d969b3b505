// Package booking holds the use cases of online booking: the workshop's
// booking settings, the free slots a car owner may book, appointments
// booked from the portal, their statuses in the back office (arrival opens
// a service order) and the confirmation and day-before reminder.
//
// Appointments live in one event stream per workshop and local day
// (domain/booking.Day): the capacity check and the booking are one
// optimistic append, so concurrent bookings of the last free bay end with
// exactly one success and the others as errs.ErrConflict. Lists read the
// appointments read model; every write waits for it (read-your-writes).
//
// Events (domain/booking): booking.settings_changed.v1,
// booking.appointment_booked.v1, booking.appointment_status_changed.v1.
package booking

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
)

// Deps are the ports the booking use cases need.
type Deps struct {
	// Store loads and appends the booking streams and loads vehicles.
	Store eventsourcing.EventStore
	// Appointments reads the appointments read model.
	Appointments ReadModel
	// Workshops gives opening hours, time zone and name.
	Workshops Workshops
	// Orders opens the service order on arrival.
	Orders OrderOpener
	// Catalogs is optional: without it every workshop uses catalog.Default().
	Catalogs Catalogs
	// Notifier is optional: without it nobody is told.
	Notifier AppointmentNotifier
	// Reminders is optional: without it SendReminders does nothing.
	Reminders Reminders
}

// UseCases runs the booking use cases. Create one per process.
type UseCases struct {
	base     usecase.Base
	d        Deps
	settings *eventsourcing.Repository[*booking.Settings]
	days     *eventsourcing.Repository[*booking.Day]
	vehicles *eventsourcing.Repository[*vehicle.Vehicle]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("booking", map[string]bool{
		"Store": d.Store != nil, "Appointments": d.Appointments != nil, "Workshops": d.Workshops != nil, "Orders": d.Orders != nil,
	}); err != nil {
		return nil, err
	}
	return &UseCases{
		base:     base.WithDefaults(),
		d:        d,
		settings: eventsourcing.NewRepository(d.Store, booking.SettingsStreamType, booking.BlankSettings),
		days:     eventsourcing.NewRepository(d.Store, booking.DayStreamType, booking.BlankDay),
		vehicles: eventsourcing.NewRepository(d.Store, vehicle.StreamType, vehicle.Blank),
	}, nil
}

func (u *UseCases) catalog(ctx context.Context) (catalog.Catalog, error) {
	if u.d.Catalogs == nil {
		return catalog.Default(), nil
	}
	return u.d.Catalogs.Catalog(ctx)
}

// catalogCodes adapts a catalogue to booking.ServiceCatalog.
type catalogCodes struct{ c catalog.Catalog }

func (k catalogCodes) Has(code string) bool {
	sc, err := catalog.ParseServiceCode(code)
	if err != nil {
		return false
	}
	_, ok := k.c.Lookup(sc)
	return ok
}

// loadSettings returns the workshop's settings (defaults until saved) and
// the stream version.
func (u *UseCases) loadSettings(ctx context.Context, workshopID uuid.UUID) (booking.SettingsData, int64, error) {
	recs, err := u.d.Store.Load(ctx, eventsourcing.StreamRef{Type: booking.SettingsStreamType, ID: booking.SettingsStreamID(workshopID)})
	if err != nil {
		return booking.SettingsData{}, 0, err
	}
	s := booking.BlankSettings(booking.SettingsStreamID(workshopID))
	var v int64
	for _, r := range recs {
		s.Apply(r.Event)
		v = r.Version
	}
	return s.Data(), v, nil
}

// schedule is what placing an appointment needs: the workshop, its
// settings and its calendar.
type schedule struct {
	workshop workshops.WorkshopView
	settings booking.SettingsData
	calendar booking.Calendar
}

func (u *UseCases) schedule(ctx context.Context) (schedule, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return schedule{}, err
	}
	ws, err := u.d.Workshops.WorkshopByID(ctx, tid.UUID())
	if err != nil {
		return schedule{}, err
	}
	set, _, err := u.loadSettings(ctx, tid.UUID())
	if err != nil {
		return schedule{}, err
	}
	tz := ws.Profile.TimeZone
	if tz == "" {
		tz = ws.TimeZone
	}
	cal, err := booking.NewCalendar(tz, ws.Profile.BusinessHours, set.SlotMinutes)
	if err != nil {
		return schedule{}, fmt.Errorf("workshop %s: %w", ws.Slug, err)
	}
	return schedule{workshop: ws, settings: set, calendar: cal}, nil
}

func (u *UseCases) dayRef(ctx context.Context, day string) (uuid.UUID, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return uuid.Nil, err
	}
	return booking.DayStreamID(tid.UUID(), day), nil
}

// notice builds the notifier's view of an appointment.
func (s schedule) notice(a Appointment) Notice {
	return Notice{Appointment: a, WorkshopName: s.workshop.Name, WorkshopSlug: s.workshop.Slug, TimeZone: s.calendar.Location().String()}
}
