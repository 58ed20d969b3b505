package ory

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/torquehq/torque/application/identity"
)

// cacheKey is the SHA-256 of a credential: the cache never holds a raw token or
// cookie, so a heap dump does not hand out sessions.
type cacheKey [sha256.Size]byte

// Credential kinds, hashed into the key so a token and a cookie with the same
// bytes can never share an entry.
const (
	kindToken  = "token"
	kindCookie = "cookie"
)

func sessionKey(kind, secret string) cacheKey {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	var k cacheKey
	h.Sum(k[:0])
	return k
}

type cacheEntry struct {
	key     cacheKey
	session identity.Session
	expires time.Time
}

// sessionCache remembers validated sessions for a short TTL, bounded in size:
// inserting into a full cache evicts the oldest insertion. Safe for concurrent use.
// A nil *sessionCache is a valid, always-empty cache (caching disabled).
type sessionCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	order *list.List // of *cacheEntry, newest at the front
	byKey map[cacheKey]*list.Element
}

func newSessionCache(ttl time.Duration, maxEntries int, now func() time.Time) *sessionCache {
	if ttl <= 0 || maxEntries <= 0 {
		return nil
	}
	return &sessionCache{
		ttl: ttl, max: maxEntries, now: now,
		order: list.New(), byKey: make(map[cacheKey]*list.Element),
	}
}

// get returns the cached session for key unless it has expired.
func (c *sessionCache) get(key cacheKey) (identity.Session, bool) {
	if c == nil {
		return identity.Session{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return identity.Session{}, false
	}
	e := el.Value.(*cacheEntry)
	if !c.now().Before(e.expires) {
		c.removeLocked(el)
		return identity.Session{}, false
	}
	return e.session, true
}

// put caches s for the TTL, or until the session itself expires if that is sooner.
func (c *sessionCache) put(key cacheKey, s identity.Session) {
	if c == nil {
		return
	}
	now := c.now()
	expires := now.Add(c.ttl)
	if !s.ExpiresAt.IsZero() && s.ExpiresAt.Before(expires) {
		expires = s.ExpiresAt
	}
	if !now.Before(expires) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.removeLocked(el)
	}
	for c.order.Len() >= c.max {
		c.removeLocked(c.order.Back())
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, session: s, expires: expires})
}

// remove forgets key.
func (c *sessionCache) remove(key cacheKey) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.removeLocked(el)
	}
}

// removeIdentity forgets every session of the identity. It scans the whole cache
// (at most max entries, microseconds) and is called only by admin operations.
func (c *sessionCache) removeIdentity(identityID string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*cacheEntry).session.Identity.ID == identityID {
			c.removeLocked(el)
		}
		el = next
	}
}

func (c *sessionCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *sessionCache) removeLocked(el *list.Element) {
	delete(c.byKey, el.Value.(*cacheEntry).key)
	c.order.Remove(el)
}
