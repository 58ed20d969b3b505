package eventsourcing

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// added is the only event of the tally aggregate used by these tests.
type added struct{ N int64 }

func (added) EventName() string { return "tally.added.v1" }

type tally struct {
	total int64
	rec   es.Recorder
}

func blankTally(uuid.UUID) *tally {
	t := &tally{}
	t.rec = es.NewRecorder(t.Apply)
	return t
}

func (t *tally) Apply(e es.Event)       { t.total += e.(added).N }
func (t *tally) Recorder() *es.Recorder { return &t.rec }

// memStore is an in-memory EventStore with the optimistic concurrency of the
// real one. beforeAppend, when set, runs before each append is checked; the
// tests use it to slip in a rival writer's event.
type memStore struct {
	mu           sync.Mutex
	streams      map[uuid.UUID][]Recorded
	loads        atomic.Int64
	appends      atomic.Int64
	beforeAppend func(ref StreamRef)
}

func newMemStore() *memStore { return &memStore{streams: map[uuid.UUID][]Recorded{}} }

func (s *memStore) Load(_ context.Context, ref StreamRef) ([]Recorded, error) {
	s.loads.Add(1)
	runtime.Gosched() // widen the load → append window that queueing must close
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.streams[ref.ID]...), nil
}

func (s *memStore) Append(_ context.Context, ref StreamRef, expected int64, events []es.Event) (AppendResult, error) {
	s.appends.Add(1)
	if s.beforeAppend != nil {
		s.beforeAppend(ref)
	}
	return s.append(ref, expected, events)
}

func (s *memStore) append(ref StreamRef, expected int64, events []es.Event) (AppendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.streams[ref.ID]
	if int64(len(cur)) != expected {
		return AppendResult{}, &VersionConflictError{Stream: ref, Expected: expected}
	}
	res := AppendResult{Stream: ref, FromVersion: expected + 1}
	for _, e := range events {
		rec := Recorded{Stream: ref, Version: int64(len(cur)) + 1, Type: e.EventName(), Event: e}
		cur = append(cur, rec)
		res.Events = append(res.Events, rec)
	}
	s.streams[ref.ID] = cur
	res.ToVersion = int64(len(cur))
	return res, nil
}

// rival appends an event as another process would, bypassing the repository.
func (s *memStore) rival(ref StreamRef, n int64) {
	s.mu.Lock()
	v := int64(len(s.streams[ref.ID]))
	s.mu.Unlock()
	if _, err := s.append(ref, v, []es.Event{added{N: n}}); err != nil {
		panic(err)
	}
}

func (s *memStore) version(id uuid.UUID) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.streams[id]))
}

// seeded returns a repository over a store holding one stream at version 1.
func seeded(t *testing.T) (*Repository[*tally], *memStore, uuid.UUID) {
	t.Helper()
	store := newMemStore()
	repo := NewRepository(store, "tally", blankTally)
	id := uuid.New()
	a := blankTally(id)
	a.rec.Record(added{N: 1})
	if _, err := repo.Create(context.Background(), id, a); err != nil {
		t.Fatal(err)
	}
	store.loads.Store(0)
	store.appends.Store(0)
	return repo, store, id
}

// add returns a command adding n that counts its runs and remembers the
// total it saw.
func add(n int64, runs *atomic.Int64, saw *atomic.Int64) func(*tally) error {
	return func(t *tally) error {
		runs.Add(1)
		if saw != nil {
			saw.Store(t.total)
		}
		t.rec.Record(added{N: n})
		return nil
	}
}

func TestUpdate_RetryOnConflictRunsTheCommandAgainAndSucceeds(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	var rivals atomic.Int64
	store.beforeAppend = func(ref StreamRef) {
		if rivals.Add(1) == 1 {
			store.rival(ref, 5)
		}
	}
	var runs, saw atomic.Int64
	res, err := repo.Update(context.Background(), id, add(10, &runs, &saw), RetryOnConflict())
	if err != nil {
		t.Fatal(err)
	}
	if runs.Load() != 2 || store.appends.Load() != 2 {
		t.Fatalf("command ran %d times, %d appends; want 2 of each", runs.Load(), store.appends.Load())
	}
	if saw.Load() != 6 {
		t.Fatalf("the retried command saw total %d, want 6 (it must reload the rival's event)", saw.Load())
	}
	if res.FromVersion != 3 || res.ToVersion != 3 || store.version(id) != 3 {
		t.Fatalf("result %+v, stream at %d; want the command's event as version 3", res, store.version(id))
	}
}

func TestUpdate_ConflictWithoutRetryIsReturned(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	store.beforeAppend = func(ref StreamRef) { store.rival(ref, 5) }
	var runs atomic.Int64
	_, err := repo.Update(context.Background(), id, add(10, &runs, nil))
	var vc *VersionConflictError
	if !errors.As(err, &vc) || !errors.Is(err, errs.ErrConflict) || vc.Expected != 1 {
		t.Fatalf("err = %v, want a *VersionConflictError at expected version 1", err)
	}
	if runs.Load() != 1 || store.appends.Load() != 1 {
		t.Fatalf("command ran %d times, %d appends; want 1 of each", runs.Load(), store.appends.Load())
	}
}

func TestUpdate_ExpectVersionConflictIsNotRetried(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	store.beforeAppend = func(ref StreamRef) { store.rival(ref, 5) }
	var runs atomic.Int64
	// RetryOnConflict is ignored: the caller's decision rested on version 1.
	_, err := repo.Update(context.Background(), id, add(10, &runs, nil), ExpectVersion(1), RetryOnConflict())
	var vc *VersionConflictError
	if !errors.As(err, &vc) || !errors.Is(err, errs.ErrPreconditionFailed) {
		t.Fatalf("err = %v, want a *VersionConflictError that is also ErrPreconditionFailed", err)
	}
	if runs.Load() != 1 || store.appends.Load() != 1 {
		t.Fatalf("command ran %d times, %d appends; want 1 of each", runs.Load(), store.appends.Load())
	}
	if store.version(id) != 2 {
		t.Fatalf("stream at %d, want only the rival's event stored", store.version(id))
	}
}

func TestUpdate_StaleExpectedVersionFailsBeforeTheCommand(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	var runs atomic.Int64
	_, err := repo.Update(context.Background(), id, add(10, &runs, nil), ExpectVersion(7))
	if !errors.Is(err, errs.ErrPreconditionFailed) || IsVersionConflict(err) {
		t.Fatalf("err = %v, want ErrPreconditionFailed without an append conflict", err)
	}
	if runs.Load() != 0 || store.appends.Load() != 0 {
		t.Fatalf("command ran %d times, %d appends; want none", runs.Load(), store.appends.Load())
	}
}

func TestUpdate_RetriesGiveUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	repo.MaxAttempts = 4
	store.beforeAppend = func(ref StreamRef) { store.rival(ref, 1) }
	var runs atomic.Int64
	_, err := repo.Update(context.Background(), id, add(10, &runs, nil), RetryOnConflict())
	var vc *VersionConflictError
	if !errors.As(err, &vc) {
		t.Fatalf("err = %v, want the last *VersionConflictError", err)
	}
	if runs.Load() != 4 || store.appends.Load() != 4 {
		t.Fatalf("command ran %d times, %d appends; want MaxAttempts (4) of each", runs.Load(), store.appends.Load())
	}
}

func TestUpdate_CommandErrorOrNoEventsStoresNothing(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	refused := errors.New("refused")
	if _, err := repo.Update(context.Background(), id, func(*tally) error { return refused }, RetryOnConflict()); !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the command's error", err)
	}
	res, err := repo.Update(context.Background(), id, func(*tally) error { return nil })
	if err != nil || res.FromVersion != 1 || res.ToVersion != 1 {
		t.Fatalf("no-op update = %+v, %v; want the current version 1", res, err)
	}
	if store.appends.Load() != 0 {
		t.Fatalf("%d appends, want none", store.appends.Load())
	}
	if _, err := repo.Update(context.Background(), uuid.New(), func(*tally) error { return nil }); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("update of a missing stream: err = %v, want ErrNotFound", err)
	}
}

func TestUpdate_QueuesCommandsOnOneStreamInProcess(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	started, release := make(chan struct{}), make(chan struct{})
	var runs atomic.Int64
	first := make(chan error, 1)
	go func() {
		_, err := repo.Update(context.Background(), id, func(a *tally) error {
			close(started)
			<-release
			return add(10, &runs, nil)(a)
		})
		first <- err
	}()
	<-started

	second := make(chan error, 1)
	go func() {
		_, err := repo.Update(context.Background(), id, add(100, &runs, nil))
		second <- err
	}()
	// Another stream is not held up by the busy one.
	other := uuid.New()
	o := blankTally(other)
	o.rec.Record(added{N: 1})
	if _, err := repo.Create(context.Background(), other, o); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Update(context.Background(), other, add(1, new(atomic.Int64), nil)); err != nil {
		t.Fatalf("update of another stream while one is busy: %v", err)
	}
	// The second writer on the busy stream waits before loading.
	time.Sleep(20 * time.Millisecond)
	if n := store.loads.Load(); n != 2 {
		t.Fatalf("%d loads while the first command runs, want 2 (it and the other stream's)", n)
	}
	select {
	case err := <-second:
		t.Fatalf("second writer finished while the first held the stream: %v", err)
	default:
	}

	close(release)
	// Neither asked for retries: queued, the second never conflicts.
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if store.version(id) != 3 || runs.Load() != 2 {
		t.Fatalf("stream at %d after %d runs, want 3 after 2", store.version(id), runs.Load())
	}
	assertNoLocksHeld(t, repo)
}

func TestUpdate_ConcurrentWritersOnOneStreamNeverConflict(t *testing.T) {
	t.Parallel()
	repo, store, id := seeded(t)
	const writers = 40
	var runs atomic.Int64
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			if _, err := repo.Update(context.Background(), id, add(1, &runs, nil)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if store.version(id) != writers+1 || runs.Load() != writers {
		t.Fatalf("stream at %d after %d runs, want %d after %d", store.version(id), runs.Load(), writers+1, writers)
	}
	assertNoLocksHeld(t, repo)
}

func TestUpdate_WaitingForABusyStreamHonoursTheContext(t *testing.T) {
	t.Parallel()
	repo, _, id := seeded(t)
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := repo.Update(context.Background(), id, func(*tally) error { close(started); <-release; return nil })
		done <- err
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	var runs atomic.Int64
	if _, err := repo.Update(ctx, id, add(1, &runs, nil)); !errors.Is(err, context.DeadlineExceeded) || runs.Load() != 0 {
		t.Fatalf("err = %v after %d runs, want the deadline before any run", err, runs.Load())
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	assertNoLocksHeld(t, repo)
}

// assertNoLocksHeld checks the per-stream queue forgot every idle stream.
func assertNoLocksHeld(t *testing.T, repo *Repository[*tally]) {
	t.Helper()
	repo.streams.mu.Lock()
	defer repo.streams.mu.Unlock()
	if n := len(repo.streams.locks); n != 0 {
		t.Fatalf("%d stream locks left after every writer finished", n)
	}
}
