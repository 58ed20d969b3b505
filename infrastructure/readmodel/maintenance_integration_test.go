package readmodel_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/infrastructure/readmodel"
)

type maintenanceEnv struct {
	db      *pgtest.DB
	codec   *eventcodec.Codec
	store   *postgres.PostgresEventStore
	due     *readmodel.PostgresMaintenanceStore
	proj    []projection.Projection
	predict func(reminders.History) []maintenance.Due
}

func newMaintenanceEnv(t *testing.T) *maintenanceEnv {
	t.Helper()
	db := pgtest.New(t)
	codec := eventcodec.New()
	eventcodec.RegisterCatalogues(codec, vehicle.Events, serviceorder.Events, maintenance.Events)
	store, err := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: codec})
	if err != nil {
		t.Fatal(err)
	}
	proj := []projection.Projection{readmodel.MaintenanceProjection{}}
	runner, err := projection.NewRunner(projection.RunnerConfig{Pool: db.App, Codec: codec, Projections: proj, PollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	startRouter(t, runner)
	ivs := maintenance.IntervalsOf(catalog.Default(), nil)
	return &maintenanceEnv{db: db, codec: codec, store: store, due: readmodel.NewMaintenanceStore(db.App), proj: proj,
		predict: func(h reminders.History) []maintenance.Due {
			return maintenance.Predict(maintenance.Input{Readings: h.Readings, Done: h.Done, Intervals: ivs})
		}}
}

func (e *maintenanceEnv) append(t *testing.T, ctx context.Context, typ string, id uuid.UUID, events ...es.Event) {
	t.Helper()
	ref := eventsourcing.StreamRef{Type: typ, ID: id}
	recs, err := e.store.Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Append(ctx, ref, int64(len(recs)), events); err != nil {
		t.Fatal(err)
	}
}

// caughtUp waits for the projection, then recomputes the dirty vehicles.
func (e *maintenanceEnv) recompute(t *testing.T, ctx context.Context) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		sts, err := projection.Statuses(context.Background(), e.db.App, e.proj)
		if err != nil {
			t.Fatal(err)
		}
		if sts[0].Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("projection did not catch up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	n, err := e.due.RecomputeDirty(ctx, 100, e.predict)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *maintenanceEnv) dues(t *testing.T, ctx context.Context) map[string]reminders.Item {
	t.Helper()
	items, err := e.due.List(ctx, reminders.ListQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]reminders.Item{}
	for _, it := range items {
		out[it.Service] = it
	}
	return out
}

const maintenanceDumpSQL = `SELECT coalesce(string_agg(concat_ws('|', tenant_id, vehicle_id, service, cycle, customer_id, due_at,
    due_by, due_km, km_per_day, km_source, last_done_at), ',' ORDER BY tenant_id, vehicle_id, service), '') FROM maintenance_due`

func TestMaintenanceProjection_recomputesOnNewOrdersAndRebuildsIntegration(t *testing.T) {
	e := newMaintenanceEnv(t)
	tid := newTenantID()
	ctx := as(tid, authz.RoleOwner)
	d0 := time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return d0.AddDate(0, 0, n) }
	customerID, vehicleID, order1, order2 := uuid.New(), uuid.New(), uuid.New(), uuid.New()

	// An old odometer read 100,000 then 110,000 km; replaced on day 100 by
	// one reading 0, then 5,000 on day 150 (100 km/day).
	e.append(t, ctx, vehicle.StreamType, vehicleID,
		vehicle.Registered{CustomerID: customerID, Plate: "ABC1D23", Make: "Fiat", Model: "Argo", Year: 2021, RegisteredAt: d0},
		vehicle.MileageRecorded{CustomerID: customerID, Km: 100_000, Source: "manual", ReadAt: day(0)},
		vehicle.MileageRecorded{CustomerID: customerID, Km: 110_000, Source: "manual", ReadAt: day(100)},
		vehicle.OdometerReplaced{CustomerID: customerID, PreviousKm: 110_000, ReplacedAt: day(100)},
		vehicle.MileageRecorded{CustomerID: customerID, Km: 0, Source: "manual", ReadAt: day(100)},
		vehicle.MileageRecorded{CustomerID: customerID, Km: 5_000, Source: "manual", ReadAt: day(150)},
	)
	// An oil change and tyres at 105,000 km on the old odometer (day 50).
	e.append(t, ctx, serviceorder.StreamType, order1, serviceorder.Opened{CustomerID: customerID, VehicleID: vehicleID,
		Number: 1, MileageKm: 105_000, HasMileage: true, OpenedAt: day(50), Items: []serviceorder.LineItem{
			{Line: 1, Service: "oil_change", Quantity: 1}, {Line: 2, Service: "tires", Quantity: 1}, {Line: 3, Service: "", Quantity: 1}}})
	if n := e.recompute(t, ctx); n != 1 {
		t.Fatalf("recomputed %d vehicles, want 1", n)
	}
	got := e.dues(t, ctx)
	oil := got["oil_change"]
	// 10,000 km after 105,000 on the old odometer is 5,000 on the new one.
	if len(got) != 2 || !oil.HasDueKm || oil.DueKm != 5_000 || oil.KmPerDay != 100 || oil.CustomerID != customerID ||
		oil.Cycle != order1.String()+"/1" || oil.Vehicle != "" || oil.Status != maintenance.StatusScheduled {
		t.Fatalf("due points %+v", got)
	}
	if n := e.recompute(t, ctx); n != 0 {
		t.Fatalf("recomputed %d clean vehicles", n)
	}

	// A new oil change at 6,000 km (day 160) starts a new cycle.
	e.append(t, ctx, serviceorder.StreamType, order2, serviceorder.Opened{CustomerID: customerID, VehicleID: vehicleID,
		Number: 2, MileageKm: 6_000, HasMileage: true, OpenedAt: day(160), Items: []serviceorder.LineItem{{Line: 1, Service: "oil_change", Quantity: 1}}})
	e.recompute(t, ctx)
	if oil := e.dues(t, ctx)["oil_change"]; oil.DueKm != 16_000 || oil.Cycle != order2.String()+"/1" {
		t.Fatalf("after the new order: %+v", oil)
	}
	// An added item counts; a removed one no longer does.
	e.append(t, ctx, serviceorder.StreamType, order2,
		serviceorder.ItemAdded{CustomerID: customerID, Item: serviceorder.LineItem{Line: 2, Service: "air_filter", Quantity: 1}, AddedAt: day(160)},
		serviceorder.ItemRemoved{CustomerID: customerID, Line: 1, RemovedAt: day(160)})
	e.recompute(t, ctx)
	got = e.dues(t, ctx)
	if got["oil_change"].Cycle != order1.String()+"/1" || got["air_filter"].DueKm != 21_000 {
		t.Fatalf("after add/remove: %+v", got)
	}
	// A cancelled order did nothing.
	e.append(t, ctx, serviceorder.StreamType, order1,
		serviceorder.StatusChanged{CustomerID: customerID, From: "open", To: "cancelled", ChangedAt: day(161)})
	e.recompute(t, ctx)
	if got := e.dues(t, ctx); len(got) != 1 || got["air_filter"].Service == "" {
		t.Fatalf("after cancelling order 1: %+v", got)
	}
	// Another workshop sees none of it (row-level security).
	if other := e.dues(t, as(newTenantID(), authz.RoleOwner)); len(other) != 0 {
		t.Fatalf("another workshop sees %+v", other)
	}

	// A reminder that fell due goes to the vehicle's current owner after a
	// transfer, with the owner's frequency.
	filter := e.dues(t, ctx)["air_filter"]
	rid := maintenance.ReminderID(vehicleID, "air_filter", filter.Cycle)
	e.append(t, ctx, maintenance.StreamType, rid, maintenance.ReminderDue{VehicleID: vehicleID, CustomerID: customerID,
		Service: "air_filter", Cycle: filter.Cycle, DueAt: filter.DueAt, Frequency: "each_due", At: day(170)})
	newOwner := uuid.New()
	e.append(t, ctx, vehicle.StreamType, vehicleID, vehicle.Transferred{CustomerID: newOwner, PreviousCustomerID: customerID,
		Plate: "ABC1D23", TransferredAt: day(171)})
	e.db.Exec(t, `INSERT INTO messaging_preferences (tenant_id, customer_id, channels, reminders, quiet_from, quiet_to, updated_at)
		VALUES ($1, $2, '{email}', 'quarterly', '20:00', '08:00', now())`, tid.UUID(), newOwner)
	e.recompute(t, ctx)
	pending, err := e.due.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].ReminderID != rid || pending[0].CustomerID != newOwner || pending[0].Frequency != "quarterly" {
		t.Fatalf("pending after the transfer: %+v", pending)
	}
	if got := e.dues(t, ctx)["air_filter"]; got.CustomerID != newOwner {
		t.Fatalf("due point after the transfer: %+v", got)
	}

	// A rebuild from the event store gives the same due points.
	var before, after string
	if err := e.db.Admin.QueryRow(context.Background(), maintenanceDumpSQL).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := projection.NewRebuilder(e.db.Admin, e.codec).Rebuild(context.Background(), e.proj[0]); err != nil {
		t.Fatal(err)
	}
	if n := e.recompute(t, ctx); n != 1 {
		t.Fatalf("after the rebuild recomputed %d vehicles, want 1", n)
	}
	if err := e.db.Admin.QueryRow(context.Background(), maintenanceDumpSQL).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != after || before == "" {
		t.Fatalf("rebuild changed the due points:\n%s\n%s", before, after)
	}
}
