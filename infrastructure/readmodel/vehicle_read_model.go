package readmodel

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/errs"
)

var _ vehicles.ReadModel = (*PostgresVehicleReadModel)(nil)

// PostgresVehicleReadModel reads registry_vehicles and
// registry_odometer_readings, decrypting plates.
type PostgresVehicleReadModel struct{ tenantReads }

// NewVehicleReadModel returns the adapter; pool connects as the runtime
// role.
func NewVehicleReadModel(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresVehicleReadModel {
	return &PostgresVehicleReadModel{tenantReads{pool: pool, cipher: cipher}}
}

type vehicleRow struct {
	v     vehicles.Vehicle
	plate *string
}

const vehicleSelect = `SELECT vehicle_id, customer_id, plate_enc, make, model, year, color, mileage_km, registered_at, version
	FROM registry_vehicles`

func scanVehicle(row pgx.CollectableRow) (vehicleRow, error) {
	var v vehicleRow
	err := row.Scan(&v.v.ID, &v.v.CustomerID, &v.plate, &v.v.Make, &v.v.Model, &v.v.Year, &v.v.Color, &v.v.MileageKm,
		&v.v.RegisteredAt, &v.v.Version)
	return v, err
}

func (r *PostgresVehicleReadModel) vehicles(ctx context.Context, where string, args ...any) ([]vehicles.Vehicle, error) {
	rows, err := collectTenant(ctx, r.tenantReads, scanVehicle, vehicleSelect+` WHERE tenant_id = $1 AND `+where+` ORDER BY vehicle_id`, args...)
	if err != nil {
		return nil, err
	}
	out := make([]vehicles.Vehicle, 0, len(rows))
	for _, row := range rows {
		v := row.v
		if v.Plate, err = r.open(ctx, v.CustomerID, plateField(v.ID), row.plate); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Vehicle implements vehicles.ReadModel.
func (r *PostgresVehicleReadModel) Vehicle(ctx context.Context, id uuid.UUID) (vehicles.Vehicle, error) {
	vs, err := r.vehicles(ctx, `vehicle_id = $2`, id)
	if err != nil {
		return vehicles.Vehicle{}, err
	}
	if len(vs) == 0 {
		return vehicles.Vehicle{}, fmt.Errorf("vehicle %s: %w", id, errs.ErrNotFound)
	}
	return vs[0], nil
}

// VehiclesOf implements vehicles.ReadModel.
func (r *PostgresVehicleReadModel) VehiclesOf(ctx context.Context, customerID uuid.UUID) ([]vehicles.Vehicle, error) {
	return r.vehicles(ctx, `customer_id = $2`, customerID)
}

// VehiclesByID implements vehicles.ReadModel.
func (r *PostgresVehicleReadModel) VehiclesByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]vehicles.Vehicle, error) {
	out := map[uuid.UUID]vehicles.Vehicle{}
	if len(ids) == 0 {
		return out, nil
	}
	vs, err := r.vehicles(ctx, `vehicle_id = ANY($2)`, ids)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		out[v.ID] = v
	}
	return out, nil
}

// Readings implements vehicles.ReadModel.
func (r *PostgresVehicleReadModel) Readings(ctx context.Context, vehicleID uuid.UUID) ([]vehicles.OdometerReading, error) {
	return collectTenant(ctx, r.tenantReads, func(row pgx.CollectableRow) (vehicles.OdometerReading, error) {
		var o vehicles.OdometerReading
		err := row.Scan(&o.Km, &o.ReadAt, &o.Source, &o.NewOdometer)
		return o, err
	}, `SELECT km, read_at, source, new_odometer FROM registry_odometer_readings
			WHERE tenant_id = $1 AND vehicle_id = $2 ORDER BY version`, vehicleID)
}
