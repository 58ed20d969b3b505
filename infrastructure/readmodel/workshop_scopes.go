package readmodel

import (
	"context"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/workshop"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/ttlcache"
)

// WorkshopScopesChannel is the NOTIFY channel on which every change to the
// workshops or memberships tables announces itself (migration 0021).
const WorkshopScopesChannel = "torque_workshop_scopes_changed"

// Defaults of CachedWorkshopScopes.
const (
	DefaultScopeTTL     = 30 * time.Second
	DefaultScopeEntries = 10_000
)

// CachedWorkshopScopes answers the workshop scoping of every API and back
// office request (the workshop and the caller's role there) from memory, so
// that a request spends no round trip on it (issue 15: one of the customer
// 360's three).
//
// Every process's cache is dropped whole by any change to the workshops or
// memberships tables, heard on WorkshopScopesChannel within a NOTIFY's
// latency; entries are used only while that listener is connected (before its
// first LISTEN and while it reconnects every request reads the table). In
// the process that made a change, Consistency drops the cache as soon as the
// change is projected, before the command answers, so the next request of any
// client sees it. TTL bounds an entry's life whatever happens.
type CachedWorkshopScopes struct {
	dir   *PostgresWorkshopDirectory
	cache *ttlcache.Cache[scopeKey, scopeValue]
	ttl   time.Duration
	now   func() time.Time
	live  atomic.Bool
	hits  atomic.Int64
	reads atomic.Int64
}

type scopeKey struct{ slug, identityID string }

type scopeValue struct {
	workshop workshops.WorkshopView
	role     string
}

// NewCachedWorkshopScopes caches dir's scopes for ttl, at most maxEntries of
// them (0: the defaults). Run must be running for the cache to be used.
func NewCachedWorkshopScopes(dir *PostgresWorkshopDirectory, ttl time.Duration, maxEntries int) *CachedWorkshopScopes {
	if ttl <= 0 {
		ttl = DefaultScopeTTL
	}
	if maxEntries <= 0 {
		maxEntries = DefaultScopeEntries
	}
	return &CachedWorkshopScopes{dir: dir, cache: ttlcache.New[scopeKey, scopeValue](maxEntries), ttl: ttl, now: time.Now}
}

// Scope implements session.WorkshopScopes: PostgresWorkshopDirectory.Scope,
// from memory when it can be. Only found scopes are cached: a workshop
// created or joined a moment ago is never refused from memory.
func (c *CachedWorkshopScopes) Scope(ctx context.Context, slug, identityID string) (workshops.WorkshopView, string, error) {
	if !c.live.Load() {
		c.reads.Add(1)
		return c.dir.Scope(ctx, slug, identityID)
	}
	k := scopeKey{slug: slug, identityID: identityID}
	if v, ok := c.cache.Get(k, c.now()); ok {
		c.hits.Add(1)
		return v.copy()
	}
	// Taken before the read: a change heard while it runs keeps its
	// (possibly older) answer out of the cache.
	gen := c.cache.Generation()
	c.reads.Add(1)
	ws, role, err := c.dir.Scope(ctx, slug, identityID)
	if err != nil {
		return ws, role, err
	}
	now := c.now()
	v := scopeValue{workshop: ws, role: role}
	c.cache.PutIfGen(gen, k, v, now.Add(c.ttl), now, nil)
	return v.copy()
}

// copy keeps callers from sharing the cached profile's slice.
func (v scopeValue) copy() (workshops.WorkshopView, string, error) {
	ws := v.workshop
	ws.Profile.BusinessHours = slices.Clone(ws.Profile.BusinessHours)
	return ws, v.role, nil
}

// Invalidate drops every cached scope.
func (c *CachedWorkshopScopes) Invalidate() { c.cache.Clear() }

// Live reports whether the listener is connected (and the cache in use).
func (c *CachedWorkshopScopes) Live() bool { return c.live.Load() }

// Stats returns how many scopes were answered from memory and how many read
// the table.
func (c *CachedWorkshopScopes) Stats() (hits, reads int64) { return c.hits.Load(), c.reads.Load() }

// Run listens for scope changes until ctx ends, reconnecting when the
// connection drops; the cache is used only while it is connected.
func (c *CachedWorkshopScopes) Run(ctx context.Context, log *slog.Logger) {
	postgres.Listener{
		Pool: c.dir.pool, Channel: WorkshopScopesChannel, Name: "torque workshop scopes listener", Log: log,
		// Changes made before LISTEN may have gone unheard.
		Listening: func() { c.cache.Clear(); c.live.Store(true) },
		Lost:      func(error) { c.live.Store(false); c.cache.Clear() },
		Notified:  func(string) { c.cache.Clear() },
	}.Run(ctx)
}

// Consistency wraps a read-your-writes waiter: once a command on a workshop
// stream (a member invited, removed or given another role, the plan, the
// second-factor policy) has been projected, this process's cache is dropped
// before the command answers, rather than when the NOTIFY arrives a moment
// later; a scope read before the projection committed is then never cached
// (the generation it was read under has ended).
func (c *CachedWorkshopScopes) Consistency(inner eventsourcing.Consistency) eventsourcing.Consistency {
	return scopeConsistency{inner: inner, scopes: c}
}

type scopeConsistency struct {
	inner  eventsourcing.Consistency
	scopes *CachedWorkshopScopes
}

func (s scopeConsistency) AwaitProjections(ctx context.Context, res eventsourcing.AppendResult) error {
	err := s.inner.AwaitProjections(ctx, res)
	if res.Stream.Type == workshop.StreamType {
		s.scopes.Invalidate()
	}
	return err
}
