package readmodel

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/reports"
)

// PostgresReportCustomers lets the reports name the customers behind the
// analytics pseudonyms, for staff allowed to read customers.
type PostgresReportCustomers struct {
	*PostgresCustomerReadModel
}

var _ reports.CustomerDirectory = PostgresReportCustomers{}

// CustomerIDs implements reports.CustomerDirectory.
func (r PostgresReportCustomers) CustomerIDs(ctx context.Context) ([]uuid.UUID, error) {
	return collectTenant(ctx, r.tenantReads, pgx.RowTo[uuid.UUID],
		`SELECT customer_id FROM registry_customers WHERE tenant_id = $1 AND NOT erased`)
}
