// Package eventsourcing declares the event store port and the generic
// repository that runs load → command → save for every aggregate.
package eventsourcing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/tenant"
)

// StreamRef names one event stream: an aggregate instance of a type.
type StreamRef struct {
	Type string
	ID   uuid.UUID
}

// String renders "type/id" for logs.
func (s StreamRef) String() string { return s.Type + "/" + s.ID.String() }

// Recorded is a stored event with its envelope.
type Recorded struct {
	EventID       uuid.UUID
	Tenant        tenant.ID
	Stream        StreamRef
	Version       int64
	Type          string
	Schema        int
	OccurredAt    time.Time
	Actor         string
	CorrelationID uuid.UUID
	CausationID   uuid.UUID
	// Position is the global, monotonically assigned sequence number. Readers
	// that catch up must order by (TransactionID, Position): a lower position
	// can commit after a higher one.
	Position      int64
	TransactionID uint64
	Event         es.Event
}

// AppendResult tells what an append stored.
type AppendResult struct {
	Stream      StreamRef
	FromVersion int64 // version of the first appended event
	ToVersion   int64 // version of the last appended event
	Events      []Recorded
}

// EventStore stores and loads event streams of the tenant in the context.
type EventStore interface {
	// Append stores events as versions expectedVersion+1... of the stream and
	// publishes them to the message bus in the same transaction. If the stream
	// is not at expectedVersion it stores nothing and returns a
	// *VersionConflictError. It fails with tenant.ErrNoTenant when ctx has no tenant.
	Append(ctx context.Context, stream StreamRef, expectedVersion int64, events []es.Event) (AppendResult, error)
	// Load returns the stream's events in version order (none when the stream
	// does not exist or belongs to another tenant). Decoding failures, such as
	// an unknown event type, are errors naming the type.
	Load(ctx context.Context, stream StreamRef) ([]Recorded, error)
}

// EventTypeLister is an optional EventStore capability: a stream's event
// types in version order, without reading or decoding the payloads (which
// decrypts personal data). Checks that only need to know whether a given
// event happened use it through Repository.EventTypes.
type EventTypeLister interface {
	EventTypes(ctx context.Context, stream StreamRef) ([]string, error)
}

// VersionConflictError reports an optimistic-concurrency conflict.
type VersionConflictError struct {
	Stream   StreamRef
	Expected int64
}

// Error describes the conflict.
func (e *VersionConflictError) Error() string {
	return fmt.Sprintf("version conflict on %s: expected version %d", e.Stream, e.Expected)
}

// Unwrap makes the conflict an errs.ErrConflict.
func (e *VersionConflictError) Unwrap() error { return errs.ErrConflict }

// IsVersionConflict reports whether err is an optimistic-concurrency conflict.
func IsVersionConflict(err error) bool {
	var vc *VersionConflictError
	return errors.As(err, &vc)
}

// UnknownEventTypeError is returned when a stored event type has no decoder.
type UnknownEventTypeError struct{ Type string }

// Error names the type.
func (e *UnknownEventTypeError) Error() string { return "unknown event type " + e.Type }

// Consistency gives read-your-writes: after a command, wait until the read
// models that handle its events show them.
type Consistency interface {
	// AwaitProjections blocks until every projection handling res's events has
	// applied them, or a bounded timeout passes.
	AwaitProjections(ctx context.Context, res AppendResult) error
}

// NumberedAppender allocates gapless per-tenant numbers (e.g. service-order
// numbers) in the same transaction as an append: a failed append releases
// its number, and concurrent callers never get the same one.
type NumberedAppender interface {
	// AppendNumbered takes the next value of the tenant's sequence, calls
	// build with it and appends the events build returns as
	// expectedVersion+1...; everything commits together or not at all.
	// WARNING: callers of one sequence are serialised until commit.
	AppendNumbered(ctx context.Context, sequence string, stream StreamRef, expectedVersion int64,
		build func(number int64) ([]es.Event, error)) (AppendResult, error)
	// AppendNumberedWith is AppendNumbered that also appends the events of
	// other streams in the same transaction, each at its own expected
	// version (a *VersionConflictError names the stream that was not), so
	// that everything commits together or not at all. It returns the results
	// of with, in order, then the numbered stream's.
	AppendNumberedWith(ctx context.Context, sequence string, stream StreamRef, expectedVersion int64,
		build func(number int64) ([]es.Event, error), with ...Pending) ([]AppendResult, error)
}

// Pending is what a command recorded on one stream and has not stored yet.
type Pending struct {
	Stream          StreamRef
	ExpectedVersion int64
	Events          []es.Event
}
