// Package messagestore holds the Postgres adapters of the messaging module:
// the outbox and its delivery queue, preferences, templates, campaigns, the
// public links' tokens, WhatsApp's session windows, the readers of
// recipients, workshops and orders at send time, and the projection that
// turns service-order status changes into messages.
package messagestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ appmsg.Outbox = (*PostgresOutbox)(nil)

// PostgresOutbox stores messages (tenant tables) and the delivery queue
// (message_dispatch, across tenants).
type PostgresOutbox struct {
	pool   *pgxpool.Pool
	cipher privacy.Cipher
}

// NewOutbox returns the adapter; pool connects as the runtime role.
//
// cipher opens the sealed note of order-status messages (TriggersProjection).
func NewOutbox(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresOutbox {
	return &PostgresOutbox{pool: pool, cipher: cipher}
}

// noteVarField binds a message's sealed note to the message.
func noteVarField(messageID uuid.UUID) string { return "messages.vars.note:" + messageID.String() }

// openVars opens the sealed note of each message (the customer's key): a
// shredded key reads as the erasure placeholder.
func (o *PostgresOutbox) openVars(ctx context.Context, ms []appmsg.Message, err error) ([]appmsg.Message, error) {
	if err != nil {
		return nil, err
	}
	for i := range ms {
		m := &ms[i]
		v := m.Vars[varNote]
		if v == "" || v == privacy.Placeholder {
			continue
		}
		if o.cipher == nil {
			return nil, errors.New("outbox: no cipher to open a message's note")
		}
		pt, err := o.cipher.Decrypt(ctx, m.CustomerID, noteVarField(m.ID), v)
		switch {
		case errors.Is(err, privacy.ErrErased):
			m.Vars[varNote] = privacy.Placeholder
		case err != nil:
			return nil, fmt.Errorf("message %s note: %w", m.ID, err)
		default:
			m.Vars[varNote] = string(pt)
		}
	}
	return ms, nil
}

const insertMessageSQL = `INSERT INTO messages (tenant_id, message_id, customer_id, kind, purpose, channel, status, reason,
	dedupe_key, vars, order_id, campaign_id, created_at, due_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13)
ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING message_id`

func nullUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// Enqueue implements messaging.Outbox.
func (o *PostgresOutbox) Enqueue(ctx context.Context, msgs []appmsg.NewMessage) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := postgres.InTenantTx(ctx, o.pool, func(tx pgx.Tx) error {
		var err error
		ids, err = enqueueTx(ctx, tx, msgs)
		return err
	})
	return ids, err
}

func enqueueTx(ctx context.Context, tx pgx.Tx, msgs []appmsg.NewMessage) ([]uuid.UUID, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(msgs))
	for _, m := range msgs {
		vars := m.Vars
		if vars == nil {
			vars = map[string]string{}
		}
		vj, err := json.Marshal(vars)
		if err != nil {
			return nil, err
		}
		status := messaging.StatusQueued.String()
		if m.SkipReason != "" {
			status = messaging.StatusSkipped.String()
		}
		var id uuid.UUID
		err = tx.QueryRow(ctx, insertMessageSQL, tid.UUID(), m.ID, m.CustomerID, m.Kind.String(), m.Kind.Purpose().String(),
			m.Channel.String(), status, m.SkipReason, m.DedupeKey, vj, nullUUID(m.OrderID), nullUUID(m.CampaignID),
			m.CreatedAt, m.DueAt).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			if err := tx.QueryRow(ctx, `SELECT message_id FROM messages WHERE tenant_id = $1 AND dedupe_key = $2`,
				tid.UUID(), m.DedupeKey).Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
			continue
		}
		if err != nil {
			return nil, err
		}
		if m.SkipReason == "" {
			if _, err := tx.Exec(ctx, `INSERT INTO message_dispatch (tenant_id, message_id, due_at) VALUES ($1, $2, $3)`,
				tid.UUID(), id, m.DueAt); err != nil {
				return nil, err
			}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Claim implements messaging.Outbox.
func (o *PostgresOutbox) Claim(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]appmsg.Claim, error) {
	rows, err := o.pool.Query(ctx, `
UPDATE message_dispatch d SET lease_until = $2::timestamptz + make_interval(secs => $3), leased_by = $1
FROM (SELECT tenant_id, message_id FROM message_dispatch
       WHERE due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
       ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) c
WHERE d.tenant_id = c.tenant_id AND d.message_id = c.message_id
RETURNING d.tenant_id, d.message_id`, worker, now, lease.Seconds(), limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (appmsg.Claim, error) {
		var c appmsg.Claim
		var t uuid.UUID
		if err := row.Scan(&t, &c.MessageID); err != nil {
			return c, err
		}
		var err error
		c.Tenant, err = tenant.FromUUID(t)
		return c, err
	})
}

const messageColumns = `message_id, customer_id, kind, purpose, channel, status, reason, attempts, vars,
	coalesce(order_id, '00000000-0000-0000-0000-000000000000'), coalesce(campaign_id, '00000000-0000-0000-0000-000000000000'),
	to_masked, provider_id, last_error, created_at, due_at, sent_at, delivered_at, read_at`

func scanMessage(row pgx.CollectableRow) (appmsg.Message, error) {
	var m appmsg.Message
	var vars []byte
	err := row.Scan(&m.ID, &m.CustomerID, &m.Kind, &m.Purpose, &m.Channel, &m.Status, &m.Reason, &m.Attempts, &vars,
		&m.OrderID, &m.CampaignID, &m.ToMasked, &m.ProviderID, &m.LastError, &m.CreatedAt, &m.DueAt, &m.SentAt,
		&m.DeliveredAt, &m.ReadAt)
	if err != nil {
		return m, err
	}
	err = json.Unmarshal(vars, &m.Vars)
	return m, err
}

// messages reads messages and opens their sealed notes.
func (o *PostgresOutbox) messages(ctx context.Context, sql string, args ...any) ([]appmsg.Message, error) {
	ms, err := collect(ctx, o.pool, scanMessage, sql, args...)
	return o.openVars(ctx, ms, err)
}

func collect[T any](ctx context.Context, pool *pgxpool.Pool, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	var out []T
	err = postgres.InTenantTx(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, append([]any{tid.UUID()}, args...)...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scan)
		return err
	})
	return out, err
}

// Message implements messaging.Outbox.
func (o *PostgresOutbox) Message(ctx context.Context, id uuid.UUID) (appmsg.Message, error) {
	ms, err := o.messages(ctx, `SELECT `+messageColumns+` FROM messages WHERE tenant_id = $1 AND message_id = $2`, id)
	if err != nil {
		return appmsg.Message{}, err
	}
	if len(ms) == 0 {
		return appmsg.Message{}, fmt.Errorf("message %s: %w", id, errs.ErrNotFound)
	}
	return ms[0], nil
}

// Record implements messaging.Outbox.
func (o *PostgresOutbox) Record(ctx context.Context, worker string, id uuid.UUID, out appmsg.Outcome) (bool, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return false, err
	}
	held := false
	err = postgres.InTenantTx(ctx, o.pool, func(tx pgx.Tx) error {
		var n int
		err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM message_dispatch
			WHERE tenant_id = $1 AND message_id = $2 AND leased_by = $3 FOR UPDATE) l`, tid.UUID(), id, worker).Scan(&n)
		if err != nil || n == 0 {
			return err
		}
		held = true
		attempted := 0
		if out.Attempted {
			attempted = 1
		}
		if out.AlreadyDone {
			_, err := tx.Exec(ctx, `DELETE FROM message_dispatch WHERE tenant_id = $1 AND message_id = $2`, tid.UUID(), id)
			return err
		}
		switch out.Status {
		case messaging.StatusSent:
			if _, err := tx.Exec(ctx, `UPDATE messages SET
				status = CASE WHEN status = 'queued' THEN 'sent' ELSE status END, reason = '', last_error = '',
				channel = $3, to_masked = $4, provider_id = $5, attempts = attempts + $6, sent_at = coalesce(sent_at, $7), updated_at = $7
				WHERE tenant_id = $1 AND message_id = $2`, tid.UUID(), id, out.Channel.String(), out.ToMasked, out.ProviderID,
				attempted, out.At); err != nil {
				return err
			}
			if out.ProviderID != "" {
				if _, err := tx.Exec(ctx, `INSERT INTO message_provider_refs (provider, provider_id, tenant_id, message_id)
					VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, out.Provider, out.ProviderID, tid.UUID(), id); err != nil {
					return err
				}
			}
			_, err = tx.Exec(ctx, `DELETE FROM message_dispatch WHERE tenant_id = $1 AND message_id = $2`, tid.UUID(), id)
			return err
		case messaging.StatusQueued:
			if _, err := tx.Exec(ctx, `UPDATE messages SET reason = $3, last_error = $4, attempts = attempts + $5,
				due_at = $6, channel = CASE WHEN $7 = '' THEN channel ELSE $7 END, to_masked = CASE WHEN $8 = '' THEN to_masked ELSE $8 END,
				updated_at = $9 WHERE tenant_id = $1 AND message_id = $2`, tid.UUID(), id, out.Reason, out.LastError, attempted,
				out.Until, out.Channel.String(), out.ToMasked, out.At); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE message_dispatch SET due_at = $3, lease_until = NULL, leased_by = ''
				WHERE tenant_id = $1 AND message_id = $2`, tid.UUID(), id, out.Until)
			return err
		default: // skipped, failed
			if _, err := tx.Exec(ctx, `UPDATE messages SET status = CASE WHEN status = 'queued' THEN $3 ELSE status END,
				reason = $4, last_error = $5, attempts = attempts + $6, channel = CASE WHEN $7 = '' THEN channel ELSE $7 END,
				to_masked = CASE WHEN $8 = '' THEN to_masked ELSE $8 END, updated_at = $9
				WHERE tenant_id = $1 AND message_id = $2`, tid.UUID(), id, out.Status.String(), out.Reason, out.LastError,
				attempted, out.Channel.String(), out.ToMasked, out.At); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `DELETE FROM message_dispatch WHERE tenant_id = $1 AND message_id = $2`, tid.UUID(), id)
			return err
		}
	})
	return held, err
}

// ProviderStatus implements messaging.Outbox.
func (o *PostgresOutbox) ProviderStatus(ctx context.Context, provider, providerID string, t tenant.ID, messageID uuid.UUID,
	st messaging.Status, at time.Time, detail string) (bool, error) {
	if messageID == uuid.Nil || t == (tenant.ID{}) {
		var tu uuid.UUID
		err := o.pool.QueryRow(ctx, `SELECT tenant_id, message_id FROM message_provider_refs WHERE provider = $1 AND provider_id = $2`,
			provider, providerID).Scan(&tu, &messageID)
		if errors.Is(err, pgx.ErrNoRows) {
			return false, nil // not ours (or not recorded yet): nothing to change
		}
		if err != nil {
			return false, err
		}
		if t, err = tenant.FromUUID(tu); err != nil {
			return false, err
		}
	}
	ctx = tenant.WithTenant(ctx, t)
	changed := false
	err := postgres.InTenantTx(ctx, o.pool, func(tx pgx.Tx) error {
		var cur string
		err := tx.QueryRow(ctx, `SELECT status FROM messages WHERE tenant_id = $1 AND message_id = $2 FOR UPDATE`,
			t.UUID(), messageID).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		curSt, err := messaging.ParseStatus("status", cur)
		if err != nil || !messaging.Advances(curSt, st) {
			return err
		}
		reason := ""
		if st == messaging.StatusFailed {
			reason = messaging.ReasonProviderFail
		}
		_, err = tx.Exec(ctx, `UPDATE messages SET status = $3, reason = $4,
			last_error = CASE WHEN $5 = '' THEN last_error ELSE $5 END,
			sent_at = coalesce(sent_at, $6),
			delivered_at = CASE WHEN $3 IN ('delivered', 'read') THEN coalesce(delivered_at, $6) ELSE delivered_at END,
			read_at = CASE WHEN $3 = 'read' THEN coalesce(read_at, $6) ELSE read_at END,
			provider_id = CASE WHEN provider_id = '' THEN $7 ELSE provider_id END, updated_at = $6
			WHERE tenant_id = $1 AND message_id = $2`, t.UUID(), messageID, st.String(), reason, detail, at, providerID)
		changed = err == nil
		return err
	})
	return changed, err
}

const listKind = "msg"

// List implements messaging.Outbox.
func (o *PostgresOutbox) List(ctx context.Context, f appmsg.Filter, page pagination.Request) (pagination.Page[appmsg.Message], error) {
	limit, err := page.Size()
	if err != nil {
		return pagination.Page[appmsg.Message]{}, err
	}
	where := []string{"tenant_id = $1"}
	args := []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args)+1)))
	}
	if f.CustomerID != uuid.Nil {
		add("customer_id = ?", f.CustomerID)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if page.Cursor != "" {
		v, err := pagination.DecodeCursor(listKind, page.Cursor)
		if err != nil {
			return pagination.Page[appmsg.Message]{}, err
		}
		ts, id, ok := strings.Cut(v, "_")
		nanos, err1 := strconv.ParseInt(ts, 10, 64)
		mid, err2 := uuid.Parse(id)
		if !ok || err1 != nil || err2 != nil {
			return pagination.Page[appmsg.Message]{}, errs.Invalid("cursor", "invalid_format", "cursor is not valid")
		}
		args = append(args, time.Unix(0, nanos).UTC(), mid)
		n := len(args) + 1
		where = append(where, fmt.Sprintf("(created_at, message_id) < ($%d, $%d)", n-1, n))
	}
	args = append(args, limit+1)
	sql := `SELECT ` + messageColumns + ` FROM messages WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY created_at DESC, message_id DESC LIMIT $` + strconv.Itoa(len(args)+1)
	ms, err := o.messages(ctx, sql, args...)
	if err != nil {
		return pagination.Page[appmsg.Message]{}, err
	}
	return pagination.Cut(ms, limit, listKind, func(m appmsg.Message) string {
		return strconv.FormatInt(m.CreatedAt.UnixNano(), 10) + "_" + m.ID.String()
	}), nil
}

// MarketingSentSince implements messaging.Outbox.
func (o *PostgresOutbox) MarketingSentSince(ctx context.Context, customerID uuid.UUID, t time.Time) (int, error) {
	ns, err := collect(ctx, o.pool, pgx.RowTo[int], `SELECT count(*)::int FROM messages WHERE tenant_id = $1
		AND customer_id = $2 AND purpose = 'marketing' AND status IN ('sent', 'delivered', 'read') AND sent_at >= $3`, customerID, t)
	if err != nil || len(ns) == 0 {
		return 0, err
	}
	return ns[0], nil
}

// MessagesTo implements messaging.Outbox (and datasubject.MessageLog through
// the wiring).
func (o *PostgresOutbox) MessagesTo(ctx context.Context, customerID uuid.UUID) ([]appmsg.Message, error) {
	return o.messages(ctx, `SELECT `+messageColumns+` FROM messages WHERE tenant_id = $1
		AND customer_id = $2 ORDER BY created_at, message_id`, customerID)
}
