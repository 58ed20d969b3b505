// Package ttlcache is a small bounded map whose entries expire, with
// generations so that a value read from the database before an invalidation
// is never cached after it.
package ttlcache

import (
	"sync"
	"time"
)

// Cache is a bounded map whose entries expire. Safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	max     int
	entries map[K]ttlEntry[V]
	// gen counts clears: a value read from the database before a clear must
	// not be cached after it (see PutIfGen).
	gen uint64
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

// New returns an empty cache of at most maxEntries entries.
func New[K comparable, V any](maxEntries int) *Cache[K, V] {
	return &Cache[K, V]{max: maxEntries, entries: make(map[K]ttlEntry[V])}
}

// Get returns the unexpired value of k.
func (c *Cache[K, V]) Get(k K, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put stores v until expires unless keep says the current (unexpired) entry
// must win; it returns the value now cached (or v when none could be).
func (c *Cache[K, V]) Put(k K, v V, expires, now time.Time, keep func(old V) bool) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.putLocked(k, v, expires, now, keep)
}

func (c *Cache[K, V]) putLocked(k K, v V, expires, now time.Time, keep func(old V) bool) V {
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
func (c *Cache[K, V]) evictLocked(now time.Time) {
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

// Generation returns the number of clears so far; pass it to PutIfGen.
func (c *Cache[K, V]) Generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// Clear drops every entry and starts a new generation.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	c.gen++
}

// PutIfGen is Put, except that nothing is stored when the cache was cleared
// since gen was taken (the value may predate what the clear stood for).
func (c *Cache[K, V]) PutIfGen(gen uint64, k K, v V, expires, now time.Time, keep func(old V) bool) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return v
	}
	return c.putLocked(k, v, expires, now, keep)
}

// Len is the number of entries, expired ones included.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
