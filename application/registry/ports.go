package registry

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/catalog"
)

// CustomerReadModel reads the customer 360 read model. Personal fields are
// stored encrypted; the adapter decrypts them for the tenant in ctx.
type CustomerReadModel interface {
	// Customer returns the customer with its profile but without Vehicles.
	// Contact is filled only when withPII is true, so an adapter never even
	// decrypts what the caller may not see. An erased customer is returned
	// with Erased set and no personal data (the anonymised record); an
	// unknown id, or another tenant's, is errs.ErrNotFound.
	Customer(ctx context.Context, id uuid.UUID, withPII bool) (Customer, error)
	// CustomersByID returns the customers that exist and are not erased, in
	// the order of ids (missing ones are skipped), like Customer.
	CustomersByID(ctx context.Context, ids []uuid.UUID, withPII bool) ([]Customer, error)
	// Notes returns the customer's notes, oldest first (none for an erased
	// customer).
	Notes(ctx context.Context, customerID uuid.UUID) ([]Note, error)
	// Consents returns the customer's consent history, oldest first (none
	// for an erased customer).
	Consents(ctx context.Context, customerID uuid.UUID) ([]Consent, error)
}

// VehicleReadModel reads the vehicles read model and odometer history.
type VehicleReadModel interface {
	// Vehicle returns one vehicle; errs.ErrNotFound when unknown. Plate is ""
	// when the owner's personal data was erased.
	Vehicle(ctx context.Context, id uuid.UUID) (Vehicle, error)
	// VehiclesOf returns the vehicles the customer owns now, oldest first.
	VehiclesOf(ctx context.Context, customerID uuid.UUID) ([]Vehicle, error)
	// VehiclesByID returns the vehicles found among ids.
	VehiclesByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Vehicle, error)
	// Readings returns the vehicle's odometer readings in the order recorded.
	Readings(ctx context.Context, vehicleID uuid.UUID) ([]OdometerReading, error)
}

// OrderFilter narrows a list of service orders; zero fields match all.
type OrderFilter struct {
	Status     string
	CustomerID uuid.UUID
	VehicleID  uuid.UUID
}

// ServiceOrderReadModel reads the service-order board.
type ServiceOrderReadModel interface {
	// ServiceOrder returns one order; errs.ErrNotFound when unknown.
	ServiceOrder(ctx context.Context, id uuid.UUID) (ServiceOrder, error)
	// ServiceOrders returns at most limit orders matching f with a number
	// below beforeNumber (0: no bound), newest (highest number) first.
	ServiceOrders(ctx context.Context, f OrderFilter, beforeNumber int64, limit int) ([]ServiceOrder, error)
}

// IndexTerm is one blind-index lookup: a kind (privacy.Kind...) and the
// tenant's blind index of the normalised value.
type IndexTerm struct {
	Kind string
	Hash string
}

// SearchQuery selects customers by blind indexes: a customer matches when
// any term of AnyOf matches it, or when every term of AllOf does (the
// words of a name query). Both empty selects every customer.
type SearchQuery struct {
	AnyOf []IndexTerm
	AllOf []IndexTerm
}

// IsEmpty reports whether the query selects every customer.
func (q SearchQuery) IsEmpty() bool { return len(q.AnyOf) == 0 && len(q.AllOf) == 0 }

// SearchIndex looks customers up by blind indexes.
type SearchIndex interface {
	// SearchCustomers returns the ids of at most limit customers, not erased,
	// matching q, with ids greater than after (uuid.Nil: from the start), in
	// ascending id order.
	SearchCustomers(ctx context.Context, q SearchQuery, after uuid.UUID, limit int) ([]uuid.UUID, error)
}

// Unique-key kinds: what Uniqueness keeps unique within a workshop.
const (
	UniqueDocument = "document" // a customer's CPF/CNPJ; owner is the customer
	UniquePlate    = "plate"    // a vehicle's plate; owner is the vehicle
)

// Claim is the outcome of Uniqueness.Claim.
type Claim struct {
	// Holder owns the key now: the caller's owner when the claim succeeded.
	Holder uuid.UUID
	// Fresh is true when this call created the claim (so undoing it is the
	// caller's job if its write fails).
	Fresh bool
	// Age is how long the holder has held the key.
	Age time.Duration
}

// Uniqueness keeps values unique within the tenant in ctx, synchronously,
// because read models are only eventually consistent. Keys are blind
// indexes, never plaintext.
type Uniqueness interface {
	// Claim reserves key of kind for owner. When another owner holds it the
	// claim fails softly: the result names the holder and nothing changes.
	// Claiming a key the owner already holds succeeds with Fresh false.
	Claim(ctx context.Context, kind, key string, owner uuid.UUID) (Claim, error)
	// Takeover moves a key from a holder that no longer exists (a write that
	// died between claim and append) to owner; false when from no longer
	// holds it.
	Takeover(ctx context.Context, kind, key string, from, owner uuid.UUID) (bool, error)
	// Release frees key if owner holds it (no error otherwise).
	Release(ctx context.Context, kind, key string, owner uuid.UUID) error
	// ReleaseOwner frees every key of kind that owner holds.
	ReleaseOwner(ctx context.Context, kind string, owner uuid.UUID) error
}

// AuditFilter narrows the audit log; zero fields match all.
type AuditFilter struct {
	SubjectID uuid.UUID
	Actor     string
}

// AuditLog records and lists reads of personal data (LGPD accountability).
type AuditLog interface {
	// Record stores entries in the tenant of ctx; it is all or nothing.
	Record(ctx context.Context, entries []AuditEntry) error
	// List returns at most limit entries matching f with ids below before
	// (uuid.Nil: no bound), newest first.
	List(ctx context.Context, f AuditFilter, before uuid.UUID, limit int) ([]AuditEntry, error)
}

// MessageLog tells which messages were sent to a customer (e-mail,
// WhatsApp, SMS, portal), for the data export.
type MessageLog interface {
	// MessagesTo returns the messages sent to the customer, oldest first.
	MessagesTo(ctx context.Context, customerID uuid.UUID) ([]Message, error)
}

// Catalogs gives the service catalogue of the tenant in ctx (the default
// codes plus the workshop's own).
type Catalogs interface {
	Catalog(ctx context.Context) (catalog.Catalog, error)
}
