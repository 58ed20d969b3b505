package vehicles

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/alive"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/vehicle"
)

// requireActiveCustomer fails with errs.ErrNotFound unless the customer
// exists in this workshop and was not erased.
func (u *UseCases) requireActiveCustomer(ctx context.Context, id uuid.UUID) error {
	ok, err := alive.Customer(ctx, u.customers, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("customer %s: %w", id, errs.ErrNotFound)
	}
	return nil
}

// loadActiveVehicle loads a vehicle whose owner still exists.
func (u *UseCases) loadActiveVehicle(ctx context.Context, id uuid.UUID) (*vehicle.Vehicle, error) {
	v, err := u.vehicles.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := alive.Customer(ctx, u.customers, v.CustomerID())
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errArchived
	}
	return v, nil
}

// vehicleAlive reports whether a vehicle exists and its owner is not erased.
func (u *UseCases) vehicleAlive(ctx context.Context, id uuid.UUID) (bool, error) {
	v, err := u.vehicles.Load(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return alive.Customer(ctx, u.customers, v.CustomerID())
}
