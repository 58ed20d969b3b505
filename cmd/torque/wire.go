package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/tenancy"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/infrastructure/smtp"
	"github.com/torquehq/torque/infrastructure/stripe"

	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/observability"
	"github.com/torquehq/torque/infrastructure/ory"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/interfaces/httpapi"
	"github.com/torquehq/torque/migrations"
)

// system is the composition root: every adapter is chosen here and nowhere else.
type system struct {
	cfg         config
	log         *slog.Logger
	metrics     *observability.Metrics
	pool        *pgxpool.Pool
	codec       *eventcodec.Registry
	store       *postgres.PostgresEventStore
	projections []projection.Projection
	waiter      *projection.Waiter
	kratos      *ory.HealthChecker
	cipher      *crypto.EnvelopeCipher
	keyPool     *pgxpool.Pool
	registry    *readmodel.PostgresRegistry
	ory         *ory.Kratos
	stripe      *stripe.StripeGateway
	webhooks    *stripe.StripeWebhookVerifier
	mailer      *smtp.SMTPMailer
	tenancy     *tenancy.Service
}

func newLogger(cfg config) *slog.Logger {
	return observability.NewLogger(os.Stderr, cfg.LogLevel)
}

// allProjections lists every read-model projection.
func allProjections() []projection.Projection {
	return []projection.Projection{readmodel.TenancyProjection{}, readmodel.FranchiseProjection{}}
}

func build(ctx context.Context, cfg config) (*system, error) {
	s := &system{cfg: cfg, log: newLogger(cfg), metrics: observability.NewMetrics()}
	slog.SetDefault(s.log)
	var err error
	s.pool, err = postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseURL, MaxConns: cfg.DatabaseMaxConns})
	if err != nil {
		return nil, err
	}
	ring, err := crypto.ParseMasterKeys(cfg.MasterKeys)
	if err != nil {
		return nil, fmt.Errorf("TORQUE_MASTER_KEYS: %w", err)
	}
	// The payload hook may need a connection while the event store holds one.
	if s.keyPool, err = postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseURL, MaxConns: 10}); err != nil {
		return nil, err
	}
	if s.cipher, err = crypto.New(crypto.Config{Pool: s.keyPool, Keys: ring}); err != nil {
		return nil, err
	}
	s.codec = eventcodec.NewRegistry()
	registerEvents(s.codec)
	s.codec.SetPayloadHook(s.cipher.PayloadHook())
	s.store, err = postgres.NewEventStore(postgres.EventStoreConfig{Pool: s.pool, Codec: s.codec, Metrics: s.metrics})
	if err != nil {
		return nil, err
	}
	s.projections = allProjections()
	s.waiter = projection.NewWaiter(s.pool, s.projections)
	s.waiter.Timeout = cfg.ConsistencyWait
	s.kratos = ory.NewHealthChecker(cfg.KratosAdminURL)
	s.registry = readmodel.NewRegistry(s.pool)
	if s.ory, err = ory.New(ory.Config{PublicURL: cfg.KratosPublicURL, AdminURL: cfg.KratosAdminURL, AdminToken: cfg.KratosAdminToken}); err != nil {
		return nil, err
	}
	stripeCfg := stripe.Config{APIURL: cfg.StripeAPIURL, SecretKey: cfg.StripeSecretKey, WebhookSecret: cfg.StripeWebhookKey,
		PriceIDs: cfg.StripePrices, Logger: s.log}
	if s.stripe, err = stripe.NewStripeGateway(stripeCfg); err != nil {
		return nil, err
	}
	if s.webhooks, err = stripe.NewStripeWebhookVerifier(stripeCfg); err != nil {
		return nil, err
	}
	if s.mailer, err = smtp.New(smtp.Config{Addr: cfg.SMTPAddr, From: cfg.MailFrom, FromName: "Torque",
		Username: cfg.SMTPUser, Password: cfg.SMTPPassword}); err != nil {
		return nil, err
	}
	s.tenancy = tenancy.NewService(tenancy.Config{PublicURL: cfg.PublicURL}, tenancy.Deps{
		Store: s.store, Consistency: s.waiter, Registry: s.registry, Slugs: s.registry, Webhooks: s.registry,
		Identities: s.ory, Billing: s.stripe, Mailer: s.mailer, Logger: s.log,
	})
	return s, nil
}

func (s *system) close() {
	s.pool.Close()
	s.keyPool.Close()
}

// apiMounts lists the feature routes of the REST API.
func (s *system) apiMounts() []func(chi.Router) {
	th := &httpapi.TenancyHandlers{Service: s.tenancy, Registry: s.registry, Authn: s.ory, Webhooks: s.webhooks,
		Limits: httpapi.DefaultRateLimits(), TrustProxy: s.cfg.TrustProxy, Log: s.log}
	return []func(chi.Router){th.Mount}
}

func (s *system) readiness() []httpapi.Check {
	return []httpapi.Check{
		{Name: "postgres", Func: func(ctx context.Context) error { return s.pool.Ping(ctx) }},
		{Name: "event_publisher", Func: func(ctx context.Context) error {
			// The publisher writes to the Watermill table in the event store's
			// transaction; being able to read that table proves the path.
			var ok bool
			return s.pool.QueryRow(ctx, `SELECT has_table_privilege('"watermill_events"', 'INSERT')`).Scan(&ok)
		}},
		{Name: "ory", Func: s.kratos.Check},
	}
}

func serve(ctx context.Context, cfg config, withWorker bool) error {
	s, err := build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.close()
	router := httpapi.NewRouter(httpapi.Deps{Logger: s.log, Metrics: s.metrics, Ready: s.readiness(), Mount: s.apiMounts()})
	srv := &http.Server{
		Addr: cfg.HTTPAddr, Handler: router,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
	}
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	if withWorker {
		wg.Add(1)
		go func() { defer wg.Done(); errc <- s.runWorker(ctx) }()
	}
	go func() {
		s.log.Info("http listening", "addr", cfg.HTTPAddr)
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
	s.log.Info("shutting down")
	_ = srv.Shutdown(sctx)
	wg.Wait()
	return err
}

func worker(ctx context.Context, cfg config) error {
	s, err := build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.close()
	// The worker serves only health and metrics.
	router := httpapi.NewRouter(httpapi.Deps{Logger: s.log, Metrics: s.metrics, Ready: s.readiness()[:2]})
	srv := &http.Server{Addr: env("TORQUE_WORKER_HTTP_ADDR", "127.0.0.1:8081"), Handler: router, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.ListenAndServe() }()
	defer func() { _ = srv.Close() }()
	return s.runWorker(ctx)
}

// runWorker runs the Watermill router with every projection until ctx ends.
func (s *system) runWorker(ctx context.Context) error {
	wlog := watermill.NewSlogLoggerWithLevelMapping(s.log, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wlog)
	if err != nil {
		return err
	}
	runner, err := projection.NewRunner(projection.RunnerConfig{
		Pool: s.pool, Codec: s.codec, Projections: s.projections,
		PollInterval: s.cfg.ProjectionPoll, Metrics: s.metrics, Logger: s.log,
	})
	if err != nil {
		return err
	}
	if err := runner.AddHandlers(router, wlog); err != nil {
		return err
	}
	go projection.MonitorLag(ctx, s.pool, s.projections, s.metrics, 5*time.Second, s.log)
	if len(s.projections) == 0 {
		<-ctx.Done()
		return nil
	}
	return router.Run(ctx)
}

func migrate(ctx context.Context, cfg config) error {
	log := newLogger(cfg)
	admin, err := postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseAdminURL, MaxConns: 2})
	if err != nil {
		return err
	}
	defer admin.Close()
	role, err := cfg.appRole()
	if err != nil {
		return err
	}
	applied, err := postgres.Migrate(ctx, admin, migrations.Postgres, "postgres", role)
	if err != nil {
		return err
	}
	log.Info("migrations applied", "count", len(applied), "names", applied)
	return nil
}

func projectionsStatus(ctx context.Context, cfg config) error {
	s, err := build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.close()
	sts, err := projection.Statuses(ctx, s.pool, s.projections)
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
	return tw.Flush()
}

func projectionsRebuild(ctx context.Context, cfg config, name string) error {
	s, err := build(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.close()
	admin, err := postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseAdminURL, MaxConns: 2})
	if err != nil {
		return err
	}
	defer admin.Close()
	rb := projection.NewRebuilder(admin, s.codec)
	found := false
	for _, p := range s.projections {
		if name != "all" && p.Name() != name {
			continue
		}
		found = true
		start := time.Now()
		n, err := rb.Rebuild(ctx, p)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", p.Name(), err)
		}
		s.log.Info("projection rebuilt", "projection", p.Name(), "events", n, "seconds", time.Since(start).Seconds())
	}
	if !found {
		return fmt.Errorf("no projection named %q", name)
	}
	return nil
}

func seed(ctx context.Context, cfg config, args []string) error {
	_ = ctx
	_ = cfg
	_ = args
	return nil
}

func keysRotate(ctx context.Context, cfg config) error {
	log := newLogger(cfg)
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
