package projection_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/internal/estest"
)

// BenchmarkRebuild measures a projection rebuild from the event store against
// a raw batched INSERT of the same rows (one per event) in the same run.
func BenchmarkRebuild(b *testing.B) {
	const counters, perCounter = 1000, 20 // 21,000 events
	f := newBenchFixture(b)
	store, _ := postgres.NewEventStore(postgres.EventStoreConfig{Pool: f.db.App, Codec: f.codec})
	ctx := ctxFor(newTenant())
	for i := 0; i < counters; i++ {
		events := []es.Event{estest.Opened{Label: "bay"}}
		for j := 0; j < perCounter; j++ {
			events = append(events, estest.Incremented{By: int64(j + 1), Note: "alinhamento e balanceamento"})
		}
		if _, err := store.Append(ctx, eventsourcing.StreamRef{Type: estest.StreamType, ID: uuid.Must(uuid.NewV7())}, 0, events); err != nil {
			b.Fatal(err)
		}
	}
	f.db.Exec(b, `CREATE TABLE raw_rows (tenant_id uuid, counter_id uuid, version bigint, by bigint, PRIMARY KEY (tenant_id, counter_id, version))`)
	total := counters * (perCounter + 1)
	rb := projection.NewRebuilder(f.db.Admin, f.codec)
	b.ResetTimer()
	var rebuildSecs, rawSecs float64
	for i := 0; i < b.N; i++ {
		start := time.Now()
		n, err := rb.Rebuild(context.Background(), estest.Totals{})
		if err != nil || n != total {
			b.Fatalf("rebuilt %d events (err %v), want %d", n, err, total)
		}
		rebuildSecs += time.Since(start).Seconds()

		f.db.Exec(b, `TRUNCATE raw_rows`)
		tid := uuid.Must(uuid.NewV7())
		start = time.Now()
		err = pgx.BeginFunc(context.Background(), f.db.Admin, func(tx pgx.Tx) error {
			for page := 0; page < total; page += 2000 {
				batch := &pgx.Batch{}
				for k := page; k < min(total, page+2000); k++ {
					batch.Queue(`INSERT INTO raw_rows (tenant_id, counter_id, version, by) VALUES ($1, $2, $3, $4)`,
						tid, counterUUID(k/(perCounter+1)), k%(perCounter+1), k)
				}
				if err := tx.SendBatch(context.Background(), batch).Close(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		rawSecs += time.Since(start).Seconds()
	}
	b.StopTimer()
	rebuildRate := float64(total*b.N) / rebuildSecs
	rawRate := float64(total*b.N) / rawSecs
	b.ReportMetric(rebuildRate, "events/s")
	b.ReportMetric(rawRate, "raw_rows/s")
	b.ReportMetric(rebuildRate/rawRate, "ratio")
}

var ns = uuid.Must(uuid.NewV7())

func counterUUID(n int) uuid.UUID { return uuid.NewSHA1(ns, []byte(fmt.Sprint(n))) }

// BenchmarkProjectionLag writes one event every 5 ms (200 events/s) for 5 s
// while the live projection runs, then reports the commit-to-read-model lag
// (p50, p99) measured in Postgres: the projection's clock_timestamp() when it
// applied the event minus the event's occurrence time, taken just before its
// append was sent. It also reports the consumer's reads of the topic per
// second (Postgres transactions of the database while writing, minus the
// writes). Modes:
//   - wake=poll: no wake-up, the subscriber polls every 20 ms (before issue 15);
//   - wake=process: writer and worker in one process (bus.Notifier → bus.Wake);
//   - wake=notify: writer and worker as separate processes would be: the
//     writer's notifier sends pg_notify, the worker's bus.Listen relays it.
func BenchmarkProjectionLag(b *testing.B) {
	for _, mode := range []string{"poll", "process", "notify"} {
		b.Run("wake="+mode, func(b *testing.B) { benchmarkLag(b, mode) })
	}
}

func benchmarkLag(b *testing.B, mode string) {
	const events = 1000
	f := newBenchFixture(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if mode != "poll" {
		wake := bus.NewWake()
		notifier := bus.NewNotifier(bus.NotifierConfig{Local: wake})
		if mode == "notify" {
			notifier = bus.NewNotifier(bus.NotifierConfig{Pool: f.db.App})
			listening := make(chan struct{})
			go bus.Listen(ctx, f.db.App, wake, "", nil)
			go func() { <-wake.C(); close(listening) }() // Listen broadcasts once connected
			<-listening
		}
		go notifier.Run(ctx)
		f.wake(b, notifier.Published, wake, 0)
	}
	stop := runRouter(b, f)
	defer stop()
	tctx := ctxFor(newTenant())
	ids := make([]uuid.UUID, events)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7())
		if _, err := f.repo.Create(tctx, ids[i], estest.Open(ids[i], "bay")); err != nil {
			b.Fatal(err)
		}
	}
	waitCaughtUp(b, f)
	xacts := func() int64 {
		var n int64
		if err := f.db.Admin.QueryRow(context.Background(), `SELECT pg_stat_force_next_flush()`).Scan(new(any)); err != nil {
			b.Fatal(err)
		}
		if err := f.db.Admin.QueryRow(context.Background(),
			`SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	before, started := xacts(), time.Now()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		tick := time.NewTicker(5 * time.Millisecond)
		for i := 0; i < events; i++ {
			<-tick.C
			if _, err := f.repo.Update(tctx, ids[i], func(c *estest.Counter) error { return c.Increment(1, "") }); err != nil {
				b.Fatal(err)
			}
		}
		tick.Stop()
		waitCaughtUp(b, f)
	}
	b.StopTimer()
	elapsed := time.Since(started).Seconds()
	// Each update is two transactions (load, append) and one projection
	// transaction; waitCaughtUp's probes are small: what is left is reads.
	xactRate := float64(xacts()-before) / elapsed
	rows, err := f.db.Admin.Query(context.Background(),
		`SELECT extract(epoch FROM applied_at - recorded_at) * 1000 FROM counter_totals WHERE recorded_at IS NOT NULL`)
	if err != nil {
		b.Fatal(err)
	}
	lags, err := pgx.CollectRows(rows, pgx.RowTo[float64])
	if err != nil || len(lags) != events {
		b.Fatalf("%d lag samples (err %v)", len(lags), err)
	}
	sort.Float64s(lags)
	b.ReportMetric(lags[len(lags)/2], "p50_ms")
	b.ReportMetric(lags[len(lags)*99/100], "p99_ms")
	b.ReportMetric(lags[len(lags)-1], "max_ms")
	b.ReportMetric(xactRate, "db_xact/s")
}

func newBenchFixture(b *testing.B) *fixture { return newFixtureTB(b) }
