package readmodel

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/registry"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
)

var (
	_ projection.Projection = CustomerSearchProjection{}
	_ registry.SearchIndex  = (*PostgresRegistryReadModel)(nil)
)

// CustomerSearchProjection maintains customer_search: blind indexes of each
// customer's normalised document, e-mail, phones, name words and prefixes,
// and the plates of the vehicles they own. It is separate from
// RegistryProjection so that a change of normalisation (see
// registry.NameTerms) can be rolled out by rebuilding only this projection.
type CustomerSearchProjection struct {
	// Index computes the tenant's blind indexes.
	Index privacy.BlindIndexer
}

// CustomerSearchProjectionName is the projection's stable name.
const CustomerSearchProjectionName = "customer_search"

// Name implements projection.Projection.
func (CustomerSearchProjection) Name() string { return CustomerSearchProjectionName }

// Handles implements projection.Projection.
func (CustomerSearchProjection) Handles() []string {
	return []string{
		customer.Registered{}.EventName(), customer.Corrected{}.EventName(), customer.Erased{}.EventName(),
		vehicle.Registered{}.EventName(), vehicle.Corrected{}.EventName(), vehicle.Transferred{}.EventName(),
	}
}

// Reset implements projection.Projection.
func (CustomerSearchProjection) Reset(b *pgx.Batch) { b.Queue(`DELETE FROM customer_search`) }

// searchTerms returns the index terms of one searchable customer field
// (named by its API name); nil for the fields that are not searched.
func searchTerms(field, value string) []privacy.Term {
	one := func(t privacy.Term, ok bool) []privacy.Term {
		if !ok {
			return nil
		}
		return []privacy.Term{t}
	}
	switch field {
	case customer.FieldName:
		return registry.NameTerms(value)
	case customer.FieldDocument:
		return one(registry.DocumentTerm(value))
	case customer.FieldEmail:
		return one(registry.EmailTerm(value))
	case customer.FieldMobile, customer.FieldLandline:
		return one(registry.PhoneTerm(value))
	case vehicle.FieldPlate:
		return one(registry.PlateTerm(value))
	}
	return nil
}

// searchable are the customer fields that have terms.
var searchable = map[string]bool{
	customer.FieldName: true, customer.FieldDocument: true, customer.FieldEmail: true,
	customer.FieldMobile: true, customer.FieldLandline: true,
}

// Apply implements projection.Projection.
func (p CustomerSearchProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	ctx := tenant.WithTenant(context.Background(), e.Tenant)
	t, id := e.Tenant.UUID(), e.Stream.ID
	switch ev := e.Event.(type) {
	case customer.Registered:
		for _, f := range []struct{ field, value string }{
			{customer.FieldName, ev.Name}, {customer.FieldDocument, ev.Document}, {customer.FieldEmail, ev.Email},
			{customer.FieldMobile, ev.MobilePhone}, {customer.FieldLandline, ev.LandlinePhone},
		} {
			if err := p.replace(ctx, b, t, id, id, f.field, f.value); err != nil {
				return err
			}
		}
	case customer.Corrected:
		for _, name := range ev.Changed {
			if !searchable[name] {
				continue
			}
			for _, f := range customerColumns {
				if f.api == name {
					if err := p.replace(ctx, b, t, id, id, name, f.corrected(&ev)); err != nil {
						return err
					}
				}
			}
		}
	case customer.Erased:
		b.Queue(`DELETE FROM customer_search WHERE tenant_id = $1 AND (customer_id = $2 OR source_id = $2)`, t, id)
	case vehicle.Registered:
		return p.replace(ctx, b, t, id, ev.CustomerID, vehicle.FieldPlate, ev.Plate)
	case vehicle.Corrected:
		for _, name := range ev.Changed {
			if name == vehicle.FieldPlate {
				return p.replace(ctx, b, t, id, ev.CustomerID, vehicle.FieldPlate, ev.Plate)
			}
		}
	case vehicle.Transferred:
		// The plate now finds the new owner only.
		return p.replace(ctx, b, t, id, ev.CustomerID, vehicle.FieldPlate, ev.Plate)
	default:
		return fmt.Errorf("customer_search: unexpected %T", e.Event)
	}
	return nil
}

// replace swaps the terms of one field of one source record for those of
// value (none when value is absent or the erasure placeholder).
func (p CustomerSearchProjection) replace(ctx context.Context, b *pgx.Batch, t, source, customerID uuid.UUID, field, value string) error {
	b.Queue(`DELETE FROM customer_search WHERE tenant_id = $1 AND source_id = $2 AND field = $3`, t, source, field)
	if value == "" || value == privacy.Placeholder {
		return nil
	}
	terms := searchTerms(field, value)
	if len(terms) == 0 {
		return nil
	}
	kinds, hashes := make([]string, 0, len(terms)), make([]string, 0, len(terms))
	for _, term := range terms {
		h, err := p.Index.Index(ctx, term.Kind, term.Value)
		if err != nil {
			return fmt.Errorf("customer_search: %w", err)
		}
		kinds, hashes = append(kinds, term.Kind), append(hashes, h)
	}
	b.Queue(`INSERT INTO customer_search (tenant_id, source_id, field, kind, term_hash, customer_id)
	         SELECT $1, $2, $3, k, h, $4 FROM unnest($5::text[], $6::text[]) AS x(k, h)
	         ON CONFLICT DO NOTHING`, t, source, field, customerID, kinds, hashes)
	return nil
}

// searchSQL finds customers matching any exact term ($2, $3) or all name
// terms ($4, $5; $6 of them). Both sides use customer_search_term; the
// tenant is both the RLS policy's and an explicit condition, so the index
// is used on (tenant_id, kind, term_hash).
const searchSQL = `
WITH wanted_any AS (
    SELECT k, h FROM unnest($2::text[], $3::text[]) AS x(k, h)
), wanted_all AS (
    SELECT k, h FROM unnest($4::text[], $5::text[]) AS x(k, h)
), matched AS (
    SELECT s.customer_id FROM customer_search s JOIN wanted_any w ON s.kind = w.k AND s.term_hash = w.h
     WHERE s.tenant_id = $1
    UNION
    SELECT s.customer_id FROM customer_search s JOIN wanted_all w ON s.kind = w.k AND s.term_hash = w.h
     WHERE s.tenant_id = $1
     GROUP BY s.customer_id
    HAVING count(DISTINCT (s.kind, s.term_hash)) = $6
)
SELECT c.customer_id FROM registry_customers c
 WHERE c.tenant_id = $1 AND NOT c.erased AND c.customer_id > $7
   AND c.customer_id IN (SELECT customer_id FROM matched)
 ORDER BY c.customer_id
 LIMIT $8`

const listCustomersSQL = `
SELECT customer_id FROM registry_customers
 WHERE tenant_id = $1 AND NOT erased AND customer_id > $2
 ORDER BY customer_id
 LIMIT $3`

// SearchCustomers implements registry.SearchIndex.
func (r *PostgresRegistryReadModel) SearchCustomers(ctx context.Context, q registry.SearchQuery, after uuid.UUID, limit int) ([]uuid.UUID, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	var out []uuid.UUID
	err = postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		var rows pgx.Rows
		var err error
		if q.IsEmpty() {
			rows, err = tx.Query(ctx, listCustomersSQL, tid.UUID(), after, limit)
		} else {
			ak, ah := splitTerms(q.AnyOf)
			lk, lh := splitTerms(q.AllOf)
			rows, err = tx.Query(ctx, searchSQL, tid.UUID(), ak, ah, lk, lh, len(distinctTerms(q.AllOf)), after, limit)
		}
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	})
	return out, err
}

func splitTerms(ts []registry.IndexTerm) ([]string, []string) {
	ts = distinctTerms(ts)
	kinds, hashes := make([]string, 0, len(ts)), make([]string, 0, len(ts))
	for _, t := range ts {
		kinds, hashes = append(kinds, t.Kind), append(hashes, t.Hash)
	}
	return kinds, hashes
}

func distinctTerms(ts []registry.IndexTerm) []registry.IndexTerm {
	seen := map[registry.IndexTerm]bool{}
	var out []registry.IndexTerm
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
