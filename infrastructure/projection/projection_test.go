package projection_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/internal/estest"
)

type fixture struct {
	db     *pgtest.DB
	codec  *eventcodec.Codec
	repo   *eventsourcing.Repository[*estest.Counter]
	runner *projection.Runner
	proj   estest.Totals
}

func newFixture(t *testing.T) *fixture { return newFixtureTB(t) }

// wake rewires the fixture for wake-ups: appends call published after they
// commit, and the runner (polling every 20 ms after a wake-up) is woken by
// wake and otherwise idles for idle (0: the runner's default).
func (f *fixture) wake(t testing.TB, published func(), wake *bus.Wake, idle time.Duration) {
	t.Helper()
	store, err := postgres.NewEventStore(postgres.EventStoreConfig{Pool: f.db.App, Codec: f.codec, Published: published})
	if err != nil {
		t.Fatal(err)
	}
	f.repo = eventsourcing.NewRepository(store, estest.StreamType, estest.Blank)
	if f.runner, err = projection.NewRunner(projection.RunnerConfig{Pool: f.db.App, Codec: f.codec,
		Projections: []projection.Projection{f.proj}, PollInterval: 20 * time.Millisecond,
		Wake: wake, IdleInterval: idle}); err != nil {
		t.Fatal(err)
	}
}

func newFixtureTB(t testing.TB) *fixture {
	t.Helper()
	db := pgtest.New(t)
	db.Exec(t, estest.TotalsDDL)
	codec := eventcodec.New()
	estest.Register(codec)
	store, err := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: codec})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := projection.NewRunner(projection.RunnerConfig{
		Pool: db.App, Codec: codec, Projections: []projection.Projection{estest.Totals{}}, PollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, codec: codec, runner: runner,
		repo: eventsourcing.NewRepository(store, estest.StreamType, estest.Blank)}
}

func ctxFor(t tenant.ID) context.Context {
	return requestmeta.With(tenant.WithTenant(context.Background(), t),
		requestmeta.Meta{Actor: "staff:test", CorrelationID: uuid.Must(uuid.NewV7())})
}

func newTenant() tenant.ID {
	t, _ := tenant.FromUUID(uuid.Must(uuid.NewV7()))
	return t
}

// writeCounters creates counters across two tenants and increments them.
func (f *fixture) writeCounters(t *testing.T, counters, increments int) {
	t.Helper()
	tenants := []tenant.ID{newTenant(), newTenant()}
	for i := 0; i < counters; i++ {
		ctx := ctxFor(tenants[i%2])
		id := uuid.Must(uuid.NewV7())
		if _, err := f.repo.Create(ctx, id, estest.Open(id, "bay")); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < increments; j++ {
			if _, err := f.repo.Update(ctx, id, func(c *estest.Counter) error { return c.Increment(int64(j+1), "") }); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func (f *fixture) checksum(t *testing.T) string {
	t.Helper()
	var sum string
	if err := f.db.Admin.QueryRow(context.Background(), estest.ChecksumSQL).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

func (f *fixture) rebuild(t *testing.T) int {
	t.Helper()
	n, err := projection.NewRebuilder(f.db.Admin, f.codec).Rebuild(context.Background(), f.proj)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// publishedMessages reads the Watermill messages as the subscriber would see them.
func (f *fixture) publishedMessages(t *testing.T) []*message.Message {
	t.Helper()
	rows, err := f.db.Admin.Query(context.Background(), `SELECT uuid, payload::text FROM "watermill_events" ORDER BY transaction_id, "offset"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []*message.Message
	for rows.Next() {
		var id, payload string
		if err := rows.Scan(&id, &payload); err != nil {
			t.Fatal(err)
		}
		out = append(out, message.NewMessage(id, []byte(payload)))
	}
	return out
}

func TestProjection_RedeliveryIsHarmlessIntegration(t *testing.T) {
	f := newFixture(t)
	f.writeCounters(t, 6, 5)
	handler := f.runner.Handler(f.proj)
	for _, msg := range f.publishedMessages(t) {
		for delivery := 0; delivery < 2; delivery++ {
			if err := handler(msg); err != nil {
				t.Fatal(err)
			}
		}
	}
	twice := f.checksum(t)
	if n := f.db.Count(t, `SELECT count(*) FROM counter_totals WHERE total = 15 AND events = 5`); n != 6 {
		t.Fatalf("%d of 6 counters have total 15 after double delivery", n)
	}
	f.rebuild(t)
	if once := f.checksum(t); once != twice {
		t.Fatalf("double delivery checksum %s != single application %s", twice, once)
	}
}

func runRouter(t testing.TB, f *fixture) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 5 * time.Second}, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.runner.AddHandlers(router, watermill.NopLogger{}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = router.Run(ctx) }()
	<-router.Running()
	return func() { cancel(); <-done }
}

func waitCaughtUp(t testing.TB, f *fixture) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		sts, err := projection.Statuses(context.Background(), f.db.App, []projection.Projection{f.proj})
		if err != nil {
			t.Fatal(err)
		}
		if sts[0].Pending == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("projection did not catch up within 30 s")
}

func TestProjection_WorkerKilledMidStreamEqualsRebuildIntegration(t *testing.T) {
	f := newFixture(t)
	stop := runRouter(t, f)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); f.writeCounters(t, 20, 15) }()
	// Kill the worker while events are still being written and consumed.
	deadline := time.Now().Add(20 * time.Second)
	for f.db.Count(t, `SELECT coalesce(sum(events), 0) FROM counter_totals`) < 60 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	midway := f.db.Count(t, `SELECT coalesce(sum(events), 0) FROM counter_totals`)
	wg.Wait()
	if midway >= 300 {
		t.Fatalf("the worker was not stopped mid-stream (%d of 300 increments applied)", midway)
	}
	stop = runRouter(t, f)
	defer stop()
	waitCaughtUp(t, f)
	live := f.checksum(t)
	if n := f.db.Count(t, `SELECT count(*) FROM counter_totals WHERE events = 15 AND total = 120`); n != 20 {
		t.Fatalf("after restart %d of 20 counters are complete", n)
	}
	if n := f.rebuild(t); n != 20*16 {
		t.Fatalf("rebuild applied %d events, want %d", n, 20*16)
	}
	if rebuilt := f.checksum(t); rebuilt != live {
		t.Fatalf("restarted worker's read model %s differs from a fresh rebuild %s", live, rebuilt)
	}
}

func TestProjection_ReadYourWritesIntegration(t *testing.T) {
	f := newFixture(t)
	stop := runRouter(t, f)
	defer stop()
	waiter := projection.NewWaiter(f.db.App, []projection.Projection{f.proj})
	ctx := ctxFor(newTenant())
	id := uuid.Must(uuid.NewV7())
	if _, err := f.repo.Create(ctx, id, estest.Open(id, "bay")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		res, err := f.repo.Update(ctx, id, func(c *estest.Counter) error { return c.Increment(10, "") })
		if err != nil {
			t.Fatal(err)
		}
		if err := waiter.AwaitProjections(ctx, res); err != nil {
			t.Fatal(err)
		}
		var total int64
		err = postgres.InTenantTx(ctx, f.db.App, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT total FROM counter_totals WHERE counter_id = $1`, id).Scan(&total)
		})
		if err != nil || total != int64(10*i) {
			t.Fatalf("read after write %d: total %d (err %v), want %d", i, total, err, 10*i)
		}
	}
}

func TestProjection_ReadModelIsTenantScopedIntegration(t *testing.T) {
	f := newFixture(t)
	f.writeCounters(t, 4, 1)
	f.rebuild(t)
	var n int
	if err := f.db.App.QueryRow(context.Background(), `SELECT count(*) FROM counter_totals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("runtime role with no tenant saw %d read-model rows", n)
	}
	other := ctxFor(newTenant())
	err := postgres.InTenantTx(other, f.db.App, func(tx pgx.Tx) error {
		return tx.QueryRow(other, `SELECT count(*) FROM counter_totals`).Scan(&n)
	})
	if err != nil || n != 0 {
		t.Fatalf("a third tenant saw %d rows (err %v)", n, err)
	}
}

// The writer and the worker as two processes: the writer's appends reach the
// worker only through NOTIFY (bus.Notifier → bus.Listen). The worker's idle
// interval is ten minutes, so read-your-writes holds only if every append
// wakes it.
func TestProjection_WokenByAnotherProcessIntegration(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	workerWake := bus.NewWake()
	listening := workerWake.C()
	go bus.Listen(ctx, f.db.App, workerWake, "", nil)
	<-listening // Listen broadcasts once it listens
	writer := bus.NewNotifier(bus.NotifierConfig{Pool: f.db.App})
	go writer.Run(ctx)
	f.wake(t, writer.Published, workerWake, 10*time.Minute)
	stop := runRouter(t, f)
	defer stop()
	waiter := projection.NewWaiter(f.db.App, []projection.Projection{f.proj})
	waiter.Timeout = 30 * time.Second
	tctx := ctxFor(newTenant())
	id := uuid.Must(uuid.NewV7())
	res, err := f.repo.Create(tctx, id, estest.Open(id, "bay"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := waiter.AwaitProjections(tctx, res); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		if res, err = f.repo.Update(tctx, id, func(c *estest.Counter) error { return c.Increment(10, "") }); err != nil {
			t.Fatal(err)
		}
	}
	if err := waiter.AwaitProjections(tctx, res); err != nil {
		t.Fatal(err)
	}
	if writer.Sent() == 0 {
		t.Fatal("the writer sent no NOTIFY")
	}
}
