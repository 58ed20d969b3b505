package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/infrastructure/clickhouse"
	"github.com/torquehq/torque/infrastructure/messagestore"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/internal/wiring"
)

// ProjectOptions tunes Project.
type ProjectOptions struct {
	// Rebuild rebuilds every read model and the analytics facts from the
	// event store (one transaction per read model; see Project). Load
	// projects each workshop as it writes it, so this is only needed for
	// events stored by other means.
	Rebuild bool
	// Parallel is how many read models are rebuilt at once (default 2).
	Parallel int
	// Progress receives a progress bar (nil: none).
	Progress io.Writer
	// Done, when set, is told of each rebuilt read model.
	Done func(name string, events int, d time.Duration)
	// HorizonWait bounds the wait for transactions of other databases (see
	// waitHorizon; default 15 minutes).
	HorizonWait time.Duration
}

// SideEffects are the projections whose "read model" is an outbox of
// things to do (messages to car owners): a bulk load does not replay them,
// so loaded history sends nothing. Their live consumer groups never see the
// loaded events either (Load publishes no Watermill message for them).
var SideEffects = map[string]bool{messagestore.TriggersProjectionName: true}

// Project finishes a bulk load: it moves the consumer groups past
// everything, so a worker started later replays nothing. Load already wrote
// every loaded workshop's read models and analytics facts in the
// workshop's own transaction.
//
// With opt.Rebuild it first rebuilds every read model from the event store
// in bulk (several at once, each in its own transaction: WARNING, each holds
// the server-wide snapshot horizon, so Watermill's SQL subscribers of every
// database on the server stall until it ends), then the analytics fact
// tables when ClickHouse is configured. The reminders'
// due dates are computed lazily, as always: the maintenance read model is
// rebuilt with every vehicle marked for recomputation, and the worker's
// reminder scheduler recomputes them on its next runs.
func Project(ctx context.Context, sys *wiring.System, adminURL string, opt ProjectOptions) error {
	if opt.Parallel <= 0 {
		opt.Parallel = 2
	}
	if opt.HorizonWait <= 0 {
		opt.HorizonWait = 15 * time.Minute
	}
	admin, err := postgres.Open(ctx, postgres.Config{URL: adminURL, MaxConns: int32(2*opt.Parallel + 4)}) //nolint:gosec // small
	if err != nil {
		return err
	}
	defer admin.Close()
	if !opt.Rebuild {
		return projection.FastForward(ctx, admin, sys.Projections)
	}
	if err := waitHorizon(ctx, admin, opt.HorizonWait, opt.Progress); err != nil {
		return err
	}
	counts, err := countByType(ctx, admin)
	if err != nil {
		return err
	}
	type job struct {
		name  string
		total int
		run   func(onPage func(int)) (int, error)
	}
	var jobs []job
	total := 0
	for _, p := range sys.Projections {
		if SideEffects[p.Name()] {
			continue
		}
		n := sum(counts, p.Handles())
		total += n
		jobs = append(jobs, job{name: p.Name(), total: n, run: func(onPage func(int)) (int, error) {
			rb := projection.NewRebuilder(admin, sys.Codec)
			rb.PageSize = 5000
			rb.OnPage = onPage
			return rb.Rebuild(ctx, p)
		}})
	}
	if sys.Analytics != nil {
		n := sum(counts, clickhouse.EventTypes())
		total += n
		jobs = append(jobs, job{name: clickhouse.ProjectionName, total: n, run: func(onPage func(int)) (int, error) {
			n, err := sys.Analytics.Projector.Rebuild(ctx, admin)
			onPage(n)
			return n, err
		}})
	}
	bar := newBar(opt.Progress, "rebuild", total)
	sem := make(chan struct{}, opt.Parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			n, err := j.run(bar.add)
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("rebuild %s: %w", j.name, err))
				mu.Unlock()
				return
			}
			if opt.Done != nil {
				mu.Lock()
				opt.Done(j.name, n, time.Since(start))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	bar.done()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return projection.FastForward(ctx, admin, sys.Projections)
}

func countByType(ctx context.Context, admin *pgxpool.Pool) (map[string]int, error) {
	rows, err := admin.Query(ctx, `SELECT type, count(*) FROM events GROUP BY type`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, rows.Err()
}

func sum(counts map[string]int, types []string) int {
	n := 0
	for _, t := range types {
		n += counts[t]
	}
	return n
}

// waitHorizon waits until every event stored so far is below the horizon
// of the catch-up readers (the oldest transaction still running anywhere in
// the cluster): the rebuilds read only below it, so a long transaction in
// another database on the same server would otherwise make them skip the
// newest loaded events.
func waitHorizon(ctx context.Context, admin *pgxpool.Pool, limit time.Duration, progress io.Writer) error {
	var last *string
	if err := admin.QueryRow(ctx, `SELECT max(transaction_id)::text FROM events`).Scan(&last); err != nil {
		return err
	}
	if last == nil {
		return nil
	}
	deadline := time.Now().Add(limit)
	told := false
	for {
		var below bool
		if err := admin.QueryRow(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::text::xid8`, *last).Scan(&below); err != nil {
			return err
		}
		if below {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("seed: a transaction older than the load is still running on the database server after %s; rebuild later with `torque projections rebuild all`", limit)
		}
		if !told && progress != nil {
			fmt.Fprintln(progress, "seed: waiting for older transactions on the server to end before rebuilding")
			told = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
