package eventsourcing

import (
	"context"
	"sync"

	"github.com/google/uuid"
)

// keyedMutex serialises work per key within one process and forgets keys
// nobody holds, so memory stays bounded by the number of busy streams.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[uuid.UUID]*keyedEntry
}

type keyedEntry struct {
	ch   chan struct{}
	refs int
}

// lock waits for key (or ctx) and returns the unlock function.
func (k *keyedMutex) lock(ctx context.Context, key uuid.UUID) (func(), error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[uuid.UUID]*keyedEntry{}
	}
	e, ok := k.locks[key]
	if !ok {
		e = &keyedEntry{ch: make(chan struct{}, 1)}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()

	release := func() {
		k.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
	select {
	case e.ch <- struct{}{}:
		return func() { <-e.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
