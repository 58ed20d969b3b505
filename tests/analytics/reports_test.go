package analytics_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/infrastructure/clickhouse"
	"github.com/torquehq/torque/infrastructure/clickhouse/chtest"
)

// pgTopServices is the top-services question asked of the Postgres read
// model: per service, the orders opened in [from, to) that have it and
// their revenue.
func (w *world) pgTopServices(t *testing.T, shop uuid.UUID, from, to time.Time) (map[string][2]int64, int64) {
	t.Helper()
	ctx := context.Background()
	rows, err := w.env.DB.Admin.Query(ctx, `
SELECT it->>'service', count(DISTINCT o.order_id), sum((it->>'total_cents')::bigint)
  FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1`, shop, from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]int64{}
	for rows.Next() {
		var s string
		var n, c int64
		if err := rows.Scan(&s, &n, &c); err != nil {
			t.Fatal(err)
		}
		out[s] = [2]int64{n, c}
	}
	rows.Close()
	var total int64
	if err := w.env.DB.Admin.QueryRow(ctx, `SELECT count(*) FROM registry_service_orders WHERE tenant_id = $1 AND opened_at >= $2 AND opened_at < $3`,
		shop, from, to).Scan(&total); err != nil {
		t.Fatal(err)
	}
	return out, total
}

func (w *world) checkTopServices(t *testing.T, shop uuid.UUID) {
	t.Helper()
	in, from, to := sinceStart()
	got, err := w.env.Sys.Analytics.Reports.TopServices(as(shop, authz.RoleOwner), in)
	if err != nil {
		t.Fatal(err)
	}
	want, total := w.pgTopServices(t, shop, from, to)
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("top services of %s: %d services from ClickHouse, %d from Postgres (%d orders): %+v / %v", shop, len(got), len(want), total, got, want)
	}
	for _, g := range got {
		p := want[g.Service]
		if g.Orders != p[0] || g.RevenueCents != p[1] {
			t.Errorf("service %s: ClickHouse %d orders / %d cents, Postgres %d / %d", g.Service, g.Orders, g.RevenueCents, p[0], p[1])
		}
		if share := math.Round(10000*float64(p[0])/float64(total)) / 10000; g.Share != share {
			t.Errorf("service %s: share %v, want %v", g.Service, g.Share, share)
		}
	}
}

func TestReports_MatchThePostgresReadModelsIntegration(t *testing.T) {
	w := newWorld(t, 12)
	ctx := context.Background()
	in, from, to := sinceStart()
	for _, shop := range w.shop {
		w.checkTopServices(t, shop)

		// Frequency: visits are service orders.
		f, err := w.env.Sys.Analytics.Reports.Frequency(as(shop, authz.RoleOwner), in)
		if err != nil {
			t.Fatal(err)
		}
		var customers, returning int64
		var span float64
		var gaps int64
		if err := w.env.DB.Admin.QueryRow(ctx, `
WITH c AS (SELECT customer_id, count(*) AS all_n, count(*) FILTER (WHERE opened_at >= $2) AS in_n,
                  min(opened_at) FILTER (WHERE opened_at >= $2) AS fi, max(opened_at) AS la
             FROM registry_service_orders WHERE tenant_id = $1 AND opened_at < $3 GROUP BY customer_id)
SELECT count(*) FILTER (WHERE in_n > 0), count(*) FILTER (WHERE in_n > 0 AND all_n >= 2),
       coalesce(sum(extract(epoch FROM date_trunc('second', la) - date_trunc('second', fi))) FILTER (WHERE in_n >= 2), 0)::float8,
       coalesce(sum(in_n - 1) FILTER (WHERE in_n >= 2), 0)
  FROM c`, shop, from, to).Scan(&customers, &returning, &span, &gaps); err != nil {
			t.Fatal(err)
		}
		if f.Customers != customers || f.ReturningCustomers != returning {
			t.Errorf("frequency: ClickHouse %d customers / %d returning, Postgres %d / %d", f.Customers, f.ReturningCustomers, customers, returning)
		}
		if gaps > 0 {
			if want := math.Round(10*span/float64(gaps)/86400) / 10; math.Abs(f.AvgDaysBetweenVisits-want) > 0.1 {
				t.Errorf("avg days between visits: %v, Postgres %v", f.AvgDaysBetweenVisits, want)
			}
		}
		visits := map[string]int64{}
		rows, err := w.env.DB.Admin.Query(ctx, `SELECT to_char(opened_at AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM'), count(*)
  FROM registry_service_orders WHERE tenant_id = $1 AND opened_at >= $2 AND opened_at < $3 GROUP BY 1`, shop, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var m string
			var n int64
			_ = rows.Scan(&m, &n)
			visits[m] = n
		}
		rows.Close()
		if len(f.ByMonth) != len(visits) {
			t.Errorf("visits by month: %d months, Postgres %d", len(f.ByMonth), len(visits))
		}
		for _, m := range f.ByMonth {
			if m.Visits != visits[m.Month] {
				t.Errorf("visits in %s: %d, Postgres %d", m.Month, m.Visits, visits[m.Month])
			}
		}

		// Maintenance trends by make/model/year and mileage band.
		tr, err := w.env.Sys.Analytics.Reports.MaintenanceTrends(as(shop, authz.RoleOwner), in)
		if err != nil {
			t.Fatal(err)
		}
		mm := map[string]int64{}
		rows, err = w.env.DB.Admin.Query(ctx, `
SELECT v.make, v.model, v.year, it->>'service', count(DISTINCT o.order_id)
  FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
  JOIN registry_vehicles v ON v.tenant_id = o.tenant_id AND v.vehicle_id = o.vehicle_id
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1, 2, 3, 4`, shop, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var mk, md, svc string
			var y, n int64
			_ = rows.Scan(&mk, &md, &y, &svc, &n)
			mm[fmt.Sprint(mk, "|", md, "|", y, "|", svc)] = n
		}
		rows.Close()
		if len(tr.ByMakeModel) != min(len(mm), 500) {
			t.Errorf("by make/model: %d rows, Postgres %d", len(tr.ByMakeModel), len(mm))
		}
		for _, r := range tr.ByMakeModel {
			if k := fmt.Sprint(r.Make, "|", r.Model, "|", r.Year, "|", r.Service); mm[k] != r.Orders {
				t.Errorf("by make/model %s: %d, Postgres %d", k, r.Orders, mm[k])
			}
		}
		bands := map[string]int64{}
		rows, err = w.env.DB.Admin.Query(ctx, `
SELECT CASE WHEN o.mileage_km IS NULL THEN 'unknown' WHEN o.mileage_km < 20000 THEN '0-20k'
            WHEN o.mileage_km < 50000 THEN '20-50k' WHEN o.mileage_km < 100000 THEN '50-100k'
            WHEN o.mileage_km < 150000 THEN '100-150k' ELSE '150k+' END, it->>'service', count(DISTINCT o.order_id)
  FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1, 2`, shop, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b, svc string
			var n int64
			_ = rows.Scan(&b, &svc, &n)
			bands[b+"|"+svc] = n
		}
		rows.Close()
		if len(tr.ByMileage) != len(bands) {
			t.Errorf("by mileage band: %d rows, Postgres %d", len(tr.ByMileage), len(bands))
		}
		for _, r := range tr.ByMileage {
			if bands[r.Band+"|"+r.Service] != r.Orders {
				t.Errorf("band %s %s: %d, Postgres %d", r.Band, r.Service, r.Orders, bands[r.Band+"|"+r.Service])
			}
		}

		// No feedback in this world: the documented shape, all zero.
		s, err := w.env.Sys.Analytics.Reports.Satisfaction(as(shop, authz.RoleOwner), in)
		if err != nil {
			t.Fatal(err)
		}
		if s.NPS.Responses != 0 || len(s.ByMonth) != 0 || s.ByMonth == nil {
			t.Errorf("satisfaction without feedback: %+v", s)
		}
	}

	// The default period is the last 12 months.
	got, err := w.env.Sys.Analytics.Reports.TopServices(as(w.shop[0], authz.RoleOwner), reports.PeriodInput{})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	now := time.Now().In(loc)
	to12 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	want, _ := w.pgTopServices(t, w.shop[0], to12.AddDate(-1, 0, 0), to12)
	for _, g := range got {
		if want[g.Service][0] != g.Orders {
			t.Errorf("last 12 months, %s: %d orders, Postgres %d", g.Service, g.Orders, want[g.Service][0])
		}
	}

	// A mechanic may not read reports; bad dates are field errors.
	if _, err := w.env.Sys.Analytics.Reports.TopServices(as(w.shop[0], authz.RoleMechanic), in); err == nil {
		t.Error("a mechanic read the reports")
	}
	if _, err := w.env.Sys.Analytics.Reports.TopServices(as(w.shop[0], authz.RoleOwner), reports.PeriodInput{From: "2026-02-30"}); err == nil {
		t.Error("an impossible date was accepted")
	}

	// Live events (the bulk seed publishes none) reach analytics through
	// the topic; then every one is delivered a second time (the checkpoint
	// lost): the projection writes every row again and each still counts once.
	const sent, converted = 4, 1
	w.addEngagement(t, w.shop[0], 8, sent, converted)
	drain(t, w.env.Sys.Analytics.Projector)
	conn, err := clickhouse.Open(w.ch)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	if err := conn.Exec(ctx, "TRUNCATE TABLE analytics_checkpoint"); err != nil {
		t.Fatal(err)
	}
	p, err := clickhouse.NewProjector(clickhouse.ProjectorConfig{Pool: w.env.Sys.Pool, Conn: conn, Codec: w.env.Sys.Codec,
		Pseudonyms: w.env.Sys.Analytics.Pseudonyms, PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	replayed := drain(t, p)
	if replayed == 0 {
		t.Fatal("nothing was delivered again")
	}
	var raw, final uint64
	_ = conn.QueryRow(ctx, "SELECT count() FROM service_items").Scan(&raw)
	_ = conn.QueryRow(ctx, "SELECT count() FROM service_items FINAL").Scan(&final)
	t.Logf("redelivered %d events; service_items rows stored %d, counted %d", replayed, raw, final)
	w.checkEngagement(t, w.shop[0], sent, converted)
	for _, shop := range w.shop {
		w.checkTopServices(t, shop)
	}
}

// drain steps p until the topic is consumed and returns the messages read.
func drain(t *testing.T, p *clickhouse.Projector) int {
	t.Helper()
	total := 0
	// A step sees only events below the cluster's oldest running
	// transaction (other tests' included): an empty step while events are
	// pending means "not yet", so wait for the lag to reach zero.
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		n, err := p.Step(context.Background())
		if err != nil {
			t.Fatalf("step: %v", err)
		}
		total += n
		if n > 0 {
			continue
		}
		lag, err := p.Lag(context.Background())
		if err != nil {
			t.Fatalf("lag: %v", err)
		}
		if lag.Pending == 0 {
			return total
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the projection never caught up")
	return 0
}

func TestProjection_ClickHouseOutageDelaysAndLosesNothingIntegration(t *testing.T) {
	w := newWorld(t, 6)
	ctx := context.Background()
	// A second analytics database, reached through a proxy we can cut.
	ch2 := chtest.New(t)
	px := newProxy(t, ch2.Addr)
	viaProxy := ch2
	viaProxy.Addr = px.addr
	viaProxy.DialTimeout = 300 * time.Millisecond
	conn, err := clickhouse.Open(viaProxy)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	p, err := clickhouse.NewProjector(clickhouse.ProjectorConfig{Pool: w.env.Sys.Pool, Conn: conn, Codec: w.env.Sys.Codec,
		Pseudonyms: w.env.Sys.Analytics.Pseudonyms, PageSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	// The loaded history goes in by a rebuild (the bulk seed publishes no
	// topic messages); what follows arrives live through the topic.
	if _, err := p.Rebuild(ctx, w.env.DB.Admin); err != nil {
		t.Fatal(err)
	}
	w.addEngagement(t, w.shop[0], 6, 3, 1)
	// `torque projections status` shows the live events pending.
	if lag, err := p.Lag(ctx); err != nil || lag.Pending == 0 || lag.OldestPending.IsZero() {
		t.Fatalf("lag before the first step: %+v %v", lag, err)
	}
	// Part of the topic goes through, then ClickHouse goes away. A step reads
	// only events below the server's snapshot horizon (an event committed
	// while an older transaction anywhere on the server still runs stays
	// invisible until it ends, as for every topic reader): other packages'
	// tests run meanwhile, so the first page may take a few tries.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		n, err := p.Step(ctx)
		if err != nil {
			t.Fatalf("first page: %v", err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("first page: nothing readable within 30 s")
		}
	}
	px.cut()
	for i := 0; i < 3; i++ {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if _, err := p.Step(sctx); err == nil {
			cancel()
			t.Fatal("a step succeeded with ClickHouse away")
		}
		cancel()
	}
	if _, err := p.Lag(ctx); err == nil {
		t.Error("the lag was read with ClickHouse away")
	}
	px.restore()
	// The main analytics database takes the same live events directly.
	drain(t, w.env.Sys.Analytics.Projector)
	// Catch-up: Run retries until everything is in.
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = p.Run(rctx) }()
	store2 := clickhouse.NewReportStore(conn)
	store1 := w.env.Sys.Analytics.Store
	_, from, to := sinceStart()
	s := reports.Scope{WorkshopIDs: w.shop[:], From: from, To: to, TimeZone: "America/Sao_Paulo"}
	deadline := time.Now().Add(60 * time.Second)
	for {
		a, err1 := store1.TopServices(ctx, s)
		b, err2 := store2.TopServices(ctx, s)
		sa, err3 := store1.Satisfaction(ctx, s)
		sb, err4 := store2.Satisfaction(ctx, s)
		if err1 == nil && err2 == nil && err3 == nil && err4 == nil && equalServices(a, b) && len(a) > 0 &&
			sa.NPS.Responses > 0 && reflect.DeepEqual(sa, sb) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("analytics did not catch up after the outage: %v %v %v %v\n%v\n%v\n%+v\n%+v", err1, err2, err3, err4, a, b, sa, sb)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for lag, err := p.Lag(ctx); err != nil || lag.Pending != 0; lag, err = p.Lag(ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("lag after the catch-up: %+v %v", lag, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	cancel()
	<-done
}

func equalServices(a, b []reports.ServiceFigure) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(x []reports.ServiceFigure) {
		sort.Slice(x, func(i, j int) bool { return x[i].Service < x[j].Service })
	}
	key(a)
	key(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
