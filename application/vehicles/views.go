package vehicles

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/domain/vehicle"
)

// Vehicle is a vehicle as the API shows it.
type Vehicle struct {
	ID         uuid.UUID
	CustomerID uuid.UUID
	// Plate is normalised ("BRA2E19", "ABC1234"); "" once the owner's
	// personal data was erased (the anonymised service record).
	Plate string
	Make  string
	Model string
	Year  int
	Color string
	// MileageKm is the last odometer reading (nil: none).
	MileageKm    *int64
	RegisteredAt time.Time
	Version      int64
}

// OdometerReading is one odometer reading of a vehicle.
type OdometerReading struct {
	Km     int64
	ReadAt time.Time
	// Source is "service_order" or "manual".
	Source string
	// NewOdometer marks the first reading after the odometer was replaced.
	NewOdometer bool
}

// VehicleHistory is the service history of one vehicle, across owners.
type VehicleHistory struct {
	Vehicle Vehicle
	// ServiceOrders are newest first.
	ServiceOrders []serviceorders.ServiceOrder
	// Readings are in the order recorded.
	Readings []OdometerReading
}

// fromAggregate builds the view of a vehicle just written.
func fromAggregate(v *vehicle.Vehicle, version int64) Vehicle {
	out := Vehicle{
		ID: v.ID(), CustomerID: v.CustomerID(), Plate: v.Plate(), Make: v.Make(), Model: v.Model(),
		Year: v.Year(), Color: v.Color(), RegisteredAt: v.RegisteredAt(), Version: version,
	}
	if km, ok := v.MileageKm(); ok {
		out.MileageKm = &km
	}
	return out
}
