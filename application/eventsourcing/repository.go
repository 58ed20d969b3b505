package eventsourcing

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// Repository loads and saves one aggregate type through an EventStore.
type Repository[A es.Aggregate] struct {
	store      EventStore
	streamType string
	blank      func(id uuid.UUID) A
	// MaxAttempts bounds retries on conflict for commands that allow them.
	MaxAttempts int
	// streams serialises commands on one stream inside this process: writers
	// queue instead of loading, colliding and retrying. Other processes are
	// still kept honest by the store's optimistic concurrency.
	streams keyedMutex
}

// NewRepository builds a repository; blank returns an empty aggregate ready to
// have events applied.
func NewRepository[A es.Aggregate](store EventStore, streamType string, blank func(id uuid.UUID) A) *Repository[A] {
	return &Repository[A]{store: store, streamType: streamType, blank: blank, MaxAttempts: 200}
}

// StreamType returns the stream type this repository stores.
func (r *Repository[A]) StreamType() string { return r.streamType }

// Load rebuilds the aggregate; errs.ErrNotFound when it has no events.
func (r *Repository[A]) Load(ctx context.Context, id uuid.UUID) (A, error) {
	ref := StreamRef{Type: r.streamType, ID: id}
	recs, err := r.store.Load(ctx, ref)
	if err != nil {
		var zero A
		return zero, err
	}
	if len(recs) == 0 {
		var zero A
		return zero, fmt.Errorf("%s %s: %w", r.streamType, id, errs.ErrNotFound)
	}
	a := r.blank(id)
	for _, rec := range recs {
		a.Apply(rec.Event)
		a.Recorder().Replayed(rec.Version)
	}
	return a, nil
}

// EventTypes returns the types of the aggregate's events in version order
// (none when it does not exist), without decoding them when the store is an
// EventTypeLister.
func (r *Repository[A]) EventTypes(ctx context.Context, id uuid.UUID) ([]string, error) {
	ref := StreamRef{Type: r.streamType, ID: id}
	if l, ok := r.store.(EventTypeLister); ok {
		return l.EventTypes(ctx, ref)
	}
	recs, err := r.store.Load(ctx, ref)
	if err != nil {
		return nil, err
	}
	types := make([]string, len(recs))
	for i, rec := range recs {
		types[i] = rec.Type
	}
	return types, nil
}

// Create stores a new aggregate's recorded events; a stream that already
// exists is a conflict.
func (r *Repository[A]) Create(ctx context.Context, id uuid.UUID, a A) (AppendResult, error) {
	events := a.Recorder().PopEvents()
	if len(events) == 0 {
		return AppendResult{}, errors.New("create: aggregate recorded no events")
	}
	return r.store.Append(ctx, StreamRef{Type: r.streamType, ID: id}, 0, events)
}

// Pending returns what a loaded aggregate recorded and forgets it, for a
// store that appends it together with other streams (see
// NumberedAppender.AppendNumberedWith); its expected version is the one the
// aggregate was loaded at.
func (r *Repository[A]) Pending(id uuid.UUID, a A) Pending {
	return Pending{Stream: StreamRef{Type: r.streamType, ID: id}, ExpectedVersion: a.Recorder().Version(),
		Events: a.Recorder().PopEvents()}
}

// UpdateOption tunes Update.
type UpdateOption func(*updateOptions)

type updateOptions struct {
	retry           bool
	expectedVersion int64
	hasExpected     bool
}

// RetryOnConflict re-runs load → command → save when another writer got in
// first. Use it only for commands whose decision does not depend on what the
// caller saw (e.g. adding a note), never together with ExpectVersion.
func RetryOnConflict() UpdateOption { return func(o *updateOptions) { o.retry = true } }

// ExpectVersion fails with errs.ErrPreconditionFailed unless the aggregate is
// at version v when loaded (HTTP If-Match).
func ExpectVersion(v int64) UpdateOption {
	return func(o *updateOptions) { o.expectedVersion, o.hasExpected = v, true }
}

// Update loads the aggregate, runs command and saves what it recorded.
// WARNING: command may run more than once when RetryOnConflict is set, so it
// must have no side effects outside the aggregate.
func (r *Repository[A]) Update(ctx context.Context, id uuid.UUID, command func(A) error, opts ...UpdateOption) (AppendResult, error) {
	var o updateOptions
	for _, opt := range opts {
		opt(&o)
	}
	attempts := 1
	if o.retry && !o.hasExpected {
		attempts = r.MaxAttempts
	}
	unlock, err := r.streams.lock(ctx, id)
	if err != nil {
		return AppendResult{}, err
	}
	defer unlock()
	var lastErr error
	for attempt := 0; attempt < attempts; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return AppendResult{}, errors.Join(lastErr, err)
			}
		}
		a, err := r.Load(ctx, id)
		if err != nil {
			return AppendResult{}, err
		}
		version := a.Recorder().Version()
		if o.hasExpected && version != o.expectedVersion {
			return AppendResult{}, fmt.Errorf("%s %s is at version %d, not %d: %w",
				r.streamType, id, version, o.expectedVersion, errs.ErrPreconditionFailed)
		}
		if err := command(a); err != nil {
			return AppendResult{}, err
		}
		events := a.Recorder().PopEvents()
		if len(events) == 0 {
			return AppendResult{Stream: StreamRef{Type: r.streamType, ID: id}, FromVersion: version, ToVersion: version}, nil
		}
		res, err := r.store.Append(ctx, StreamRef{Type: r.streamType, ID: id}, version, events)
		if err == nil {
			return res, nil
		}
		if !IsVersionConflict(err) {
			return AppendResult{}, err
		}
		if o.hasExpected {
			return AppendResult{}, fmt.Errorf("%w: %w", errs.ErrPreconditionFailed, err)
		}
		lastErr = err
	}
	return AppendResult{}, lastErr
}

// backoff waits a jittered, growing delay so that contending writers spread out
// instead of colliding again in lockstep.
func backoff(ctx context.Context, attempt int) error {
	ceiling := time.Duration(1<<min(attempt, 6)) * 250 * time.Microsecond
	d := time.Duration(rand.Int64N(int64(ceiling)) + 1) //nolint:gosec // jitter, not a secret
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
