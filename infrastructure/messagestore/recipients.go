package messagestore

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/datasubject"
	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ appmsg.Recipients = (*PostgresRecipients)(nil)

// PostgresRecipients reads, in one transaction, what the worker needs about
// a customer at send time: the name, e-mail and mobile (decrypted; nothing
// else) and the consent history, from the registry read models.
type PostgresRecipients struct {
	pool   *pgxpool.Pool
	cipher privacy.Cipher
}

// NewRecipients returns the adapter.
func NewRecipients(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresRecipients {
	return &PostgresRecipients{pool: pool, cipher: cipher}
}

// Recipient implements messaging.Recipients.
func (r *PostgresRecipients) Recipient(ctx context.Context, id uuid.UUID) (appmsg.Recipient, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return appmsg.Recipient{}, err
	}
	var name, email, mobile *string
	var out appmsg.Recipient
	var hist []datasubject.Consent
	err = postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT name_enc, email_enc, mobile_enc, erased FROM registry_customers
			WHERE tenant_id = $1 AND customer_id = $2`, tid.UUID(), id).Scan(&name, &email, &mobile, &out.Erased)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("customer %s: %w", id, errs.ErrNotFound)
		}
		if err != nil || out.Erased {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT purpose, channel, granted FROM registry_consents
			WHERE tenant_id = $1 AND customer_id = $2 ORDER BY version`, tid.UUID(), id)
		if err != nil {
			return err
		}
		hist, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (datasubject.Consent, error) {
			var c datasubject.Consent
			err := row.Scan(&c.Purpose, &c.Channel, &c.Granted)
			return c, err
		})
		return err
	})
	if err != nil || out.Erased {
		return out, err
	}
	for _, f := range []struct {
		dst    *string
		column string
		ct     *string
	}{{&out.Name, "name", name}, {&out.Email, "email", email}, {&out.Mobile, "mobile", mobile}} {
		if f.ct == nil {
			continue
		}
		pt, err := r.cipher.Decrypt(ctx, id, "registry_customers."+f.column, *f.ct)
		if errors.Is(err, privacy.ErrErased) {
			out.Erased = true
			return out, nil
		}
		if err != nil {
			return out, err
		}
		*f.dst = string(pt)
	}
	out.Consents = CurrentConsents(hist)
	return out, nil
}
