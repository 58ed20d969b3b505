package projection

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ eventsourcing.Consistency = (*Waiter)(nil)

// ErrNotCaughtUp is returned when a projection did not reach a version in time.
var ErrNotCaughtUp = errors.New("projection has not caught up")

// Waiter implements read-your-writes by waiting for projection checkpoints.
type Waiter struct {
	pool        *pgxpool.Pool
	projections []Projection
	// Timeout bounds every wait (default 2 s).
	Timeout time.Duration
}

// NewWaiter returns a waiter over the given projections.
func NewWaiter(pool *pgxpool.Pool, projections []Projection) *Waiter {
	return &Waiter{pool: pool, projections: projections, Timeout: 2 * time.Second}
}

// AwaitProjections blocks until every projection that handles one of res's
// events has applied it, or the timeout passes (ErrNotCaughtUp).
func (w *Waiter) AwaitProjections(ctx context.Context, res eventsourcing.AppendResult) error {
	for _, p := range w.projections {
		var target int64
		for _, e := range res.Events {
			if handles(p, e.Type) && e.Version > target {
				target = e.Version
			}
		}
		if target == 0 {
			continue
		}
		if err := w.WaitFor(ctx, p.Name(), res.Stream, target); err != nil {
			return err
		}
	}
	return nil
}

// WaitFor polls the checkpoint of one projection and stream until it reaches
// version, backing off from 1 ms to 10 ms.
func (w *Waiter) WaitFor(ctx context.Context, projection string, stream eventsourcing.StreamRef, version int64) error {
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	delay := time.Millisecond
	for {
		b, err := postgres.TenantBatch(ctx)
		if err != nil {
			return err
		}
		b.Queue(`SELECT version FROM projection_checkpoints WHERE projection = $1 AND stream_id = $2`, projection, stream.ID)
		br := w.pool.SendBatch(ctx, b)
		_, err = br.Exec()
		var got int64
		if err == nil {
			err = br.QueryRow().Scan(&got)
		}
		_ = br.Close()
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			if ctx.Err() != nil {
				return fmt.Errorf("%w: %s at %s v%d", ErrNotCaughtUp, projection, stream, version)
			}
			return err
		}
		if got >= version {
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w: %s at %s v%d", ErrNotCaughtUp, projection, stream, version)
		case <-t.C:
		}
		delay = min(delay*2, 10*time.Millisecond)
	}
}
