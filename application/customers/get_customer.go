package customers

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/vehicles"
)

// GetCustomer returns the customer and the vehicles it owns (GET
// .../customers/{id}). Without authz.ReadCustomerPII, Contact is nil. A car
// owner (portal) reads the records they act for, with their contact data.
func (u *UseCases) GetCustomer(ctx context.Context, id uuid.UUID) (Customer, error) {
	p, err := authz.RequireOnCustomer(ctx, authz.ReadCustomer, id)
	if err != nil {
		return Customer{}, err
	}
	if u.d.Profile != nil {
		return u.d.Profile.Profile(ctx, id, canReadPII(p), u.audit.Entry(ctx, p, EndpointGetCustomer, id))
	}
	c, err := ReadActive(ctx, u.d.Customers, id, canReadPII(p))
	if err != nil {
		return Customer{}, err
	}
	if c.Vehicles, err = u.d.Vehicles.VehiclesOf(ctx, id); err != nil {
		return Customer{}, err
	}
	c.Vehicles = pagination.NonNil(c.Vehicles)
	if err := u.audit.Record(ctx, p, EndpointGetCustomer, ProfileReads(c)); err != nil {
		return Customer{}, err
	}
	return c, nil
}

// ProfileReads are the personal fields a customer 360 shows: the name,
// the contact fields that are not empty (with the contact), and
// "vehicle.plate" when a vehicle has a plate, all of the customer.
func ProfileReads(c Customer) auditlog.Reads {
	var rs auditlog.Reads
	rs.Add(c.ID, c.PersonalFields()...)
	vehicles.AddPlateReads(&rs, c.Vehicles...)
	return rs
}
