package maintenance

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// Events of the reminder stream (one stream per due cycle, see
// ReminderID), with stable versioned names and primitive fields. They name
// the customer by id only and hold no personal data.

// ReminderDue records that a service of a vehicle falls due within the lead
// time and a reminder is to be sent on the customer's Frequency. It is the
// first event of its stream, so it is recorded once per due cycle.
type ReminderDue struct {
	VehicleID  uuid.UUID
	CustomerID uuid.UUID
	Service    string
	Cycle      string
	DueAt      time.Time
	DueKm      int64
	HasDueKm   bool
	Frequency  string
	At         time.Time
}

// ReminderSent records that the reminder went out on Channel ("email").
type ReminderSent struct {
	VehicleID uuid.UUID
	Service   string
	Channel   string
	At        time.Time
}

// ReminderConverted records that the order OrderID was opened for the
// vehicle within the conversion window after the reminder was sent.
type ReminderConverted struct {
	VehicleID  uuid.UUID
	CustomerID uuid.UUID
	Service    string
	Cycle      string
	OrderID    uuid.UUID
	SentAt     time.Time
	OpenedAt   time.Time
	At         time.Time
}

// ReminderDismissed records that staff member By (an identity id)
// dismissed the reminder of this cycle.
type ReminderDismissed struct {
	VehicleID  uuid.UUID
	CustomerID uuid.UUID
	Service    string
	Cycle      string
	By         string
	At         time.Time
}

// EventName implements es.Event.
func (ReminderDue) EventName() string { return "maintenance.reminder_due.v1" }

// EventName implements es.Event.
func (ReminderSent) EventName() string { return "maintenance.reminder_sent.v1" }

// EventName implements es.Event.
func (ReminderConverted) EventName() string { return "maintenance.reminder_converted.v1" }

// EventName implements es.Event.
func (ReminderDismissed) EventName() string { return "maintenance.reminder_dismissed.v1" }

// Events lists every event type of the reminder stream; none holds
// personal data.
var Events = es.Catalogue{
	{Event: ReminderDue{}},
	{Event: ReminderSent{}},
	{Event: ReminderConverted{}},
	{Event: ReminderDismissed{}},
}
