// Package vehicles holds the use cases of a workshop's vehicles: adding one
// to a customer, reading it, correcting it, its service history across
// owners and its transfer to another customer.
//
// Every use case first asks authz.Require; every write waits for the read
// models (read-your-writes) before returning; a plate is personal data of
// the vehicle's current owner, so every read of one is recorded in the
// audit log before the data is returned (fail closed). A plate is unique in
// the workshop (uniquekeys). The module shows a vehicle's service orders
// through serviceorders, which knows nothing of it.
package vehicles

import (
	"fmt"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/vehicle"
)

// CodeNotFound is the validation code of an id in the request body that
// names nothing in this workshop.
const CodeNotFound = "not_found"

// Deps are the ports the vehicle use cases need.
type Deps struct {
	// Store loads and appends vehicle streams and loads customer streams.
	Store eventsourcing.EventStore
	// Index computes the blind indexes plates are kept unique under.
	Index privacy.BlindIndexer
	// Vehicles reads the vehicles read model and odometer history.
	Vehicles ReadModel
	// Orders reads the service orders of a vehicle's history.
	Orders serviceorders.ReadModel
	// Uniqueness holds the claims of plates.
	Uniqueness uniquekeys.Store
	// Audit records the reads of plates.
	Audit auditlog.Log
}

// UseCases runs the vehicle use cases. Create one per process: its
// repositories serialise commands on one stream within the process.
type UseCases struct {
	base      usecase.Base
	d         Deps
	audit     auditlog.Recorder
	keys      uniquekeys.Claimer
	customers *eventsourcing.Repository[*customer.Customer]
	vehicles  *eventsourcing.Repository[*vehicle.Vehicle]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("vehicles", map[string]bool{
		"Store": d.Store != nil, "Index": d.Index != nil, "Vehicles": d.Vehicles != nil, "Orders": d.Orders != nil,
		"Uniqueness": d.Uniqueness != nil, "Audit": d.Audit != nil,
	}); err != nil {
		return nil, err
	}
	base = base.WithDefaults()
	return &UseCases{
		base:      base,
		d:         d,
		audit:     auditlog.NewRecorder(d.Audit, base),
		keys:      uniquekeys.Claimer{Index: d.Index, Store: d.Uniqueness, Logger: base.Logger},
		customers: eventsourcing.NewRepository(d.Store, customer.StreamType, customer.Blank),
		vehicles:  eventsourcing.NewRepository(d.Store, vehicle.StreamType, vehicle.Blank),
	}, nil
}

// errArchived refuses changes to a vehicle whose owner was erased: it is
// kept only as the anonymised service record and has no plate to change.
var errArchived = fmt.Errorf("the vehicle's owner was erased; it is kept only as an anonymised service record: %w",
	errs.ErrIllegalTransition)
