package readmodel

import (
	"context"
	"fmt"

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

// Profile implements customers.ProfileReader: one transaction of two
// pipelined batches on one connection. The first (BEGIN, tenant, the
// customer and its vehicles) is read and decrypted; the second carries the
// audit rows of what was read and COMMIT. Two round trips in all.
func (r *PostgresCustomerReadModel) Profile(ctx context.Context, id uuid.UUID, withPII bool,
	audit func(customers.Customer) []auditlog.Entry) (customers.Customer, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return customers.Customer{}, err
	}
	var out customers.Customer
	err = postgres.InTenantPipeline(ctx, r.pool, func(p *postgres.TenantPipeline) error {
		b := &pgx.Batch{}
		b.Queue(customerSelect+` WHERE tenant_id = $1 AND customer_id = $2`, tid.UUID(), id)
		b.Queue(vehicleSelect+` WHERE tenant_id = $1 AND customer_id = $2 ORDER BY vehicle_id`, tid.UUID(), id)
		br := p.Send(ctx, b)
		cs, err := collectNext(br, scanCustomer)
		var vs []vehicleRow
		if err == nil {
			vs, err = collectNext(br, scanVehicle)
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return fmt.Errorf("customer %s: %w", id, errs.ErrNotFound)
		}
		c, err := r.view(ctx, cs[0], withPII)
		if err != nil {
			return err
		}
		if c.Erased {
			return fmt.Errorf("customer %s was erased: %w", id, errs.ErrNotFound)
		}
		c.Vehicles = make([]vehicles.Vehicle, 0, len(vs))
		for _, row := range vs {
			v := row.v
			if v.Plate, err = r.open(ctx, v.CustomerID, plateField(v.ID), row.plate); err != nil {
				return err
			}
			c.Vehicles = append(c.Vehicles, v)
		}
		w := &pgx.Batch{}
		if entries := audit(c); len(entries) > 0 {
			queueAuditEntries(w, tid.UUID(), entries)
		}
		if err := p.SendLast(ctx, w).Close(); err != nil {
			return fmt.Errorf("audit personal data read: %w", err)
		}
		out = c
		return nil
	})
	if err != nil {
		return customers.Customer{}, err
	}
	return out, nil
}
