package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/infrastructure/readmodel"
)

// reminderCodes are the periodic services the generated orders hold.
var reminderCodes = []string{"oil_change", "oil_filter", "air_filter", "brake_pads", "brake_fluid", "timing_belt",
	"alignment_balancing", "tires", "coolant", "ac_service"}

// genHistory is one generated vehicle: readings and orders with services.
type genHistory struct {
	vehicle, customer uuid.UUID
	readings          []maintenance.Reading
	orders            []genOrder
}

type genOrder struct {
	id       uuid.UUID
	at       time.Time
	km       int64
	services []string
}

var (
	genOnce sync.Once
	genData []genHistory
	genHeap uint64
)

// reminderHistories generates n vehicles over three years: 4-12 orders
// each at a per-vehicle rate of 10-120 km/day, each order a reading and
// 1-3 services; 5 % had their odometer replaced, 2 % of readings are typos.
func reminderHistories(n int) []genHistory {
	genOnce.Do(func() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r := rand.New(rand.NewPCG(11, 5))
		start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
		genData = make([]genHistory, n)
		for i := range genData {
			h := genHistory{vehicle: uuid.New(), customer: uuid.New()}
			rate := 10 + r.Float64()*110
			km := r.Int64N(150_000)
			at := start.Add(time.Duration(r.IntN(90*24)) * time.Hour)
			replaced := r.IntN(20) == 0
			orders := 4 + r.IntN(9)
			for o := range orders {
				days := 30 + r.IntN(150)
				at = at.AddDate(0, 0, days)
				km += int64(rate * float64(days))
				read := maintenance.Reading{At: at, Km: km}
				if replaced && o == orders/2 {
					km = r.Int64N(100)
					read = maintenance.Reading{At: at, Km: km, NewOdometer: true}
				}
				if r.IntN(50) == 0 {
					read.Km *= 10 // a typo: an extra digit
				}
				h.readings = append(h.readings, read)
				ord := genOrder{id: uuid.New(), at: at, km: read.Km}
				for range 1 + r.IntN(3) {
					ord.services = append(ord.services, reminderCodes[r.IntN(len(reminderCodes))])
				}
				h.orders = append(h.orders, ord)
			}
			genData[i] = h
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		genHeap = after.HeapAlloc - before.HeapAlloc
	})
	return genData
}

func toHistory(h genHistory) reminders.History {
	out := reminders.History{VehicleID: h.vehicle, CustomerID: h.customer, Readings: h.readings}
	for _, o := range h.orders {
		for line, s := range o.services {
			out.Done = append(out.Done, maintenance.ServiceDone{Service: s, At: o.at, Km: o.km, HasKm: true,
				Ref: fmt.Sprintf("%s/%d", o.id, line+1)})
		}
	}
	return out
}

// BenchmarkReminders measures the due-point computation for
// TORQUE_BENCH_VEHICLES vehicles (default 100,000) with histories: the pure
// computation (domain/maintenance over in-memory histories), one SQL pass
// that reads the same histories from the maintenance read model, and the
// production path (PostgresMaintenanceStore.RecomputeDirty: read, compute
// and write the due points in batches of 1,000). Run with -benchtime 1x.
func BenchmarkReminders(b *testing.B) {
	n := envInt("TORQUE_BENCH_VEHICLES", 100_000)
	hist := reminderHistories(n)
	ivs := maintenance.IntervalsOf(catalog.Default(), nil)
	predict := func(h reminders.History) []maintenance.Due {
		return maintenance.Predict(maintenance.Input{Readings: h.Readings, Done: h.Done, Intervals: ivs})
	}
	var computeNs float64

	b.Run("compute", func(b *testing.B) {
		inputs := make([]reminders.History, len(hist))
		for i, h := range hist {
			inputs[i] = toHistory(h)
		}
		b.ReportAllocs()
		b.ResetTimer()
		dues := 0
		for range b.N {
			for _, h := range inputs {
				dues += len(predict(h))
			}
		}
		computeNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(computeNs/1e6, "ms/pass")
		b.ReportMetric(computeNs/float64(n), "ns/vehicle")
		b.ReportMetric(float64(dues)/float64(b.N)/float64(n), "dues/vehicle")
		b.ReportMetric(float64(genHeap)/(1<<20), "MB_histories")
	})

	db := pgtest.New(b)
	tid, _ := tenant.FromUUID(uuid.Must(uuid.NewV7()))
	loadStart := time.Now()
	copyHistories(b, db, tid.UUID(), hist)
	b.Logf("loaded %d vehicles with COPY in %v", n, time.Since(loadStart).Round(time.Millisecond))
	ctx := tenant.WithTenant(context.Background(), tid)

	b.Run("sql_read", func(b *testing.B) {
		b.ReportAllocs()
		rows := 0
		for range b.N {
			rows = 0
			err := postgres.InTenantTx(ctx, db.App, func(tx pgx.Tx) error {
				r, err := tx.Query(ctx, `
				    SELECT vehicle_id, km, read_at, new_odometer, NULL::text, NULL::uuid, NULL::bigint
				      FROM maintenance_readings WHERE tenant_id = $1
				    UNION ALL
				    SELECT d.vehicle_id, o.km, o.opened_at, false, d.service, d.order_id, d.line
				      FROM maintenance_services_done d JOIN maintenance_orders o
				        ON o.tenant_id = d.tenant_id AND o.order_id = d.order_id
				     WHERE d.tenant_id = $1 AND NOT o.cancelled`, tid.UUID())
				if err != nil {
					return err
				}
				var (
					v       uuid.UUID
					km      *int64
					at      time.Time
					newOdo  bool
					service *string
					order   *uuid.UUID
					line    *int64
				)
				_, err = pgx.ForEachRow(r, []any{&v, &km, &at, &newOdo, &service, &order, &line}, func() error { rows++; return nil })
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e6, "ms/pass")
		b.ReportMetric(float64(rows), "rows")
		if computeNs > 0 {
			b.ReportMetric(computeNs/ns, "compute/sql")
		}
	})

	b.Run("recompute_db", func(b *testing.B) {
		store := readmodel.NewMaintenanceStore(db.App)
		b.ReportAllocs()
		for range b.N {
			b.StopTimer()
			db.Exec(b, `UPDATE maintenance_vehicles SET dirty_gen = dirty_gen + 1`)
			b.StartTimer()
			total := 0
			for {
				k, err := store.RecomputeDirty(ctx, 1000, predict)
				if err != nil {
					b.Fatal(err)
				}
				total += k
				if k == 0 {
					break
				}
			}
			if total != n {
				b.Fatalf("recomputed %d of %d vehicles", total, n)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e6, "ms/pass")
		b.ReportMetric(float64(n)/(ns/1e9), "vehicles/s")
		b.ReportMetric(float64(db.Count(b, `SELECT count(*) FROM maintenance_due`)), "due_rows")
	})
}

// copyHistories loads the generated histories into the maintenance read
// model with COPY (as the admin role: COPY is refused under row-level
// security), every vehicle marked dirty.
func copyHistories(b *testing.B, db *pgtest.DB, t uuid.UUID, hist []genHistory) {
	b.Helper()
	ctx := context.Background()
	var vehicles, readings, orders, done [][]any
	for _, h := range hist {
		vehicles = append(vehicles, []any{t, h.vehicle, h.customer, int64(1), int64(0)})
		for i, r := range h.readings {
			readings = append(readings, []any{t, h.vehicle, h.vehicle, int64(i + 1), r.Km, r.At, r.NewOdometer})
		}
		for _, o := range h.orders {
			orders = append(orders, []any{t, o.id, h.vehicle, o.at, o.km})
			for line, s := range o.services {
				done = append(done, []any{t, o.id, int64(line + 1), h.vehicle, s})
			}
		}
	}
	for _, c := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"maintenance_vehicles", []string{"tenant_id", "vehicle_id", "customer_id", "dirty_gen", "computed_gen"}, vehicles},
		{"maintenance_readings", []string{"tenant_id", "vehicle_id", "source_id", "version", "km", "read_at", "new_odometer"}, readings},
		{"maintenance_orders", []string{"tenant_id", "order_id", "vehicle_id", "opened_at", "km"}, orders},
		{"maintenance_services_done", []string{"tenant_id", "order_id", "line", "vehicle_id", "service"}, done},
	} {
		if _, err := db.Admin.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			b.Fatalf("copy %s: %v", c.table, err)
		}
	}
	db.Exec(b, `ANALYZE maintenance_vehicles, maintenance_readings, maintenance_orders, maintenance_services_done`)
}
