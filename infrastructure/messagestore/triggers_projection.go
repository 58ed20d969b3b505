package messagestore

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = TriggersProjection{}

// StatusTriggers maps a service order's new status to the message it sends.
// Add a row to send on another status. "quoted" sends nothing here: every
// quote (the first and each new version) is told on
// service_order.quote_sent.v1 instead, with its portal link.
var StatusTriggers = map[string]messaging.Kind{
	"in_progress": messaging.KindOrderStatus,
	"completed":   messaging.KindOrderStatus, // ready for pickup
	"delivered":   messaging.KindThankYou,    // thank-you with the feedback link
}

// TriggersProjection enqueues the messages that service-order status
// changes and sent quotes (kind quote, with the quote's id, total and
// validity for its portal link) send. Each message is inserted with the projection's checkpoint in
// one transaction and deduplicated by (event id, kind), so every event
// sends at most one message of each kind however often it is delivered. A
// rebuild keeps existing messages (Reset deletes nothing) and, because of
// the dedupe key, enqueues nothing twice; events older than two days never
// enqueue (a new deployment does not message about old orders).
//
// The note of a status change is what the workshop told the customer: it
// is sealed in the message's vars under the customer's key (issue 10, item
// 9) and opened by PostgresOutbox.
type TriggersProjection struct {
	// Cipher seals the notes; the tenant comes from each event.
	Cipher privacy.Cipher
}

// varNote is the template variable of a status change's note.
const varNote = "note"

// TriggersProjectionName is the stable name (consumer group, checkpoints).
const TriggersProjectionName = "messaging_triggers"

// Name implements projection.Projection.
func (TriggersProjection) Name() string { return TriggersProjectionName }

// Handles implements projection.Projection.
func (TriggersProjection) Handles() []string {
	return es.NamesOf(serviceorder.StatusChanged{}, serviceorder.QuoteSent{}, customer.Erased{})
}

// Reset implements projection.Projection: messages are an outbox, not a
// derived view, so a rebuild keeps them.
func (TriggersProjection) Reset(*pgx.Batch) {}

// messageNS derives message ids from event ids (same event, same id).
var messageNS = uuid.MustParse("6c1f3f7e-5a0e-4a53-9a39-2d7f3c0b8e11")

// Apply implements projection.Projection.
func (p TriggersProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	if er, ok := e.Event.(customer.Erased); ok {
		// Erasure: forget even the masked address; messages not yet sent
		// are skipped (the worker would skip them anyway).
		b.Queue(`UPDATE messages SET to_masked = '', vars = '{}',
			status = CASE WHEN status = 'queued' THEN 'skipped' ELSE status END,
			reason = CASE WHEN status = 'queued' THEN 'customer_erased' ELSE reason END
			WHERE tenant_id = $1 AND customer_id = $2`, e.Tenant.UUID(), er.CustomerID)
		b.Queue(`DELETE FROM message_dispatch d USING messages m WHERE d.tenant_id = m.tenant_id
			AND d.message_id = m.message_id AND m.tenant_id = $1 AND m.customer_id = $2`, e.Tenant.UUID(), er.CustomerID)
		b.Queue(`DELETE FROM messaging_preferences WHERE tenant_id = $1 AND customer_id = $2`, e.Tenant.UUID(), er.CustomerID)
		return nil
	}
	if qs, ok := e.Event.(serviceorder.QuoteSent); ok {
		return enqueue(b, e, qs.CustomerID, messaging.KindQuote, map[string]string{appmsg.VarQuoteID: qs.QuoteID.String(),
			appmsg.VarTotalCents: strconv.FormatInt(qs.TotalCents, 10), appmsg.VarValidUntil: qs.ValidUntil}, qs.SentAt)
	}
	sc, ok := e.Event.(serviceorder.StatusChanged)
	if !ok {
		return nil
	}
	kind, ok := StatusTriggers[sc.To]
	if !ok {
		return nil
	}
	note, err := p.sealNote(e, sc.CustomerID, messageID(e, kind), sc.Note)
	if err != nil {
		return err
	}
	return enqueue(b, e, sc.CustomerID, kind, map[string]string{"status": sc.To, varNote: note}, sc.ChangedAt)
}

// sealNote seals a status change's note for the message's vars: "" stays
// "", and an erased customer's note (the placeholder, or a shredded key)
// is the placeholder.
func (p TriggersProjection) sealNote(e eventsourcing.Recorded, customerID, messageID uuid.UUID, note string) (string, error) {
	if note == "" || note == privacy.Placeholder {
		return note, nil
	}
	if p.Cipher == nil {
		return "", errors.New("messaging triggers: no cipher")
	}
	ct, err := p.Cipher.Encrypt(tenant.WithTenant(context.Background(), e.Tenant), customerID, noteVarField(messageID), []byte(note))
	if errors.Is(err, privacy.ErrErased) {
		return privacy.Placeholder, nil
	}
	return ct, err
}

// messageID is the id of the message of kind that event e sends.
func messageID(e eventsourcing.Recorded, kind messaging.Kind) uuid.UUID {
	return uuid.NewSHA1(messageNS, []byte(e.EventID.String()+":"+kind.String()))
}

// enqueue queues one message of kind for event e (deduplicated by event id
// and kind; nothing for events older than two days).
func enqueue(b *pgx.Batch, e eventsourcing.Recorded, customerID uuid.UUID, kind messaging.Kind, v map[string]string, at time.Time) error {
	vars, err := json.Marshal(v)
	if err != nil {
		return err
	}
	key := e.EventID.String() + ":" + kind.String()
	id := messageID(e, kind)
	b.Queue(`WITH ins AS (
		INSERT INTO messages (tenant_id, message_id, customer_id, kind, purpose, channel, status, dedupe_key, vars,
			order_id, created_at, due_at, updated_at)
		SELECT $1, $2, $3, $4, $5, '', 'queued', $6, $7, $8, $9, $9, $9
		WHERE $9::timestamptz > now() - interval '2 days'
		ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
		RETURNING tenant_id, message_id, due_at)
	INSERT INTO message_dispatch (tenant_id, message_id, due_at) SELECT tenant_id, message_id, due_at FROM ins
	ON CONFLICT DO NOTHING`,
		e.Tenant.UUID(), id, customerID, kind.String(), kind.Purpose().String(), key, vars, e.Stream.ID, at)
	return nil
}
