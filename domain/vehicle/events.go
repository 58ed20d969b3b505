package vehicle

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// Events of the vehicle stream, with stable versioned names and primitive
// fields (serialised by encoding/json in infrastructure, no tags).
//
// The plate identifies the owner in practice, so it is personal data of the
// owner at the time of the event, named by CustomerID; Events lists it for
// the privacy layer. Applying an event never re-parses it, so the
// placeholder that replaces it after the owner's erasure applies like any
// other text.

// Registered records a vehicle of the customer CustomerID. Plate is
// normalised ("ABC1234" or "ABC1D23"), Color is "" when not given. An
// initial odometer reading follows as a MileageRecorded event.
type Registered struct {
	CustomerID   uuid.UUID
	Plate        string
	Make         string
	Model        string
	Year         int64
	Color        string
	RegisteredAt time.Time
}

// Corrected records new values for some of the vehicle's data. Changed lists
// the fields that changed by their API names ("plate", "make", "model",
// "year", "color"); the other value fields are zero and must be ignored.
// An empty Color in a changed field means the colour was cleared.
type Corrected struct {
	CustomerID  uuid.UUID
	Changed     []string
	Plate       string
	Make        string
	Model       string
	Year        int64
	Color       string
	CorrectedAt time.Time
}

// MileageRecorded records an odometer reading of Km kilometres taken at
// ReadAt; Source is "service_order" or "manual".
type MileageRecorded struct {
	CustomerID uuid.UUID
	Km         int64
	Source     string
	ReadAt     time.Time
}

// OdometerReplaced records that the odometer was replaced or reset, so the
// next reading may be lower than PreviousKm, the last reading before it (0
// when there was none).
type OdometerReplaced struct {
	CustomerID uuid.UUID
	PreviousKm int64
	ReplacedAt time.Time
}

// Transferred records a change of owner from PreviousCustomerID to
// CustomerID. It repeats the plate under the new owner, so that the new
// owner's record keeps it if the previous owner's data is later erased.
type Transferred struct {
	CustomerID         uuid.UUID
	PreviousCustomerID uuid.UUID
	Plate              string
	TransferredAt      time.Time
}

// EventName implements es.Event.
func (Registered) EventName() string { return "vehicle.registered.v1" }

// EventName implements es.Event.
func (Corrected) EventName() string { return "vehicle.corrected.v1" }

// EventName implements es.Event.
func (MileageRecorded) EventName() string { return "vehicle.mileage_recorded.v1" }

// EventName implements es.Event.
func (OdometerReplaced) EventName() string { return "vehicle.odometer_replaced.v1" }

// EventName implements es.Event.
func (Transferred) EventName() string { return "vehicle.transferred.v1" }

// Events lists every event type of the vehicle stream, with the fields
// holding personal data of the owner named by CustomerID.
var Events = es.Catalogue{
	{Event: Registered{}, Subject: "CustomerID", Personal: []string{"Plate"}},
	{Event: Corrected{}, Subject: "CustomerID", Personal: []string{"Plate"}},
	{Event: MileageRecorded{}},
	{Event: OdometerReplaced{}},
	{Event: Transferred{}, Subject: "CustomerID", Personal: []string{"Plate"}},
}
