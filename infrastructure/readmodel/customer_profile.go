package readmodel

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ customers.ProfileReader = (*PostgresCustomerReadModel)(nil)

// profileSQL reads a customer with its vehicles (one row per vehicle, or
// one row with NULL vehicle columns) and stores the audit entry of the read
// in the same statement: one snapshot, so the entry names exactly what the
// rows show, and one round trip. Its fields are what customers.ProfileReads
// names for the view these rows make: the name, with $7 (the caller may see
// the contact) each contact field that is not empty, and "vehicle.plate"
// when a vehicle has a plate. Empty values are stored as NULL
// (sealer.seal), so a column's nullness is whether the view shows it;
// TestProfile_auditFieldsAreWhatTheViewShowsIntegration holds the two
// together. The entry is not written for an erased customer or when no
// field is shown, and without the WAL flush wait (see insertAuditEntriesSQL).
const profileSQL = `WITH c AS (` + customerSelect + ` WHERE tenant_id = $1 AND customer_id = $2),
v AS (SELECT vehicle_id, plate_enc, make, model, year, color, mileage_km, registered_at, version
        FROM registry_vehicles WHERE tenant_id = $1 AND customer_id = $2),
audit AS (
  INSERT INTO personal_data_reads (tenant_id, id, actor, at, subject_id, fields, endpoint)
  SELECT $1, $3, $4, $5, c.customer_id, f.fields, $6
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait, c,
         LATERAL (SELECT array_remove(ARRAY[
             CASE WHEN c.name_enc IS NOT NULL THEN 'name' END,
             CASE WHEN $7 AND c.document_enc IS NOT NULL THEN 'document' END,
             CASE WHEN $7 AND c.email_enc IS NOT NULL THEN 'email' END,
             CASE WHEN $7 AND coalesce(c.mobile_enc, c.landline_enc) IS NOT NULL THEN 'phones' END,
             CASE WHEN $7 AND coalesce(c.street_enc, c.number_enc, c.complement_enc, c.district_enc, c.city_enc,
                                       c.state_enc, c.postal_code_enc) IS NOT NULL THEN 'address' END,
             CASE WHEN EXISTS (SELECT 1 FROM v WHERE v.plate_enc IS NOT NULL) THEN 'vehicle.plate' END
         ]::text[], NULL) AS fields) AS f
   WHERE NOT c.erased AND cardinality(f.fields) > 0)
SELECT c.*, v.* FROM c LEFT JOIN v ON true ORDER BY v.vehicle_id`

// Profile implements customers.ProfileReader with profileSQL.
func (r *PostgresCustomerReadModel) Profile(ctx context.Context, id uuid.UUID, withPII bool, read auditlog.Entry) (customers.Customer, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return customers.Customer{}, err
	}
	b, err := postgres.TenantBatch(ctx)
	if err != nil {
		return customers.Customer{}, err
	}
	b.Queue(profileSQL, tid.UUID(), id, read.ID, read.Actor, read.At, read.Endpoint, withPII)
	br := r.pool.SendBatch(ctx, b)
	c, vs, err := readProfileRows(br)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// The audit row is part of the statement: no row, no data.
		return customers.Customer{}, postgres.Unavailable(err)
	}
	if c == nil {
		return customers.Customer{}, fmt.Errorf("customer %s: %w", id, errs.ErrNotFound)
	}
	out, err := r.view(ctx, *c, withPII)
	if err != nil {
		return customers.Customer{}, err
	}
	if out.Erased {
		return customers.Customer{}, fmt.Errorf("customer %s was erased: %w", id, errs.ErrNotFound)
	}
	out.Vehicles = make([]vehicles.Vehicle, 0, len(vs))
	for _, row := range vs {
		v := row.v
		if v.Plate, err = r.open(ctx, v.CustomerID, plateField(v.ID), row.plate); err != nil {
			return customers.Customer{}, err
		}
		out.Vehicles = append(out.Vehicles, v)
	}
	return out, nil
}

// readProfileRows reads profileSQL's rows: the customer (nil: none) and its
// vehicles.
func readProfileRows(br pgx.BatchResults) (*customerRow, []vehicleRow, error) {
	if _, err := br.Exec(); err != nil { // the tenant's set_config
		return nil, nil, err
	}
	rows, err := br.Query()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var c *customerRow
	var vs []vehicleRow
	for rows.Next() {
		var row customerRow
		var vid *uuid.UUID
		var plate, mk, model, color *string
		var year *int
		var mileage, version *int64
		var registered *time.Time
		// The vehicle's columns are NULL when the customer has none.
		if err := rows.Scan(append(row.dests(), &vid, &plate, &mk, &model, &year, &color, &mileage, &registered, &version)...); err != nil {
			return nil, nil, err
		}
		if c == nil {
			c = &row
		}
		if vid != nil {
			vs = append(vs, vehicleRow{plate: plate, v: vehicles.Vehicle{ID: *vid, CustomerID: row.id, Make: *mk,
				Model: *model, Year: *year, Color: *color, MileageKm: mileage, RegisteredAt: *registered, Version: *version}})
		}
	}
	return c, vs, rows.Err()
}
