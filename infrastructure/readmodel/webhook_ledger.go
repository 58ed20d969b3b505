package readmodel

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/billing"
)

var _ billing.WebhookLedger = (*PostgresWebhookLedger)(nil)

// PostgresWebhookLedger remembers the webhook deliveries already processed.
type PostgresWebhookLedger struct{ pool *pgxpool.Pool }

// NewWebhookLedger returns the adapter.
func NewWebhookLedger(pool *pgxpool.Pool) *PostgresWebhookLedger {
	return &PostgresWebhookLedger{pool: pool}
}

// FirstTime implements billing.WebhookLedger.
func (r *PostgresWebhookLedger) FirstTime(ctx context.Context, provider, eventID, eventType string) (bool, error) {
	tag, err := r.pool.Exec(ctx, `INSERT INTO processed_webhooks (provider, event_id, event_type) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, provider, eventID, eventType)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// Forget implements billing.WebhookLedger.
func (r *PostgresWebhookLedger) Forget(ctx context.Context, provider, eventID string) error {
	_, err := r.pool.Exec(ctx, `DELETE FROM processed_webhooks WHERE provider = $1 AND event_id = $2`, provider, eventID)
	return err
}
