package readmodel

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/datasubject"
)

var _ datasubject.ConsentHistory = (*PostgresConsentHistory)(nil)

// PostgresConsentHistory reads registry_consents.
type PostgresConsentHistory struct{ tenantReads }

// NewConsentHistory returns the adapter; pool connects as the runtime role.
func NewConsentHistory(pool *pgxpool.Pool) *PostgresConsentHistory {
	return &PostgresConsentHistory{tenantReads{pool: pool}}
}

// Consents implements datasubject.ConsentHistory.
func (r *PostgresConsentHistory) Consents(ctx context.Context, customerID uuid.UUID) ([]datasubject.Consent, error) {
	return collectTenant(ctx, r.tenantReads, func(row pgx.CollectableRow) (datasubject.Consent, error) {
		var c datasubject.Consent
		err := row.Scan(&c.Purpose, &c.Channel, &c.Granted, &c.Source, &c.At, &c.Actor)
		return c, err
	}, `SELECT purpose, channel, granted, source, at, actor FROM registry_consents
			WHERE tenant_id = $1 AND customer_id = $2 ORDER BY version`, customerID)
}
