package readmodel

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/quotes"
	"github.com/torquehq/torque/domain/errs"
)

var _ quotes.Locator = (*PostgresQuoteLocator)(nil)

// PostgresQuoteLocator finds the order of a quote in registry_quotes.
type PostgresQuoteLocator struct{ tenantReads }

// NewQuoteLocator returns the adapter; pool connects as the runtime role.
func NewQuoteLocator(pool *pgxpool.Pool) *PostgresQuoteLocator {
	return &PostgresQuoteLocator{tenantReads{pool: pool}}
}

// OrderOfQuote implements quotes.Locator.
func (l *PostgresQuoteLocator) OrderOfQuote(ctx context.Context, quoteID uuid.UUID) (uuid.UUID, error) {
	out, err := collectTenant(ctx, l.tenantReads, pgx.RowTo[uuid.UUID],
		`SELECT order_id FROM registry_quotes WHERE tenant_id = $1 AND quote_id = $2`, quoteID)
	if err != nil {
		return uuid.Nil, err
	}
	if len(out) == 0 {
		return uuid.Nil, fmt.Errorf("quote %s: %w", quoteID, errs.ErrNotFound)
	}
	return out[0], nil
}
