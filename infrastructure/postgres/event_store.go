package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/observability"
)

var _ eventsourcing.EventStore = (*PostgresEventStore)(nil)

// EventStoreConfig configures PostgresEventStore.
type EventStoreConfig struct {
	// Pool connects as the runtime role (subject to row-level security).
	Pool *pgxpool.Pool
	// Codec encodes, seals, opens, upcasts and decodes payloads.
	Codec *eventcodec.Codec
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// NewID returns a new event id (default UUIDv7).
	NewID func() uuid.UUID
	// Metrics is optional.
	Metrics *observability.Metrics
	// Published, when set, is called after each append commits, outside its
	// transaction (e.g. bus.Notifier.Published, which wakes the consumers).
	// It must not block.
	Published func()
}

// PostgresEventStore stores events in the events table and publishes each
// append through watermill-sql in the same transaction.
type PostgresEventStore struct {
	cfg EventStoreConfig
	// failBeforeCommit injects a failure after both inserts and before the
	// implicit commit; tests use it to prove atomicity.
	failBeforeCommit bool
}

// NewEventStore validates cfg and returns the store.
func NewEventStore(cfg EventStoreConfig) (*PostgresEventStore, error) {
	if cfg.Pool == nil || cfg.Codec == nil {
		return nil, errors.New("event store: Pool and Codec are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	}
	return &PostgresEventStore{cfg: cfg}, nil
}

const insertEventsSQL = `
INSERT INTO events (tenant_id, stream_id, version, stream_type, event_id, type, schema,
                    occurred_at, actor, correlation_id, causation_id, payload)
SELECT $1::uuid, $2::uuid, v, $3::text, e, t, s, $4::timestamptz, $5::text, $6::uuid, $7::uuid, p
  FROM unnest($8::bigint[], $9::uuid[], $10::text[], $11::int[], $12::jsonb[]) AS x(v, e, t, s, p)
RETURNING position, transaction_id::text`

// Append implements eventsourcing.EventStore. Everything runs as one
// pipelined batch: Postgres executes a batch in one implicit transaction, so
// the events, the Watermill messages and the tenant setting commit together or
// not at all, in a single round trip.
func (s *PostgresEventStore) Append(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (eventsourcing.AppendResult, error) {
	started := time.Now()
	p, err := s.prepare(ctx, stream, expected, events)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	br := s.cfg.Pool.SendBatch(ctx, p.batch)
	err = readAppendResults(br, p)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return s.finish(p, err, started)
}

var _ eventsourcing.NumberedAppender = (*PostgresEventStore)(nil)

const nextNumberSQL = `
INSERT INTO tenant_sequences (tenant_id, name, last_value) VALUES ($1, $2, 1)
ON CONFLICT (tenant_id, name) DO UPDATE SET last_value = tenant_sequences.last_value + 1
RETURNING last_value`

// AppendNumbered implements eventsourcing.NumberedAppender. The sequence row
// stays locked until commit, which is what makes the numbers gapless.
func (s *PostgresEventStore) AppendNumbered(ctx context.Context, sequence string, stream eventsourcing.StreamRef,
	expected int64, build func(number int64) ([]es.Event, error)) (eventsourcing.AppendResult, error) {
	res, err := s.AppendNumberedWith(ctx, sequence, stream, expected, build)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	return res[len(res)-1], nil
}

// AppendNumberedWith implements eventsourcing.NumberedAppender: one
// transaction of two pipelined batches on one connection. The first opens
// it, appends with's events and then takes the next number (so the
// sequence row is locked as late as possible); the second appends the
// numbered stream's events and commits. Two round trips in all, and the
// sequence row stays locked for one of them (it is what serialises the
// callers of one sequence).
func (s *PostgresEventStore) AppendNumberedWith(ctx context.Context, sequence string, stream eventsourcing.StreamRef,
	expected int64, build func(number int64) ([]es.Event, error), with ...eventsourcing.Pending) ([]eventsourcing.AppendResult, error) {
	started := time.Now()
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	others := make([]prepared, len(with))
	for i, w := range with {
		if others[i], err = s.prepare(ctx, w.Stream, w.ExpectedVersion, w.Events); err != nil {
			return nil, err
		}
	}
	var numbered prepared
	var failed *prepared
	err = InTenantPipeline(ctx, s.cfg.Pool, func(p *TenantPipeline) error {
		b := &pgx.Batch{}
		for _, o := range others {
			b.QueuedQueries = append(b.QueuedQueries, o.batch.QueuedQueries[1:]...) // without the tenant setting
		}
		b.Queue(nextNumberSQL, tid.UUID(), sequence)
		br := p.Send(ctx, b)
		for i := range others {
			if err := readAppended(br, others[i]); err != nil {
				failed = &others[i]
				_ = br.Close()
				return err
			}
		}
		var n int64
		err := br.QueryRow().Scan(&n)
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		events, err := build(n)
		if err != nil {
			return err
		}
		if numbered, err = s.prepare(ctx, stream, expected, events); err != nil {
			return err
		}
		failed = &numbered
		br = p.SendLast(ctx, &pgx.Batch{QueuedQueries: numbered.batch.QueuedQueries[1:]})
		err = readAppended(br, numbered)
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		if failed == nil {
			return nil, err
		}
		_, err = s.finish(*failed, err, started)
		return nil, err
	}
	out := make([]eventsourcing.AppendResult, 0, len(others)+1)
	for _, o := range append(others, numbered) {
		res, err := s.finish(o, nil, started)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

type prepared struct {
	batch  *pgx.Batch
	result eventsourcing.AppendResult
	n      int
}

func (s *PostgresEventStore) prepare(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (prepared, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return prepared{}, err
	}
	if len(events) == 0 {
		return prepared{}, errors.New("append: no events")
	}
	if stream.ID == uuid.Nil || stream.Type == "" {
		return prepared{}, errors.New("append: stream type and id are required")
	}
	meta := requestmeta.From(ctx)
	now := s.cfg.Now().UTC().Truncate(time.Microsecond)

	n := len(events)
	versions := make([]int64, n)
	ids := make([]uuid.UUID, n)
	types := make([]string, n)
	schemas := make([]int32, n)
	payloads := make([]string, n)
	recs := make([]eventsourcing.Recorded, n)
	msgs := make([]*message.Message, n)
	for i, e := range events {
		enc, err := s.cfg.Codec.Encode(ctx, tid.String(), stream.ID.String(), e)
		if err != nil {
			return prepared{}, err
		}
		versions[i] = expected + int64(i) + 1
		ids[i] = s.cfg.NewID()
		types[i] = enc.Type
		if enc.Schema < math.MinInt32 || enc.Schema > math.MaxInt32 {
			return prepared{}, fmt.Errorf("postgres: event %s: schema version %d out of range", enc.Type, enc.Schema)
		}
		schemas[i] = int32(enc.Schema)
		payloads[i] = string(enc.Payload)
		recs[i] = eventsourcing.Recorded{
			EventID: ids[i], Tenant: tid, Stream: stream, Version: versions[i], Type: enc.Type,
			Schema: enc.Schema, OccurredAt: now, Actor: meta.Actor, CorrelationID: meta.CorrelationID,
			CausationID: meta.CausationID, Event: e,
		}
		msgs[i], err = bus.EventMessage{
			EventID: ids[i], TenantID: tid.UUID(), StreamType: stream.Type, StreamID: stream.ID,
			Version: versions[i], Type: enc.Type, Schema: enc.Schema, OccurredAt: now, Actor: meta.Actor,
			CorrelationID: meta.CorrelationID, CausationID: meta.CausationID, Payload: enc.Payload,
		}.ToMessage()
		if err != nil {
			return prepared{}, err
		}
	}

	b := &pgx.Batch{}
	b.Queue(SetTenantSQL, tid.String())
	b.Queue(insertEventsSQL, tid.UUID(), stream.ID, stream.Type, now, meta.Actor,
		nullUUID(meta.CorrelationID), nullUUID(meta.CausationID), versions, ids, types, schemas, payloads)
	if err := publishInto(b, msgs); err != nil {
		return prepared{}, err
	}
	if s.failBeforeCommit {
		b.Queue(`SELECT 1/0`)
	}
	return prepared{batch: b, n: n, result: eventsourcing.AppendResult{
		Stream: stream, FromVersion: versions[0], ToVersion: versions[n-1], Events: recs}}, nil
}

func (s *PostgresEventStore) finish(p prepared, err error, started time.Time) (eventsourcing.AppendResult, error) {
	stream := p.result.Stream
	if err != nil {
		if isUniqueViolation(err) {
			if s.cfg.Metrics != nil {
				s.cfg.Metrics.AppendConflicts.Inc()
			}
			return eventsourcing.AppendResult{}, &eventsourcing.VersionConflictError{Stream: stream, Expected: p.result.FromVersion - 1}
		}
		return eventsourcing.AppendResult{}, fmt.Errorf("append to %s: %w", stream, Unavailable(err))
	}
	if s.cfg.Published != nil {
		s.cfg.Published()
	}
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.EventsAppended.WithLabelValues(stream.Type).Add(float64(p.n))
		s.cfg.Metrics.AppendDuration.Observe(time.Since(started).Seconds())
	}
	return p.result, nil
}

func readAppendResults(br pgx.BatchResults, p prepared) error {
	if _, err := br.Exec(); err != nil {
		return err
	}
	return readAppended(br, p)
}

// readAppended reads the results of p's statements after the tenant
// setting: the insert of the events (their positions) and the rest.
func readAppended(br pgx.BatchResults, p prepared) error {
	recs := p.result.Events
	rows, err := br.Query()
	if err != nil {
		return err
	}
	i := 0
	for rows.Next() {
		var pos int64
		var xid string
		if err := rows.Scan(&pos, &xid); err != nil {
			rows.Close()
			return err
		}
		if i < len(recs) {
			recs[i].Position = pos
			_, _ = fmt.Sscan(xid, &recs[i].TransactionID)
		}
		i++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for k := 2; k < len(p.batch.QueuedQueries); k++ {
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	return nil
}

// publishInto runs the watermill-sql publisher against an executor that
// queues its INSERT into the batch instead of sending it, so the messages
// travel in the same implicit transaction as the events.
func publishInto(b *pgx.Batch, msgs []*message.Message) error {
	pub, err := wsql.NewPublisher(batchExecutor{b}, wsql.PublisherConfig{SchemaAdapter: bus.Schema()}, nil)
	if err != nil {
		return err
	}
	if err := pub.Publish(bus.Topic, msgs...); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// batchExecutor adapts a pgx.Batch to watermill-sql's ContextExecutor.
type batchExecutor struct{ b *pgx.Batch }

type queuedResult struct{}

func (queuedResult) RowsAffected() (int64, error) { return 0, nil }

func (e batchExecutor) ExecContext(_ context.Context, query string, args ...any) (wsql.Result, error) {
	e.b.Queue(query, args...)
	return queuedResult{}, nil
}

func (e batchExecutor) QueryContext(context.Context, string, ...any) (wsql.Rows, error) {
	return nil, errors.New("batch executor: queries are not supported")
}

const loadStreamSQL = `
SELECT event_id, version, type, schema, occurred_at, actor, correlation_id, causation_id,
       position, transaction_id::text, payload
  FROM events
 WHERE tenant_id = $1 AND stream_id = $2 AND stream_type = $3
 ORDER BY version`

// Load implements eventsourcing.EventStore.
func (s *PostgresEventStore) Load(ctx context.Context, stream eventsourcing.StreamRef) ([]eventsourcing.Recorded, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue(SetTenantSQL, tid.String())
	b.Queue(loadStreamSQL, tid.UUID(), stream.ID, stream.Type)
	br := s.cfg.Pool.SendBatch(ctx, b)
	out, err := s.readStream(ctx, br, tid, stream)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, Unavailable(err)
	}
	return out, nil
}

// EventTypes implements eventsourcing.EventTypeLister.
func (s *PostgresEventStore) EventTypes(ctx context.Context, stream eventsourcing.StreamRef) ([]string, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue(SetTenantSQL, tid.String())
	b.Queue(`SELECT type FROM events WHERE tenant_id = $1 AND stream_id = $2 AND stream_type = $3 ORDER BY version`,
		tid.UUID(), stream.ID, stream.Type)
	br := s.cfg.Pool.SendBatch(ctx, b)
	defer func() { _ = br.Close() }() // the reads below already report any error of the batch
	if _, err := br.Exec(); err != nil {
		return nil, Unavailable(err)
	}
	rows, err := br.Query()
	if err != nil {
		return nil, Unavailable(err)
	}
	types, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return types, Unavailable(err)
}

// readStream decodes the events of Load's batch; the caller closes br.
func (s *PostgresEventStore) readStream(ctx context.Context, br pgx.BatchResults, tid tenant.ID, stream eventsourcing.StreamRef) ([]eventsourcing.Recorded, error) {
	if _, err := br.Exec(); err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []eventsourcing.Recorded
	for rows.Next() {
		r := eventsourcing.Recorded{Tenant: tid, Stream: stream}
		var payload []byte
		if err := scanEnvelope(rows, &r, &payload); err != nil {
			return nil, err
		}
		if r.Event, err = s.cfg.Codec.Decode(ctx, tid.String(), stream.ID.String(), r.Type, r.Schema, payload); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanEnvelope(rows pgx.Rows, r *eventsourcing.Recorded, payload *[]byte) error {
	var corr, caus *uuid.UUID
	var xid string
	var schema int32
	if err := rows.Scan(&r.EventID, &r.Version, &r.Type, &schema, &r.OccurredAt, &r.Actor, &corr, &caus,
		&r.Position, &xid, payload); err != nil {
		return err
	}
	r.Schema = int(schema)
	if corr != nil {
		r.CorrelationID = *corr
	}
	if caus != nil {
		r.CausationID = *caus
	}
	_, _ = fmt.Sscan(xid, &r.TransactionID)
	return nil
}

func nullUUID(u uuid.UUID) *uuid.UUID {
	if u == uuid.Nil {
		return nil
	}
	return &u
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
