package vehicles

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
)

// VehicleHistory returns the vehicle with every service order done on it,
// whoever owned it then, newest first, and its odometer readings.
func (u *UseCases) VehicleHistory(ctx context.Context, id uuid.UUID) (VehicleHistory, error) {
	p, err := authz.Require(ctx, authz.ReadVehicle)
	if err != nil {
		return VehicleHistory{}, err
	}
	v, err := u.d.Vehicles.Vehicle(ctx, id)
	if err != nil {
		return VehicleHistory{}, err
	}
	out := VehicleHistory{Vehicle: v}
	if out.ServiceOrders, err = serviceorders.ReadAll(ctx, u.d.Orders, serviceorders.Filter{VehicleID: id}); err != nil {
		return VehicleHistory{}, err
	}
	if out.Readings, err = u.d.Vehicles.Readings(ctx, id); err != nil {
		return VehicleHistory{}, err
	}
	out.Readings = pagination.NonNil(out.Readings)
	var rs auditlog.Reads
	AddPlateReads(&rs, v)
	if err := u.audit.Record(ctx, p, EndpointVehicleHistory, rs); err != nil {
		return VehicleHistory{}, err
	}
	return out, nil
}
