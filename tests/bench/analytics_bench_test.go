package bench

// Analytics benchmarks (issue 14): the dashboards' questions answered through
// the API (ClickHouse), by the same SQL sent raw to ClickHouse, and from the
// Postgres read models; and ingestion through the analytics projection vs a
// raw batched insert. Scale: TORQUE_BENCH_FACTS service-item facts (default
// 10,000,000, about 10 minutes on an idle 2-core machine; set e.g. 1000000
// for a quick run; docs/benchmarks.md says which sizes were measured).

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/infrastructure/clickhouse"
	"github.com/torquehq/torque/infrastructure/clickhouse/chtest"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/seed"
)

func pct(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p)
	return s[i]
}

func timeRunsAfter(b *testing.B, warmups, runs int, f func() error) []time.Duration {
	b.Helper()
	if runs == 0 {
		return []time.Duration{time.Nanosecond}
	}
	for i := 0; i < warmups; i++ {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	out := make([]time.Duration, 0, runs)
	for i := 0; i < runs; i++ {
		t := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		out = append(out, time.Since(t))
	}
	return out
}

// pgQuestions are the dashboards' questions asked of the Postgres read
// models ($1 tenant, $2 from, $3 to), as tests/analytics checks them.
var pgQuestions = map[string][]string{
	"top-services": {
		`SELECT count(*) FROM registry_service_orders WHERE tenant_id = $1 AND opened_at >= $2 AND opened_at < $3`,
		`SELECT it->>'service', count(DISTINCT o.order_id), sum((it->>'total_cents')::bigint)
  FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1 ORDER BY 2 DESC`,
	},
	"frequency": {
		`WITH c AS (SELECT customer_id, count(*) AS all_n, count(*) FILTER (WHERE opened_at >= $2) AS in_n,
                  min(opened_at) FILTER (WHERE opened_at >= $2) AS fi, max(opened_at) AS la
             FROM registry_service_orders WHERE tenant_id = $1 AND opened_at < $3 GROUP BY customer_id)
SELECT count(*) FILTER (WHERE in_n > 0), count(*) FILTER (WHERE in_n > 0 AND all_n >= 2),
       sum(extract(epoch FROM la - fi)) FILTER (WHERE in_n >= 2), sum(in_n - 1) FILTER (WHERE in_n >= 2) FROM c`,
		`WITH f AS (SELECT customer_id, date_trunc('month', min(opened_at) AT TIME ZONE 'America/Sao_Paulo') AS fm
             FROM registry_service_orders WHERE tenant_id = $1 AND opened_at < $3 GROUP BY customer_id)
SELECT date_trunc('month', o.opened_at AT TIME ZONE 'America/Sao_Paulo') AS m, count(*),
       count(DISTINCT o.customer_id) FILTER (WHERE f.fm = date_trunc('month', o.opened_at AT TIME ZONE 'America/Sao_Paulo')),
       count(DISTINCT o.customer_id) FILTER (WHERE f.fm < date_trunc('month', o.opened_at AT TIME ZONE 'America/Sao_Paulo'))
  FROM registry_service_orders o JOIN f USING (customer_id)
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1 ORDER BY 1`,
		`SELECT customer_id, max(opened_at), max(opened_at) + CASE WHEN count(*) > 1 THEN (max(opened_at) - min(opened_at)) / (count(*) - 1) ELSE interval '180 days' END AS e
  FROM registry_service_orders WHERE tenant_id = $1 AND opened_at < $3 AND $2::timestamptz < $3 GROUP BY customer_id
HAVING max(opened_at) + CASE WHEN count(*) > 1 THEN greatest((max(opened_at) - min(opened_at)) / (count(*) - 1), interval '30 days') ELSE interval '180 days' END < $3
 ORDER BY e LIMIT 200`,
	},
	"maintenance-trends": {
		`SELECT date_trunc('month', o.opened_at AT TIME ZONE 'America/Sao_Paulo'), it->>'service', count(DISTINCT o.order_id)
  FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1, 2`,
		`SELECT v.make, v.model, v.year, it->>'service', count(DISTINCT o.order_id) AS n
  FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
  JOIN registry_vehicles v ON v.tenant_id = o.tenant_id AND v.vehicle_id = o.vehicle_id
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1, 2, 3, 4 ORDER BY n DESC LIMIT 500`,
		`SELECT CASE WHEN o.mileage_km IS NULL THEN 'unknown' WHEN o.mileage_km < 20000 THEN '0-20k'
            WHEN o.mileage_km < 50000 THEN '20-50k' WHEN o.mileage_km < 100000 THEN '50-100k'
            WHEN o.mileage_km < 150000 THEN '100-150k' ELSE '150k+' END, it->>'service', count(DISTINCT o.order_id)
  FROM registry_service_orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) it
 WHERE o.tenant_id = $1 AND o.opened_at >= $2 AND o.opened_at < $3 GROUP BY 1, 2`,
	},
}

// timeAlternating times f and g runs times each after two warm-ups of
// each, alternating which goes first.
func timeAlternating(b *testing.B, runs int, f, g func() error) (fs, gs []time.Duration) {
	b.Helper()
	for i := 0; i < 2; i++ {
		if err := f(); err != nil {
			b.Fatal(err)
		}
		if err := g(); err != nil {
			b.Fatal(err)
		}
	}
	once := func(h func() error, into *[]time.Duration) {
		t := time.Now()
		if err := h(); err != nil {
			b.Fatal(err)
		}
		*into = append(*into, time.Since(t))
	}
	for i := 0; i < runs; i++ {
		if i%2 == 0 {
			once(f, &fs)
			once(g, &gs)
		} else {
			once(g, &gs)
			once(f, &fs)
		}
	}
	return fs, gs
}

// loadAvg is /proc/loadavg's first three fields (the machine is shared).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// sameData checks that ClickHouse and Postgres hold the same data: the
// top-services figures (orders and revenue per service in the period) of
// the measured workshop agree.
func sameData(ctx context.Context, b *testing.B, env *e2e.Env, conn driver.Conn, scope reports.Scope, from, to time.Time) {
	b.Helper()
	type fig struct{ orders, revenue int64 }
	chF, pgF := map[string]fig{}, map[string]fig{}
	stmts, err := clickhouse.ReportSQL("top-services", scope, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	rows, err := conn.Query(ctx, stmts[1])
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var svc string
		var f fig
		if err := rows.Scan(&svc, &f.orders, &f.revenue); err != nil {
			b.Fatal(err)
		}
		chF[svc] = f
	}
	_ = rows.Close()
	pr, err := env.DB.Admin.Query(ctx, pgQuestions["top-services"][1], scope.WorkshopIDs[0], from, to)
	if err != nil {
		b.Fatal(err)
	}
	for pr.Next() {
		var svc string
		var f fig
		if err := pr.Scan(&svc, &f.orders, &f.revenue); err != nil {
			b.Fatal(err)
		}
		pgF[svc] = f
	}
	pr.Close()
	if len(chF) == 0 || fmt.Sprint(chF) != fmt.Sprint(pgF) {
		b.Fatalf("ClickHouse and Postgres hold different data:\n ClickHouse %v\n Postgres   %v", chF, pgF)
	}
}

func drainCH(ctx context.Context, conn driver.Conn, sql string) error {
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return rows.Err()
}

// BenchmarkAnalyticsDashboards: each dashboard report, p50/p95 over
// TORQUE_BENCH_RUNS requests (default 15) through the API, the same SQL raw
// on ClickHouse, and the same question on the Postgres read models.
func BenchmarkAnalyticsDashboards(b *testing.B) {
	ctx := context.Background()
	facts := int64(envInt("TORQUE_BENCH_FACTS", 10_000_000))
	runs := envInt("TORQUE_BENCH_RUNS", 10)
	ch := chtest.New(b)
	opt := e2e.Options{}
	opt.ClickHouse.Addr, opt.ClickHouse.Database = ch.Addr, ch.Database
	env := e2e.StartWith(b, opt)
	shop := env.Signup(b, "pro")
	shopID := uuid.MustParse(shop.ID)
	workshops := []uuid.UUID{shopID}
	for len(workshops) < envInt("TORQUE_BENCH_WORKSHOPS", 20) {
		workshops = append(workshops, uuid.New())
	}
	bulk := ch
	bulk.ReadTimeout = 15 * time.Minute
	conn, err := clickhouse.Open(bulk)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	now := time.Now().UTC()
	spec := clickhouse.Synthetic{Workshops: workshops, Orders: facts / 2, Customers: 20_000, Start: now.AddDate(-3, 0, 0), Span: 3 * 365 * 24 * time.Hour}
	t := time.Now()
	n, err := clickhouse.SeedSynthetic(ctx, conn, spec)
	if err != nil {
		b.Fatal(err)
	}
	chSeed := time.Since(t)
	// TORQUE_BENCH_PG=0 skips Postgres.
	withPG := os.Getenv("TORQUE_BENCH_PG") != "0"
	t = time.Now()
	if withPG {
		pgLoad(ctx, b, env.DB.Admin, spec, 2)
	}
	pgSeed := time.Since(t)
	b.Logf("seeded %d service-item facts (%d orders, %d workshops): ClickHouse %s (%.0f facts/s), Postgres %s (%.0f facts/s)",
		n, spec.Orders, len(workshops), chSeed.Round(time.Millisecond), float64(n)/chSeed.Seconds(), pgSeed.Round(time.Millisecond), float64(n)/pgSeed.Seconds())
	b.ReportMetric(float64(n), "facts")
	b.ReportMetric(float64(n)/chSeed.Seconds(), "ch_seed_facts/s")

	// The dashboards' default period: the last 12 months in the workshop's zone.
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	today := time.Now().In(loc)
	to := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	from := to.AddDate(-1, 0, 0)
	scope := reports.Scope{WorkshopIDs: []uuid.UUID{shopID}, From: from.UTC(), To: to.UTC(), TimeZone: "America/Sao_Paulo"}
	if withPG {
		sameData(ctx, b, env, conn, scope, from, to)
	}
	load := loadAvg()
	b.ResetTimer()
	for _, rep := range []string{"top-services", "frequency", "maintenance-trends"} {
		stmts, err := clickhouse.ReportSQL(rep, scope, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		// API and raw alternate run by run (and which goes first), so a
		// swing of the shared machine's load hits both alike.
		api, raw := timeAlternating(b, runs, func() error {
			r := env.Do(b, http.MethodGet, "/api/v1/workshops/"+shop.Slug+"/reports/"+rep, shop.OwnerToken, nil)
			if r.Status != http.StatusOK {
				return fmt.Errorf("%s: %d %s", rep, r.Status, r.Body)
			}
			return nil
		}, func() error {
			for _, s := range stmts {
				if err := drainCH(ctx, conn, s); err != nil {
					return err
				}
			}
			return nil
		})
		pgRuns := max(3, runs/3)
		if !withPG {
			pgRuns = 0
		}
		pg := timeRunsAfter(b, 1, pgRuns, func() error {
			for _, q := range pgQuestions[rep] {
				rows, err := env.DB.Admin.Query(ctx, q, shopID, from, to)
				if err != nil {
					return err
				}
				for rows.Next() {
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
			return nil
		})
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(pct(api, 0.5)), rep+"_api_p50_ms")
		b.ReportMetric(ms(pct(api, 0.95)), rep+"_api_p95_ms")
		b.ReportMetric(ms(pct(raw, 0.5)), rep+"_raw_ch_p50_ms")
		b.ReportMetric(ms(pct(raw, 0.95)), rep+"_raw_ch_p95_ms")
		if withPG {
			b.ReportMetric(ms(pct(pg, 0.5)), rep+"_pg_p50_ms")
			b.ReportMetric(ms(pct(pg, 0.95)), rep+"_pg_p95_ms")
			b.ReportMetric(float64(pct(api, 0.5))/float64(pct(pg, 0.5)), rep+"_api/pg")
		}
		b.ReportMetric(float64(pct(api, 0.5))/float64(pct(raw, 0.5)), rep+"_api/raw")
		b.Logf("load average %s → %s", load, loadAvg())
		b.Logf("%s: API p50 %.1f ms p95 %.1f ms | raw ClickHouse p50 %.1f p95 %.1f | Postgres p50 %.1f p95 %.1f | API/PG %.2f, API/raw %.2f",
			rep, ms(pct(api, 0.5)), ms(pct(api, 0.95)), ms(pct(raw, 0.5)), ms(pct(raw, 0.95)), ms(pct(pg, 0.5)), ms(pct(pg, 0.95)),
			float64(pct(api, 0.5))/float64(pct(pg, 0.5)), float64(pct(api, 0.5))/float64(pct(raw, 0.5)))
	}
}

// BenchmarkAnalyticsIngestion: facts/s written by the analytics projection
// (rebuild from the event store, and live catch-up from the topic) vs the
// same number of rows in raw batched inserts of 5,000.
func BenchmarkAnalyticsIngestion(b *testing.B) {
	ctx := context.Background()
	ch := chtest.New(b)
	opt := e2e.Options{NoWorker: true}
	opt.ClickHouse.Addr, opt.ClickHouse.Database = ch.Addr, ch.Database
	env := e2e.StartWith(b, opt)
	if _, err := seed.Load(ctx, env.Sys, seed.Options{Workshops: 1, Customers: envInt("TORQUE_BENCH_INGEST_CUSTOMERS", 300), Years: 3, Seed: 5, Concurrency: 4,
		Prefix: "ingestao"}); err != nil { // not "carga": see registryDataSet
		b.Fatal(err)
	}
	conn, err := clickhouse.Open(ch)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	count := func() int64 {
		var total uint64
		for _, t := range []string{"service_items", "orders", "order_status_changes", "order_mechanics", "vehicles", "customers"} {
			var n uint64
			if err := conn.QueryRow(ctx, "SELECT count() FROM "+t).Scan(&n); err != nil {
				b.Fatal(err)
			}
			total += n
		}
		return int64(total)
	}
	admin := env.DB.Admin
	b.ResetTimer()
	t := time.Now()
	events, err := env.Sys.Analytics.Projector.Rebuild(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	rebuild := time.Since(t)
	rows := count()
	// Live catch-up: the whole topic again through the projection's pages
	// (the rows collapse by their keys).
	if err := conn.Exec(ctx, "TRUNCATE TABLE analytics_checkpoint"); err != nil {
		b.Fatal(err)
	}
	p, err := clickhouse.NewProjector(clickhouse.ProjectorConfig{Pool: env.Sys.Pool, Conn: conn, Codec: env.Sys.Codec, Pseudonyms: env.Sys.Analytics.Pseudonyms})
	if err != nil {
		b.Fatal(err)
	}
	t = time.Now()
	msgs := 0
	for {
		n, err := p.Step(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			break
		}
		msgs += n
	}
	live := time.Since(t)
	// Raw: the same number of rows, built in memory, 5,000 per batch.
	var f clickhouse.Facts
	w := uuid.New()
	at := time.Now().UTC()
	t = time.Now()
	for i := int64(0); i < rows; i++ {
		f.Items = append(f.Items, clickhouse.ItemRow{WorkshopID: w, OrderID: uuid.New(), Line: 1, Version: 1, EventID: uuid.New(),
			At: at, Service: "oil_change", Quantity: 1, TotalCents: 18000, CustomerPID: w})
		if len(f.Items) == 5000 || i == rows-1 {
			if err := clickhouse.InsertFacts(ctx, conn, &f); err != nil {
				b.Fatal(err)
			}
			f.Items = f.Items[:0]
		}
	}
	raw := time.Since(t)
	b.StopTimer()
	rate := func(d time.Duration) float64 { return float64(rows) / d.Seconds() }
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(float64(rows), "facts")
	b.ReportMetric(rate(rebuild), "rebuild_facts/s")
	b.ReportMetric(rate(live), "live_facts/s")
	b.ReportMetric(rate(raw), "raw_insert_rows/s")
	b.ReportMetric(rate(rebuild)/rate(raw), "rebuild/raw")
	b.ReportMetric(rate(live)/rate(raw), "live/raw")
	b.Logf("%d events → %d facts: rebuild %s (%.0f facts/s), live catch-up of %d messages %s (%.0f facts/s), raw batched insert %s (%.0f rows/s)",
		events, rows, rebuild.Round(time.Millisecond), rate(rebuild), msgs, live.Round(time.Millisecond), rate(live), raw.Round(time.Millisecond), rate(raw))
}
