package maintenance

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// StreamType is the event stream type of reminders.
const StreamType = "maintenance_reminder"

// reminderNamespace derives reminder ids (UUIDv5) from their cycle.
var reminderNamespace = uuid.MustParse("6f1d3c2e-9a57-4d0b-8f0e-3b1c5a7d9e21")

// ReminderID is the id of the reminder of one due cycle of one service of
// one vehicle. It is derived, so two schedulers that find the same due
// cycle write to the same stream and only the first one's events are
// stored: a reminder is due, and sent, at most once per cycle.
func ReminderID(vehicleID uuid.UUID, service, cycle string) uuid.UUID {
	return uuid.NewSHA1(reminderNamespace, []byte(vehicleID.String()+"|"+service+"|"+cycle))
}

// Status of a reminder as the API shows it.
type Status string

// Statuses.
const (
	// StatusScheduled: not sent yet (also while its sending is pending).
	StatusScheduled Status = "scheduled"
	StatusSent      Status = "sent"
	StatusBooked    Status = "booked"
	StatusDismissed Status = "dismissed"
)

// Cycle names one due cycle of one service of one vehicle.
type Cycle struct {
	VehicleID  uuid.UUID
	CustomerID uuid.UUID
	Service    string
	Cycle      string
	DueAt      time.Time
	DueKm      int64
	HasDueKm   bool
}

// Reminder is the aggregate of one due cycle's reminder.
type Reminder struct {
	rec       es.Recorder
	id        uuid.UUID
	exists    bool
	cycle     Cycle
	due       bool
	status    Status
	sentAt    time.Time
	frequency string
}

// BlankReminder returns an empty reminder ready to have its events applied.
func BlankReminder(id uuid.UUID) *Reminder {
	r := &Reminder{id: id, status: StatusScheduled}
	r.rec = es.NewRecorder(r.Apply)
	return r
}

// NewReminderDue records that cycle c is due to be reminded (within the
// lead time) on the customer's frequency (each_due, monthly, quarterly).
func NewReminderDue(c Cycle, frequency string, now time.Time) *Reminder {
	r := BlankReminder(ReminderID(c.VehicleID, c.Service, c.Cycle))
	r.rec.Record(ReminderDue{
		VehicleID: c.VehicleID, CustomerID: c.CustomerID, Service: c.Service, Cycle: c.Cycle,
		DueAt: c.DueAt.UTC(), DueKm: c.DueKm, HasDueKm: c.HasDueKm, Frequency: frequency, At: now.UTC(),
	})
	return r
}

// NewReminderDismissed records that staff dismissed cycle c before any
// reminder was due: no reminder will be sent for it.
func NewReminderDismissed(c Cycle, by string, now time.Time) *Reminder {
	r := BlankReminder(ReminderID(c.VehicleID, c.Service, c.Cycle))
	r.rec.Record(ReminderDismissed{
		VehicleID: c.VehicleID, CustomerID: c.CustomerID, Service: c.Service, Cycle: c.Cycle, By: by, At: now.UTC(),
	})
	return r
}

// MarkSent records that the reminder went out on channel. Sending again is
// a no-op; a dismissed reminder is not sent.
func (r *Reminder) MarkSent(channel string, now time.Time) error {
	if err := r.check(); err != nil {
		return err
	}
	if r.status != StatusScheduled {
		return nil
	}
	r.rec.Record(ReminderSent{VehicleID: r.cycle.VehicleID, Service: r.cycle.Service, Channel: channel, At: now.UTC()})
	return nil
}

// Convert records that the order orderID, opened at openedAt for the
// reminder's vehicle, followed the reminder within window. It records
// nothing when the reminder was not sent, is already converted, or the
// order is outside the window; it reports whether it converted.
func (r *Reminder) Convert(orderID uuid.UUID, openedAt time.Time, window time.Duration, now time.Time) (bool, error) {
	if err := r.check(); err != nil {
		return false, err
	}
	if r.status != StatusSent || openedAt.Before(r.sentAt) || openedAt.Sub(r.sentAt) > window {
		return false, nil
	}
	r.rec.Record(ReminderConverted{
		VehicleID: r.cycle.VehicleID, CustomerID: r.cycle.CustomerID, Service: r.cycle.Service, Cycle: r.cycle.Cycle,
		OrderID: orderID, SentAt: r.sentAt, OpenedAt: openedAt.UTC(), At: now.UTC(),
	})
	return true, nil
}

// Dismiss records that staff dismissed the reminder. Dismissing twice, or
// a booked reminder, changes nothing.
func (r *Reminder) Dismiss(by string, now time.Time) error {
	if err := r.check(); err != nil {
		return err
	}
	if r.status == StatusDismissed || r.status == StatusBooked {
		return nil
	}
	c := r.cycle
	r.rec.Record(ReminderDismissed{VehicleID: c.VehicleID, CustomerID: c.CustomerID, Service: c.Service, Cycle: c.Cycle, By: by, At: now.UTC()})
	return nil
}

func (r *Reminder) check() error {
	if !r.exists {
		return fmt.Errorf("reminder %s: %w", r.id, errs.ErrNotFound)
	}
	return nil
}

// Apply implements es.Aggregate.
func (r *Reminder) Apply(e es.Event) {
	switch e := e.(type) {
	case ReminderDue:
		r.exists, r.due, r.frequency = true, true, e.Frequency
		r.cycle = Cycle{VehicleID: e.VehicleID, CustomerID: e.CustomerID, Service: e.Service, Cycle: e.Cycle,
			DueAt: e.DueAt, DueKm: e.DueKm, HasDueKm: e.HasDueKm}
	case ReminderSent:
		r.status, r.sentAt = StatusSent, e.At
	case ReminderConverted:
		r.status = StatusBooked
	case ReminderDismissed:
		if !r.exists {
			r.exists = true
			r.cycle = Cycle{VehicleID: e.VehicleID, CustomerID: e.CustomerID, Service: e.Service, Cycle: e.Cycle}
		}
		r.status = StatusDismissed
	}
}

// Recorder implements es.Aggregate.
func (r *Reminder) Recorder() *es.Recorder { return &r.rec }

// ID returns the reminder id.
func (r *Reminder) ID() uuid.UUID { return r.id }

// Cycle returns the due cycle.
func (r *Reminder) Cycle() Cycle { return r.cycle }

// Status returns the status.
func (r *Reminder) Status() Status { return r.status }

// IsDue reports whether a reminder was found due (not only dismissed).
func (r *Reminder) IsDue() bool { return r.due }

// Frequency is the customer's frequency when the reminder fell due.
func (r *Reminder) Frequency() string { return r.frequency }
