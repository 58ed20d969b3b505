package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// WakeChannel is the Postgres NOTIFY channel on which a process that
// published events tells the other processes' idle subscribers to look.
const WakeChannel = "torque_events"

// Wake is a broadcast to the idle consumers of one process: "new messages
// may have been published". A consumer takes C before it reads the topic and,
// when the read finds nothing, waits until C is closed (or its fallback
// interval passes): a broadcast after C was taken can never be missed.
type Wake struct {
	mu    sync.Mutex
	ch    chan struct{}
	wakes atomic.Int64
}

// NewWake returns a broadcast with no consumer waiting.
func NewWake() *Wake { return &Wake{ch: make(chan struct{})} }

// C returns a channel closed by the next Broadcast.
func (w *Wake) C() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ch
}

// Broadcast wakes every consumer waiting on a channel returned by C.
func (w *Wake) Broadcast() {
	w.mu.Lock()
	w.wakes.Add(1)
	close(w.ch)
	w.ch = make(chan struct{})
	w.mu.Unlock()
}

// Count returns how many broadcasts were made (tests and metrics).
func (w *Wake) Count() int64 { return w.wakes.Load() }

// Notifier turns "an append committed" into wake-ups, outside the append's
// transaction and coalesced: the first append after a quiet spell wakes this
// process's consumers at once and sends one pg_notify on its own connection;
// appends within Window of that one share the next wake-up, sent when the
// window ends. Issuing NOTIFY inside the appends' transactions instead
// serialises their commits on Postgres's notification queue lock.
type Notifier struct {
	pool    *pgxpool.Pool
	local   *Wake
	window  time.Duration
	id      string
	pending chan struct{}
	log     *slog.Logger
	sent    atomic.Int64
}

// NotifierConfig configures a Notifier.
type NotifierConfig struct {
	// Pool sends the NOTIFY (nil: this process's consumers only).
	Pool *pgxpool.Pool
	// Local is this process's broadcast (nil: other processes only).
	Local *Wake
	// Window is the least time between two wake-ups (default 5 ms).
	Window time.Duration
	Logger *slog.Logger
}

// NewNotifier returns a notifier; call Run to start sending.
func NewNotifier(cfg NotifierConfig) *Notifier {
	if cfg.Window <= 0 {
		cfg.Window = 5 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Notifier{pool: cfg.Pool, local: cfg.Local, window: cfg.Window, id: hex.EncodeToString(b[:]),
		pending: make(chan struct{}, 1), log: cfg.Logger}
}

// ID is the payload of this notifier's NOTIFYs, so that a Listener in the
// same process can ignore them (the local broadcast already happened).
func (n *Notifier) ID() string { return n.id }

// Sent returns how many NOTIFYs were sent.
func (n *Notifier) Sent() int64 { return n.sent.Load() }

// Published records that events were committed. It never blocks.
func (n *Notifier) Published() {
	select {
	case n.pending <- struct{}{}:
	default: // a wake-up is already due: this append shares it
	}
}

// Run sends wake-ups until ctx ends.
func (n *Notifier) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.pending:
		}
		if n.local != nil {
			n.local.Broadcast()
		}
		if n.pool != nil {
			nctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			// Autocommit and no transaction id: it waits for no WAL flush.
			_, err := n.pool.Exec(nctx, `SELECT pg_notify($1, $2)`, WakeChannel, n.id)
			cancel()
			if err != nil && ctx.Err() == nil {
				// Listeners fall back to their idle interval; nothing is lost.
				n.log.Debug("wake notify failed", "err", err)
			} else if err == nil {
				n.sent.Add(1)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(n.window):
		}
	}
}

// Listen relays the NOTIFYs of other processes to local until ctx ends. It
// LISTENs on a dedicated connection, reconnecting with a backoff, and
// broadcasts after each (re)connection, since notifications sent while it was
// away are lost. NOTIFYs whose payload is ignore (this process's own
// notifier) are skipped.
func Listen(ctx context.Context, pool *pgxpool.Pool, local *Wake, ignore string, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := listenOnce(ctx, pool, local, ignore, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		log.Warn("wake listener disconnected; subscribers fall back to polling", "err", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func listenOnce(ctx context.Context, pool *pgxpool.Pool, local *Wake, ignore string, connected func()) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection carries a LISTEN: never hand it back to the pool.
	defer func() { conn.Hijack().Close(context.Background()) }() //nolint:errcheck // closing a hijacked connection
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{WakeChannel}.Sanitize()); err != nil {
		return err
	}
	connected()
	local.Broadcast()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if ignore != "" && n.Payload == ignore {
			continue
		}
		local.Broadcast()
	}
}

// idleBackoff is the subscriber's watermill-sql BackoffManager. Watermill
// sleeps for what HandleError returns before its next read; this one instead
// blocks in HandleError, when a read found nothing, until the process's Wake
// fires, and then returns 0. After a wake-up, or a read that found messages,
// it keeps reading at Poll, doubling up to Idle, before it waits again: a
// committed message can stay invisible for a moment (the subscriber only
// reads below the oldest running transaction, pg_snapshot_xmin), and its
// wake-up has then already passed.
//
// A read that took a full batch reads on at once (more are waiting). One
// that took less took all it could see: reading again at once would find
// nothing (under traffic, more than half of the consumer groups' reads did,
// three transactions each), so it waits like after a wake-up, for the next
// wake-up or Poll, whichever comes first.
type idleBackoff struct {
	wake    *Wake
	poll    time.Duration
	idle    time.Duration
	retry   time.Duration
	closing <-chan struct{}
	next    <-chan struct{} // taken just before the read that just ended
	delay   time.Duration
	// read counts the messages the subscriber's reads returned (nil: read
	// on after every read that found messages); full is a read's batch size.
	read *atomic.Int64
	full int64
}

func (b *idleBackoff) HandleError(logger watermill.LoggerAdapter, noMsg bool, err error) time.Duration {
	defer func() { b.next = b.wake.C() }() // taken just before the next read
	if err != nil {
		b.delay = b.poll
		if strings.Contains(strings.ToLower(err.Error()), "concurrent update") {
			// Another process's subscriber of the same group read first
			// (FOR UPDATE under repeatable read): read again at once.
			logger.Debug("Concurrent read of the consumer group, trying again", watermill.LogFields{"err": err.Error()})
			return 0
		}
		logger.Error("Error querying for message", err, watermill.LogFields{"wait_time": b.retry})
		return b.retry
	}
	var got int64
	if b.read != nil {
		got = b.read.Swap(0)
	}
	if !noMsg && (b.read == nil || got >= b.full) {
		b.delay = b.poll // read on; once dry, follow up as after a wake-up
		return 0
	}
	if !noMsg {
		b.delay = b.poll // took all it could see: follow up as after a wake-up
	}
	wait := b.idle
	if b.delay > 0 {
		wait = b.delay
		if b.delay *= 2; b.delay >= b.idle {
			b.delay = 0 // the chain ends: wait for a wake-up or the idle interval
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-b.next:
		b.delay = b.poll
	case <-t.C:
	case <-b.closing:
	}
	return 0
}

// wakingSubscriber closes the backoff's wait before closing the watermill
// subscriber, whose reading goroutine may be blocked in it.
type wakingSubscriber struct {
	*wsql.Subscriber
	closing   chan struct{}
	closeOnce sync.Once
}

var _ message.Subscriber = (*wakingSubscriber)(nil)

func (s *wakingSubscriber) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	return s.Subscriber.Close()
}
