package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// pendingSQL counts the topic's messages of the projected types after the
// checkpoint, the same selection readTopicSQL pages through.
const pendingSQL = `
SELECT count(*), min(created_at) FROM "watermill_events"
 WHERE (transaction_id, "offset") > ($1::text::xid8, $2::bigint)
   AND metadata->>'event_type' = ANY($3::text[])`

// Lag is how far the analytics tables are behind the event store.
type Lag struct {
	// Pending counts published events of the projected types not yet in
	// ClickHouse.
	Pending int64
	// OldestPending is the publish time of the oldest of those (zero if none).
	OldestPending time.Time
}

// Lag reads the checkpoint stored in ClickHouse (not the cached one: the
// operator asks what the analytics tables hold) and counts what follows it.
func (p *Projector) Lag(ctx context.Context) (Lag, error) {
	cp, err := readCheckpoint(ctx, p.cfg.Conn)
	if err != nil {
		return Lag{}, fmt.Errorf("read checkpoint: %w", err)
	}
	var out Lag
	var oldest *time.Time
	if err := p.cfg.Pool.QueryRow(ctx, pendingSQL, strconv.FormatUint(cp.TransactionID, 10), cp.Offset, p.types).
		Scan(&out.Pending, &oldest); err != nil {
		return Lag{}, err
	}
	if oldest != nil {
		out.OldestPending = oldest.UTC()
	}
	return out, nil
}
