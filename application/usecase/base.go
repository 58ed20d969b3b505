// Package usecase holds what every application module shares: the clock, the
// id generator, read-your-writes waiting, the logger and the If-Match update
// options. Every module is built the same way:
//
//	func New(base usecase.Base, deps Deps) (*UseCases, error)
//
// where Deps lists the module's ports and New fails naming each missing one.
package usecase

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
)

// Base is embedded by every module's use cases.
type Base struct {
	// Clock returns the current time (default time.Now).
	Clock func() time.Time
	// NewID returns a new id (default UUIDv7).
	NewID func() uuid.UUID
	// Consistency gives read-your-writes (optional: without it writes do not wait).
	Consistency eventsourcing.Consistency
	// Logger is optional (default slog.Default()).
	Logger *slog.Logger
}

// WithDefaults fills the unset fields.
func (b Base) WithDefaults() Base {
	if b.Clock == nil {
		b.Clock = time.Now
	}
	if b.NewID == nil {
		b.NewID = func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	}
	if b.Logger == nil {
		b.Logger = slog.Default()
	}
	return b
}

// Now is the current time in UTC at the precision Postgres keeps
// (microseconds), so what a write returns equals what a later read shows.
func (b Base) Now() time.Time { return b.Clock().UTC().Truncate(time.Microsecond) }

// Await waits for the read models to show results. The write is already
// committed, so a projection that lags is not an error (the client would
// retry a write that succeeded): it is logged and recorded in the request's
// StalenessReport, which the interface turns into an honest "stale" answer.
func (b Base) Await(ctx context.Context, results ...eventsourcing.AppendResult) {
	if b.Consistency == nil {
		return
	}
	for _, res := range results {
		if len(res.Events) == 0 {
			continue
		}
		if err := b.Consistency.AwaitProjections(ctx, res); err != nil {
			b.Logger.WarnContext(ctx, "read model did not catch up in time", "stream", res.Stream.String(), "err", err)
			reportStale(ctx, res)
		}
	}
}

// UpdateOptions turns an optional If-Match version into repository options:
// with a version the update fails on a conflict, without one it retries.
func UpdateOptions(expected *int64) []eventsourcing.UpdateOption {
	if expected != nil {
		return []eventsourcing.UpdateOption{eventsourcing.ExpectVersion(*expected)}
	}
	return []eventsourcing.UpdateOption{eventsourcing.RetryOnConflict()}
}

// Required checks a module's ports: each entry maps a port name to whether it
// is set; the error names every missing one, prefixed by module.
func Required(module string, ports map[string]bool) error {
	var missing []error
	for _, name := range slices.Sorted(maps.Keys(ports)) {
		if !ports[name] {
			missing = append(missing, errors.New(module+": "+name+" is required"))
		}
	}
	return errors.Join(missing...)
}

// Detached keeps the tenant and values of ctx for compensations that must
// run even when the request was cancelled.
func Detached(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }
