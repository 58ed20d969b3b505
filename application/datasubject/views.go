package datasubject

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
)

// Consent is one entry of a customer's consent history: what (Purpose, on
// Channel; Channel is "" for a withdrawal, which covers every channel),
// when (At), how (Source: "api", "portal", "counter"...) and who recorded
// it (Actor).
type Consent struct {
	Purpose string
	Channel string
	Granted bool
	Source  string
	At      time.Time
	Actor   string
}

// Message is one message sent to a customer.
type Message struct {
	ID       uuid.UUID
	Channel  string
	Template string
	SentAt   time.Time
	Status   string
}

// VehicleExport is a vehicle in the data export, with its readings.
type VehicleExport struct {
	Vehicle  vehicles.Vehicle
	Readings []vehicles.OdometerReading
}

// Export is everything the workshop holds about a person (LGPD data
// portability). After an erasure it is the anonymised record that remains:
// no personal data, the vehicles without plates and the service orders kept
// for warranty.
type Export struct {
	GeneratedAt   time.Time
	Profile       customers.Customer
	Vehicles      []VehicleExport
	ServiceOrders []serviceorders.ServiceOrder
	Notes         []customers.Note
	Consents      []Consent
	Messages      []Message
}
