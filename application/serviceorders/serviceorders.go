// Package serviceorders holds the use cases of service orders (ordens de
// serviço): opening one with the workshop's next number, moving it along
// its life cycle, reading and listing the board.
//
// Every use case first asks authz.Require; every write waits for the read
// models (read-your-writes) before returning. Orders name their customer
// and vehicle by id only and hold no personal data, so their reads are not
// audited. This module imports no other module of the workshop's records:
// customers and vehicles show their order history through ReadModel and
// ReadAll.
package serviceorders

import (
	"context"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

// Sequence names the per-workshop sequence of order numbers.
const Sequence = "service_order"

// Validation codes this module adds.
const (
	// CodeNotFound: an id in the request body names nothing in this workshop.
	CodeNotFound = "not_found"
	// CodeNotOwned: the vehicle does not belong to the customer named with it.
	CodeNotOwned = "not_owned"
)

// Deps are the ports the service-order use cases need.
type Deps struct {
	// Store loads and appends service-order, vehicle (odometer readings)
	// and customer streams.
	Store eventsourcing.EventStore
	// Numbers appends a new service order with its gapless number.
	Numbers eventsourcing.NumberedAppender
	// Orders reads the service-order board.
	Orders ReadModel
	// Catalogs is optional: without it every workshop uses catalog.Default().
	Catalogs Catalogs
}

// UseCases runs the service-order use cases. Create one per process: its
// repositories serialise commands on one stream within the process.
type UseCases struct {
	base      usecase.Base
	d         Deps
	customers *eventsourcing.Repository[*customer.Customer]
	vehicles  *eventsourcing.Repository[*vehicle.Vehicle]
	orders    *eventsourcing.Repository[*serviceorder.ServiceOrder]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("serviceorders", map[string]bool{
		"Store": d.Store != nil, "Numbers": d.Numbers != nil, "Orders": d.Orders != nil,
	}); err != nil {
		return nil, err
	}
	return &UseCases{
		base:      base.WithDefaults(),
		d:         d,
		customers: eventsourcing.NewRepository(d.Store, customer.StreamType, customer.Blank),
		vehicles:  eventsourcing.NewRepository(d.Store, vehicle.StreamType, vehicle.Blank),
		orders:    eventsourcing.NewRepository(d.Store, serviceorder.StreamType, serviceorder.Blank),
	}, nil
}

func (u *UseCases) catalog(ctx context.Context) (catalog.Catalog, error) {
	if u.d.Catalogs == nil {
		return catalog.Default(), nil
	}
	return u.d.Catalogs.Catalog(ctx)
}
