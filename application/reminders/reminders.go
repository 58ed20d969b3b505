// Package reminders holds the preventive-maintenance reminder use cases:
// the list of upcoming reminders and their dismissal (staff), and the
// worker's jobs: recomputing the due points of vehicles whose history
// changed, scheduling the reminders that fall due within the lead time on
// the customer's frequency (exactly once per due cycle) and recording the
// conversions (an order opened for the vehicle within the window after a
// reminder).
//
// The customer's reminder frequency comes from the messaging preferences
// (default each_due) and reminders go out through the ReminderNotifier
// port, which the wiring points at the messaging outbox.
package reminders

import (
	"time"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/maintenance"
)

// Config tunes the scheduler.
type Config struct {
	// LeadTime: a reminder goes out this long before the due date
	// (default 14 days).
	LeadTime time.Duration
	// MaxOverdue: due points further in the past are not reminded (a
	// history imported from years ago is no reason to write; default 180
	// days).
	MaxOverdue time.Duration
	// ConversionWindow: an order opened within it after a reminder was sent
	// converts the reminder (default 30 days).
	ConversionWindow time.Duration
	// FleetKmPerDay is the km/day of vehicles whose readings do not tell
	// (default maintenance.DefaultFleetKmPerDay).
	FleetKmPerDay float64
	// Batch bounds the vehicles or reminders one pass handles per tenant
	// (default 500); the next pass continues.
	Batch int
}

func (c Config) withDefaults() Config {
	if c.LeadTime <= 0 {
		c.LeadTime = 14 * 24 * time.Hour
	}
	if c.MaxOverdue <= 0 {
		c.MaxOverdue = 180 * 24 * time.Hour
	}
	if c.ConversionWindow <= 0 {
		c.ConversionWindow = 30 * 24 * time.Hour
	}
	if c.FleetKmPerDay <= 0 {
		c.FleetKmPerDay = maintenance.DefaultFleetKmPerDay
	}
	if c.Batch <= 0 {
		c.Batch = 500
	}
	return c
}

// Deps are the ports the reminder use cases need.
type Deps struct {
	// Store appends and loads reminder streams.
	Store eventsourcing.EventStore
	// Due reads and writes the maintenance read model.
	Due DueStore
	// Catalogs gives each workshop's service catalogue.
	Catalogs CatalogReader
	// Notifier sends the reminders.
	Notifier ReminderNotifier
	// Tenants lists the workshops and serialises the scheduler per workshop.
	Tenants TenantRunner
	Config  Config
}

// UseCases runs the reminder use cases.
type UseCases struct {
	base      usecase.Base
	d         Deps
	cfg       Config
	reminders *eventsourcing.Repository[*maintenance.Reminder]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("reminders", map[string]bool{
		"Store": d.Store != nil, "Due": d.Due != nil, "Catalogs": d.Catalogs != nil,
		"Notifier": d.Notifier != nil, "Tenants": d.Tenants != nil,
	}); err != nil {
		return nil, err
	}
	base = base.WithDefaults()
	return &UseCases{base: base, d: d, cfg: d.Config.withDefaults(),
		reminders: eventsourcing.NewRepository(d.Store, maintenance.StreamType, maintenance.BlankReminder)}, nil
}
