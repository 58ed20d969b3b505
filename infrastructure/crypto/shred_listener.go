package crypto

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/domain/tenant"
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
	if log == nil {
		log = slog.Default()
	}
	ks := c.ks
	ks.listenerStarted.Store(true)
	for {
		err := ks.listenOnce(ctx)
		ks.listenerLive.Store(false)
		if ctx.Err() != nil {
			return
		}
		log.Warn("crypto: shred listener lost; decrypting without the key cache until it reconnects", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(shredListenerRetry):
		}
	}
}

// ShredListenerLive reports whether RunShredListener is connected and
// listening (readiness checks and tests wait on it).
func (c *EnvelopeCipher) ShredListenerLive() bool { return c.ks.listenerLive.Load() }

func (s *keyStore) listenOnce(ctx context.Context) error {
	// A connection of its own, outside the pool: it is held for as long as the
	// process runs.
	cfg := s.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = shredListenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{shredChannel}.Sanitize()); err != nil {
		return err
	}
	// Any shred from now on is heard; any before it may have been missed.
	s.subjects.clear()
	s.listenerLive.Store(true)
	for {
		// Wake up now and then to prove the connection is alive: a silently
		// dead one would otherwise leave the cache trusted with nothing heard.
		wctx, cancel := context.WithTimeout(ctx, shredListenerProbe)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			pctx, cancel := context.WithTimeout(ctx, shredListenerProbe/3)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("shred listener probe: %w", err)
			}
			continue
		}
		ref, err := parseShredPayload(n.Payload)
		if err != nil {
			// Not ours to interpret; drop everything to be safe.
			s.subjects.clear()
			continue
		}
		// Erasure is permanent: the tombstone wins over any key read earlier.
		now := s.now()
		s.subjects.put(ref, subjectKey{erased: true}, now.Add(s.ttl), now, nil)
	}
}
