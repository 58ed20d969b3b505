package projection

import (
	"sync"

	"github.com/google/uuid"
)

// Applied tells this process's read-your-writes waiters that a projection
// run by this process's Runner has committed a stream's event, so a waiter
// learns it without asking Postgres (the checkpoint polls of the Waiter were
// ≈ 5 queries per opened service order). It remembers the recently applied
// versions, so a waiter that arrives after the event was applied needs no
// query either; what it does not know (an event applied by another process,
// or long ago) the Waiter still reads from projection_checkpoints.
type Applied struct {
	mu      sync.Mutex
	cur     map[appliedKey]int64
	prev    map[appliedKey]int64 // the generation before cur: recent memory is bounded
	waiting map[appliedKey][]*appliedWaiter
	running map[string]bool // projections a Runner of this process applies
}

type appliedKey struct {
	projection string
	stream     uuid.UUID
}

type appliedWaiter struct {
	version int64
	done    chan struct{}
}

// appliedMemory is how many (projection, stream) versions a generation keeps;
// two generations are kept (at 300 service orders/s, ≈ 20–40 s of history).
const appliedMemory = 50_000

// NewApplied returns an empty Applied.
func NewApplied() *Applied {
	return &Applied{cur: map[appliedKey]int64{}, prev: map[appliedKey]int64{},
		waiting: map[appliedKey][]*appliedWaiter{}, running: map[string]bool{}}
}

// run records that a Runner of this process applies projection name.
func (a *Applied) run(name string) {
	a.mu.Lock()
	a.running[name] = true
	a.mu.Unlock()
}

// runs says whether a Runner of this process applies projection name.
func (a *Applied) runs(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.running[name]
}

// record is called by the Runner once the checkpoint of projection at
// stream is committed at version (or was found there already).
func (a *Applied) record(projection string, stream uuid.UUID, version int64) {
	k := appliedKey{projection, stream}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cur[k] < version {
		if len(a.cur) >= appliedMemory {
			a.prev, a.cur = a.cur, make(map[appliedKey]int64, appliedMemory)
		}
		a.cur[k] = version
	}
	ws := a.waiting[k]
	if len(ws) == 0 {
		return
	}
	keep := ws[:0]
	for _, w := range ws {
		if w.version <= version {
			close(w.done)
		} else {
			keep = append(keep, w)
		}
	}
	if len(keep) == 0 {
		delete(a.waiting, k)
	} else {
		a.waiting[k] = keep
	}
}

// watch returns a channel closed once projection has applied stream at
// version; reached is true when it is already known to have. Call the
// returned stop when no longer waiting.
func (a *Applied) watch(projection string, stream uuid.UUID, version int64) (done <-chan struct{}, reached bool, stop func()) {
	k := appliedKey{projection, stream}
	a.mu.Lock()
	defer a.mu.Unlock()
	if max(a.cur[k], a.prev[k]) >= version {
		return nil, true, func() {}
	}
	w := &appliedWaiter{version: version, done: make(chan struct{})}
	a.waiting[k] = append(a.waiting[k], w)
	return w.done, false, func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		ws := a.waiting[k]
		for i, x := range ws {
			if x == w {
				ws = append(ws[:i], ws[i+1:]...)
				break
			}
		}
		if len(ws) == 0 {
			delete(a.waiting, k)
		} else {
			a.waiting[k] = ws
		}
	}
}
