// Package portal holds the use cases of a workshop's customer portal: a car
// owner's one-time-code login, the scoping of a portal session to the
// customer records whose e-mail it proved, and the self-service on those
// records (profile, vehicles, orders, LGPD export and erasure request). The
// back office's list of pending erasure requests is here too.
//
// Who a car owner is: the portal session's identity is a Kratos "customer"
// identity whose only credential is a one-time code sent to its e-mail, so
// holding a session proves the address. In a workshop, the owner acts for the
// customer records of that workshop with that e-mail (authz.RoleCustomer,
// Principal.CustomerIDs, oldest record first); one person may be a customer
// of several workshops with the one identity.
//
// Every use case on the owner's records first asks authz.Require (PortalRead
// or PortalWrite) and answers errs.ErrNotFound for anything not theirs. The
// login use cases are public (the tenant comes from the portal's slug).
package portal

import (
	"time"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/customer"
)

// CodeLifespan is how long a login code (and its flow) is kept; Kratos's own
// lifespan (deploy/ory/kratos.yml, selfservice.methods.code.config.lifespan)
// must not be shorter.
const CodeLifespan = 15 * time.Minute

// Deps are the ports the portal needs.
type Deps struct {
	// Store loads and appends customer streams (erasure requests).
	Store eventsourcing.EventStore
	// Index computes the tenant's blind index of an e-mail.
	Index privacy.BlindIndexer
	// Search finds the customer records of an e-mail.
	Search customers.SearchIndex
	// Customers reads customer profiles (the name of a new identity).
	Customers customers.ReadModel
	// Records are the customer use cases (get, history, correct), run under
	// the car owner's principal.
	Records Records
	// Exports is the LGPD export use case, run under the car owner's principal.
	Exports Exporter
	// Orders reads service orders.
	Orders serviceorders.ReadModel
	// Directory finds and creates customer identities.
	Directory identity.Directory
	// Codes sends login codes and logs in with them.
	Codes identity.CodeLogin
	// Flows keeps the login flows between the two steps.
	Flows LoginFlows
	// Erasures lists pending erasure requests.
	Erasures ErasureRequests
}

// UseCases runs the portal use cases. Create one per process.
type UseCases struct {
	base      usecase.Base
	d         Deps
	customers *eventsourcing.Repository[*customer.Customer]
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("portal", map[string]bool{
		"Store": d.Store != nil, "Index": d.Index != nil, "Search": d.Search != nil, "Customers": d.Customers != nil,
		"Records": d.Records != nil, "Exports": d.Exports != nil, "Orders": d.Orders != nil,
		"Directory": d.Directory != nil, "Codes": d.Codes != nil, "Flows": d.Flows != nil, "Erasures": d.Erasures != nil,
	}); err != nil {
		return nil, err
	}
	base = base.WithDefaults()
	return &UseCases{base: base, d: d,
		customers: eventsourcing.NewRepository(d.Store, customer.StreamType, customer.Blank)}, nil
}
