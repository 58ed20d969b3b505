package httpapi

import (
	"context"
	"sync"
	"time"
)

// RateLimiter is a fixed-window counter per key. With a SharedCounter (see
// NewSharedRateLimiter) every API process counts in one place, so N replicas
// do not multiply the limit; without one (or while the shared counter cannot
// be reached) it counts in this process's memory.
type RateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	hits   map[string]*window
	now    func() time.Time
	sweep  time.Time
	name   string
	shared SharedCounter
}

// SharedCounter counts attempts across every process (the database). Hit
// records one attempt of key and returns the attempts counted within the last
// window length (a sliding-window estimate, so a burst straddling a window
// boundary is not let through twice the limit).
type SharedCounter interface {
	Hit(ctx context.Context, key string, window time.Duration) (int, error)
}

// NewSharedRateLimiter is NewRateLimiter counting in shared; name keeps its
// keys apart from other limiters'.
func NewSharedRateLimiter(name string, limit int, per time.Duration, shared SharedCounter) *RateLimiter {
	l := NewRateLimiter(limit, per)
	l.name, l.shared = name, shared
	return l
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
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		n, err := l.shared.Hit(ctx, l.name+"\x00"+key, l.window)
		cancel()
		if err == nil {
			return n <= l.limit
		}
		// The shared counter is unreachable: still limit, per process.
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

// Window is the length of the limiter's counting window (the longest a
// refused client must wait: the Retry-After of a 429).
func (l *RateLimiter) Window() time.Duration {
	if l == nil {
		return 0
	}
	return l.window
}

// RateLimits groups the limiters of the abuse-prone endpoints. The same
// limits serve the API and the back office's forms (interfaces/web), so a
// client gains nothing by switching between them.
type RateLimits struct {
	LoginPerIP, LoginPerIdentifier   *RateLimiter
	SignupPerIP, SignupPerIdentifier *RateLimiter
	// InvitePerInviter counts the invitations (staff, franchise managers)
	// one person sends; InvitePerAddress those one address receives.
	InvitePerInviter, InvitePerAddress *RateLimiter
	// FeedbackPerIP and FeedbackPerToken count the posts to the public
	// feedback and unsubscribe links (/f/, /u/, /api/v1/feedback/...).
	FeedbackPerIP, FeedbackPerToken *RateLimiter
}

// DefaultRateLimits are generous for people and tight for scripts.
func DefaultRateLimits() RateLimits { return SharedRateLimits(nil) }

// SharedRateLimits are DefaultRateLimits counted in shared by every API
// process (nil: per process).
func SharedRateLimits(shared SharedCounter) RateLimits {
	mk := func(name string, limit int, per time.Duration) *RateLimiter {
		if shared == nil {
			return NewRateLimiter(limit, per)
		}
		return NewSharedRateLimiter(name, limit, per, shared)
	}
	return RateLimits{
		LoginPerIP:          mk("login-ip", 60, time.Minute),
		LoginPerIdentifier:  mk("login-id", 10, time.Minute),
		SignupPerIP:         mk("signup-ip", 30, 10*time.Minute),
		SignupPerIdentifier: mk("signup-id", 5, 10*time.Minute),
		InvitePerInviter:    mk("invite-by", 30, time.Hour),
		InvitePerAddress:    mk("invite-to", 5, time.Hour),
		FeedbackPerIP:       mk("feedback-ip", 30, 10*time.Minute),
		FeedbackPerToken:    mk("feedback-token", 10, 10*time.Minute),
	}
}
