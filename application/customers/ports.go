package customers

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
)

// ReadModel reads the customer 360 read model. Personal fields are
// stored encrypted; the adapter decrypts them for the tenant in ctx.
type ReadModel interface {
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
}

// ProfileReader reads a customer 360 and records the read in the audit log
// in one statement (an optional port: without it GetCustomer reads through
// ReadModel and vehicles.ReadModel and then writes the audit log).
type ProfileReader interface {
	// Profile returns the customer as ReadModel.Customer does, with its
	// Vehicles (ordered by id, never nil); an erased customer is
	// errs.ErrNotFound. The same statement stores read, the audit entry of
	// this read, with its Fields set to what ProfileReads names for the
	// returned view (none: nothing is stored). The adapter computes them from
	// the stored columns, so the data and its audit row are one snapshot and
	// one round trip; when the entry cannot be stored, nothing is returned
	// but the error (fail closed).
	Profile(ctx context.Context, id uuid.UUID, withPII bool, read auditlog.Entry) (Customer, error)
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

// Finder finds customers by blind indexes and records the read in the
// audit log in one tenant transaction (an optional port: without it
// SearchCustomers asks SearchIndex for ids, then ReadModel for the
// customers, then writes the audit log).
type Finder interface {
	// FindCustomers reads at most limit customers matching q as
	// SearchIndex.SearchCustomers does, in id order, and offers them to
	// accept one by one with their names only, until accept says it is done.
	// Only the accepted ones are read in full, as ReadModel.CustomersByID
	// does: a name search drops the candidates that only share a bucket with
	// the query, and neither their contact nor, after accept is done, their
	// name is decrypted. Then audit is called with the kept customers and the
	// entries it returns are stored in the same transaction: when they
	// cannot be stored, nothing is returned but the error (fail closed).
	FindCustomers(ctx context.Context, q SearchQuery, after uuid.UUID, limit int, withPII bool,
		accept func(candidate Customer) (keep, done bool), audit func(kept []Customer) []auditlog.Entry) (Found, error)
}

// Found is what one FindCustomers read: the kept customers and whether
// the candidates ran out before accept was done (Exhausted), else the last
// candidate offered (where the next read starts).
type Found struct {
	Kept      []Customer
	Exhausted bool
	Last      uuid.UUID
}

// SearchIndex looks customers up by blind indexes.
type SearchIndex interface {
	// SearchCustomers returns the ids of at most limit customers, not erased,
	// matching q, with ids greater than after (uuid.Nil: from the start), in
	// ascending id order.
	SearchCustomers(ctx context.Context, q SearchQuery, after uuid.UUID, limit int) ([]uuid.UUID, error)
}
