package vehicles

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/vehicle"
)

// CorrectVehicleInput is PATCH .../vehicles/{id}.
type CorrectVehicleInput struct {
	VehicleID uuid.UUID
	Patch     vehicle.Patch
	// ExpectedVersion is the If-Match version (nil: none).
	ExpectedVersion *int64
}

// CorrectVehicle changes plate, make, model, year or colour. A new plate
// held by another vehicle is a *errs.ConflictError.
func (u *UseCases) CorrectVehicle(ctx context.Context, in CorrectVehicleInput) (Vehicle, error) {
	if _, err := authz.Require(ctx, authz.WriteVehicle); err != nil {
		return Vehicle{}, err
	}
	if _, err := u.loadActiveVehicle(ctx, in.VehicleID); err != nil {
		return Vehicle{}, err
	}
	newPlate := ""
	if in.Patch.Plate != nil {
		newPlate = *in.Patch.Plate
	}
	cl, err := u.keys.Claim(ctx, uniquekeys.Plate, newPlate, in.VehicleID, u.vehicleAlive)
	if err != nil {
		return Vehicle{}, err
	}
	now := u.base.Now()
	var after *vehicle.Vehicle
	var oldPlate string
	res, err := u.vehicles.Update(ctx, in.VehicleID, func(v *vehicle.Vehicle) error {
		oldPlate = v.Plate()
		if err := v.Correct(in.Patch, now); err != nil {
			return err
		}
		after = v
		return nil
	}, usecase.UpdateOptions(in.ExpectedVersion)...)
	if err != nil {
		cl.Undo(ctx)
		return Vehicle{}, err
	}
	if oldPlate != after.Plate() && !samePlateKey(oldPlate, after.Plate()) {
		u.keys.Release(ctx, uniquekeys.Plate, oldPlate, in.VehicleID)
	}
	u.base.Await(ctx, res)
	return fromAggregate(after, res.ToVersion), nil
}
