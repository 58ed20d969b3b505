// Package eventstoretest holds an in-memory eventsourcing.EventStore (and
// NumberedAppender) for the application modules' unit tests. Like the
// Postgres store it keeps a stream per tenant and stream id. It is test
// support only; no production code imports it.
package eventstoretest

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/tenant"
)

// MemStore is an in-memory event store of every tenant, with gapless
// numbers per tenant and sequence.
type MemStore struct {
	mu      sync.Mutex
	streams map[string][]eventsourcing.Recorded
	numbers map[string]int64
	// FailAppend makes every append fail (after numbering).
	FailAppend error
	log        []string // "append <type>" in call order, shared with other fakes
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{streams: map[string][]eventsourcing.Recorded{}, numbers: map[string]int64{}}
}

func key(t tenant.ID, id uuid.UUID) string { return t.String() + "/" + id.String() }

// Append implements eventsourcing.EventStore.
func (m *MemStore) Append(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (eventsourcing.AppendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.appendLocked(ctx, stream, expected, events)
}

func (m *MemStore) appendLocked(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (eventsourcing.AppendResult, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	if m.FailAppend != nil {
		return eventsourcing.AppendResult{}, m.FailAppend
	}
	k := key(t, stream.ID)
	if int64(len(m.streams[k])) != expected {
		return eventsourcing.AppendResult{}, &eventsourcing.VersionConflictError{Stream: stream, Expected: expected}
	}
	res := eventsourcing.AppendResult{Stream: stream, FromVersion: expected + 1}
	for i, e := range events {
		rec := eventsourcing.Recorded{EventID: uuid.Must(uuid.NewV7()), Tenant: t, Stream: stream,
			Version: expected + int64(i) + 1, Type: e.EventName(), Actor: requestmeta.From(ctx).Actor, Event: e}
		m.streams[k] = append(m.streams[k], rec)
		res.Events = append(res.Events, rec)
		res.ToVersion = rec.Version
		m.log = append(m.log, "append "+e.EventName())
	}
	return res, nil
}

// Load implements eventsourcing.EventStore.
func (m *MemStore) Load(ctx context.Context, stream eventsourcing.StreamRef) ([]eventsourcing.Recorded, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []eventsourcing.Recorded
	for _, r := range m.streams[key(t, stream.ID)] {
		if r.Stream.Type == stream.Type {
			out = append(out, r)
		}
	}
	return out, nil
}

// AppendNumbered implements eventsourcing.NumberedAppender.
func (m *MemStore) AppendNumbered(ctx context.Context, sequence string, stream eventsourcing.StreamRef, expected int64,
	build func(int64) ([]es.Event, error)) (eventsourcing.AppendResult, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	seq := t.String() + "/" + sequence
	events, err := build(m.numbers[seq] + 1)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	res, err := m.appendLocked(ctx, stream, expected, events)
	if err != nil {
		return res, err
	}
	m.numbers[seq]++
	return res, nil
}

// AppendNumberedWith implements eventsourcing.NumberedAppender.
func (m *MemStore) AppendNumberedWith(ctx context.Context, sequence string, stream eventsourcing.StreamRef, expected int64,
	build func(int64) ([]es.Event, error), with ...eventsourcing.Pending) ([]eventsourcing.AppendResult, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range with {
		if int64(len(m.streams[key(t, p.Stream.ID)])) != p.ExpectedVersion {
			return nil, &eventsourcing.VersionConflictError{Stream: p.Stream, Expected: p.ExpectedVersion}
		}
	}
	if int64(len(m.streams[key(t, stream.ID)])) != expected {
		return nil, &eventsourcing.VersionConflictError{Stream: stream, Expected: expected}
	}
	if m.FailAppend != nil {
		return nil, m.FailAppend
	}
	seq := t.String() + "/" + sequence
	events, err := build(m.numbers[seq] + 1)
	if err != nil {
		return nil, err
	}
	var out []eventsourcing.AppendResult
	for _, p := range with {
		res, err := m.appendLocked(ctx, p.Stream, p.ExpectedVersion, p.Events)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	res, err := m.appendLocked(ctx, stream, expected, events)
	if err != nil {
		return nil, err
	}
	m.numbers[seq]++
	return append(out, res), nil
}

// Record adds s to the call log, so tests see other fakes' calls in order
// with the appends.
func (m *MemStore) Record(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log = append(m.log, s)
}

// Calls returns the call log: "append <event>" and what other fakes
// recorded, in call order.
func (m *MemStore) Calls() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.log...)
}

// Streams returns a copy of every stored stream of every tenant, each in
// version order, for tests that read the store as a projection would.
func (m *MemStore) Streams() [][]eventsourcing.Recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([][]eventsourcing.Recorded, 0, len(m.streams))
	for _, recs := range m.streams {
		out = append(out, append([]eventsourcing.Recorded(nil), recs...))
	}
	return out
}
