package vehicles

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/domain/vehicle"
)

// AddVehicleInput is POST .../customers/{id}/vehicles.
type AddVehicleInput struct {
	CustomerID uuid.UUID
	Vehicle    vehicle.RegisterInput
}

// AddVehicle registers a vehicle of the customer. A plate already in the
// workshop (in either its old or Mercosul form) is a *errs.ConflictError
// naming the existing vehicle.
func (u *UseCases) AddVehicle(ctx context.Context, in AddVehicleInput) (Vehicle, error) {
	if _, err := authz.Require(ctx, authz.WriteVehicle); err != nil {
		return Vehicle{}, err
	}
	if err := u.requireActiveCustomer(ctx, in.CustomerID); err != nil {
		return Vehicle{}, err
	}
	id := u.base.NewID()
	v, err := vehicle.Register(id, in.CustomerID, in.Vehicle, u.base.Now())
	if err != nil {
		return Vehicle{}, err
	}
	cl, err := u.keys.Claim(ctx, uniquekeys.Plate, v.Plate(), id, u.vehicleAlive)
	if err != nil {
		return Vehicle{}, err
	}
	res, err := u.vehicles.Create(ctx, id, v)
	if err != nil {
		cl.Undo(ctx)
		return Vehicle{}, err
	}
	u.base.Await(ctx, res)
	return fromAggregate(v, res.ToVersion), nil
}
