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
	applied *Applied
}

// NewWaiter returns a waiter over the given projections.
func NewWaiter(pool *pgxpool.Pool, projections []Projection) *Waiter {
	return &Waiter{pool: pool, projections: projections, Timeout: 2 * time.Second, applied: NewApplied()}
}

// Applied is what this process's Runner tells the waiter
// (RunnerConfig.Applied): with it, a wait for a projection the Runner
// applies is answered from memory, without polling Postgres.
func (w *Waiter) Applied() *Applied { return w.applied }

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

// WaitFor waits until the checkpoint of one projection and stream reaches
// version. When a Runner of this process applies the projection, the wait is
// answered by that Runner (Applied), with a read of the checkpoint every
// 10 ms doubling to 50 ms in case another process applied it; otherwise it
// polls the checkpoint, backing off from 1 ms to 10 ms.
func (w *Waiter) WaitFor(ctx context.Context, projection string, stream eventsourcing.StreamRef, version int64) error {
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	var applied <-chan struct{}
	delay, most := time.Millisecond, 10*time.Millisecond
	if w.applied != nil && w.applied.runs(projection) {
		done, reached, stop := w.applied.watch(projection, stream.ID, version)
		defer stop()
		if reached {
			return nil
		}
		applied, delay, most = done, 10*time.Millisecond, 50*time.Millisecond
		// The Runner usually answers first: read the checkpoint only
		// after the first delay.
		if err := wait(ctx, applied, delay); err != nil {
			return notCaughtUp(projection, stream, version)
		} else if isClosed(applied) {
			return nil
		}
		delay = min(delay*2, most)
	}
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
				return notCaughtUp(projection, stream, version)
			}
			return err
		}
		if got >= version {
			return nil
		}
		if err := wait(ctx, applied, delay); err != nil {
			return notCaughtUp(projection, stream, version)
		} else if isClosed(applied) {
			return nil
		}
		delay = min(delay*2, most)
	}
}

func notCaughtUp(projection string, stream eventsourcing.StreamRef, version int64) error {
	return fmt.Errorf("%w: %s at %s v%d", ErrNotCaughtUp, projection, stream, version)
}

// wait sleeps for d, or until applied is closed (nil: never), or ctx ends
// (its error).
func wait(ctx context.Context, applied <-chan struct{}, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-applied:
	case <-t.C:
	}
	return nil
}

func isClosed(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
