package vehicles

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/vehicle"
)

// TransferVehicleInput is POST .../vehicles/{id}/transfer.
type TransferVehicleInput struct {
	VehicleID uuid.UUID
	// CustomerID is the new owner, as received ("customer_id").
	CustomerID string
	// ExpectedVersion is the If-Match version (nil: none).
	ExpectedVersion *int64
}

// TransferVehicle gives the vehicle to another customer of the same
// workshop; it keeps its readings and service history. A new owner that
// does not exist here is a validation error on customer_id.
func (u *UseCases) TransferVehicle(ctx context.Context, in TransferVehicleInput) (Vehicle, error) {
	if _, err := authz.Require(ctx, authz.TransferVehicle); err != nil {
		return Vehicle{}, err
	}
	newOwner, err := parseBodyID(vehicle.FieldCustomerID, in.CustomerID)
	if err != nil {
		return Vehicle{}, err
	}
	if _, err := u.loadActiveVehicle(ctx, in.VehicleID); err != nil {
		return Vehicle{}, err
	}
	if err := u.requireActiveCustomer(ctx, newOwner); errors.Is(err, errs.ErrNotFound) {
		return Vehicle{}, errs.Invalid(vehicle.FieldCustomerID, CodeNotFound, "no such customer in this workshop")
	} else if err != nil {
		return Vehicle{}, err
	}
	now := u.base.Now()
	var after *vehicle.Vehicle
	res, err := u.vehicles.Update(ctx, in.VehicleID, func(v *vehicle.Vehicle) error {
		if err := v.TransferTo(newOwner, now); err != nil {
			return err
		}
		after = v
		return nil
	}, usecase.UpdateOptions(in.ExpectedVersion)...)
	if err != nil {
		return Vehicle{}, err
	}
	u.base.Await(ctx, res)
	return fromAggregate(after, res.ToVersion), nil
}
