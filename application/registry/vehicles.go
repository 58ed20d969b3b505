package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/vehicle"
)

// Validation codes this package adds.
const (
	// CodeNotFound: an id in the request body names nothing in this workshop.
	CodeNotFound = "not_found"
	// CodeNotOwned: the vehicle does not belong to the customer named with it.
	CodeNotOwned = "not_owned"
)

// AddVehicleInput is POST .../customers/{id}/vehicles.
type AddVehicleInput struct {
	CustomerID uuid.UUID
	Vehicle    vehicle.RegisterInput
}

// AddVehicle registers a vehicle of the customer. A plate already in the
// workshop (in either its old or Mercosul form) is a *errs.ConflictError
// naming the existing vehicle.
func (s *Service) AddVehicle(ctx context.Context, in AddVehicleInput) (Vehicle, error) {
	if _, err := authz.Require(ctx, authz.WriteVehicle); err != nil {
		return Vehicle{}, err
	}
	if err := s.requireActiveCustomer(ctx, in.CustomerID); err != nil {
		return Vehicle{}, err
	}
	id := s.d.NewID()
	v, err := vehicle.Register(id, in.CustomerID, in.Vehicle, s.now())
	if err != nil {
		return Vehicle{}, err
	}
	cl, err := s.claim(ctx, UniquePlate, v.Plate(), id, s.vehicleAlive)
	if err != nil {
		return Vehicle{}, err
	}
	res, err := s.vehicles.Create(ctx, id, v)
	if err != nil {
		cl.undo(ctx)
		return Vehicle{}, err
	}
	s.await(ctx, res)
	return vehicleFromAggregate(v, res.ToVersion), nil
}

// requireActiveCustomer fails with errs.ErrNotFound unless the customer
// exists in this workshop and was not erased. It reads the event store, not
// a read model, so a customer registered a moment ago is found.
func (s *Service) requireActiveCustomer(ctx context.Context, id uuid.UUID) error {
	ok, err := s.customerAlive(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("customer %s: %w", id, errs.ErrNotFound)
	}
	return nil
}

// errArchived refuses changes to a vehicle whose owner was erased: it is
// kept only as the anonymised service record and has no plate to change.
var errArchived = fmt.Errorf("the vehicle's owner was erased; it is kept only as an anonymised service record: %w",
	errs.ErrIllegalTransition)

// loadActiveVehicle loads a vehicle whose owner still exists.
func (s *Service) loadActiveVehicle(ctx context.Context, id uuid.UUID) (*vehicle.Vehicle, error) {
	v, err := s.vehicles.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.customerAlive(ctx, v.CustomerID())
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errArchived
	}
	return v, nil
}

func vehicleFromAggregate(v *vehicle.Vehicle, version int64) Vehicle {
	out := Vehicle{
		ID: v.ID(), CustomerID: v.CustomerID(), Plate: v.Plate(), Make: v.Make(), Model: v.Model(),
		Year: v.Year(), Color: v.Color(), RegisteredAt: v.RegisteredAt(), Version: version,
	}
	if km, ok := v.MileageKm(); ok {
		out.MileageKm = &km
	}
	return out
}

// GetVehicle returns one vehicle (GET .../vehicles/{id}); its plate is the
// owner's personal data, so the read is audited.
func (s *Service) GetVehicle(ctx context.Context, id uuid.UUID) (Vehicle, error) {
	p, err := authz.Require(ctx, authz.ReadVehicle)
	if err != nil {
		return Vehicle{}, err
	}
	v, err := s.d.Vehicles.Vehicle(ctx, id)
	if err != nil {
		return Vehicle{}, err
	}
	var rs reads
	rs.addVehicles(v)
	if err := s.audit(ctx, p, EndpointGetVehicle, rs); err != nil {
		return Vehicle{}, err
	}
	return v, nil
}

// CorrectVehicleInput is PATCH .../vehicles/{id}.
type CorrectVehicleInput struct {
	VehicleID uuid.UUID
	Patch     vehicle.Patch
	// ExpectedVersion is the If-Match version (nil: none).
	ExpectedVersion *int64
}

// CorrectVehicle changes plate, make, model, year or colour. A new plate
// held by another vehicle is a *errs.ConflictError.
func (s *Service) CorrectVehicle(ctx context.Context, in CorrectVehicleInput) (Vehicle, error) {
	if _, err := authz.Require(ctx, authz.WriteVehicle); err != nil {
		return Vehicle{}, err
	}
	if _, err := s.loadActiveVehicle(ctx, in.VehicleID); err != nil {
		return Vehicle{}, err
	}
	newPlate := ""
	if in.Patch.Plate != nil {
		newPlate = *in.Patch.Plate
	}
	cl, err := s.claim(ctx, UniquePlate, newPlate, in.VehicleID, s.vehicleAlive)
	if err != nil {
		return Vehicle{}, err
	}
	now := s.now()
	var after *vehicle.Vehicle
	var oldPlate string
	res, err := s.vehicles.Update(ctx, in.VehicleID, func(v *vehicle.Vehicle) error {
		oldPlate = v.Plate()
		if err := v.Correct(in.Patch, now); err != nil {
			return err
		}
		after = v
		return nil
	}, updateOptions(in.ExpectedVersion)...)
	if err != nil {
		cl.undo(ctx)
		return Vehicle{}, err
	}
	if oldPlate != after.Plate() && !samePlateKey(oldPlate, after.Plate()) {
		s.release(ctx, UniquePlate, oldPlate, in.VehicleID)
	}
	s.await(ctx, res)
	return vehicleFromAggregate(after, res.ToVersion), nil
}

// samePlateKey reports whether two plates share one unique key (an old
// plate and its Mercosul conversion).
func samePlateKey(a, b string) bool {
	ta, oka := PlateTerm(a)
	tb, okb := PlateTerm(b)
	return oka && okb && ta == tb
}

// VehicleHistory returns the vehicle with every service order done on it,
// whoever owned it then, newest first, and its odometer readings.
func (s *Service) VehicleHistory(ctx context.Context, id uuid.UUID) (VehicleHistory, error) {
	p, err := authz.Require(ctx, authz.ReadVehicle)
	if err != nil {
		return VehicleHistory{}, err
	}
	v, err := s.d.Vehicles.Vehicle(ctx, id)
	if err != nil {
		return VehicleHistory{}, err
	}
	out := VehicleHistory{Vehicle: v}
	if out.ServiceOrders, err = s.allOrders(ctx, OrderFilter{VehicleID: id}); err != nil {
		return VehicleHistory{}, err
	}
	if out.Readings, err = s.d.Vehicles.Readings(ctx, id); err != nil {
		return VehicleHistory{}, err
	}
	out.Readings = nonNil(out.Readings)
	var rs reads
	rs.addVehicles(v)
	if err := s.audit(ctx, p, EndpointVehicleHistory, rs); err != nil {
		return VehicleHistory{}, err
	}
	return out, nil
}

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
func (s *Service) TransferVehicle(ctx context.Context, in TransferVehicleInput) (Vehicle, error) {
	if _, err := authz.Require(ctx, authz.TransferVehicle); err != nil {
		return Vehicle{}, err
	}
	newOwner, err := parseBodyID(vehicle.FieldCustomerID, in.CustomerID)
	if err != nil {
		return Vehicle{}, err
	}
	if _, err := s.loadActiveVehicle(ctx, in.VehicleID); err != nil {
		return Vehicle{}, err
	}
	if err := s.requireActiveCustomer(ctx, newOwner); errors.Is(err, errs.ErrNotFound) {
		return Vehicle{}, errs.Invalid(vehicle.FieldCustomerID, CodeNotFound, "no such customer in this workshop")
	} else if err != nil {
		return Vehicle{}, err
	}
	now := s.now()
	var after *vehicle.Vehicle
	res, err := s.vehicles.Update(ctx, in.VehicleID, func(v *vehicle.Vehicle) error {
		if err := v.TransferTo(newOwner, now); err != nil {
			return err
		}
		after = v
		return nil
	}, updateOptions(in.ExpectedVersion)...)
	if err != nil {
		return Vehicle{}, err
	}
	s.await(ctx, res)
	return vehicleFromAggregate(after, res.ToVersion), nil
}

// parseBodyID parses a required id given in a request body.
func parseBodyID(field, s string) (uuid.UUID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return uuid.Nil, errs.Invalid(field, br.CodeRequired, field+" is required")
	}
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, errs.Invalid(field, br.CodeInvalidFormat, field+" must be a UUID")
	}
	return id, nil
}
