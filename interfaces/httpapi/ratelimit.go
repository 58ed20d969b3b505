package httpapi

import (
	"sync"
	"time"
)

// RateLimiter is a fixed-window counter per key, kept in memory. Each API
// process limits on its own; behind N replicas the effective limit is N times
// higher, which is acceptable for abuse protection (not for quotas).
type RateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	hits   map[string]*window
	now    func() time.Time
	sweep  time.Time
}

type window struct {
	start time.Time
	count int
}

// NewRateLimiter allows limit events per key per window.
func NewRateLimiter(limit int, per time.Duration) *RateLimiter {
	return &RateLimiter{limit: limit, window: per, hits: map[string]*window{}, now: time.Now}
}

// Allow records an attempt for key and reports whether it is within the limit.
func (l *RateLimiter) Allow(key string) bool {
	if l == nil || l.limit <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.sweep) > l.window {
		for k, w := range l.hits {
			if now.Sub(w.start) >= l.window {
				delete(l.hits, k)
			}
		}
		l.sweep = now
	}
	w, ok := l.hits[key]
	if !ok || now.Sub(w.start) >= l.window {
		w = &window{start: now}
		l.hits[key] = w
	}
	w.count++
	return w.count <= l.limit
}

// RateLimits groups the limiters of the abuse-prone endpoints.
type RateLimits struct {
	LoginPerIP, LoginPerIdentifier   *RateLimiter
	SignupPerIP, SignupPerIdentifier *RateLimiter
}

// DefaultRateLimits are generous for people and tight for scripts.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		LoginPerIP:          NewRateLimiter(60, time.Minute),
		LoginPerIdentifier:  NewRateLimiter(10, time.Minute),
		SignupPerIP:         NewRateLimiter(30, 10*time.Minute),
		SignupPerIdentifier: NewRateLimiter(5, 10*time.Minute),
	}
}
