package projection

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/infrastructure/observability"
)

// Status is how far a projection's consumer group is behind the topic.
type Status struct {
	Projection string
	// Pending counts published messages the group has not consumed yet.
	Pending int64
	// OldestPending is the publish time of the oldest of those (zero if none).
	OldestPending time.Time
}

// The pending count is a range scan of the messages' primary key
// (transaction_id, offset) from the group's offset: cheap however long the
// topic grows. The offset is read first so the planner sees real values (a
// subquery made it fall back to a sequential scan).
const offsetSQL = `SELECT last_processed_transaction_id::text, offset_acked FROM "watermill_offsets_events" WHERE consumer_group = $1`

const pendingSQL = `
SELECT count(*), min(m.created_at) FROM "watermill_events" m
 WHERE (m.transaction_id, m."offset") > ($1::text::xid8, $2::bigint)`

// Statuses reports the lag of each projection.
func Statuses(ctx context.Context, pool *pgxpool.Pool, projections []Projection) ([]Status, error) {
	out := make([]Status, 0, len(projections))
	for _, p := range projections {
		s := Status{Projection: p.Name()}
		xid, offset := "0", int64(0)
		err := pool.QueryRow(ctx, offsetSQL, ConsumerGroup(p)).Scan(&xid, &offset)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, err
		}
		var oldest *time.Time
		if err := pool.QueryRow(ctx, pendingSQL, xid, offset).Scan(&s.Pending, &oldest); err != nil {
			return nil, err
		}
		if oldest != nil {
			s.OldestPending = oldest.UTC()
		}
		out = append(out, s)
	}
	return out, nil
}

// MonitorLag updates the projection lag gauges every interval until ctx ends.
func MonitorLag(ctx context.Context, pool *pgxpool.Pool, projections []Projection, m *observability.Metrics, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		sts, err := Statuses(ctx, pool, projections)
		if err != nil && ctx.Err() == nil {
			log.Warn("projection lag probe failed", "err", err)
		}
		for _, s := range sts {
			m.ProjectionLag.WithLabelValues(s.Projection).Set(float64(s.Pending))
			age := 0.0
			if !s.OldestPending.IsZero() {
				age = time.Since(s.OldestPending).Seconds()
			}
			m.ProjectionLagAge.WithLabelValues(s.Projection).Set(age)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
