package vehicles

import (
	"context"

	"github.com/google/uuid"
)

// ReadModel reads the vehicles read model and odometer history.
type ReadModel interface {
	// Vehicle returns one vehicle; errs.ErrNotFound when unknown. Plate is ""
	// when the owner's personal data was erased.
	Vehicle(ctx context.Context, id uuid.UUID) (Vehicle, error)
	// VehiclesOf returns the vehicles the customer owns now, oldest first.
	VehiclesOf(ctx context.Context, customerID uuid.UUID) ([]Vehicle, error)
	// VehiclesByID returns the vehicles found among ids.
	VehiclesByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Vehicle, error)
	// Readings returns the vehicle's odometer readings in the order recorded.
	Readings(ctx context.Context, vehicleID uuid.UUID) ([]OdometerReading, error)
}
