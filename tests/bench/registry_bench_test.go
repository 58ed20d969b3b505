// Package bench measures the customer-registry API under a concurrent load
// generator, beside the same reads done as raw SQL in the same run.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/seed"
	"github.com/torquehq/torque/migrations"
)

// pairSlices is how many alternating slices a scenario and its raw SQL
// twin are measured in (measurePair).
const pairSlices = 5

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
	lat      []time.Duration // sorted
	// CPU per request of this process (client, server and worker) and of
	// the Postgres server (when it runs on this machine; else 0).
	goCPU, pgCPU time.Duration
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
	if len(lat) == 0 {
		return result{}, fmt.Errorf("no request completed")
	}
	return withLatencies(result{elapsed: elapsed}, lat), nil
}

// withLatencies sets r's count and percentiles from lat.
func withLatencies(r result, lat []time.Duration) result {
	slices.Sort(lat)
	r.lat, r.n, r.p50, r.p99 = lat, len(lat), lat[len(lat)/2], lat[len(lat)*99/100]
	return r
}

// merge is the result of a and b run one after the other.
func merge(a, b result) result {
	if a.n == 0 {
		return b
	}
	n := time.Duration(a.n + b.n)
	out := result{elapsed: a.elapsed + b.elapsed,
		goCPU: (a.goCPU*time.Duration(a.n) + b.goCPU*time.Duration(b.n)) / n,
		pgCPU: (a.pgCPU*time.Duration(a.n) + b.pgCPU*time.Duration(b.n)) / n}
	return withLatencies(out, append(slices.Clone(a.lat), b.lat...))
}

// processCPU is the CPU time this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procStat returns the fields of /proc/PID/stat after the command name.
func procStat(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		return strings.Fields(s[i+1:])
	}
	return nil
}

// parentPID is the parent of pid (0 when unknown): the postmaster of a
// backend.
func parentPID(pid int) int {
	if f := procStat(pid); len(f) > 1 {
		ppid, _ := strconv.Atoi(f[1])
		return ppid
	}
	return 0
}

// postgresCPU is the CPU time used so far by the live children of the
// postmaster (backends and background workers; 0 when Postgres runs
// elsewhere). Use a Postgres server of the benchmark's own: every database
// on the server counts.
func postgresCPU(postmaster int) time.Duration {
	if postmaster <= 0 {
		return 0
	}
	entries, _ := os.ReadDir("/proc")
	var ticks int64
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		f := procStat(pid)
		if len(f) < 13 || (pid != postmaster && f[1] != strconv.Itoa(postmaster)) {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + st
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ = 100 on Linux
}

// loadAverage is the machine's 1-minute load average (the cores are shared).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
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
	if api.pgCPU > 0 {
		b.ReportMetric(ms(api.goCPU), name+"_go_cpu_ms/req")
		b.ReportMetric(ms(api.pgCPU), name+"_pg_cpu_ms/req")
	}
}

// BenchmarkRegistryAPI loads TORQUE_BENCH_WORKSHOPS × TORQUE_BENCH_CUSTOMERS
// (default 200 × 1000, the size of issue 15) with `torque seed`'s bulk
// loader, then measures customer 360, search and opening service orders
// (spread over up to 20 workshops, then in carga-0001 alone) over HTTP with TORQUE_BENCH_WORKERS concurrent clients (default 8) for
// TORQUE_BENCH_SECONDS each (default 10). The data set lives in a database of
// its own that is kept and reused by later runs (see registryDataSet).
func BenchmarkRegistryAPI(b *testing.B) {
	workshops := envInt("TORQUE_BENCH_WORKSHOPS", 200)
	customers := envInt("TORQUE_BENCH_CUSTOMERS", 1000)
	workers := envInt("TORQUE_BENCH_WORKERS", 8)
	d := time.Duration(envInt("TORQUE_BENCH_SECONDS", 10)) * time.Second
	prefix := os.Getenv("TORQUE_BENCH_PREFIX")
	if prefix == "" {
		prefix = "carga"
	}
	env := registryDataSet(b, workshops, customers, prefix)
	ctx := context.Background()
	env.StartWorker(b)
	ws, err := env.Sys.Directory.WorkshopBySlug(ctx, prefix+"-0001")
	if err != nil {
		b.Fatal(err)
	}
	first := ws.Slug
	// A session token of each workshop's owner, and every vehicle with its
	// owner and workshop (the open-order scenarios spread over workshops).
	spread := min(workshops, 20)
	slugs := make(map[uuid.UUID]string, spread)
	tokens := make(map[uuid.UUID]string, spread)
	for i := 1; i <= spread; i++ {
		slug := fmt.Sprintf("%s-%04d", prefix, i)
		w, err := env.Sys.Directory.WorkshopBySlug(ctx, slug)
		if err != nil {
			b.Fatal(err)
		}
		slugs[w.ID] = w.Slug
		tokens[w.ID] = env.Login(b, "dono-"+slug+"@example.com", seed.DemoPassword)
	}
	token := tokens[ws.ID]
	type pair struct {
		workshop, customer, vehicle uuid.UUID
		km                          int64
	}
	rows, err := env.DB.Admin.Query(ctx, `SELECT v.tenant_id, v.customer_id, v.vehicle_id, coalesce(v.mileage_km, 0) FROM registry_vehicles v ORDER BY v.tenant_id, v.vehicle_id`)
	if err != nil {
		b.Fatal(err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pair, error) {
		var p pair
		return p, r.Scan(&p.workshop, &p.customer, &p.vehicle, &p.km)
	})
	if err != nil {
		b.Fatal(err)
	}
	var pairs []pair // the first workshop's
	var spreadIdx, oneIdx []int
	for i, p := range all {
		if p.workshop == ws.ID {
			pairs = append(pairs, p)
			oneIdx = append(oneIdx, i)
		}
		if slugs[p.workshop] != "" {
			spreadIdx = append(spreadIdx, i)
		}
	}
	if len(pairs) == 0 {
		b.Fatalf("no vehicles in %s", first)
	}
	names := []string{"maria", "silva", "jos", "ana", "souza", "oliveira", "carlos", "ferreira", "lima", "costa"}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers * 2}}
	get := func(path string) error {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/v1/workshops/"+first+path, nil) //nolint:gosec // G704: the benchmark's own in-process server (env.URL)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req) //nolint:gosec // G704: the benchmark's own in-process server (env.URL)
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
	// Each client owns a disjoint set of vehicles, so odometer readings only
	// grow (from the last reading: the data set is reused by later runs).
	km := make([]int64, len(all))
	for i, p := range all {
		km[i] = max(p.km, 500_000)
	}
	openOrder := func(idx []int) func(w int, r *rand.Rand) error {
		return func(w int, r *rand.Rand) error {
			mine := (len(idx) - w + workers - 1) / workers
			if mine <= 0 {
				return nil
			}
			i := idx[w+workers*r.IntN(mine)]
			p := all[i]
			km[i] += 1000
			km := km[i]
			body, _ := json.Marshal(map[string]any{"customer_id": p.customer, "vehicle_id": p.vehicle, "mileage_km": km,
				"items": []map[string]any{{"service": "oil_change", "description": "Troca de óleo", "quantity": 1, "unit_price_cents": 18000}}})
			req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/workshops/"+slugs[p.workshop]+"/service-orders", bytes.NewReader(body)) //nolint:gosec // G704: the benchmark's own in-process server (env.URL)
			req.Header.Set("Authorization", "Bearer "+tokens[p.workshop])
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req) //nolint:gosec // G704: the benchmark's own in-process server (env.URL)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			msg, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusCreated {
				return fmt.Errorf("POST service order: %d %s", resp.StatusCode, msg)
			}
			return nil
		}
	}

	// The live worker may still be catching up after the rebuild (a long
	// transaction elsewhere on the cluster holds back what it may read):
	// measure only once every workshop answers.
	for wid, slug := range slugs {
		for wait := time.Now().Add(5 * time.Minute); ; {
			req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/v1/workshops/"+slug+"/customers?limit=1", nil)
			req.Header.Set("Authorization", "Bearer "+tokens[wid])
			resp, err := client.Do(req)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
				if resp.StatusCode == http.StatusNotFound {
					// The workshop exists, so its owner's login is another
					// identity: a load with the same prefix re-created the
					// owners in the shared Kratos.
					b.Fatalf("%s: its owner is not a member any more (another load with prefix %q re-created the owners in Kratos); rerun with TORQUE_BENCH_RESEED=1", slug, prefix)
				}
			}
			if time.Now().After(wait) {
				b.Fatalf("%s not ready: %v", slug, err)
			}
			time.Sleep(500 * time.Millisecond)
		}
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

	// TORQUE_BENCH_CPUPROFILE=DIR writes DIR/<scenario>.pprof, a CPU profile
	// of this process (client, in-process server and worker) during each
	// scenario; the load average before and after each is logged.
	profDir := os.Getenv("TORQUE_BENCH_CPUPROFILE")
	var backend int
	if err := env.DB.Admin.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		b.Fatal(err)
	}
	postmaster := parentPID(backend)
	measureFor := func(name string, d time.Duration, op func(worker int, r *rand.Rand) error) (result, error) {
		if profDir != "" {
			f, err := os.Create(filepath.Join(profDir, name+".pprof"))
			if err != nil {
				return result{}, err
			}
			defer func() { _ = f.Close() }() // a profile cut short is still readable
			if err := pprof.StartCPUProfile(f); err != nil {
				return result{}, err
			}
			defer pprof.StopCPUProfile()
		}
		goCPU, pgCPU := processCPU(), postgresCPU(postmaster)
		res, err := hammer(workers, d, op)
		goCPU, pgCPU = processCPU()-goCPU, postgresCPU(postmaster)-pgCPU
		if res.n > 0 {
			// CPU per request depends far less on the other tenants of the
			// machine than throughput does.
			res.goCPU, res.pgCPU = goCPU/time.Duration(res.n), pgCPU/time.Duration(res.n)
		}
		return res, err
	}
	logResult := func(name string, res result, before string) {
		b.Logf("%s: %.0f/s p50 %s p99 %s; CPU per request: this process %s, Postgres %s; load average %s → %s",
			name, res.rps(), res.p50, res.p99, res.goCPU, res.pgCPU, before, loadAverage())
	}
	measure := func(name string, op func(worker int, r *rand.Rand) error) (result, error) {
		before := loadAverage()
		res, err := measureFor(name, d, op)
		logResult(name, res, before)
		return res, err
	}
	// measurePair measures the API and the same read as raw SQL in
	// alternating slices of d/pairSlices each (which one goes first
	// alternates too): the machine's speed drifts by tens of percent within
	// a minute, and two back-to-back runs of d made the ratio drift with it.
	// With TORQUE_BENCH_CPUPROFILE each slice has its own profile,
	// <scenario>-<slice>.pprof (pprof merges the files it is given).
	measurePair := func(apiName string, apiOp func(int, *rand.Rand) error, rawName string, rawOp func(int, *rand.Rand) error) (api, raw result, err error) {
		before := loadAverage()
		slice := d / pairSlices
		for i := range pairSlices {
			order := []bool{true, false}
			if i%2 == 1 {
				order = []bool{false, true}
			}
			for _, isAPI := range order {
				name, op, into := rawName, rawOp, &raw
				if isAPI {
					name, op, into = apiName, apiOp, &api
				}
				res, err := measureFor(fmt.Sprintf("%s-%d", name, i), slice, op)
				if err != nil {
					return api, raw, err
				}
				*into = merge(*into, res)
			}
		}
		logResult(apiName, api, before)
		logResult(rawName, raw, before)
		return api, raw, nil
	}

	b.ResetTimer()
	var api360, raw360, search, rawSearchRes, openSpread, openOne result
	if run("customer360") {
		api360, raw360, err = measurePair("customer360", func(_ int, r *rand.Rand) error {
			return get("/customers/" + pairs[r.IntN(len(pairs))].customer.String())
		}, "customer360_raw", func(_ int, r *rand.Rand) error { return rawCustomer(pairs[r.IntN(len(pairs))].customer) })
		if err != nil {
			b.Fatal(err)
		}
	}
	if run("search") {
		search, rawSearchRes, err = measurePair("search", func(_ int, r *rand.Rand) error {
			return get("/customers?limit=20&q=" + names[r.IntN(len(names))])
		}, "search_raw", func(_ int, r *rand.Rand) error { return rawSearch(names[r.IntN(len(names))]) })
		if err != nil {
			b.Fatal(err)
		}
	}
	if run("open_order") {
		if openSpread, err = measure("open_order_spread", openOrder(spreadIdx)); err != nil {
			b.Fatal(err)
		}
		if openOne, err = measure("open_order_one_workshop", openOrder(oneIdx)); err != nil {
			b.Fatal(err)
		}
		b.Logf("open-order spread over %d workshops", spread)
	}
	b.StopTimer()
	for _, r := range []struct {
		name, scenario string
		api, raw       result
	}{{"customer360", "customer360", api360, raw360}, {"search", "search", search, rawSearchRes},
		{"open_order_spread", "open_order", openSpread, result{}}, {"open_order_one_workshop", "open_order", openOne, result{}}} {
		if run(r.scenario) {
			report(b, r.name, r.api, r.raw)
		}
	}
}

// registryDataSet returns Torque running on the benchmark's data set. The
// data set is kept in its own database, torque_bench_registry_<W>x<C>, and
// reused while the fingerprint left on it (COMMENT ON DATABASE, written only
// once the load and the rebuild completed) matches the size, the random seed
// and the latest migration; otherwise it is dropped and loaded again.
// TORQUE_BENCH_RESEED=1 forces a new load (e.g. when the owners' Kratos
// identities were re-created by another load with the same slugs).
func registryDataSet(b *testing.B, workshops, customers int, prefix string) *e2e.Env {
	b.Helper()
	names, err := fs.Glob(migrations.Postgres, "postgres/*.sql")
	if err != nil || len(names) == 0 {
		b.Fatalf("migrations: %v", err)
	}
	fingerprint := fmt.Sprintf("torque bench registry: %d workshops x %d customers, seed 7, schema %s",
		workshops, customers, path.Base(names[len(names)-1]))
	name := fmt.Sprintf("torque_bench_registry_%dx%d", workshops, customers)
	if prefix != "carga" {
		fingerprint += ", prefix " + prefix
		name += "_" + strings.ReplaceAll(prefix, "-", "_")
	}
	db, _ := pgtest.Persistent(b, name, os.Getenv("TORQUE_BENCH_RESEED") == "1")
	if db.Marker(b) == fingerprint {
		b.Logf("reusing the data set in database %s (%s)", name, fingerprint)
		return e2e.StartWith(b, e2e.Options{NoWorker: true, DB: db})
	}
	if db.Marker(b) != "" || db.Count(b, `SELECT count(*) FROM events`) > 0 {
		db.App.Close()
		db.Admin.Close()
		db, _ = pgtest.Persistent(b, name, true)
	}
	env := e2e.StartWith(b, e2e.Options{NoWorker: true, DB: db})
	ctx := context.Background()
	started := time.Now()
	rep, err := seed.Load(ctx, env.Sys, seed.Options{Workshops: workshops, Customers: customers, Seed: 7, Prefix: prefix})
	if err != nil {
		b.Fatal(err)
	}
	if err := seed.Project(ctx, env.Sys, env.DB.AdminURL, seed.ProjectOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d workshops, %d customers, %d vehicles, %d orders (%d events, read models and analytics facts included) in %s (the load itself %s)",
		rep.Workshops, rep.Customers, rep.Vehicles, rep.Orders, rep.Events, time.Since(started).Round(time.Second), rep.Elapsed.Round(time.Second))
	db.SetMarker(b, fingerprint)
	return env
}
