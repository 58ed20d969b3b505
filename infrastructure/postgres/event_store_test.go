package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/internal/estest"
)

type fixture struct {
	db    *pgtest.DB
	store *postgres.PostgresEventStore
	repo  *eventsourcing.Repository[*estest.Counter]
	codec *eventcodec.Codec
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	db := pgtest.New(t)
	codec := eventcodec.New()
	estest.Register(codec)
	store, err := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: codec})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, store: store, codec: codec,
		repo: eventsourcing.NewRepository(store, estest.StreamType, estest.Blank)}
}

func tenantCtx(t tenant.ID) context.Context {
	ctx := tenant.WithTenant(context.Background(), t)
	return requestmeta.With(ctx, requestmeta.Meta{Actor: "staff:test", CorrelationID: uuid.Must(uuid.NewV7())})
}

func newTenant() tenant.ID {
	t, _ := tenant.FromUUID(uuid.Must(uuid.NewV7()))
	return t
}

func TestEventStore_ConcurrentWritersOneAggregateIntegration(t *testing.T) {
	f := newFixture(t)
	ctx := tenantCtx(newTenant())
	id := uuid.Must(uuid.NewV7())
	if _, err := f.repo.Create(ctx, id, estest.Open(id, "bay 1")); err != nil {
		t.Fatal(err)
	}
	// Two repositories stand for two processes: inside one, commands on a
	// stream queue; between them only optimistic concurrency keeps order.
	other := eventsourcing.NewRepository(f.store, estest.StreamType, estest.Blank)
	const writers, commands = 50, 20
	var wg sync.WaitGroup
	errc := make(chan error, writers*commands)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := 0; c < commands; c++ {
				repo := f.repo
				if w%2 == 1 {
					repo = other
				}
				_, err := repo.Update(ctx, id, func(a *estest.Counter) error { return a.Increment(1, "") },
					eventsourcing.RetryOnConflict())
				if err != nil {
					errc <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatalf("a command was lost: %v", err)
	}
	got, err := f.repo.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total() != writers*commands || got.Count() != writers*commands {
		t.Fatalf("total %d, count %d; want %d", got.Total(), got.Count(), writers*commands)
	}
	if v := got.Recorder().Version(); v != writers*commands+1 {
		t.Fatalf("version %d, want %d (1 open + %d increments)", v, writers*commands+1, writers*commands)
	}
	if n := f.db.Count(t, `SELECT count(*) FROM "watermill_events"`); n != writers*commands+1 {
		t.Fatalf("published %d messages for %d events", n, writers*commands+1)
	}
}

func TestEventStore_StaleExpectedVersionIsConflictIntegration(t *testing.T) {
	f := newFixture(t)
	ctx := tenantCtx(newTenant())
	id := uuid.Must(uuid.NewV7())
	ref := eventsourcing.StreamRef{Type: estest.StreamType, ID: id}
	if _, err := f.store.Append(ctx, ref, 0, []es.Event{estest.Opened{Label: "x"}}); err != nil {
		t.Fatal(err)
	}
	_, err := f.store.Append(ctx, ref, 0, []es.Event{estest.Opened{Label: "y"}})
	if !eventsourcing.IsVersionConflict(err) || !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("want a version conflict, got %v", err)
	}
	_, err = f.repo.Update(ctx, id, func(c *estest.Counter) error { return c.Increment(1, "") }, eventsourcing.ExpectVersion(7))
	if !errors.Is(err, errs.ErrPreconditionFailed) {
		t.Fatalf("want precondition failed for a stale If-Match, got %v", err)
	}
}

func TestEventStore_FailureBeforeCommitStoresNothingIntegration(t *testing.T) {
	f := newFixture(t)
	f.store.FailBeforeCommit()
	ctx := tenantCtx(newTenant())
	id := uuid.Must(uuid.NewV7())
	_, err := f.store.Append(ctx, eventsourcing.StreamRef{Type: estest.StreamType, ID: id}, 0,
		[]es.Event{estest.Opened{Label: "x"}, estest.Incremented{By: 2}})
	if err == nil {
		t.Fatal("append succeeded despite the injected failure")
	}
	if n := f.db.Count(t, `SELECT count(*) FROM events`); n != 0 {
		t.Fatalf("%d events stored after a failed append", n)
	}
	if n := f.db.Count(t, `SELECT count(*) FROM "watermill_events"`); n != 0 {
		t.Fatalf("%d messages published after a failed append", n)
	}
}

func TestEventStore_UnknownEventTypeNamesTheTypeIntegration(t *testing.T) {
	f := newFixture(t)
	ctx := tenantCtx(newTenant())
	id := uuid.Must(uuid.NewV7())
	ref := eventsourcing.StreamRef{Type: estest.StreamType, ID: id}
	if _, err := f.store.Append(ctx, ref, 0, []es.Event{estest.Opened{Label: "x"}}); err != nil {
		t.Fatal(err)
	}
	narrow := eventcodec.New() // knows no event types
	other, _ := postgres.NewEventStore(postgres.EventStoreConfig{Pool: f.db.App, Codec: narrow})
	_, err := other.Load(ctx, ref)
	var unknown *eventsourcing.UnknownEventTypeError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "counter.opened.v1") {
		t.Fatalf("want an unknown-type error naming counter.opened.v1, got %v", err)
	}
}

func TestEventStore_RefusesEventWithoutTenantIntegration(t *testing.T) {
	f := newFixture(t)
	id := uuid.Must(uuid.NewV7())
	ctx := requestmeta.With(context.Background(), requestmeta.Meta{Actor: "staff:test"})
	_, err := f.store.Append(ctx, eventsourcing.StreamRef{Type: estest.StreamType, ID: id}, 0, []es.Event{estest.Opened{}})
	if !errors.Is(err, tenant.ErrNoTenant) {
		t.Fatalf("want ErrNoTenant, got %v", err)
	}
	// Underneath the application check, row-level security refuses a row
	// written by the runtime role with no tenant set.
	_, err = f.db.App.Exec(context.Background(), `INSERT INTO events (tenant_id, stream_id, version, stream_type,
		event_id, type, schema, occurred_at, actor, payload) VALUES ($1, $2, 1, 'counter', $3, 'counter.opened.v1', 1, now(), 'x', '{}')`,
		uuid.Must(uuid.NewV7()), id, uuid.Must(uuid.NewV7()))
	if err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Fatalf("want a row-level security violation, got %v", err)
	}
}

func TestRowLevelSecurity_NoTenantSeesNoRowsIntegration(t *testing.T) {
	f := newFixture(t)
	a, b := newTenant(), newTenant()
	for _, tid := range []tenant.ID{a, b} {
		id := uuid.Must(uuid.NewV7())
		if _, err := f.repo.Create(tenantCtx(tid), id, estest.Open(id, "x")); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := f.db.App.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a query with no tenant set saw %d events", n)
	}
	err := postgres.InTenantTx(tenantCtx(a), f.db.App, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n)
	})
	if err != nil || n != 1 {
		t.Fatalf("tenant a sees %d events (err %v), want exactly its own 1", n, err)
	}
}

func TestEventStore_OtherTenantsStreamIsInvisibleIntegration(t *testing.T) {
	f := newFixture(t)
	a, b := newTenant(), newTenant()
	id := uuid.Must(uuid.NewV7())
	if _, err := f.repo.Create(tenantCtx(a), id, estest.Open(id, "a's")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.repo.Load(tenantCtx(b), id); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("tenant b loading tenant a's stream: want not found, got %v", err)
	}
	// Nor can b append to a's stream: its versions are invisible to b, and
	// the globally unique (stream_id, version) refuses the write.
	_, err := f.store.Append(tenantCtx(b), eventsourcing.StreamRef{Type: estest.StreamType, ID: id}, 0,
		[]es.Event{estest.Opened{Label: "b's"}})
	if err == nil {
		t.Fatal("tenant b appended to tenant a's stream")
	}
	got, err := f.repo.Load(tenantCtx(a), id)
	if err != nil || got.Recorder().Version() != 1 {
		t.Fatalf("tenant a's stream changed: %v", err)
	}
}

type renamedV2 struct {
	Label string
	Shelf string
}

func (renamedV2) EventName() string { return "counter.opened.v1" }

func TestEventStore_UpcastsOldSchemasOnLoadIntegration(t *testing.T) {
	f := newFixture(t)
	ctx := tenantCtx(newTenant())
	id := uuid.Must(uuid.NewV7())
	ref := eventsourcing.StreamRef{Type: estest.StreamType, ID: id}
	if _, err := f.store.Append(ctx, ref, 0, []es.Event{estest.Opened{Label: "bay 3"}}); err != nil {
		t.Fatal(err)
	}
	v2 := eventcodec.New()
	eventcodec.Register[renamedV2](v2, eventcodec.Schema(2))
	v2.RegisterUpcaster("counter.opened.v1", 1, func(p json.RawMessage) (json.RawMessage, error) {
		var m map[string]any
		if err := json.Unmarshal(p, &m); err != nil {
			return nil, err
		}
		m["Shelf"] = "unknown"
		return json.Marshal(m)
	})
	store2, _ := postgres.NewEventStore(postgres.EventStoreConfig{Pool: f.db.App, Codec: v2})
	recs, err := store2.Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := recs[0].Event.(renamedV2)
	if !ok || got.Label != "bay 3" || got.Shelf != "unknown" {
		t.Fatalf("upcast event = %#v", recs[0].Event)
	}
	if recs[0].Actor != "staff:test" || recs[0].CorrelationID == uuid.Nil {
		t.Fatalf("envelope lost actor or correlation: %+v", recs[0])
	}
}

func TestEventStore_AppendNumberedIsGaplessUnderConcurrencyIntegration(t *testing.T) {
	f := newFixture(t)
	ctx := tenantCtx(newTenant())
	const openers = 20
	numbers := make(chan int64, openers)
	var wg sync.WaitGroup
	for i := 0; i < openers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref := eventsourcing.StreamRef{Type: estest.StreamType, ID: uuid.Must(uuid.NewV7())}
			_, err := f.store.AppendNumbered(ctx, "service_order", ref, 0, func(n int64) ([]es.Event, error) {
				numbers <- n
				return []es.Event{estest.Opened{Label: fmt.Sprint("OS ", n)}}, nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	// A failing build must not consume a number.
	_, err := f.store.AppendNumbered(ctx, "service_order", eventsourcing.StreamRef{Type: estest.StreamType, ID: uuid.Must(uuid.NewV7())}, 0,
		func(int64) ([]es.Event, error) { return nil, errors.New("invalid order") })
	if err == nil {
		t.Fatal("a failing build was stored")
	}
	wg.Wait()
	close(numbers)
	seen := map[int64]bool{}
	for n := range numbers {
		if seen[n] {
			t.Fatalf("number %d handed out twice", n)
		}
		seen[n] = true
	}
	for n := int64(1); n <= openers; n++ {
		if !seen[n] {
			t.Fatalf("gap: number %d never used (got %v)", n, seen)
		}
	}
	// Another tenant starts its own sequence at 1.
	other := tenantCtx(newTenant())
	_, err = f.store.AppendNumbered(other, "service_order", eventsourcing.StreamRef{Type: estest.StreamType, ID: uuid.Must(uuid.NewV7())}, 0,
		func(n int64) ([]es.Event, error) {
			if n != 1 {
				t.Errorf("second tenant's first number is %d", n)
			}
			return []es.Event{estest.Opened{}}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEventStore_AppendNumberedWithIsAllOrNothingIntegration(t *testing.T) {
	f := newFixture(t)
	ctx := tenantCtx(newTenant())
	vehicle := eventsourcing.StreamRef{Type: estest.StreamType, ID: uuid.Must(uuid.NewV7())}
	if _, err := f.store.Append(ctx, vehicle, 0, []es.Event{estest.Opened{Label: "vehicle"}}); err != nil {
		t.Fatal(err)
	}
	order := func() eventsourcing.StreamRef {
		return eventsourcing.StreamRef{Type: estest.StreamType, ID: uuid.Must(uuid.NewV7())}
	}
	build := func(n int64) ([]es.Event, error) { return []es.Event{estest.Opened{Label: fmt.Sprint("OS ", n)}}, nil }
	reading := func(expected int64) eventsourcing.Pending {
		return eventsourcing.Pending{Stream: vehicle, ExpectedVersion: expected, Events: []es.Event{estest.Incremented{By: 1}}}
	}

	// A stale vehicle: nothing of either stream is stored, no number is taken.
	_, err := f.store.AppendNumberedWith(ctx, "service_order", order(), 0, build, reading(0))
	var vc *eventsourcing.VersionConflictError
	if !errors.As(err, &vc) || vc.Stream != vehicle {
		t.Fatalf("want a version conflict on the vehicle, got %v", err)
	}
	// A failing build: the vehicle's events are not stored either.
	if _, err := f.store.AppendNumberedWith(ctx, "service_order", order(), 0,
		func(int64) ([]es.Event, error) { return nil, errors.New("invalid order") }, reading(1)); err == nil {
		t.Fatal("a failing build was stored")
	}
	if n := f.db.Count(t, `SELECT count(*) FROM events`); n != 1 {
		t.Fatalf("%d events stored after two failed appends, want 1", n)
	}

	o := order()
	res, err := f.store.AppendNumberedWith(ctx, "service_order", o, 0, func(n int64) ([]es.Event, error) {
		if n != 1 {
			t.Errorf("first number after failed appends is %d, want 1", n)
		}
		return build(n)
	}, reading(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Stream != vehicle || res[0].ToVersion != 2 || res[1].Stream != o || res[1].ToVersion != 1 {
		t.Fatalf("results %+v", res)
	}
	if res[0].Events[0].TransactionID != res[1].Events[0].TransactionID || res[1].Events[0].Position == 0 {
		t.Fatalf("not one transaction: %+v / %+v", res[0].Events[0], res[1].Events[0])
	}
	if n := f.db.Count(t, `SELECT count(*) FROM "watermill_events"`); n != 3 {
		t.Fatalf("published %d messages, want 3", n)
	}
	// The pool's connections came back clean (no transaction left open).
	for i := 0; i < 5; i++ {
		if _, err := f.store.AppendNumbered(ctx, "service_order", order(), 0, build); err != nil {
			t.Fatal(err)
		}
	}
}

// Checks such as "is this customer still there" read a stream's event types
// only; they must see what Load sees, and nothing of another tenant.
func TestEventStore_EventTypesAreTheStreamsInOrderIntegration(t *testing.T) {
	f := newFixture(t)
	a, b := newTenant(), newTenant()
	id := uuid.Must(uuid.NewV7())
	if _, err := f.repo.Create(tenantCtx(a), id, estest.Open(id, "a's")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.repo.Update(tenantCtx(a), id, func(c *estest.Counter) error { return c.Increment(2, "") }); err != nil {
		t.Fatal(err)
	}
	got, err := f.repo.EventTypes(tenantCtx(a), id)
	want := []string{estest.Opened{}.EventName(), estest.Incremented{}.EventName()}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("event types = %v, %v; want %v", got, err, want)
	}
	if got, err := f.repo.EventTypes(tenantCtx(b), id); err != nil || len(got) != 0 {
		t.Fatalf("tenant b sees tenant a's stream: %v, %v", got, err)
	}
	if got, err := f.repo.EventTypes(tenantCtx(a), uuid.Must(uuid.NewV7())); err != nil || len(got) != 0 {
		t.Fatalf("a stream that does not exist: %v, %v", got, err)
	}
}
