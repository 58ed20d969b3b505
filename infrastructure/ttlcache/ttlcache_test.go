package ttlcache

import (
	"testing"
	"time"
)

func TestCache_expiresAndBounds(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	c := New[int, string](10)
	c.Put(1, "a", now.Add(time.Minute), now, nil)
	if v, ok := c.Get(1, now.Add(59*time.Second)); !ok || v != "a" {
		t.Fatal("entry missing before expiry")
	}
	if _, ok := c.Get(1, now.Add(time.Minute)); ok {
		t.Fatal("entry alive at expiry")
	}
	if got := c.Put(1, "b", now.Add(time.Minute), now, func(old string) bool { return old == "a" }); got != "a" {
		t.Fatalf("keep ignored: %q", got)
	}
	for i := range 100 {
		c.Put(i, "x", now.Add(time.Minute), now, nil)
	}
	if n := c.Len(); n > 10 {
		t.Fatalf("cache holds %d entries, cap 10", n)
	}
	c.Put(500, "late", now, now, nil) // already expired: not stored
	if _, ok := c.Get(500, now); ok {
		t.Fatal("expired entry stored")
	}
}

func TestCache_aValueReadBeforeAClearIsNotCachedAfterIt(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	c := New[string, int](10)
	c.Put("a", 1, now.Add(time.Minute), now, nil)
	gen := c.Generation()
	c.Clear()
	if _, ok := c.Get("a", now); ok {
		t.Fatal("entry survived Clear")
	}
	c.PutIfGen(gen, "a", 1, now.Add(time.Minute), now, nil)
	if _, ok := c.Get("a", now); ok {
		t.Fatal("a value read before the clear was cached after it")
	}
	c.PutIfGen(c.Generation(), "a", 2, now.Add(time.Minute), now, nil)
	if v, ok := c.Get("a", now); !ok || v != 2 {
		t.Fatalf("a value read after the clear: %d, %v", v, ok)
	}
}
