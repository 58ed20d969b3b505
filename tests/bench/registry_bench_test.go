// Package bench measures the customer-registry API under a concurrent load
// generator, beside the same reads done as raw SQL in the same run.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/seed"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

type result struct {
	n        int
	elapsed  time.Duration
	p50, p99 time.Duration
}

func (r result) rps() float64 { return float64(r.n) / r.elapsed.Seconds() }

// hammer runs op from `workers` goroutines for d and collects latencies.
func hammer(workers int, d time.Duration, op func(worker int, r *rand.Rand) error) (result, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := op(w, r); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return result{}, firstErr
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		return result{}, fmt.Errorf("no request completed")
	}
	return result{n: len(lat), elapsed: elapsed, p50: lat[len(lat)/2], p99: lat[len(lat)*99/100]}, nil
}

func report(b *testing.B, name string, api, raw result) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(api.rps(), name+"_req/s")
	b.ReportMetric(ms(api.p50), name+"_p50_ms")
	b.ReportMetric(ms(api.p99), name+"_p99_ms")
	if raw.n > 0 {
		b.ReportMetric(raw.rps(), name+"_raw_sql_q/s")
		b.ReportMetric(ms(raw.p99), name+"_raw_sql_p99_ms")
		b.ReportMetric(api.rps()/raw.rps(), name+"_ratio")
	}
}

// BenchmarkRegistryAPI seeds TORQUE_BENCH_WORKSHOPS × TORQUE_BENCH_CUSTOMERS
// (default 20 × 1000) with `torque seed`'s loader, then measures customer 360,
// search and opening service orders over HTTP with TORQUE_BENCH_WORKERS
// concurrent clients (default 8) for TORQUE_BENCH_SECONDS each (default 10).
func BenchmarkRegistryAPI(b *testing.B) {
	workshops := envInt("TORQUE_BENCH_WORKSHOPS", 20)
	customers := envInt("TORQUE_BENCH_CUSTOMERS", 1000)
	workers := envInt("TORQUE_BENCH_WORKERS", 8)
	d := time.Duration(envInt("TORQUE_BENCH_SECONDS", 10)) * time.Second
	env := e2e.StartWith(b, e2e.Options{NoWorker: true})
	ctx := context.Background()
	rep, err := seed.Load(ctx, env.Sys, seed.Options{Workshops: workshops, Customers: customers, Concurrency: 8, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	if err := seed.Project(ctx, env.Sys, env.DB.AdminURL, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d workshops, %d customers, %d vehicles, %d orders (%d events) in %s",
		rep.Workshops, rep.Customers, rep.Vehicles, rep.Orders, rep.Events, rep.Elapsed.Round(time.Second))
	env.StartWorker(b)

	ws, err := env.Sys.Directory.WorkshopBySlug(ctx, "carga-0001")
	if err != nil {
		b.Fatal(err)
	}
	token := env.Login(b, "dono-carga-0001@example.com", seed.DemoPassword)
	type pair struct{ customer, vehicle uuid.UUID }
	rows, err := env.DB.Admin.Query(ctx, `SELECT v.customer_id, v.vehicle_id FROM registry_vehicles v WHERE v.tenant_id = $1`, ws.ID)
	if err != nil {
		b.Fatal(err)
	}
	pairs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pair, error) {
		var p pair
		return p, r.Scan(&p.customer, &p.vehicle)
	})
	if err != nil || len(pairs) == 0 {
		b.Fatalf("no vehicles in carga-0001: %v", err)
	}
	names := []string{"maria", "silva", "jos", "ana", "souza", "oliveira", "carlos", "ferreira", "lima", "costa"}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers * 2}}
	get := func(path string) error {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/v1/workshops/carga-0001"+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return nil
	}
	tid, _ := tenant.FromUUID(ws.ID)
	tctx := tenant.WithTenant(ctx, tid)
	rawCustomer := func(id uuid.UUID) error {
		bt, _ := postgres.TenantBatch(tctx)
		bt.Queue(`SELECT c.customer_id, c.name_enc, c.document_enc, c.email_enc, c.mobile_enc, c.street_enc, c.version,
		                 v.vehicle_id, v.plate_enc, v.make, v.model, v.year
		            FROM registry_customers c LEFT JOIN registry_vehicles v
		              ON v.tenant_id = c.tenant_id AND v.customer_id = c.customer_id
		           WHERE c.tenant_id = $1 AND c.customer_id = $2`, ws.ID, id)
		br := env.Sys.Pool.SendBatch(tctx, bt)
		defer func() { _ = br.Close() }() // the Exec below already reported any error of the batch
		if _, err := br.Exec(); err != nil {
			return err
		}
		rs, err := br.Query()
		if err != nil {
			return err
		}
		for rs.Next() {
		}
		rs.Close()
		return rs.Err()
	}

	// TORQUE_BENCH_ONLY ("customer360,search") skips the other scenarios.
	only := os.Getenv("TORQUE_BENCH_ONLY")
	run := func(name string) bool { return only == "" || slices.Contains(strings.Split(only, ","), name) }
	// rawSearch is the search's SQL alone: the name terms' index lookup (the
	// application's own terms and blind indexes, computed once per name) and
	// the matching customers' encrypted rows, with no decryption, filtering
	// or audit.
	type termSet struct{ kinds, hashes []string }
	nameTerms := map[string]termSet{}
	for _, n := range names {
		var ts termSet
		for _, t := range privacy.NameQueryTerms(n) {
			h, err := env.Sys.Cipher.BlindIndexer().Index(tctx, t.Kind, t.Value)
			if err != nil {
				b.Fatal(err)
			}
			ts.kinds, ts.hashes = append(ts.kinds, t.Kind), append(ts.hashes, h)
		}
		nameTerms[n] = ts
	}
	rawSearch := func(name string) error {
		ts := nameTerms[name]
		bt, _ := postgres.TenantBatch(tctx)
		bt.Queue(`SELECT c.customer_id, c.name_enc, c.version FROM registry_customers c
		           WHERE c.tenant_id = $1 AND NOT c.erased AND c.customer_id IN (
		                 SELECT s.customer_id FROM customer_search s JOIN unnest($2::text[], $3::text[]) AS w(k, h)
		                     ON s.kind = w.k AND s.term_hash = w.h
		                  WHERE s.tenant_id = $1 GROUP BY s.customer_id HAVING count(*) = $4)
		           ORDER BY c.customer_id LIMIT 21`, ws.ID, ts.kinds, ts.hashes, len(ts.kinds))
		br := env.Sys.Pool.SendBatch(tctx, bt)
		defer func() { _ = br.Close() }()
		if _, err := br.Exec(); err != nil {
			return err
		}
		rs, err := br.Query()
		if err != nil {
			return err
		}
		for rs.Next() {
		}
		rs.Close()
		return rs.Err()
	}

	// Under load the server may not see the seeded workshop at once: wait
	// (up to a minute) until a read answers, outside the measurement.
	for i := 0; ; i++ {
		err := get("/customers?limit=1")
		if err == nil {
			break
		}
		if i == 120 {
			b.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
	}

	b.ResetTimer()
	var api360, raw360, search, rawSearchRes, open result
	if run("customer360") {
		api360, err = hammer(workers, d, func(_ int, r *rand.Rand) error {
			return get("/customers/" + pairs[r.IntN(len(pairs))].customer.String())
		})
		if err != nil {
			b.Fatal(err)
		}
		raw360, err = hammer(workers, d, func(_ int, r *rand.Rand) error { return rawCustomer(pairs[r.IntN(len(pairs))].customer) })
		if err != nil {
			b.Fatal(err)
		}
	}
	if run("search") {
		search, err = hammer(workers, d, func(_ int, r *rand.Rand) error { return get("/customers?limit=20&q=" + names[r.IntN(len(names))]) })
		if err != nil {
			b.Fatal(err)
		}
		rawSearchRes, err = hammer(workers, d, func(_ int, r *rand.Rand) error { return rawSearch(names[r.IntN(len(names))]) })
		if err != nil {
			b.Fatal(err)
		}
	}
	if run("open_order") {
		// Each client owns a disjoint set of vehicles, so odometer readings only grow.
		km := make([]int64, len(pairs))
		open, err = hammer(workers, d, func(w int, r *rand.Rand) error {
			mine := (len(pairs) - w + workers - 1) / workers
			if mine == 0 {
				return nil
			}
			i := w + workers*r.IntN(mine)
			p := pairs[i]
			km[i] += 1000
			km := 500_000 + km[i]
			body, _ := json.Marshal(map[string]any{"customer_id": p.customer, "vehicle_id": p.vehicle, "mileage_km": km,
				"items": []map[string]any{{"service": "oil_change", "description": "Troca de óleo", "quantity": 1, "unit_price_cents": 18000}}})
			req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/workshops/carga-0001/service-orders", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			msg, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusCreated {
				return fmt.Errorf("POST service order: %d %s", resp.StatusCode, msg)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	for _, r := range []struct {
		name     string
		api, raw result
	}{{"customer360", api360, raw360}, {"search", search, rawSearchRes}, {"open_order", open, result{}}} {
		if run(r.name) {
			report(b, r.name, r.api, r.raw)
		}
	}
}
