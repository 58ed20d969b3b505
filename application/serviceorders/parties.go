package serviceorders

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/alive"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

// checkOrderParties checks, on the event store, that the customer exists
// and the vehicle is theirs, and returns the vehicle as loaded.
func (u *UseCases) checkOrderParties(ctx context.Context, customerID, vehicleID uuid.UUID) (*vehicle.Vehicle, error) {
	var col errs.Collector
	ok, err := alive.Customer(ctx, u.customers, customerID)
	if err != nil {
		return nil, err
	}
	if !ok {
		col.Add(serviceorder.FieldCustomerID, CodeNotFound, "no such customer in this workshop")
	}
	v, err := u.vehicles.Load(ctx, vehicleID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		col.Add(serviceorder.FieldVehicleID, CodeNotFound, "no such vehicle in this workshop")
	case err != nil:
		return nil, err
	case ok && v.CustomerID() != customerID:
		col.Add(serviceorder.FieldVehicleID, CodeNotOwned, "the vehicle does not belong to this customer")
	}
	return v, col.Err()
}
