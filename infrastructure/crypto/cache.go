package crypto

import (
	"sync"
	"time"
)

// ttlCache is a small bounded map whose entries expire. It keeps unwrapped
// keys in memory so that hot paths (projections replaying a stream) don't hit
// Postgres per field.
type ttlCache[K comparable, V any] struct {
	mu      sync.Mutex
	max     int
	entries map[K]ttlEntry[V]
	// gen counts clears: a value read from the database before a clear must
	// not be cached after it (see putIfGen).
	gen uint64
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

func newTTLCache[K comparable, V any](maxEntries int) *ttlCache[K, V] {
	return &ttlCache[K, V]{max: maxEntries, entries: make(map[K]ttlEntry[V])}
}

func (c *ttlCache[K, V]) get(k K, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put stores v until expires unless keep says the current (unexpired) entry
// must win; it returns the value now cached (or v when none could be).
func (c *ttlCache[K, V]) put(k K, v V, expires, now time.Time, keep func(old V) bool) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.putLocked(k, v, expires, now, keep)
}

func (c *ttlCache[K, V]) putLocked(k K, v V, expires, now time.Time, keep func(old V) bool) V {
	if old, ok := c.entries[k]; ok && now.Before(old.expires) && keep != nil && keep(old.v) {
		return old.v
	}
	if !now.Before(expires) {
		return v
	}
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		c.evictLocked(now)
	}
	c.entries[k] = ttlEntry[V]{v: v, expires: expires}
	return v
}

// evictLocked drops expired entries and, if still full, arbitrary ones until
// a tenth of the capacity is free (map order is random enough for a cache).
func (c *ttlCache[K, V]) evictLocked(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	target := c.max - max(c.max/10, 1)
	for k := range c.entries {
		if len(c.entries) <= target {
			break
		}
		delete(c.entries, k)
	}
}

// generation returns the number of clears so far; pass it to putIfGen.
func (c *ttlCache[K, V]) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// clear drops every entry and starts a new generation.
func (c *ttlCache[K, V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	c.gen++
}

// putIfGen is put, except that nothing is stored when the cache was cleared
// since gen was taken (the value may predate what the clear stood for).
func (c *ttlCache[K, V]) putIfGen(gen uint64, k K, v V, expires, now time.Time, keep func(old V) bool) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return v
	}
	return c.putLocked(k, v, expires, now, keep)
}

func (c *ttlCache[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
