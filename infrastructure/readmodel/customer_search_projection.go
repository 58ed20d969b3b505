package readmodel

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/domain/es"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = CustomerSearchProjection{}

// CustomerSearchProjection maintains customer_search: blind indexes of each
// customer's normalised document, e-mail, phones, name words and prefixes,
// and the plates of the vehicles they own. It is separate from
// RecordsProjection so that a change of normalisation (see
// privacy.StoredNameTerms) can be rolled out by rebuilding only this projection.
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
	return es.NamesOf(customer.Registered{}, customer.Corrected{}, customer.Erased{},
		vehicle.Registered{}, vehicle.Corrected{}, vehicle.Transferred{})
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
		return privacy.StoredNameTerms(value)
	case customer.FieldDocument:
		return one(privacy.DocumentTerm(value))
	case customer.FieldEmail:
		return one(privacy.EmailTerm(value))
	case customer.FieldMobile, customer.FieldLandline:
		return one(privacy.PhoneTerm(value))
	case vehicle.FieldPlate:
		return one(privacy.PlateTerm(value))
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
