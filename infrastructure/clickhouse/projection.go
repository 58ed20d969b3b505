package clickhouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

// ProjectionName names the analytics projection (`torque projections
// rebuild analytics`).
const ProjectionName = "analytics"

// ProjectorConfig configures the analytics projection.
type ProjectorConfig struct {
	// Pool reads the Watermill topic table (the runtime role may).
	Pool *pgxpool.Pool
	// Conn writes the fact tables.
	Conn  driver.Conn
	Codec *eventcodec.Codec
	// Pseudonyms replace customer, vehicle and mechanic ids.
	Pseudonyms *Pseudonyms
	// PageSize is how many messages one batch reads (default 5000).
	PageSize int
	// PollInterval is the pause when there is nothing new (default 500 ms).
	PollInterval time.Duration
	// Wake, when set, ends that pause early: the process broadcasts on it
	// when events were published (see bus.Notifier), and PollInterval (then
	// IdleInterval, default bus.DefaultIdleInterval) only bounds the wait.
	Wake         *bus.Wake
	IdleInterval time.Duration
	// RetryInterval is the first pause after a failure, doubled up to
	// 30 s while ClickHouse stays away (default 1 s).
	RetryInterval time.Duration
	Logger        *slog.Logger
}

// Projector fills the fact tables from the "events" topic in batches.
//
// Watermill's SQL subscriber acks one message at a time, so a consumer of it
// could only insert row by row. The projector instead reads the topic's table
// ("watermill_events") in pages in the subscriber's own order, (transaction
// id, offset), behind the same visibility guard (nothing at or after the
// oldest running transaction), inserts each page's facts in one batch per
// table and only then records the page's last position in ClickHouse. A
// ClickHouse outage fails the insert, the position stays and the page is read
// again until it succeeds: analytics is delayed, nothing is lost. A crash
// between the insert and the checkpoint repeats the page, whose rows collapse
// by their sorting keys (every row is a function of its event id).
type Projector struct {
	cfg   ProjectorConfig
	types []string
	cp    *Checkpoint // cached after the first successful read
}

// NewProjector returns the analytics projector.
func NewProjector(cfg ProjectorConfig) (*Projector, error) {
	if cfg.Pool == nil || cfg.Conn == nil || cfg.Codec == nil || cfg.Pseudonyms == nil {
		return nil, errors.New("analytics projector: Pool, Conn, Codec and Pseudonyms are required")
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 5000
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 500 * time.Millisecond
	}
	if cfg.Wake != nil {
		cfg.PollInterval = cfg.IdleInterval
		if cfg.PollInterval <= 0 {
			cfg.PollInterval = bus.DefaultIdleInterval
		}
	}
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Projector{cfg: cfg, types: EventTypes()}, nil
}

// lockKey is held shared by each step and exclusively by a rebuild.
func lockKey() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("projection:" + ProjectionName))
	return int64(h.Sum64() >> 1)
}

const readTopicSQL = `
SELECT transaction_id::text, "offset", payload::text
  FROM "watermill_events"
 WHERE (transaction_id, "offset") > ($1::text::xid8, $2::bigint)
   AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   AND metadata->>'event_type' = ANY($3::text[])
 ORDER BY "watermill_events".transaction_id, "watermill_events"."offset"
 LIMIT $4`

// leaderKey is the session lock the running projector holds: with several
// worker processes only one steps at a time (its cached checkpoint would be
// stale if another stepped too, and the pages would be inserted twice).
func leaderKey() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("projection-leader:" + ProjectionName))
	return int64(h.Sum64() >> 1)
}

// Run projects until ctx ends. With several worker processes only one runs
// the steps at a time: it holds the leader lock on a connection of its own,
// and the others try again every PollInterval (or IdleInterval).
func (p *Projector) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		lead, err := p.cfg.Pool.Acquire(ctx)
		if err == nil {
			var ok bool
			if err = lead.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, leaderKey()).Scan(&ok); err == nil && ok {
				p.cp = nil // another process may have moved it
				p.lead(ctx, lead)
				_, _ = lead.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, leaderKey())
			}
			lead.Release()
		}
		if err != nil && ctx.Err() == nil {
			p.cfg.Logger.Warn("analytics projection: will retry", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(max(p.cfg.PollInterval, p.cfg.RetryInterval)):
		}
	}
	return nil
}

// lead steps until ctx ends or the leader connection is lost, pausing when
// idle and backing off on failure.
func (p *Projector) lead(ctx context.Context, leader *pgxpool.Conn) {
	wait := p.cfg.RetryInterval
	// After a wake-up or a page, follow up at 50 ms doubling: a committed
	// message stays invisible while an older transaction runs (see
	// readTopicSQL), and its wake-up has then already passed.
	const firstFollowUp = 50 * time.Millisecond
	var followUp time.Duration
	for {
		var woken <-chan struct{} // nil without a Wake: never fires
		if p.cfg.Wake != nil {
			woken = p.cfg.Wake.C() // taken before the read: no wake-up is missed
		}
		n, err := p.Step(ctx)
		var pause time.Duration
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if perr := leader.Ping(ctx); perr != nil {
				return // the lock went with the connection: elect again
			}
			p.cfg.Logger.Warn("analytics projection: will retry", "err", err, "retry_in", wait.String())
			pause = wait
			wait = min(wait*2, 30*time.Second)
		case n == 0:
			pause, wait = p.cfg.PollInterval, p.cfg.RetryInterval
			if followUp > 0 && p.cfg.Wake != nil {
				pause = min(followUp, pause)
				if followUp *= 2; followUp >= p.cfg.PollInterval {
					followUp = 0
				}
			}
		default:
			wait, followUp = p.cfg.RetryInterval, firstFollowUp
			continue
		}
		if err != nil {
			woken = nil // a failure waits out its backoff
		}
		select {
		case <-ctx.Done():
			return
		case <-woken:
			followUp = firstFollowUp
		case <-time.After(pause):
		}
	}
}

// Step projects the next page of the topic and returns how many messages it
// consumed (0: nothing new).
func (p *Projector) Step(ctx context.Context) (int, error) {
	conn, err := p.cfg.Pool.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock_shared($1)`, lockKey()); err != nil {
		return 0, err
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock_shared($1)`, lockKey())
	}()
	if p.cp == nil {
		cp, err := readCheckpoint(ctx, p.cfg.Conn)
		if err != nil {
			return 0, fmt.Errorf("read checkpoint: %w", err)
		}
		p.cp = &cp
	}
	rows, err := conn.Query(ctx, readTopicSQL, strconv.FormatUint(p.cp.TransactionID, 10), p.cp.Offset, p.types, p.cfg.PageSize)
	if err != nil {
		return 0, err
	}
	var facts Facts
	next := *p.cp
	n := 0
	for rows.Next() {
		var xid string
		var off int64
		var body string
		if err := rows.Scan(&xid, &off, &body); err != nil {
			rows.Close()
			return 0, err
		}
		rec, err := p.decode(ctx, []byte(body))
		if err != nil {
			rows.Close()
			return 0, err
		}
		if err := facts.Add(p.cfg.Pseudonyms, rec); err != nil {
			rows.Close()
			return 0, err
		}
		if next.TransactionID, err = strconv.ParseUint(xid, 10, 64); err != nil {
			rows.Close()
			return 0, err
		}
		next.Offset = off
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	if err := insert(ctx, p.cfg.Conn, &facts); err != nil {
		p.cp = nil // re-read: the server may have come back empty or restored
		return 0, err
	}
	if err := writeCheckpoint(ctx, p.cfg.Conn, next); err != nil {
		p.cp = nil
		return 0, fmt.Errorf("write checkpoint: %w", err)
	}
	p.cp = &next
	return n, nil
}

func (p *Projector) decode(ctx context.Context, body []byte) (eventsourcing.Recorded, error) {
	var em bus.EventMessage
	if err := json.Unmarshal(body, &em); err != nil {
		return eventsourcing.Recorded{}, fmt.Errorf("analytics: event message: %w", err)
	}
	tid, err := tenant.FromUUID(em.TenantID)
	if err != nil {
		return eventsourcing.Recorded{}, err
	}
	ev, err := p.cfg.Codec.Decode(ctx, tid.String(), em.StreamID.String(), em.Type, em.Schema, em.Payload)
	if err != nil {
		return eventsourcing.Recorded{}, err
	}
	return eventsourcing.Recorded{EventID: em.EventID, Tenant: tid,
		Stream:  eventsourcing.StreamRef{Type: em.StreamType, ID: em.StreamID},
		Version: em.Version, Type: em.Type, Schema: em.Schema, OccurredAt: em.OccurredAt, Actor: em.Actor, Event: ev}, nil
}

const readEventsSQL = `
SELECT tenant_id, stream_type, stream_id, event_id, version, type, schema, occurred_at, transaction_id::text, position, payload
  FROM events
 WHERE (transaction_id, position) > ($1::text::xid8, $2::bigint)
   AND transaction_id < $3::text::xid8
   AND type = ANY($4::text[])
 ORDER BY events.transaction_id, events.position
 LIMIT $5`

// Rebuild empties the fact tables and refills them from the event store,
// read through admin (the maintenance role: it spans tenants). Live steps
// wait meanwhile. Events committed while it runs are left to the live
// projection, which starts after the topic position captured at the start.
// It returns the number of events applied.
func (p *Projector) Rebuild(ctx context.Context, admin *pgxpool.Pool) (int, error) {
	conn, err := admin.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockKey()); err != nil {
		return 0, err
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey()) }()
	// Everything committed below horizon is in the event store and the topic.
	var horizon string
	if err := conn.QueryRow(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text`).Scan(&horizon); err != nil {
		return 0, err
	}
	var topic Checkpoint
	var xid *string
	err = conn.QueryRow(ctx, `SELECT transaction_id::text, "offset" FROM "watermill_events"
 WHERE transaction_id < $1::text::xid8 ORDER BY "watermill_events".transaction_id DESC, "watermill_events"."offset" DESC LIMIT 1`, horizon).Scan(&xid, &topic.Offset)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, err
	}
	if xid != nil {
		if topic.TransactionID, err = strconv.ParseUint(*xid, 10, 64); err != nil {
			return 0, err
		}
	}
	if err := truncateAll(ctx, p.cfg.Conn); err != nil {
		return 0, err
	}
	p.cp = nil
	afterXID, afterPos, total := "0", int64(0), 0
	pageSize := max(p.cfg.PageSize, 20000)
	for {
		rows, err := conn.Query(ctx, readEventsSQL, afterXID, afterPos, horizon, p.types, pageSize)
		if err != nil {
			return total, err
		}
		var facts Facts
		n := 0
		for rows.Next() {
			var rec eventsourcing.Recorded
			var tid uuid.UUID
			var schema int32
			var payload []byte
			if err := rows.Scan(&tid, &rec.Stream.Type, &rec.Stream.ID, &rec.EventID, &rec.Version, &rec.Type, &schema,
				&rec.OccurredAt, &afterXID, &afterPos, &payload); err != nil {
				rows.Close()
				return total, err
			}
			if rec.Tenant, err = tenant.FromUUID(tid); err != nil {
				rows.Close()
				return total, err
			}
			rec.Schema = int(schema)
			if rec.Event, err = p.cfg.Codec.Decode(ctx, rec.Tenant.String(), rec.Stream.ID.String(), rec.Type, rec.Schema, payload); err != nil {
				rows.Close()
				return total, err
			}
			if err := facts.Add(p.cfg.Pseudonyms, rec); err != nil {
				rows.Close()
				return total, err
			}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return total, err
		}
		if err := insert(ctx, p.cfg.Conn, &facts); err != nil {
			return total, err
		}
		total += n
		if n < pageSize {
			break
		}
	}
	if err := writeCheckpoint(ctx, p.cfg.Conn, topic); err != nil {
		return total, err
	}
	return total, nil
}

// Append writes the facts of recs (decoded events; types it does not
// handle are skipped) with no checkpoint. Bulk loaders use it for events
// they store with no topic message, so the live projection never sees
// them: the fact tables replace rows by key, so appending the same events
// again (a retried load) leaves the same facts.
func (p *Projector) Append(ctx context.Context, recs []eventsourcing.Recorded) error {
	var facts Facts
	for _, rec := range recs {
		if err := facts.Add(p.cfg.Pseudonyms, rec); err != nil {
			return err
		}
	}
	return insert(ctx, p.cfg.Conn, &facts)
}
