package projection_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/observability"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/internal/estest"
)

// failingTotals is the counters projection with a bug: it fails on the
// events of the poisoned streams while broken is set.
type failingTotals struct {
	estest.Totals
	poisoned map[uuid.UUID]bool
	broken   *atomic.Bool
}

func (f failingTotals) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	if f.broken.Load() && f.poisoned[e.Stream.ID] {
		return errors.New("projection bug: cannot apply this event")
	}
	return f.Totals.Apply(b, e)
}

// Issue 15 item 4: an event a projection keeps failing on is retried with
// backoff, then parked in the poison queue with an alert metric, while the
// other tenants' (and the same tenant's other) events keep flowing; once the
// bug is fixed, replay applies it exactly once and skip drops it.
func TestProjection_PoisonedEventDoesNotStallOthersIntegration(t *testing.T) {
	f := newFixture(t)
	victim, other := newTenant(), newTenant()
	poisoned1, poisoned2 := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	broken := &atomic.Bool{}
	broken.Store(true)
	proj := failingTotals{poisoned: map[uuid.UUID]bool{poisoned1: true, poisoned2: true}, broken: broken}
	metrics := observability.NewMetrics()
	runner, err := projection.NewRunner(projection.RunnerConfig{
		Pool: f.db.App, Codec: f.codec, Projections: []projection.Projection{proj}, PollInterval: 10 * time.Millisecond,
		Metrics: metrics, Retry: projection.Retry{MaxRetries: 2, InitialInterval: 5 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.runner = runner

	open := func(tid tenant.ID, id uuid.UUID, increments int) {
		t.Helper()
		ctx := ctxFor(tid)
		if _, err := f.repo.Create(ctx, id, estest.Open(id, "bay")); err != nil {
			t.Fatal(err)
		}
		for j := range increments {
			if _, err := f.repo.Update(ctx, id, func(c *estest.Counter) error { return c.Increment(int64(j+1), "") }); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The poisoned events come first: everything after them must still flow.
	open(victim, poisoned1, 0)
	open(victim, poisoned2, 0)
	healthy := []uuid.UUID{uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())}
	open(victim, healthy[0], 3)
	open(other, healthy[1], 3)
	open(other, healthy[2], 3)

	stop := runRouter(t, f)
	defer stop()
	waitCaughtUp(t, f)

	for _, id := range healthy {
		if n := f.db.Count(t, `SELECT count(*) FROM counter_totals WHERE counter_id = '`+id.String()+`' AND total = 6`); n != 1 {
			t.Errorf("counter %s behind the poisoned events was not applied", id)
		}
	}
	entries, err := projection.ListPoisoned(context.Background(), f.db.Admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("poison queue holds %d entries, want 2: %+v", len(entries), entries)
	}
	for _, e := range entries {
		if e.Projection != proj.Name() || e.Tenant != victim.UUID() || e.Version != 1 || e.Reason == "" {
			t.Errorf("poison entry = %+v", e)
		}
	}
	if got := counterValue(t, metrics, "torque_projection_poisoned_total"); got != 2 {
		t.Errorf("torque_projection_poisoned_total = %v, want 2", got)
	}
	// The runtime role can park an event but never read the queue back.
	var n int64
	if err := f.db.App.QueryRow(context.Background(), `SELECT count(*) FROM projection_poison`).Scan(&n); err == nil {
		t.Errorf("the runtime role reads the poison queue (%d rows)", n)
	}

	broken.Store(false) // the bug is fixed
	if err := runner.ReplayPoisoned(context.Background(), f.db.Admin, entries[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := runner.ReplayPoisoned(context.Background(), f.db.Admin, entries[0].ID); err == nil {
		t.Error("an entry replayed twice")
	}
	if err := projection.SkipPoisoned(context.Background(), f.db.Admin, entries[1].ID); err != nil {
		t.Fatal(err)
	}
	if n := f.db.Count(t, `SELECT count(*) FROM counter_totals WHERE counter_id = '`+poisoned1.String()+`'`); n != 1 {
		t.Error("the replayed event is not in the read model")
	}
	if n := f.db.Count(t, `SELECT count(*) FROM counter_totals WHERE counter_id = '`+poisoned2.String()+`'`); n != 0 {
		t.Error("the skipped event was applied")
	}
	if left, _ := projection.ListPoisoned(context.Background(), f.db.Admin); len(left) != 0 {
		t.Errorf("poison queue still lists %+v", left)
	}
}

func counterValue(t *testing.T, m *observability.Metrics, name string) float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() == name {
			for _, m := range f.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}
