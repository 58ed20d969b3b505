// Package registry holds the use cases of the customer registry: customers,
// vehicles, service orders, notes and the data-subject rights of the LGPD
// (export, correction, erasure, consent, audit of reads), and the ports
// they need.
//
// Every use case first asks authz.Require; every write waits for the read
// models (read-your-writes) before returning; every read of personal data
// is recorded in the audit log before the data is returned (fail closed).
package registry

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

// Deps are the ports the registry use cases need.
type Deps struct {
	// Store loads and appends customer, vehicle and service-order streams.
	Store eventsourcing.EventStore
	// Numbers appends a new service order with its gapless number.
	Numbers eventsourcing.NumberedAppender
	// Consistency gives read-your-writes (optional: without it writes do not wait).
	Consistency eventsourcing.Consistency
	// SubjectKeys shreds a person's key on erasure.
	SubjectKeys privacy.SubjectKeys
	// Index computes blind indexes for search and uniqueness.
	Index privacy.BlindIndexer

	Customers  CustomerReadModel
	Vehicles   VehicleReadModel
	Orders     ServiceOrderReadModel
	Search     SearchIndex
	Uniqueness Uniqueness
	Audit      AuditLog
	// Messages is optional: without it the export lists no messages.
	Messages MessageLog
	// Catalogs is optional: without it every workshop uses catalog.Default().
	Catalogs Catalogs

	// Clock returns the current time (default time.Now).
	Clock func() time.Time
	// NewID returns a new id (default UUIDv7).
	NewID func() uuid.UUID
	// Logger is optional.
	Logger *slog.Logger
}

// Service runs the registry use cases. Create one per process: its
// repositories serialise commands on one stream within the process.
type Service struct {
	d         Deps
	customers *eventsourcing.Repository[*customer.Customer]
	vehicles  *eventsourcing.Repository[*vehicle.Vehicle]
	orders    *eventsourcing.Repository[*serviceorder.ServiceOrder]
}

// New checks the required ports and wires the use cases.
func New(d Deps) (*Service, error) {
	var missing []error
	for name, ok := range map[string]bool{
		"Store": d.Store != nil, "Numbers": d.Numbers != nil, "SubjectKeys": d.SubjectKeys != nil,
		"Index": d.Index != nil, "Customers": d.Customers != nil, "Vehicles": d.Vehicles != nil,
		"Orders": d.Orders != nil, "Search": d.Search != nil, "Uniqueness": d.Uniqueness != nil, "Audit": d.Audit != nil,
	} {
		if !ok {
			missing = append(missing, errors.New("registry: "+name+" is required"))
		}
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	if d.Clock == nil {
		d.Clock = time.Now
	}
	if d.NewID == nil {
		d.NewID = func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{
		d:         d,
		customers: eventsourcing.NewRepository(d.Store, customer.StreamType, customer.Blank),
		vehicles:  eventsourcing.NewRepository(d.Store, vehicle.StreamType, vehicle.Blank),
		orders:    eventsourcing.NewRepository(d.Store, serviceorder.StreamType, serviceorder.Blank),
	}, nil
}

// DefaultSource is the consent source recorded when the caller names none:
// the request came through the API.
const DefaultSource = "api"

// ServiceOrderSequence names the per-workshop sequence of order numbers.
const ServiceOrderSequence = "service_order"

// await waits for the read models to show res. The write is already
// committed, so a projection that lags is logged rather than reported: an
// error here would make the client retry a write that succeeded.
func (s *Service) await(ctx context.Context, results ...eventsourcing.AppendResult) {
	if s.d.Consistency == nil {
		return
	}
	for _, res := range results {
		if len(res.Events) == 0 {
			continue
		}
		if err := s.d.Consistency.AwaitProjections(ctx, res); err != nil {
			s.d.Logger.WarnContext(ctx, "read model did not catch up in time", "stream", res.Stream.String(), "err", err)
		}
	}
}

func (s *Service) catalog(ctx context.Context) (catalog.Catalog, error) {
	if s.d.Catalogs == nil {
		return catalog.Default(), nil
	}
	return s.d.Catalogs.Catalog(ctx)
}

// canReadPII reports whether the principal may see document, e-mail,
// phones and address.
func canReadPII(p authz.Principal) bool { return authz.Allowed(p.Role, authz.ReadCustomerPII) }

// updateOptions turns an optional If-Match version into repository options.
func updateOptions(expected *int64) []eventsourcing.UpdateOption {
	if expected != nil {
		return []eventsourcing.UpdateOption{eventsourcing.ExpectVersion(*expected)}
	}
	return []eventsourcing.UpdateOption{eventsourcing.RetryOnConflict()}
}

// cleanupCtx keeps the tenant and values of ctx for compensations that must
// run even when the request was cancelled.
func cleanupCtx(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// now is the current time in UTC at the precision Postgres keeps
// (microseconds), so what a write returns equals what a later read shows.
func (s *Service) now() time.Time { return s.d.Clock().UTC().Truncate(time.Microsecond) }
