package ory

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque/application/identity"
)

// fakeClock is a manual clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testSession(id, identityID string, expires time.Time) identity.Session {
	return identity.Session{ID: id, Identity: identity.Identity{ID: identityID, Active: true}, ExpiresAt: expires}
}

func TestSessionCache_Get_expiresAfterTTL(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c := newSessionCache(30*time.Second, 10, clock.Now)
	k := sessionKey(kindToken, "secret")
	c.put(k, testSession("s1", "i1", clock.Now().Add(24*time.Hour)))

	clock.Advance(29 * time.Second)
	if s, ok := c.get(k); !ok || s.ID != "s1" {
		t.Fatalf("before TTL: got %v, %v", s, ok)
	}
	clock.Advance(time.Second)
	if _, ok := c.get(k); ok {
		t.Fatal("at TTL: still cached")
	}
	if c.len() != 0 {
		t.Fatalf("expired entry not dropped: len %d", c.len())
	}
}

func TestSessionCache_Put_neverOutlivesTheSession(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c := newSessionCache(30*time.Second, 10, clock.Now)
	k := sessionKey(kindToken, "secret")
	c.put(k, testSession("s1", "i1", clock.Now().Add(5*time.Second)))
	clock.Advance(5 * time.Second)
	if _, ok := c.get(k); ok {
		t.Fatal("served a session past its own expiry")
	}

	// An already expired session is not cached at all.
	c.put(k, testSession("s2", "i1", clock.Now().Add(-time.Second)))
	if c.len() != 0 {
		t.Fatalf("cached an expired session: len %d", c.len())
	}
}

func TestSessionCache_Put_evictsOldestWhenFull(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	const size = 3
	c := newSessionCache(time.Minute, size, clock.Now)
	exp := clock.Now().Add(time.Hour)
	for i := range 5 {
		c.put(sessionKey(kindToken, fmt.Sprint("t", i)), testSession(fmt.Sprint("s", i), "i", exp))
		if c.len() > size {
			t.Fatalf("len %d > bound %d", c.len(), size)
		}
	}
	for i := range 5 {
		_, ok := c.get(sessionKey(kindToken, fmt.Sprint("t", i)))
		if want := i >= 5-size; ok != want {
			t.Errorf("entry %d cached = %v, want %v", i, ok, want)
		}
	}

	// Re-putting an existing key refreshes it instead of growing the cache.
	c.put(sessionKey(kindToken, "t2"), testSession("s2b", "i", exp))
	c.put(sessionKey(kindToken, "t5"), testSession("s5", "i", exp))
	if _, ok := c.get(sessionKey(kindToken, "t2")); !ok {
		t.Error("refreshed entry was evicted as if it were the oldest")
	}
	if _, ok := c.get(sessionKey(kindToken, "t3")); ok {
		t.Error("oldest entry t3 not evicted")
	}
}

func TestSessionKey_hashesKindAndSecret(t *testing.T) {
	t.Parallel()
	const secret = "ory_st_abcdefghijklmnopqrstuvwxyz012345"
	k := sessionKey(kindToken, secret)
	if want := sha256.Sum256([]byte(kindToken + "\x00" + secret)); k != cacheKey(want) {
		t.Fatal("key is not SHA-256(kind NUL secret)")
	}
	if bytes.Contains(k[:], []byte(secret[:8])) {
		t.Fatal("key contains the secret")
	}
	if k == sessionKey(kindCookie, secret) {
		t.Fatal("a token and a cookie with the same bytes share a key")
	}
	if k != sessionKey(kindToken, secret) {
		t.Fatal("key not deterministic")
	}
	if k == sessionKey(kindToken, secret+"x") {
		t.Fatal("different secrets share a key")
	}
}

func TestSessionCache_removeAndRemoveIdentity(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c := newSessionCache(time.Minute, 10, clock.Now)
	exp := clock.Now().Add(time.Hour)
	a1, a2, b := sessionKey(kindToken, "a1"), sessionKey(kindCookie, "a2"), sessionKey(kindToken, "b")
	c.put(a1, testSession("s-a1", "alice", exp))
	c.put(a2, testSession("s-a2", "alice", exp))
	c.put(b, testSession("s-b", "bob", exp))

	c.removeIdentity("alice")
	if _, ok := c.get(a1); ok {
		t.Error("alice's token session survived removeIdentity")
	}
	if _, ok := c.get(a2); ok {
		t.Error("alice's cookie session survived removeIdentity")
	}
	if _, ok := c.get(b); !ok {
		t.Error("bob's session removed with alice's")
	}
	c.remove(b)
	if c.len() != 0 {
		t.Fatalf("len %d after removing everything", c.len())
	}
}

func TestSessionCache_disabled(t *testing.T) {
	t.Parallel()
	c := newSessionCache(-1, 10, time.Now)
	if c != nil {
		t.Fatal("negative TTL should disable the cache")
	}
	k := sessionKey(kindToken, "x")
	c.put(k, testSession("s", "i", time.Now().Add(time.Hour)))
	if _, ok := c.get(k); ok {
		t.Fatal("disabled cache returned an entry")
	}
	c.remove(k)
	c.removeIdentity("i")
}

func TestSessionCache_concurrentUse(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c := newSessionCache(time.Minute, 50, clock.Now)
	exp := clock.Now().Add(time.Hour)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				k := sessionKey(kindToken, fmt.Sprint(g, "-", i%80))
				c.put(k, testSession("s", fmt.Sprint("i", i%7), exp))
				c.get(k)
				if i%50 == 0 {
					c.removeIdentity("i3")
					clock.Advance(time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	if c.len() > 50 {
		t.Fatalf("len %d exceeds bound", c.len())
	}
}
