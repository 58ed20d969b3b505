// Package datasubject holds the use cases of the data-subject rights of
// the LGPD (art. 18) that are not plain customer edits: the export of
// everything the workshop holds about a person (portability), erasure,
// the consent history, and the audit log of who read whose personal data.
// (Correction is customers.CorrectCustomer.)
//
// It is a module of its own, not part of application/privacy, because it
// reads every other module of the workshop's records (customers, vehicles,
// serviceorders), while those modules use privacy's ports and search terms:
// privacy stays at the bottom, datasubject at the top.
//
// Every use case first asks authz.Require; every write waits for the read
// models (read-your-writes) before returning; every read of personal data
// is recorded in the audit log before the data is returned (fail closed).
package datasubject

import (
	"strings"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
)

// Deps are the ports the data-subject use cases need.
type Deps struct {
	// Store loads and appends customer streams.
	Store eventsourcing.EventStore
	// SubjectKeys shreds a person's key on erasure.
	SubjectKeys privacy.SubjectKeys
	// Customers reads profiles and notes.
	Customers customers.ReadModel
	// Consents reads consent histories.
	Consents ConsentHistory
	// Vehicles reads a person's vehicles and their odometer readings.
	Vehicles vehicles.ReadModel
	// Orders reads a person's service orders.
	Orders serviceorders.ReadModel
	// Uniqueness frees an erased person's document and plates.
	Uniqueness uniquekeys.Store
	// Audit records the reads of personal data and lists them.
	Audit auditlog.Log
	// Messages is optional: without it the export lists no messages.
	Messages MessageLog
}

// UseCases runs the data-subject use cases. Create one per process: its
// repository serialises commands on one stream within the process.
type UseCases struct {
	base      usecase.Base
	d         Deps
	audit     auditlog.Recorder
	customers *eventsourcing.Repository[*customer.Customer]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("datasubject", map[string]bool{
		"Store": d.Store != nil, "SubjectKeys": d.SubjectKeys != nil, "Customers": d.Customers != nil,
		"Consents": d.Consents != nil, "Vehicles": d.Vehicles != nil, "Orders": d.Orders != nil,
		"Uniqueness": d.Uniqueness != nil, "Audit": d.Audit != nil,
	}); err != nil {
		return nil, err
	}
	base = base.WithDefaults()
	return &UseCases{
		base:      base,
		d:         d,
		audit:     auditlog.NewRecorder(d.Audit, base),
		customers: eventsourcing.NewRepository(d.Store, customer.StreamType, customer.Blank),
	}, nil
}

// sourceOrDefault is where a consent was collected: as named, or through
// the API.
func sourceOrDefault(s string) string {
	if strings.TrimSpace(s) == "" {
		return customers.DefaultSource
	}
	return s
}
