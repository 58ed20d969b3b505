package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/torquehq/torque/infrastructure/clickhouse"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/interfaces/httpapi"
	seedpkg "github.com/torquehq/torque/internal/seed"
	"github.com/torquehq/torque/internal/wiring"
	"github.com/torquehq/torque/migrations"
	chmigrations "github.com/torquehq/torque/migrations/clickhouse"
)

func serve(ctx context.Context, cfg wiring.Config, withWorker bool) error {
	s, err := wiring.Build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	router := s.Handler()
	srv := &http.Server{
		Addr: cfg.HTTPAddr, Handler: router,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
	}
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	if withWorker {
		wg.Add(1)
		go func() { defer wg.Done(); errc <- s.RunWorker(ctx) }()
	}
	go func() {
		s.Log.Info("http listening", "addr", cfg.HTTPAddr)
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	s.Log.Info("shutting down")
	_ = srv.Shutdown(sctx)
	wg.Wait()
	return err
}

func worker(ctx context.Context, cfg wiring.Config) error {
	s, err := wiring.Build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	// The worker serves only health and metrics.
	router := httpapi.NewRouter(httpapi.Deps{Logger: s.Log, Metrics: s.Metrics, Ready: s.Readiness()[:2],
		MetricsHandler: s.Metrics.Handler(), MetricsToken: s.Cfg.MetricsToken})
	srv := &http.Server{Addr: env("TORQUE_WORKER_HTTP_ADDR", "127.0.0.1:8081"), Handler: router, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.ListenAndServe() }()
	defer func() { _ = srv.Close() }()
	return s.RunWorker(ctx)
}

// runWorker runs the Watermill router with every projection until ctx ends.

func migrate(ctx context.Context, cfg wiring.Config) error {
	log := wiring.NewLogger(cfg)
	admin, err := postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseAdminURL, MaxConns: 2})
	if err != nil {
		return err
	}
	defer admin.Close()
	role, err := appRole(cfg)
	if err != nil {
		return err
	}
	applied, err := postgres.Migrate(ctx, admin, migrations.Postgres, "postgres", role)
	if err != nil {
		return err
	}
	log.Info("migrations applied", "count", len(applied), "names", applied)
	if cfg.ClickHouseAddr != "" {
		chApplied, err := clickhouse.Migrate(ctx, cfg.ClickHouseConfig(), chmigrations.FS)
		if err != nil {
			return err
		}
		log.Info("clickhouse migrations applied", "count", len(chApplied), "names", chApplied)
	}
	for _, name := range applied {
		for _, rm := range rebuildAfterMigration[name] {
			if err := projectionsRebuild(ctx, cfg, rm); err != nil {
				return fmt.Errorf("after %s: %w", name, err)
			}
		}
	}
	return nil
}

// rebuildAfterMigration names the read models a migration empties on
// purpose; `torque migrate` refills them from the event store at once, so
// no deployment runs with them empty (0019: the name search index moved to
// bucketed terms and its old rows were dropped; 0020: the clear free text
// of orders, bookings and staff was dropped, to come back sealed).
var rebuildAfterMigration = map[string][]string{
	"0019_name_index_buckets.sql": {"customer_search"},
	"0020_seal_free_text.sql":     {"registry", "booking", "tenancy"},
}

func projectionsStatus(ctx context.Context, cfg wiring.Config) error {
	s, err := wiring.Build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	sts, err := projection.Statuses(ctx, s.Pool, s.Projections)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROJECTION\tPENDING\tOLDEST PENDING")
	for _, st := range sts {
		oldest := "-"
		if !st.OldestPending.IsZero() {
			oldest = st.OldestPending.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", st.Projection, st.Pending, oldest)
	}
	if s.Analytics != nil {
		lag, err := s.Analytics.Projector.Lag(ctx)
		switch {
		case err != nil:
			// ClickHouse away delays analytics and loses nothing: say so
			// beside the Postgres projections instead of failing the command.
			fmt.Fprintf(tw, "%s\tunknown\tClickHouse unreachable: %v\n", clickhouse.ProjectionName, err)
		case lag.OldestPending.IsZero():
			fmt.Fprintf(tw, "%s\t%d\t-\n", clickhouse.ProjectionName, lag.Pending)
		default:
			fmt.Fprintf(tw, "%s\t%d\t%s\n", clickhouse.ProjectionName, lag.Pending, lag.OldestPending.Format(time.RFC3339))
		}
	}
	return tw.Flush()
}

func projectionsRebuild(ctx context.Context, cfg wiring.Config, name string) error {
	s, err := wiring.Build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	admin, err := postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseAdminURL, MaxConns: 2})
	if err != nil {
		return err
	}
	defer admin.Close()
	rb := projection.NewRebuilder(admin, s.Codec)
	found := false
	if name == "all" || name == clickhouse.ProjectionName {
		if s.Analytics == nil {
			if name != "all" {
				return errors.New("analytics is off: set TORQUE_CLICKHOUSE_ADDR")
			}
		} else {
			found = true
			start := time.Now()
			n, err := s.Analytics.Projector.Rebuild(ctx, admin)
			if err != nil {
				return fmt.Errorf("rebuild %s: %w", clickhouse.ProjectionName, err)
			}
			s.Log.Info("projection rebuilt", "projection", clickhouse.ProjectionName, "events", n, "seconds", time.Since(start).Seconds())
		}
	}
	for _, p := range s.Projections {
		if name != "all" && p.Name() != name {
			continue
		}
		found = true
		start := time.Now()
		n, err := rb.Rebuild(ctx, p)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", p.Name(), err)
		}
		s.Log.Info("projection rebuilt", "projection", p.Name(), "events", n, "seconds", time.Since(start).Seconds())
	}
	if !found {
		return fmt.Errorf("no projection named %q", name)
	}
	return nil
}

func seed(ctx context.Context, cfg wiring.Config, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	small := fs.Bool("small", false, "the demo workshop of `make run` with a few customers (the default)")
	demoCustomers := fs.Int("demo-customers", 25, "customers of the demo workshop")
	workshops := fs.Int("workshops", 0, "load data: number of workshops (carga-0001...); 0 seeds the demo only")
	customers := fs.Int("customers", 1000, "load data: customers per workshop")
	years := fs.Int("years", 3, "load data: years of service history")
	concurrency := fs.Int("concurrency", 4, "load data: workshops generated and written at once")
	prefix := fs.String("prefix", "carga", "load data: slug prefix of the workshops (<prefix>-0001...; owners dono-<slug>@example.com)")
	rebuild := fs.Bool("rebuild", false, "load data: also rebuild every read model from the event store afterwards (the load already projects each workshop; one long transaction per read model)")
	rebuildParallel := fs.Int("rebuild-parallel", 2, "load data: read models rebuilt at once (with -rebuild)")
	seedValue := fs.Uint64("seed", 2026, "load data: random seed (same seed, same data)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the seed to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }() // the profile is best effort
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg.LogLevel = slog.LevelWarn
	s, err := wiring.Build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if *workshops == 0 || *small {
		// The demo runs through the use cases, which wait for read models: run
		// the projection worker alongside.
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.RunWorker(wctx) }()
		err := seedpkg.Demo(ctx, s, *demoCustomers, os.Stderr)
		cancel()
		// Stopped by cancel: only an error of its own is worth a word.
		if werr := <-done; werr != nil && !errors.Is(werr, context.Canceled) {
			fmt.Fprintln(os.Stderr, "seed: projection worker:", werr)
		}
		if errors.Is(err, seedpkg.ErrAlreadySeeded) {
			fmt.Println("seed: already seeded (workshop " + seedpkg.DemoSlug + " exists)")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Printf("seed: demo workshop %s ready; owner %s / %s\n", seedpkg.DemoSlug, seedpkg.DemoOwner, seedpkg.DemoPassword)
		return nil
	}
	// The load allocates a lot of short-lived data (a workshop's events at a
	// time): collect less often, for a few hundred MB more at peak.
	debug.SetGCPercent(400)
	rep, err := seedpkg.Load(ctx, s, seedpkg.Options{Workshops: *workshops, Customers: *customers, Years: *years,
		Seed: *seedValue, Concurrency: *concurrency, Progress: os.Stderr, Prefix: *prefix})
	if err != nil {
		return err
	}
	fmt.Printf("seed: %d workshops loaded and projected (%d already were), %d customers, %d vehicles, %d service orders, %d events in %s (%.0f events/s)\n",
		rep.Workshops, rep.Skipped, rep.Customers, rep.Vehicles, rep.Orders, rep.Events, rep.Elapsed.Round(time.Second),
		float64(rep.Events)/rep.Elapsed.Seconds())
	start := time.Now()
	err = seedpkg.Project(ctx, s, cfg.DatabaseAdminURL, seedpkg.ProjectOptions{Rebuild: *rebuild, Parallel: *rebuildParallel, Progress: os.Stderr,
		Done: func(name string, n int, d time.Duration) {
			fmt.Fprintf(os.Stderr, "\nseed: read model %s rebuilt from %d events in %s\n", name, n, d.Round(time.Millisecond))
		}})
	if err != nil {
		return err
	}
	what := "consumer groups moved past the load"
	if *rebuild {
		what = "read models rebuilt"
	}
	fmt.Printf("seed: %s in %s; total %s\n", what, time.Since(start).Round(time.Second),
		(rep.Elapsed + time.Since(start)).Round(time.Second))
	return nil
}

func keysRotate(ctx context.Context, cfg wiring.Config) error {
	log := wiring.NewLogger(cfg)
	ring, err := crypto.ParseMasterKeys(cfg.MasterKeys)
	if err != nil {
		return fmt.Errorf("TORQUE_MASTER_KEYS: %w", err)
	}
	admin, err := postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseAdminURL, MaxConns: 2})
	if err != nil {
		return err
	}
	defer admin.Close()
	rot, err := crypto.NewMasterKeyRotator(crypto.RotatorConfig{Admin: admin, Keys: ring})
	if err != nil {
		return err
	}
	n, err := rot.RotateMasterKeys(ctx)
	if err != nil {
		return err
	}
	log.Info("tenant keys re-wrapped", "count", n, "master_key", ring.CurrentKeyID())
	return nil
}
