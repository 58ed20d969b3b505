package readmodel

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/workshop"
)

var _ workshops.CatalogReader = (*PostgresCatalogReader)(nil)

// PostgresCatalogReader reads a workshop's service catalogue.
type PostgresCatalogReader struct{ pool *pgxpool.Pool }

// NewCatalogReader returns the adapter.
func NewCatalogReader(pool *pgxpool.Pool) *PostgresCatalogReader {
	return &PostgresCatalogReader{pool: pool}
}

// Catalog implements workshops.CatalogReader and registry.Catalogs: the
// default catalogue plus the workshop's own services (tenant of ctx).
func (r *PostgresCatalogReader) Catalog(ctx context.Context) (catalog.Catalog, error) {
	custom, err := collect(ctx, r.pool, func(row pgx.CollectableRow) (workshop.CustomService, error) {
		var s workshop.CustomService
		return s, row.Scan(&s.Code, &s.Label, &s.IntervalKm, &s.IntervalMonths)
	}, `SELECT code, label, interval_km, interval_months FROM workshop_services ORDER BY code`)
	if err != nil {
		return catalog.Catalog{}, err
	}
	return workshop.BuildCatalog(custom), nil
}
