// Package wiring is the composition root shared by cmd/torque and the
// end-to-end tests: every adapter is chosen here and nowhere else.
package wiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmetrics "github.com/ThreeDotsLabs/watermill/components/metrics"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/booking"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/portal"
	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/infrastructure/bus"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/messagestore"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/infrastructure/smtp"
	"github.com/torquehq/torque/infrastructure/stripe"
	"github.com/torquehq/torque/infrastructure/whatsapp"

	"github.com/torquehq/torque/infrastructure/cep"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/observability"
	"github.com/torquehq/torque/infrastructure/ory"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/interfaces/httpapi"
	"github.com/torquehq/torque/interfaces/session"
	"github.com/torquehq/torque/interfaces/web"
)

// system is the composition root: every adapter is chosen here and nowhere else.
type System struct {
	Cfg          Config
	Log          *slog.Logger
	Metrics      *observability.Metrics
	Pool         *pgxpool.Pool
	Codec        *eventcodec.Codec
	Store        *postgres.PostgresEventStore
	Projections  []projection.Projection
	Waiter       *projection.Waiter
	KratosHealth *ory.HealthChecker
	Cipher       *crypto.EnvelopeCipher
	KeyPool      *pgxpool.Pool
	Directory    *readmodel.PostgresWorkshopDirectory
	// Scopes answers every request's workshop scoping from memory.
	Scopes *readmodel.CachedWorkshopScopes
	// Consistency is Waiter, dropping Scopes once a workshop change is
	// projected: every use case's read-your-writes.
	Consistency eventsourcing.Consistency
	Catalogs    *readmodel.PostgresCatalogReader
	Ory         *ory.Kratos
	Stripe      *stripe.StripeGateway
	Webhooks    *stripe.StripeWebhookVerifier
	Mailer      *smtp.SMTPMailer
	Signup      *signup.UseCases
	Workshops   *workshops.UseCases
	Staff       *staff.UseCases
	Billing     *billing.UseCases
	Franchises  *franchises.UseCases
	Memberships *memberships.UseCases
	Records     *Records
	Portal      *portal.UseCases
	// Messaging is the messages to car owners (issue 11); WhatsAppHooks
	// verifies the WhatsApp webhook when WhatsApp is configured.
	Messaging     *messaging.UseCases
	WhatsAppHooks *whatsapp.WebhookVerifier
	Quoting       *Quoting
	Booking       *booking.UseCases
	Reminders     *reminders.UseCases
	// Analytics is nil when ClickHouse is not configured.
	Analytics *Analytics
	Support   *support.UseCases
	ChatHub   *support.ChatHub
	stopChat  func()
	// Wake wakes this process's idle consumers (projections, analytics):
	// Notifier broadcasts on it after this process's appends commit (and
	// NOTIFYs the other processes), RunWorker's listener after theirs.
	Wake     *bus.Wake
	Notifier *bus.Notifier
	// stopListeners ends the background listeners Build started.
	stopListeners context.CancelFunc
	listenersDone chan struct{}
}

// NewLogger returns the JSON logger configured by cfg.
func NewLogger(cfg Config) *slog.Logger {
	out := cfg.LogOutput
	if out == nil {
		out = os.Stderr
	}
	return observability.NewLogger(out, cfg.LogLevel)
}

// AllProjections lists every read-model projection.
func AllProjections(cipher *crypto.EnvelopeCipher) []projection.Projection {
	return []projection.Projection{
		readmodel.WorkshopProjection{Cipher: cipher}, readmodel.FranchiseProjection{},
		readmodel.RecordsProjection{Cipher: cipher}, readmodel.CustomerSearchProjection{Index: cipher.BlindIndexer()},
		messagestore.TriggersProjection{Cipher: cipher},
		readmodel.BookingProjection{Cipher: cipher},
		readmodel.MaintenanceProjection{},
		readmodel.SupportProjection{Cipher: cipher},
	}
}

// Build connects and wires every adapter.
func Build(ctx context.Context, cfg Config) (*System, error) {
	s := &System{Cfg: cfg, Log: NewLogger(cfg), Metrics: observability.NewMetrics()}
	slog.SetDefault(s.Log)
	var err error
	s.Pool, err = postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseURL, MaxConns: cfg.DatabaseMaxConns})
	if err != nil {
		return nil, err
	}
	// Row-level security is the tenant boundary: refuse a role that escapes it.
	if err := postgres.CheckRuntimeRole(ctx, s.Pool); err != nil {
		s.Pool.Close()
		return nil, fmt.Errorf("TORQUE_DATABASE_URL: %w", err)
	}
	ring, err := crypto.ParseMasterKeys(cfg.MasterKeys)
	if err != nil {
		return nil, fmt.Errorf("TORQUE_MASTER_KEYS: %w", err)
	}
	// The payload hook may need a connection while the event store holds one.
	if s.KeyPool, err = postgres.Open(ctx, postgres.Config{URL: cfg.DatabaseURL, MaxConns: 10}); err != nil {
		return nil, err
	}
	if s.Cipher, err = crypto.New(crypto.Config{Pool: s.KeyPool, Keys: ring}); err != nil {
		return nil, err
	}
	// Erasures made by any process drop this process's cached keys at once.
	lctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stopListeners, s.listenersDone = stop, make(chan struct{})
	s.Wake = bus.NewWake()
	s.Notifier = bus.NewNotifier(bus.NotifierConfig{Pool: s.Pool, Local: s.Wake, Window: cfg.WakeWindow, Logger: s.Log})
	s.Directory = readmodel.NewWorkshopDirectory(s.Pool)
	s.Scopes = readmodel.NewCachedWorkshopScopes(s.Directory, 0, 0)
	var listeners sync.WaitGroup
	listeners.Add(3)
	go func() { defer listeners.Done(); s.Cipher.RunShredListener(lctx, s.Log) }()
	go func() { defer listeners.Done(); s.Notifier.Run(lctx) }()
	go func() { defer listeners.Done(); s.Scopes.Run(lctx, s.Log) }()
	go func() { listeners.Wait(); close(s.listenersDone) }()
	s.Codec = eventcodec.New()
	RegisterEvents(s.Codec)
	s.Codec.SetPayloadHook(s.Cipher.PayloadHook())
	s.Store, err = postgres.NewEventStore(postgres.EventStoreConfig{Pool: s.Pool, Codec: s.Codec, Metrics: s.Metrics,
		Published: s.Notifier.Published})
	if err != nil {
		return nil, err
	}
	s.Projections = AllProjections(s.Cipher)
	s.Waiter = projection.NewWaiter(s.Pool, s.Projections)
	s.Waiter.Timeout = cfg.ConsistencyWait
	s.Consistency = s.Scopes.Consistency(s.Waiter)
	s.KratosHealth = ory.NewHealthChecker(cfg.KratosAdminURL)
	s.Catalogs = readmodel.NewCatalogReader(s.Pool)
	if s.Ory, err = ory.New(ory.Config{PublicURL: cfg.KratosPublicURL, AdminURL: cfg.KratosAdminURL, AdminToken: cfg.KratosAdminToken}); err != nil {
		return nil, err
	}
	stripeCfg := stripe.Config{APIURL: cfg.StripeAPIURL, SecretKey: cfg.StripeSecretKey, WebhookSecret: cfg.StripeWebhookKey,
		PriceIDs: cfg.StripePrices, Logger: s.Log}
	if s.Stripe, err = stripe.NewStripeGateway(stripeCfg); err != nil {
		return nil, err
	}
	if s.Webhooks, err = stripe.NewStripeWebhookVerifier(stripeCfg); err != nil {
		return nil, err
	}
	smtpSecurity := smtp.SecurityNone
	if cfg.SMTPSecurity != "" {
		if smtpSecurity, err = smtp.ParseSecurity(cfg.SMTPSecurity); err != nil {
			return nil, err
		}
	}
	if s.Mailer, err = smtp.New(smtp.Config{Addr: cfg.SMTPAddr, From: cfg.MailFrom, FromName: "Torque",
		Username: cfg.SMTPUser, Password: cfg.SMTPPassword, Security: smtpSecurity}); err != nil {
		return nil, err
	}
	if err := s.buildAccounts(); err != nil {
		return nil, err
	}
	if s.Records, err = s.NewRecords(nil); err != nil {
		return nil, err
	}
	if s.Portal, err = s.newPortal(); err != nil {
		return nil, err
	}
	if err := s.buildMessaging(); err != nil {
		return nil, err
	}
	if s.Quoting, err = s.NewQuoting(); err != nil {
		return nil, err
	}
	if s.Booking, err = s.NewBooking(); err != nil {
		return nil, err
	}
	if s.Reminders, err = s.NewReminders(nil, nil, reminders.Config{}); err != nil {
		return nil, err
	}
	if err := s.buildAnalytics(); err != nil {
		return nil, err
	}
	if err := s.buildSupport(); err != nil {
		return nil, err
	}
	return s, nil
}

// Close stops the background listeners and releases the pools.
func (s *System) Close() {
	if s.stopChat != nil {
		s.stopChat()
	}
	if s.stopListeners != nil {
		s.stopListeners()
		<-s.listenersDone
	}
	if s.Analytics != nil {
		_ = s.Analytics.Conn.Close()
	}
	s.Pool.Close()
	s.KeyPool.Close()
}

// APIMounts lists the feature routes of the REST API.
func (s *System) APIMounts() []func(chi.Router) {
	rh := s.recordsHandlers()
	mh := s.messagingHandlers()
	qh := s.quoteHandlers()
	ah := &httpapi.AccountHandlers{Signup: s.Signup, Workshops: s.Workshops, Staff: s.Staff, Billing: s.Billing,
		Franchises: s.Franchises, Memberships: s.Memberships, Scopes: s.Scopes, Authn: s.Ory, Webhooks: s.Webhooks,
		Limits: httpapi.SharedRateLimits(postgres.NewRateCounter(s.Pool)), TrustProxy: s.Cfg.TrustProxy, TrustedProxies: s.Cfg.TrustedProxies, PublicURL: s.Cfg.PublicURL, Log: s.Log,
		WorkshopRoutes: []func(chi.Router){rh.MountWorkshop, mh.MountWorkshop, qh.MountWorkshop, s.bookingHandlers().MountWorkshop, s.remindersHandlers().MountWorkshop, s.SupportHandlers().MountWorkshop}}
	// Second factors and recent sign-ins (issue 10 item 4).
	ah.PrivilegedMaxAge = s.Cfg.PrivilegedSessionMaxAge
	ah.WorkshopRoutes = append(ah.WorkshopRoutes, (&httpapi.MFAHandlers{Workshops: s.Workshops, Scopes: s.Scopes,
		Policy: session.Policy{PrivilegedMaxAge: s.Cfg.PrivilegedSessionMaxAge}, Log: s.Log}).MountWorkshop)
	if rp := s.reportHandlers(); rp != nil {
		ah.WorkshopRoutes = append(ah.WorkshopRoutes, rp.MountWorkshop)
		ah.AuthenticatedRoutes = append(ah.AuthenticatedRoutes, rp.MountAuthenticated)
	}
	return []func(chi.Router){ah.Mount, s.portalHandlers().Mount, mh.Mount}
}

// Readiness lists the readiness checks.
func (s *System) Readiness() []httpapi.Check {
	checks := []httpapi.Check{
		{Name: "postgres", Func: func(ctx context.Context) error { return s.Pool.Ping(ctx) }},
		{Name: "event_publisher", Func: func(ctx context.Context) error {
			// The publisher writes to the Watermill table in the event store's
			// transaction; being able to read that table proves the path.
			var ok bool
			if err := s.Pool.QueryRow(ctx, `SELECT has_table_privilege('"watermill_events"', 'INSERT')`).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return errors.New("the runtime role may not insert into watermill_events")
			}
			return nil
		}},
		{Name: "ory", Func: s.KratosHealth.Check},
	}
	if s.Analytics != nil {
		checks = append(checks, httpapi.Check{Name: "clickhouse", Optional: true, Func: s.Analytics.Conn.Ping})
	}
	return checks
}

// RunWorker runs the Watermill router with every projection until ctx ends.
func (s *System) RunWorker(ctx context.Context) error {
	wlog := watermill.NewSlogLoggerWithLevelMapping(s.Log, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wlog)
	if err != nil {
		return err
	}
	// Watermill's own handler metrics (messages handled, durations, by handler).
	wmetrics.NewPrometheusMetricsBuilder(s.Metrics.Registry, "torque", "watermill").AddPrometheusRouterMetrics(router)
	runner, err := projection.NewRunner(projection.RunnerConfig{
		Pool: s.Pool, Codec: s.Codec, Projections: s.Projections,
		PollInterval: s.Cfg.ProjectionPoll, Wake: s.Wake, IdleInterval: s.Cfg.ProjectionIdle,
		Metrics: s.Metrics, Logger: s.Log, Applied: s.Waiter.Applied(),
	})
	if err != nil {
		return err
	}
	if err := runner.AddHandlers(router, wlog); err != nil {
		return err
	}
	// Appends of the other processes (API processes, other workers) wake
	// this worker's consumers through Postgres LISTEN/NOTIFY.
	listenerDone := make(chan struct{})
	go func() { defer close(listenerDone); bus.Listen(ctx, s.Pool, s.Wake, s.Notifier.ID(), s.Log) }()
	defer func() { <-listenerDone }()
	go projection.MonitorLag(ctx, s.Pool, s.Projections, s.Metrics, 5*time.Second, s.Log)
	// Messages to car owners are delivered by the same worker process
	// (a negative interval turns the loop off: tests drive delivery).
	if s.Cfg.Messaging.DeliveryInterval >= 0 {
		go s.Messaging.RunDelivery(ctx, messaging.DeliveryConfig{Interval: s.Cfg.Messaging.DeliveryInterval})
	}
	if s.Booking != nil {
		go s.Booking.RunReminders(ctx, 5*time.Minute) // day-before reminders, once per appointment
	}
	go s.runReminders(ctx)
	analyticsDone := make(chan struct{})
	go func() { defer close(analyticsDone); s.runAnalytics(ctx) }()
	defer func() { <-analyticsDone }()
	if len(s.Projections) == 0 {
		<-ctx.Done()
		return nil
	}
	return router.Run(ctx)
}

// Handler is the whole HTTP surface: the REST API and the probes, and the
// back office (interfaces/web) for every other path.
func (s *System) Handler() http.Handler {
	api := httpapi.NewRouter(httpapi.Deps{Logger: s.Log, Metrics: s.Metrics, MetricsHandler: s.Metrics.Handler(), MetricsToken: s.Cfg.MetricsToken, Ready: s.Readiness(), Mount: s.APIMounts()})
	cepURL := s.Cfg.CEPURL // a ViaCEP-compatible service; unreachable: manual address entry
	if cepURL == "" {
		cepURL = DefaultCEPURL
	}
	ui, err := web.New(web.Config{Signup: s.Signup, Workshops: s.Workshops, Staff: s.Staff, Memberships: s.Memberships,
		Scopes: s.Scopes, Authn: s.Ory,
		Customers: s.Records.Customers, Vehicles: s.Records.Vehicles, ServiceOrders: s.Records.ServiceOrders, DataSubject: s.Records.DataSubject,
		Portal: s.Portal, PortalScopes: portalScopes{dir: s.Directory, portal: s.Portal},
		Limits: s.webLimits(), ProxyHops: s.Cfg.TrustedProxies, Messaging: s.Messaging,
		Quotes: s.Quoting.Quotes, Booking: s.Booking, Invoices: s.Quoting.Invoices, Reminders: s.Reminders, Reports: s.reports(), Franchises: s.Franchises, Support: s.Support, PortalChat: s.portalChat(), TrustProxy: s.Cfg.TrustProxy,
		CEP: cep.New(cepURL, nil), PublicURL: s.Cfg.PublicURL, Flows: ory.NewBrowserFlows(s.Cfg.KratosPublicURL, nil), Log: s.Log,
		AuthPolicy: session.Policy{PrivilegedMaxAge: s.Cfg.PrivilegedSessionMaxAge}})
	if err != nil {
		panic(fmt.Sprintf("web: %v", err)) // embedded templates: a build defect, caught by every test
	}
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/metrics"} {
		mux.Handle(p, api)
	}
	mux.Handle("/", ui)
	return mux
}
