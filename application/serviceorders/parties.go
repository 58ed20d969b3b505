package serviceorders

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
)

// checkOrderParties checks, on the event store, that the customer exists
// and the vehicle is theirs.
func (u *UseCases) checkOrderParties(ctx context.Context, customerID, vehicleID uuid.UUID) error {
	var col errs.Collector
	ok, err := u.customerAlive(ctx, customerID)
	if err != nil {
		return err
	}
	if !ok {
		col.Add(serviceorder.FieldCustomerID, CodeNotFound, "no such customer in this workshop")
	}
	v, err := u.vehicles.Load(ctx, vehicleID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		col.Add(serviceorder.FieldVehicleID, CodeNotFound, "no such vehicle in this workshop")
	case err != nil:
		return err
	case ok && v.CustomerID() != customerID:
		col.Add(serviceorder.FieldVehicleID, CodeNotOwned, "the vehicle does not belong to this customer")
	}
	return col.Err()
}

// customerAlive reports whether a customer exists and is not erased. It
// reads the event store, not a read model, so a customer registered a
// moment ago is found.
func (u *UseCases) customerAlive(ctx context.Context, id uuid.UUID) (bool, error) {
	c, err := u.customers.Load(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !c.IsErased(), nil
}
