package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Listener holds a connection of its own LISTENing on one channel, for a
// cache that other processes' writes must invalidate. Notifications arrive in
// commit order; any sent while the connection was down are lost, which is
// why Listening is called after every (re)connection.
type Listener struct {
	Pool *pgxpool.Pool
	// Channel is the NOTIFY channel.
	Channel string
	// Name is the connection's application_name (it shows in
	// pg_stat_activity).
	Name string
	// Probe is how long to wait for a notification before pinging the
	// connection: a silently dead one would otherwise leave a cache trusted
	// with nothing heard (default 15 s).
	Probe time.Duration
	// Retry is the pause before reconnecting (default 1 s).
	Retry time.Duration
	// Listening is called once LISTEN is in place on a new connection.
	Listening func()
	// Notified is called with each notification's payload.
	Notified func(payload string)
	// Lost is called when the connection is lost (before the pause).
	Lost func(err error)
	Log  *slog.Logger
}

// Run listens until ctx ends, reconnecting after each loss.
func (l Listener) Run(ctx context.Context) {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	retry := l.Retry
	if retry <= 0 {
		retry = time.Second
	}
	for {
		err := l.ListenOnce(ctx)
		if l.Lost != nil {
			l.Lost(err)
		}
		if ctx.Err() != nil {
			return
		}
		log.Warn("postgres listener lost; reconnecting", "listener", l.Name, "err", err, "retry_in", retry.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}

// ListenOnce holds one connection until it fails or ctx ends.
func (l Listener) ListenOnce(ctx context.Context) error {
	// A connection outside the pool: it is held for as long as the process runs.
	cfg := l.Pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = l.Name
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{l.Channel}.Sanitize()); err != nil {
		return err
	}
	if l.Listening != nil {
		l.Listening()
	}
	probe := l.Probe
	if probe <= 0 {
		probe = 15 * time.Second
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, probe)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			pctx, cancel := context.WithTimeout(ctx, probe/3)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("%s probe: %w", l.Name, err)
			}
			continue
		}
		if l.Notified != nil {
			l.Notified(n.Payload)
		}
	}
}
