package vehicles

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
)

// GetVehicle returns one vehicle (GET .../vehicles/{id}); its plate is the
// owner's personal data, so the read is audited.
func (u *UseCases) GetVehicle(ctx context.Context, id uuid.UUID) (Vehicle, error) {
	p, err := authz.Require(ctx, authz.ReadVehicle)
	if err != nil {
		return Vehicle{}, err
	}
	v, err := u.d.Vehicles.Vehicle(ctx, id)
	if err != nil {
		return Vehicle{}, err
	}
	var rs auditlog.Reads
	AddPlateReads(&rs, v)
	if err := u.audit.Record(ctx, p, EndpointGetVehicle, rs); err != nil {
		return Vehicle{}, err
	}
	return v, nil
}
