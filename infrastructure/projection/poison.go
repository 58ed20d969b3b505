package projection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/observability"
	"github.com/torquehq/torque/infrastructure/postgres"
)

// PoisonTopic names the poison queue in Watermill's metadata; the queue
// itself is the projection_poison table.
const PoisonTopic = "projection_poison"

// Retry is how a projection handler retries a failing event before it is
// parked in the poison queue.
type Retry struct {
	// MaxRetries after the first attempt (default 5).
	MaxRetries int
	// InitialInterval of the exponential backoff (default 50 ms), doubling up
	// to MaxInterval (default 2 s).
	InitialInterval, MaxInterval time.Duration
}

func (r *Retry) setDefaults() {
	if r.MaxRetries == 0 {
		r.MaxRetries = 5
	}
	if r.InitialInterval == 0 {
		r.InitialInterval = 50 * time.Millisecond
	}
	if r.MaxInterval == 0 {
		r.MaxInterval = 2 * time.Second
	}
}

// poisonQueue is the Watermill publisher behind middleware.PoisonQueue: it
// stores a poisoned message in projection_poison, scoped to the message's
// tenant, and counts it (torque_projection_poisoned_total).
type poisonQueue struct {
	pool    *pgxpool.Pool
	metrics *observability.Metrics
	log     *slog.Logger
}

var _ message.Publisher = (*poisonQueue)(nil)

const insertPoisonSQL = `INSERT INTO projection_poison
 (tenant_id, projection, message_uuid, event_type, stream, version, payload, metadata, reason)
 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

// Publish implements message.Publisher.
func (q *poisonQueue) Publish(_ string, msgs ...*message.Message) error {
	for _, msg := range msgs {
		if err := q.store(msg); err != nil {
			return err
		}
	}
	return nil
}

func (q *poisonQueue) store(msg *message.Message) error {
	projection := strings.TrimPrefix(msg.Metadata.Get(middleware.PoisonedHandlerKey), "projection.")
	reason := msg.Metadata.Get(middleware.ReasonForPoisonedKey)
	if len(reason) > 1000 {
		reason = reason[:1000] + "…"
	}
	var tid uuid.UUID
	var eventType, stream string
	var version int64
	if em, err := bus.ParseMessage(msg); err == nil {
		tid, eventType, version = em.TenantID, em.Type, em.Version
		stream = em.StreamType + "/" + em.StreamID.String()
	}
	meta, err := json.Marshal(msg.Metadata)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = pgx.BeginFunc(ctx, q.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(postgres.SetTenantSQL, tid.String())
		b.Queue(insertPoisonSQL, tid, projection, msg.UUID, eventType, stream, version, msg.Payload, meta, reason)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("poison queue: %w", err)
	}
	if q.metrics != nil {
		q.metrics.ProjectionPoisoned.WithLabelValues(projection).Inc()
	}
	q.log.Error("projection event poisoned: parked in the poison queue; see `torque projections poison list`",
		"projection", projection, "message_uuid", msg.UUID, "tenant", tid, "stream", stream, "version", version)
	return nil
}

// Close implements message.Publisher.
func (q *poisonQueue) Close() error { return nil }

// goesToPoisonQueue: an outage (the database unreachable) or contention (a
// deadlock, a serialization failure) is not the event's fault; it stays in
// the consumer group and is retried until it goes through, instead of
// poisoning every event that meets it.
func goesToPoisonQueue(err error) bool {
	return !postgres.IsTransient(err) && !errors.Is(err, context.Canceled)
}

// middlewares returns the retry-then-poison middlewares of one handler.
func (r *Runner) middlewares() ([]message.HandlerMiddleware, error) {
	poison, err := middleware.PoisonQueueWithFilter(&poisonQueue{pool: r.cfg.Pool, metrics: r.cfg.Metrics, log: r.cfg.Logger},
		PoisonTopic, goesToPoisonQueue)
	if err != nil {
		return nil, err
	}
	retry := middleware.Retry{
		MaxRetries: r.cfg.Retry.MaxRetries, InitialInterval: r.cfg.Retry.InitialInterval,
		MaxInterval: r.cfg.Retry.MaxInterval, Multiplier: 2, RandomizationFactor: 0.2,
		ShouldRetry: func(p middleware.RetryParams) bool { return !errors.Is(p.Err, context.Canceled) },
	}
	return []message.HandlerMiddleware{poison, retry.Middleware}, nil
}

// Poisoned is one event in the poison queue.
type Poisoned struct {
	ID          int64
	Projection  string
	Tenant      uuid.UUID
	MessageUUID string
	EventType   string
	Stream      string
	Version     int64
	Reason      string
	PoisonedAt  time.Time
	payload     []byte
	metadata    map[string]string
}

// ErrSuperseded: the poisoned event's stream has since moved past it in the
// projection, so replaying it alone would apply it out of order; rebuild the
// projection (`torque projections rebuild NAME`) and then skip the entry.
var ErrSuperseded = errors.New("the stream has moved past this event in the projection: rebuild the projection, then skip it")

// ListPoisoned lists the unresolved entries of the poison queue, oldest
// first. admin is the maintenance role's pool (the runtime role cannot read
// the queue).
func ListPoisoned(ctx context.Context, admin *pgxpool.Pool) ([]Poisoned, error) {
	rows, err := admin.Query(ctx, `SELECT id, projection, tenant_id, message_uuid, event_type, stream, version, reason, poisoned_at
		FROM projection_poison WHERE resolved_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Poisoned, error) {
		var p Poisoned
		err := row.Scan(&p.ID, &p.Projection, &p.Tenant, &p.MessageUUID, &p.EventType, &p.Stream, &p.Version, &p.Reason, &p.PoisonedAt)
		return p, err
	})
}

func loadPoisoned(ctx context.Context, admin *pgxpool.Pool, id int64) (Poisoned, error) {
	var p Poisoned
	var meta []byte
	err := admin.QueryRow(ctx, `SELECT id, projection, tenant_id, message_uuid, event_type, stream, version, reason, poisoned_at, payload, metadata
		FROM projection_poison WHERE id = $1 AND resolved_at IS NULL`, id).Scan(
		&p.ID, &p.Projection, &p.Tenant, &p.MessageUUID, &p.EventType, &p.Stream, &p.Version, &p.Reason, &p.PoisonedAt, &p.payload, &meta)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("poison queue: no open entry %d", id)
	}
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(meta, &p.metadata)
}

func resolvePoisoned(ctx context.Context, admin *pgxpool.Pool, id int64, resolution string) error {
	tag, err := admin.Exec(ctx, `UPDATE projection_poison SET resolved_at = now(), resolution = $2
		WHERE id = $1 AND resolved_at IS NULL`, id, resolution)
	if err == nil && tag.RowsAffected() == 0 {
		err = fmt.Errorf("poison queue: no open entry %d", id)
	}
	return err
}

// SkipPoisoned marks an entry as dealt with without applying it.
func SkipPoisoned(ctx context.Context, admin *pgxpool.Pool, id int64) error {
	return resolvePoisoned(ctx, admin, id, "skipped")
}

// ReplayPoisoned applies a poisoned event to its projection again (after the
// cause was fixed) through the live path, exactly once, and resolves the
// entry. It fails with ErrSuperseded when later events of the stream were
// applied meanwhile.
func (r *Runner) ReplayPoisoned(ctx context.Context, admin *pgxpool.Pool, id int64) error {
	entry, err := loadPoisoned(ctx, admin, id)
	if err != nil {
		return err
	}
	var p Projection
	for _, c := range r.cfg.Projections {
		if c.Name() == entry.Projection {
			p = c
		}
	}
	if p == nil {
		return fmt.Errorf("poison queue entry %d: no projection %q", id, entry.Projection)
	}
	msg := message.NewMessage(entry.MessageUUID, entry.payload)
	for k, v := range entry.metadata {
		msg.Metadata.Set(k, v)
	}
	em, err := bus.ParseMessage(msg)
	if err != nil {
		return err
	}
	rec, err := decodeMessage(ctx, r.cfg.Codec, em)
	if err != nil {
		return fmt.Errorf("replay %d: %w", id, err)
	}
	applied, err := r.applyOne(ctx, p, rec)
	if err != nil {
		return fmt.Errorf("replay %d: %w", id, err)
	}
	if !applied {
		return fmt.Errorf("replay %d: %w", id, ErrSuperseded)
	}
	if r.cfg.Metrics != nil {
		r.cfg.Metrics.ProjectionApplied.WithLabelValues(p.Name()).Inc()
	}
	return resolvePoisoned(ctx, admin, id, "replayed")
}
