package crypto

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

// shredChannel is the Postgres NOTIFY channel on which a shred announces the
// erased subject to every process (payload: "<tenant>/<subject>").
const shredChannel = "torque_subject_key_shredded"

// shredListenerName is the listener connection's application_name (it shows
// in pg_stat_activity).
const shredListenerName = "torque shred listener"

const notifyShredSQL = `SELECT pg_notify($1, $2)`

// shredListenerRetry is the pause before reconnecting a lost listener; while
// it is down the cache is bypassed, so only latency suffers.
const shredListenerRetry = time.Second

// shredListenerProbe is how long the listener waits for a notification before
// it pings its connection.
var shredListenerProbe = 15 * time.Second

func shredPayload(t tenant.ID, subject uuid.UUID) string {
	return t.String() + "/" + subject.String()
}

func parseShredPayload(p string) (subjectRef, error) {
	ts, ss, ok := strings.Cut(p, "/")
	if !ok {
		return subjectRef{}, fmt.Errorf("shred notification %q: no separator", p)
	}
	tu, err := uuid.Parse(ts)
	if err != nil {
		return subjectRef{}, fmt.Errorf("shred notification %q: %w", p, err)
	}
	t, err := tenant.FromUUID(tu)
	if err != nil {
		return subjectRef{}, fmt.Errorf("shred notification %q: %w", p, err)
	}
	su, err := uuid.Parse(ss)
	if err != nil {
		return subjectRef{}, fmt.Errorf("shred notification %q: %w", p, err)
	}
	return subjectRef{tenant: t, subject: su}, nil
}

// RunShredListener keeps this process's key cache in step with erasures made
// by any process: it LISTENs on a dedicated connection and replaces the cached
// key of every subject shredded anywhere with a tombstone, within the latency
// of a NOTIFY (milliseconds). It runs until ctx ends, reconnecting when the
// connection drops.
//
// Once it was started, cached subject keys are used only while it is
// connected: while it is down (or before its first LISTEN) every decryption
// reads the key row, and each (re)connection empties the cache, since a shred
// may have gone unheard. Without it, the cache TTL alone bounds how long
// another process may still decrypt an erased subject.
func (c *EnvelopeCipher) RunShredListener(ctx context.Context, log *slog.Logger) {
	ks := c.ks
	ks.listenerStarted.Store(true)
	postgres.Listener{
		Pool: ks.pool, Channel: shredChannel, Name: shredListenerName,
		Probe: shredListenerProbe, Retry: shredListenerRetry, Log: log,
		Listening: func() {
			// Any shred from now on is heard; any before it may have been missed.
			ks.subjects.Clear()
			ks.listenerLive.Store(true)
		},
		Lost: func(error) { ks.listenerLive.Store(false) },
		Notified: func(payload string) {
			ref, err := parseShredPayload(payload)
			if err != nil {
				// Not ours to interpret; drop everything to be safe.
				ks.subjects.Clear()
				return
			}
			// Erasure is permanent: the tombstone wins over any key read earlier.
			now := ks.now()
			ks.subjects.Put(ref, subjectKey{erased: true}, now.Add(ks.ttl), now, nil)
		},
	}.Run(ctx)
}

// ShredListenerLive reports whether RunShredListener is connected and
// listening (readiness checks and tests wait on it).
func (c *EnvelopeCipher) ShredListenerLive() bool { return c.ks.listenerLive.Load() }
