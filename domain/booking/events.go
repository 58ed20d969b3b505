package booking

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// Events of the booking streams, with stable versioned names and primitive
// fields (encoding/json, no tags: the Go field name is the JSON key).
//
// A workshop has one settings stream (SettingsStreamType) and one stream
// per local calendar day with appointments (DayStreamType): the day is the
// unit of consistency, so the capacity check and the booking that passes it
// are one optimistic append, and two bookings of the last free bay cannot
// both succeed. Appointments name the customer and the vehicle by id only;
// Note is the car owner's remark about the job (like a service order's
// description) and may name them, so from schema 2 on it is sealed with the
// customer's key (issue 10, item 9) and reads "[removido]" once the
// customer is erased; schema-1 payloads hold it in the clear and still load.

// ServiceDuration is how long one service of the catalogue takes.
type ServiceDuration struct {
	Service string
	Minutes int
}

// SettingsChanged records the workshop's booking settings: how many
// appointments may overlap (bays), the grid of start times (SlotMinutes)
// and the duration of each service.
type SettingsChanged struct {
	Bays           int
	SlotMinutes    int
	ServiceMinutes []ServiceDuration
	ChangedAt      time.Time
}

// AppointmentBooked records an appointment of CustomerID's vehicle from
// Start to End (UTC) on local day Day ("2006-01-02"), for Services.
// BookedBy is "customer" (portal) or "staff".
type AppointmentBooked struct {
	AppointmentID uuid.UUID
	CustomerID    uuid.UUID
	VehicleID     uuid.UUID
	Day           string
	Start         time.Time
	End           time.Time
	Services      []string
	Note          string
	BookedBy      string
	BookedAt      time.Time
}

// AppointmentStatusChanged records a move of an appointment from status
// From to To. ServiceOrderID is the order opened on arrival (uuid.Nil
// otherwise); By is "customer" or "staff".
type AppointmentStatusChanged struct {
	AppointmentID  uuid.UUID
	CustomerID     uuid.UUID
	From           string
	To             string
	ServiceOrderID uuid.UUID
	By             string
	ChangedAt      time.Time
}

// EventName implements es.Event.
func (SettingsChanged) EventName() string { return "booking.settings_changed.v1" }

// EventName implements es.Event.
func (AppointmentBooked) EventName() string { return "booking.appointment_booked.v1" }

// EventName implements es.Event.
func (AppointmentStatusChanged) EventName() string { return "booking.appointment_status_changed.v1" }

// Events lists every event type of the booking streams.
var Events = es.Catalogue{
	{Event: SettingsChanged{}},
	{Event: AppointmentBooked{}, Subject: "CustomerID", Personal: []string{"Note"},
		SealedFrom: map[string]int{"Note": 2}, Upcasters: []es.Upcaster{sameShape}},
	{Event: AppointmentStatusChanged{}},
}

// sameShape is the upcaster of a schema bump that only changed which
// fields are sealed: the clear payload keeps its shape.
func sameShape(p []byte) ([]byte, error) { return p, nil }
