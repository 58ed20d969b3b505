package bus

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/jackc/pgx/v5"
)

// NotifyChannel is the Postgres channel every append notifies (in its own
// transaction, so the notification is delivered at commit).
const NotifyChannel = "torque_events"

// NotifySQL is queued into each append.
const NotifySQL = `SELECT pg_notify('` + NotifyChannel + `', '')`

// Wakeup turns Postgres notifications into wake-ups of idle subscribers, so
// they need not poll fast to see new messages quickly.
type Wakeup struct {
	mu  sync.Mutex
	gen uint64
	ch  chan struct{}
}

// NewWakeup returns a wake-up hub.
func NewWakeup() *Wakeup { return &Wakeup{ch: make(chan struct{})} }

func (w *Wakeup) broadcast() {
	w.mu.Lock()
	w.gen++
	close(w.ch)
	w.ch = make(chan struct{})
	w.mu.Unlock()
}

func (w *Wakeup) state() (uint64, chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gen, w.ch
}

// Listen receives notifications until ctx ends, reconnecting on errors. While
// it is disconnected the subscribers fall back to their poll interval.
func (w *Wakeup) Listen(ctx context.Context, connString string, log *slog.Logger) {
	for ctx.Err() == nil {
		err := w.listenOnce(ctx, connString)
		if ctx.Err() != nil {
			return
		}
		log.Warn("event notifications interrupted; subscribers poll until they resume", "err", err)
		w.broadcast()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (w *Wakeup) listenOnce(ctx context.Context, connString string) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return err
	}
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		w.broadcast()
	}
}

// BackoffManager is a watermill-sql BackoffManager for one subscriber: after
// an empty poll it waits for the next notification (at most maxWait) instead
// of sleeping a fixed interval. A notification that arrived while the
// subscriber was querying is not lost: the generation it saw last differs,
// so it polls again at once.
func (w *Wakeup) BackoffManager(maxWait, retry time.Duration) wsql.BackoffManager {
	return &wakeBackoff{w: w, maxWait: maxWait, retry: retry}
}

type wakeBackoff struct {
	w       *Wakeup
	maxWait time.Duration
	retry   time.Duration
	seen    uint64
}

func (b *wakeBackoff) HandleError(logger watermill.LoggerAdapter, noMsg bool, err error) time.Duration {
	if err != nil {
		logger.Error("Error querying for message", err, watermill.LogFields{"wait_time": b.retry})
		return b.retry
	}
	if !noMsg {
		return 0
	}
	gen, ch := b.w.state()
	if gen != b.seen {
		b.seen = gen
		return 0
	}
	t := time.NewTimer(b.maxWait)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
	b.seen, _ = b.w.state()
	return 0
}
