package projection

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

// Rebuilder recomputes read models from the event store.
type Rebuilder struct {
	// admin connects as the maintenance role (BYPASSRLS): a rebuild spans tenants.
	admin *pgxpool.Pool
	codec *eventcodec.Codec
	// PageSize is how many events one batch applies (default 2000).
	PageSize int
	// OnPage, when set, is told how many events each applied page held
	// (progress bars of bulk loads).
	OnPage func(n int)
}

// NewRebuilder returns a rebuilder using the maintenance pool.
func NewRebuilder(admin *pgxpool.Pool, codec *eventcodec.Codec) *Rebuilder {
	return &Rebuilder{admin: admin, codec: codec, PageSize: 2000}
}

// readPageSQL orders by the table's columns, qualified: a bare
// "transaction_id" would name the text column of the select list, which
// sorts "100000" before "99999" (pages would skip events) and cannot use the
// events_global_order index (every page would scan and sort the table).
const readPageSQL = `
SELECT tenant_id, stream_type, stream_id, event_id, version, type, schema, occurred_at, actor,
       correlation_id, causation_id, position, transaction_id::text, payload
  FROM events
 WHERE (transaction_id, position) > ($1::text::xid8, $2::bigint)
   AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   AND type = ANY($3::text[])
 ORDER BY events.transaction_id, events.position
 LIMIT $4`

const upsertCheckpointsSQL = `
INSERT INTO projection_checkpoints (tenant_id, projection, stream_id, version)
SELECT t, $1, s, v FROM unnest($2::uuid[], $3::uuid[], $4::bigint[]) AS x(t, s, v)
ON CONFLICT (tenant_id, projection, stream_id)
DO UPDATE SET version = GREATEST(projection_checkpoints.version, EXCLUDED.version), applied_at = now()`

// Rebuild empties p's read model and applies every stored event it handles,
// in one transaction: readers see the old model until the new one is
// complete, and live handlers wait on the projection lock meanwhile. It
// returns the number of events applied.
func (r *Rebuilder) Rebuild(ctx context.Context, p Projection) (int, error) {
	// Under row-level security a role without BYPASSRLS would see no event
	// and "rebuild" every read model empty: refuse instead.
	var bypass bool
	if err := r.admin.QueryRow(ctx, `SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&bypass); err != nil {
		return 0, err
	}
	if !bypass {
		return 0, errors.New("rebuild needs the maintenance role (BYPASSRLS): use TORQUE_DATABASE_ADMIN_URL")
	}
	n := 0
	err := pgx.BeginFunc(ctx, r.admin, func(tx pgx.Tx) error {
		reset := &pgx.Batch{}
		reset.Queue(CustomPlansSQL)
		reset.Queue(`SELECT pg_advisory_xact_lock($1)`, lockKey(p.Name()))
		p.Reset(reset)
		reset.Queue(`DELETE FROM projection_checkpoints WHERE projection = $1`, p.Name())
		if err := tx.SendBatch(ctx, reset).Close(); err != nil {
			return fmt.Errorf("reset %s: %w", p.Name(), err)
		}
		var err error
		n, err = r.replay(ctx, tx, p)
		return err
	})
	return n, err
}

// replay applies every event p handles. Reading and decoding the next page
// runs on another connection while the current page is written, so the two
// costs overlap; events are immutable, so reading outside the rebuild's
// transaction is safe.
func (r *Rebuilder) replay(ctx context.Context, tx pgx.Tx, p Projection) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type page struct {
		recs []eventsourcing.Recorded
		err  error
	}
	pages := make(chan page, 2)
	go func() {
		defer close(pages)
		afterXID, afterPos := "0", int64(0)
		for {
			recs, err := r.readPage(ctx, r.admin, p, afterXID, afterPos)
			select {
			case pages <- page{recs, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(recs) < r.PageSize {
				return
			}
			last := recs[len(recs)-1]
			afterXID, afterPos = fmt.Sprint(last.TransactionID), last.Position
		}
	}()
	total := 0
	for pg := range pages {
		if pg.err != nil {
			return total, pg.err
		}
		if len(pg.recs) == 0 {
			continue
		}
		if err := applyPage(ctx, tx, p, pg.recs); err != nil {
			return total, err
		}
		total += len(pg.recs)
		if r.OnPage != nil {
			r.OnPage(len(pg.recs))
		}
	}
	return total, nil
}

// CustomPlansSQL makes the transaction plan each statement for the table
// as it is now. A rebuild (or a bulk load) fills read-model tables that were
// empty when the transaction began, and no ANALYZE can run meanwhile: a
// cached generic plan chosen while a table was empty stays for the whole
// transaction. Measured: the order status UPDATE kept a plan that walked the
// (tenant_id, status, number) index, i.e. every order of the workshop, for
// each status change; 74,020 of them took 419 s instead of 3 s.
const CustomPlansSQL = `SET LOCAL plan_cache_mode = force_custom_plan`

// applyPage queues p's statements for recs, in order, with the checkpoint
// of every stream they touch, and sends them as one batch on tx.
func applyPage(ctx context.Context, tx pgx.Tx, p Projection, recs []eventsourcing.Recorded) error {
	b := &pgx.Batch{}
	last := map[[2]uuid.UUID]int64{}
	for _, rec := range recs {
		if err := p.Apply(b, rec); err != nil {
			return fmt.Errorf("projection %s, event %s: %w", p.Name(), rec.EventID, err)
		}
		last[[2]uuid.UUID{rec.Tenant.UUID(), rec.Stream.ID}] = rec.Version
	}
	ts, ss, vs := make([]uuid.UUID, 0, len(last)), make([]uuid.UUID, 0, len(last)), make([]int64, 0, len(last))
	for k, v := range last {
		ts, ss, vs = append(ts, k[0]), append(ss, k[1]), append(vs, v)
	}
	b.Queue(upsertCheckpointsSQL, p.Name(), ts, ss, vs)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("projection %s: %w", p.Name(), err)
	}
	return nil
}

// ApplyInTx applies recs to p inside the caller's transaction, exactly as a
// rebuild applies a page of the event store (the projection's Apply, then
// the streams' checkpoints), pageSize events per batch. recs must be events
// p handles, each stream's in version order, already stored in the events
// table by tx. It holds p's lock shared, as live handlers do, so a rebuild
// of p waits for tx. Callers writing many rows into tables whose statistics
// do not know them yet should first SET LOCAL plan_cache_mode =
// force_custom_plan (CustomPlansSQL; see Rebuild). Bulk loaders use it to project the events they have
// just written and still hold in memory, with no rebuild afterwards.
func ApplyInTx(ctx context.Context, tx pgx.Tx, p Projection, recs []eventsourcing.Recorded, pageSize int) error {
	if pageSize <= 0 {
		pageSize = 2000
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, lockKey(p.Name())); err != nil {
		return err
	}
	for len(recs) > 0 {
		n := min(pageSize, len(recs))
		if err := applyPage(ctx, tx, p, recs[:n]); err != nil {
			return err
		}
		recs = recs[n:]
	}
	return nil
}

func (r *Rebuilder) readPage(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, p Projection, afterXID string, afterPos int64) ([]eventsourcing.Recorded, error) {
	rows, err := q.Query(ctx, readPageSQL, afterXID, afterPos, p.Handles(), r.PageSize)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []eventsourcing.Recorded
	for rows.Next() {
		rec, payload, err := scanGlobal(rows)
		if err != nil {
			return nil, err
		}
		if rec.Event, err = r.codec.Decode(ctx, rec.Tenant.String(), rec.Stream.ID.String(), rec.Type, rec.Schema, payload); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

func scanGlobal(rows pgx.Rows) (eventsourcing.Recorded, []byte, error) {
	var rec eventsourcing.Recorded
	var tid uuid.UUID
	var corr, caus *uuid.UUID
	var xid string
	var schema int32
	var payload []byte
	if err := rows.Scan(&tid, &rec.Stream.Type, &rec.Stream.ID, &rec.EventID, &rec.Version, &rec.Type, &schema,
		&rec.OccurredAt, &rec.Actor, &corr, &caus, &rec.Position, &xid, &payload); err != nil {
		return rec, nil, err
	}
	t, err := tenant.FromUUID(tid)
	if err != nil {
		return rec, nil, errors.New("stored event without tenant")
	}
	rec.Tenant = t
	rec.Schema = int(schema)
	if corr != nil {
		rec.CorrelationID = *corr
	}
	if caus != nil {
		rec.CausationID = *caus
	}
	if _, err := fmt.Sscan(xid, &rec.TransactionID); err != nil {
		return rec, nil, err
	}
	return rec, payload, nil
}

// FastForward moves the consumer groups of the projections to the end of the
// topic, so that a worker started after a bulk load and a rebuild does not
// replay every message (the checkpoints would skip them, one by one).
// WARNING: only correct when nothing was published after the rebuild began;
// bulk loaders call it with no other writer running.
func FastForward(ctx context.Context, admin *pgxpool.Pool, projections []Projection) error {
	for _, p := range projections {
		_, err := admin.Exec(ctx, `
INSERT INTO "watermill_offsets_events" (consumer_group, offset_acked, last_processed_transaction_id)
SELECT $1, m."offset", m.transaction_id FROM "watermill_events" m
 ORDER BY m.transaction_id DESC, m."offset" DESC LIMIT 1
ON CONFLICT (consumer_group) DO UPDATE
   SET offset_acked = EXCLUDED.offset_acked, last_processed_transaction_id = EXCLUDED.last_processed_transaction_id`,
			ConsumerGroup(p))
		if err != nil {
			return fmt.Errorf("fast-forward %s: %w", p.Name(), err)
		}
	}
	return nil
}
