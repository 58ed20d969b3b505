package projection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/observability"
	"github.com/torquehq/torque/infrastructure/postgres"
)

// RunnerConfig configures live projection processing.
type RunnerConfig struct {
	// Pool connects as the runtime role.
	Pool *pgxpool.Pool
	// Codec decodes payloads.
	Codec *eventcodec.Codec
	// Projections to run.
	Projections []Projection
	// PollInterval of each subscriber (see bus.SubscriberConfig).
	PollInterval time.Duration
	// Wake, when set, wakes the idle subscribers instead of their polling
	// every PollInterval; IdleInterval bounds their wait (see
	// bus.SubscriberConfig).
	Wake         *bus.Wake
	IdleInterval time.Duration
	// Metrics and Logger are optional.
	Metrics *observability.Metrics
	Logger  *slog.Logger
	// Retry bounds the retries of a failing event before it goes to the
	// poison queue (projection_poison) and the group moves on (defaults in
	// Retry). An unreachable database is retried without end instead.
	Retry Retry
	// Applied, when set, is told of every event applied (the process's
	// Waiter.Applied), so read-your-writes waits need not poll.
	Applied *Applied
}

// Runner applies events to projections as they are published.
type Runner struct {
	cfg RunnerConfig
}

// NewRunner returns a runner.
func NewRunner(cfg RunnerConfig) (*Runner, error) {
	if cfg.Pool == nil || cfg.Codec == nil {
		return nil, errors.New("projection runner: Pool and Codec are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Retry.setDefaults()
	return &Runner{cfg: cfg}, nil
}

// AddHandlers registers one consumer handler per projection on the router,
// each with its own consumer group so a failing projection stalls only itself;
// an event it still fails on after its retries goes to the poison queue, so
// it does not stall even itself (nor any other tenant's events).
func (r *Runner) AddHandlers(router *message.Router, logger watermill.LoggerAdapter) error {
	mws, err := r.middlewares()
	if err != nil {
		return err
	}
	for _, p := range r.cfg.Projections {
		if r.cfg.Applied != nil {
			r.cfg.Applied.run(p.Name())
		}
		sub, err := bus.NewSubscriber(r.cfg.Pool, bus.SubscriberConfig{
			ConsumerGroup: ConsumerGroup(p), PollInterval: r.cfg.PollInterval,
			Wake: r.cfg.Wake, IdleInterval: r.cfg.IdleInterval,
		}, logger)
		if err != nil {
			return err
		}
		router.AddConsumerHandler(ConsumerGroup(p), bus.Topic, sub, r.Handler(p)).AddMiddleware(mws...)
	}
	return nil
}

// Handler returns the Watermill handler of projection p. Exported for tests
// that deliver messages by hand (e.g. twice).
func (r *Runner) Handler(p Projection) message.NoPublishHandlerFunc {
	return func(msg *message.Message) error {
		err := r.handle(msg.Context(), p, msg)
		if err != nil && r.cfg.Metrics != nil {
			r.cfg.Metrics.ProjectionErrors.WithLabelValues(p.Name()).Inc()
		}
		if err != nil {
			r.cfg.Logger.Error("projection failed", "projection", p.Name(), "message_uuid", msg.UUID, "err", err)
		}
		return err
	}
}

func (r *Runner) handle(ctx context.Context, p Projection, msg *message.Message) error {
	// Every consumer group reads every message; most skip it. The type in
	// the metadata spares them parsing the body (ParseMessage was 7 % of
	// the process's CPU while orders were opened, in 8 groups of which 2
	// handle the order's events).
	if t := msg.Metadata.Get(bus.MetaEventType); t != "" && !handles(p, t) {
		return nil
	}
	em, err := bus.ParseMessage(msg)
	if err != nil {
		return err
	}
	if !handles(p, em.Type) {
		return nil
	}
	rec, err := decodeMessage(ctx, r.cfg.Codec, em)
	if err != nil {
		return err
	}
	applied, err := r.applyOne(ctx, p, rec)
	if err != nil {
		return err
	}
	if r.cfg.Applied != nil {
		r.cfg.Applied.record(p.Name(), rec.Stream.ID, rec.Version)
	}
	if applied && r.cfg.Metrics != nil {
		r.cfg.Metrics.ProjectionApplied.WithLabelValues(p.Name()).Inc()
	}
	return nil
}

// applyOne applies one event in its own transaction: the read-model change
// and the checkpoint commit together, and a redelivery finds the checkpoint.
// It is one pipelined batch, so one round trip: Postgres runs a batch as one
// implicit transaction, committed at its end or rolled back on the first
// error. The checkpoint guard comes before the read model's statements and
// fails (division by zero, SQLSTATE 22012) when the checkpoint is already at
// the event's version, so a redelivery rolls back without applying anything.
//
// WARNING: it deliberately does not join the Watermill subscriber's
// transaction (wsql.TxFromContext). On shutdown the subscriber commits or
// rolls that transaction back from its own goroutine while the handler may
// still be using it, which races on the connection.
func (r *Runner) applyOne(ctx context.Context, p Projection, rec eventsourcing.Recorded) (bool, error) {
	b := &pgx.Batch{}
	b.Queue(postgres.SetTenantSQL, rec.Tenant.String())
	// No WAL flush wait for read-model writes: the Watermill ack that follows
	// commits synchronously, and flushing its commit record flushes every
	// earlier WAL record too, so nothing acked can be lost. A crash before the
	// ack only means a redelivery, which the checkpoint makes harmless.
	b.Queue(`SELECT set_config('synchronous_commit', 'off', true)`)
	b.Queue(`SELECT pg_advisory_xact_lock_shared($1)`, lockKey(p.Name()))
	b.Queue(guardCheckpointSQL, rec.Tenant.UUID(), p.Name(), rec.Stream.ID, rec.Version)
	const guards = 4
	if err := p.Apply(b, rec); err != nil {
		return false, fmt.Errorf("projection %s, event %s: %w", p.Name(), rec.EventID, err)
	}
	br := r.cfg.Pool.SendBatch(ctx, b)
	var err error
	for i := 0; i < guards && err == nil; i++ {
		_, err = br.Exec()
	}
	if err != nil {
		_ = br.Close() // the batch failed: its transaction is rolled back
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "22012" {
			return false, nil // already applied: a redelivery
		}
		return false, err
	}
	if err := br.Close(); err != nil {
		return false, fmt.Errorf("projection %s, event %s: %w", p.Name(), rec.EventID, err)
	}
	return true, nil
}

// guardCheckpointSQL advances the checkpoint and fails with division by
// zero when it already is at the version (see applyOne).
const guardCheckpointSQL = `WITH advanced AS (` + upsertCheckpointSQL + `)
SELECT 1 / (SELECT count(*)::int FROM advanced)`

func decodeMessage(ctx context.Context, codec *eventcodec.Codec, em bus.EventMessage) (eventsourcing.Recorded, error) {
	tid, err := tenant.FromUUID(em.TenantID)
	if err != nil {
		return eventsourcing.Recorded{}, err
	}
	ev, err := codec.Decode(ctx, tid.String(), em.StreamID.String(), em.Type, em.Schema, em.Payload)
	if err != nil {
		return eventsourcing.Recorded{}, err
	}
	return eventsourcing.Recorded{
		EventID: em.EventID, Tenant: tid, Stream: eventsourcing.StreamRef{Type: em.StreamType, ID: em.StreamID},
		Version: em.Version, Type: em.Type, Schema: em.Schema, OccurredAt: em.OccurredAt, Actor: em.Actor,
		CorrelationID: em.CorrelationID, CausationID: em.CausationID, Event: ev,
	}, nil
}
