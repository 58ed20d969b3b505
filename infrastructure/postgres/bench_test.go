package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/internal/estest"
)

// BenchmarkWritePath measures the full write path (load, command, append and
// publish in one transaction) against plain pgx one-row INSERT transactions
// of the same payloads, in the same run, and reports the ratio. Each counter
// takes 10 commands (1 create + 9 updates), so loads stay realistic.
func BenchmarkWritePath(b *testing.B) {
	for _, workers := range []int{1, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", workers), func(b *testing.B) {
			db := pgtest.New(b)
			db.Exec(b, `CREATE TABLE baseline_events (LIKE events INCLUDING ALL); GRANT INSERT ON baseline_events TO torque_app;
				GRANT USAGE ON SEQUENCE events_position_seq TO torque_app`)
			codec := eventcodec.New()
			estest.Register(codec)
			// As in production: each commit wakes the consumers through the
			// coalescing notifier (pg_notify on its own connection), heard
			// by a listening worker.
			nctx, stop := context.WithCancel(context.Background())
			defer stop()
			notifier := bus.NewNotifier(bus.NotifierConfig{Pool: db.App})
			go notifier.Run(nctx)
			go bus.Listen(nctx, db.App, bus.NewWake(), "", nil)
			store, _ := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: codec, Published: notifier.Published})
			repo := eventsourcing.NewRepository(store, estest.StreamType, estest.Blank)
			ctx := tenantCtx(newTenant())
			tid := uuid.Must(uuid.NewV7())
			payload, _ := json.Marshal(estest.Incremented{By: 1, Note: "troca de óleo 5W30"})

			b.ResetTimer()
			start := time.Now()
			parallel(b.N, workers, func(op int) error {
				id := counterID(op / 10)
				if op%10 == 0 {
					_, err := repo.Create(ctx, id, estest.Open(id, "bay"))
					return err
				}
				_, err := repo.Update(ctx, id, func(c *estest.Counter) error { return c.Increment(1, "troca de óleo 5W30") })
				return err
			}, b)
			system := float64(b.N) / time.Since(start).Seconds()

			start = time.Now()
			parallel(b.N, workers, func(op int) error {
				return pgx.BeginFunc(context.Background(), db.App, func(tx pgx.Tx) error {
					_, err := tx.Exec(context.Background(), `INSERT INTO baseline_events (tenant_id, stream_id, version,
						stream_type, event_id, type, schema, occurred_at, actor, payload)
						VALUES ($1, $2, $3, 'counter', $4, 'counter.incremented.v1', 1, now(), 'staff:bench', $5)`,
						tid, counterID(op/10), op%10+1, uuid.Must(uuid.NewV7()), payload)
					return err
				})
			}, b)
			baseline := float64(b.N) / time.Since(start).Seconds()
			b.StopTimer()
			b.ReportMetric(system, "events/s")
			b.ReportMetric(baseline, "baseline_events/s")
			b.ReportMetric(system/baseline, "ratio")
			b.ReportMetric(float64(notifier.Sent()), "notifies")
		})
	}
}

var benchNamespace = uuid.Must(uuid.NewV7())

func counterID(n int) uuid.UUID { return uuid.NewSHA1(benchNamespace, []byte(fmt.Sprint(n))) }

// parallel runs n operations over the given number of workers; operations of
// one counter (op/10) stay on one worker, in order.
func parallel(n, workers int, do func(int) error, b *testing.B) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				block := int(next.Add(1) - 1)
				if block*10 >= n {
					return
				}
				for op := block * 10; op < min(n, block*10+10); op++ {
					if err := do(op); err != nil {
						failed.Store(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
}
