package booking

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/tenant"
)

// Workshops reads the workshops read model (opening hours, time zone, name).
type Workshops interface {
	// WorkshopByID returns errs.ErrNotFound for an unknown id.
	WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error)
}

// Catalogs gives the service catalogue of the tenant in ctx.
type Catalogs interface {
	Catalog(ctx context.Context) (catalog.Catalog, error)
}

// Filter narrows a list of appointments; zero fields match all.
type Filter struct {
	// From and To bound the start: From <= start < To.
	From, To time.Time
	// CustomerIDs keeps the appointments of these customers (nil: all).
	CustomerIDs []uuid.UUID
	// HoldingBay keeps booked, confirmed and arrived appointments only.
	HoldingBay bool
}

// ReadModel reads the appointments of the tenant in ctx.
type ReadModel interface {
	// Appointment returns one appointment; errs.ErrNotFound when unknown.
	Appointment(ctx context.Context, id uuid.UUID) (Appointment, error)
	// Appointments returns at most limit appointments matching f, by start.
	Appointments(ctx context.Context, f Filter, limit int) ([]Appointment, error)
}

// OrderOpener opens the service order of an appointment on arrival
// (application/serviceorders in production), as the principal in ctx.
type OrderOpener interface {
	// OpenForAppointment opens an order for the customer's vehicle with one
	// item per service and returns its id and number.
	OpenForAppointment(ctx context.Context, a Appointment) (id uuid.UUID, number int64, err error)
}

// Notice is what a notifier needs to tell the car owner about an
// appointment.
type Notice struct {
	Appointment  Appointment
	WorkshopName string
	WorkshopSlug string
	TimeZone     string
}

// AppointmentNotifier tells car owners about their appointments. The
// default adapter (MailNotifier) sends pt-BR e-mail; the messaging outbox
// replaces it by subscribing to booking.appointment_booked.v1 and
// scheduling the reminder itself.
type AppointmentNotifier interface {
	// Booked confirms a new appointment to its customer.
	Booked(ctx context.Context, n Notice) error
	// Remind reminds the customer of tomorrow's appointment.
	Remind(ctx context.Context, n Notice) error
}

// DueReminder is an appointment whose reminder is due, with its workshop.
type DueReminder struct {
	Tenant      tenant.ID
	Appointment Appointment
}

// Reminders finds and records the day-before reminders.
type Reminders interface {
	// Due returns, across workshops, the booked or confirmed appointments
	// on the workshop's next local day (relative to now) that have had no
	// reminder yet.
	Due(ctx context.Context, now time.Time) ([]DueReminder, error)
	// Once runs send for appointment id of the tenant in ctx unless its
	// reminder was already recorded, and records it in the same
	// transaction (unique key): when send fails nothing is recorded; when
	// another worker got there first it returns false without sending.
	Once(ctx context.Context, id uuid.UUID, send func(context.Context) error) (bool, error)
}
