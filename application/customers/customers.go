// Package customers holds the use cases of a workshop's customers: their
// registration, reading, correction (the LGPD right to correction), search,
// service history and the workshop's notes about them.
//
// Every use case first asks authz.Require; every write waits for the read
// models (read-your-writes) before returning; every read of personal data
// is recorded in the audit log before the data is returned (fail closed).
// A document is unique in the workshop (uniquekeys).
//
// A customer's view includes the vehicles they own and their service
// orders, so this module reads through vehicles and serviceorders; neither
// imports it back.
package customers

import (
	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
)

// DefaultSource is the consent source recorded when the caller names none:
// the request came through the API.
const DefaultSource = "api"

// Deps are the ports the customer use cases need.
type Deps struct {
	// Store loads and appends customer streams.
	Store eventsourcing.EventStore
	// Index computes blind indexes for search and uniqueness.
	Index privacy.BlindIndexer
	// Customers reads the customer 360 read model.
	Customers ReadModel
	// Profile, optional, reads the customer 360 and writes its audit row in
	// one transaction.
	Profile ProfileReader
	// Vehicles reads the vehicles a customer owns.
	Vehicles vehicles.ReadModel
	// Orders reads a customer's service orders.
	Orders serviceorders.ReadModel
	// Finder, optional, finds customers and writes the audit row of the
	// read in one transaction.
	Finder Finder
	// Search looks customers up by blind indexes.
	Search SearchIndex
	// Uniqueness holds the claims of documents.
	Uniqueness uniquekeys.Store
	// Audit records the reads of personal data.
	Audit auditlog.Log
}

// UseCases runs the customer use cases. Create one per process: its
// repository serialises commands on one stream within the process.
type UseCases struct {
	base      usecase.Base
	d         Deps
	audit     auditlog.Recorder
	keys      uniquekeys.Claimer
	customers *eventsourcing.Repository[*customer.Customer]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("customers", map[string]bool{
		"Store": d.Store != nil, "Index": d.Index != nil, "Customers": d.Customers != nil,
		"Vehicles": d.Vehicles != nil, "Orders": d.Orders != nil, "Search": d.Search != nil,
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
	}, nil
}

// canReadPII reports whether the principal may see document, e-mail,
// phones and address.
// canReadPII: a car owner's principal only ever reaches a use case on their
// own records (authz.RequireOnCustomer), so they see their own contact data.
func canReadPII(p authz.Principal) bool {
	return authz.Allowed(p.Role, authz.ReadCustomerPII) || p.Role == authz.RoleCustomer
}
