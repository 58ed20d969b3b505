package bus

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
)

// within fails the test if f does not return in a generous time: a liveness
// check (the wait under test would otherwise last an hour), not a timing one.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: still waiting", what)
	}
}

func newBackoff(w *Wake) (*idleBackoff, chan struct{}) {
	closing := make(chan struct{})
	return &idleBackoff{wake: w, poll: time.Millisecond, idle: time.Hour, retry: time.Millisecond,
		closing: closing, next: w.C()}, closing
}

func TestIdleBackoff_aWakeUpDuringTheReadIsNotMissed(t *testing.T) {
	w := NewWake()
	b, _ := newBackoff(w)
	// The subscriber reads (nothing yet); meanwhile an append commits and
	// broadcasts; then the read ends with no message.
	w.Broadcast()
	within(t, "wait after a broadcast during the read", func() {
		if d := b.HandleError(watermill.NopLogger{}, true, nil); d != 0 {
			t.Errorf("returned %v, want 0 (read at once)", d)
		}
	})
}

func TestIdleBackoff_idleWaitEndsOnWakeAndOnClose(t *testing.T) {
	w := NewWake()
	b, closing := newBackoff(w)
	b.next = w.C()
	returned := make(chan struct{})
	go func() { b.HandleError(watermill.NopLogger{}, true, nil); close(returned) }()
	select {
	case <-returned:
		t.Fatal("an idle subscriber read again without a wake-up")
	case <-time.After(50 * time.Millisecond):
	}
	w.Broadcast()
	within(t, "woken wait", func() { <-returned })

	// The follow-up chain (1 ms doubling up to an hour) ends in an idle wait
	// that only the subscriber's Close ends.
	b.delay = 0
	returned = make(chan struct{})
	go func() { b.HandleError(watermill.NopLogger{}, true, nil); close(returned) }()
	close(closing)
	within(t, "wait ended by Close", func() { <-returned })
}

func TestIdleBackoff_followsUpAfterMessagesAndRetriesConcurrentReadsAtOnce(t *testing.T) {
	w := NewWake()
	b, _ := newBackoff(w)
	if d := b.HandleError(watermill.NopLogger{}, false, nil); d != 0 || b.delay != b.poll {
		t.Fatalf("after messages: %v, delay %v; want 0 and a follow-up at the poll interval", d, b.delay)
	}
	within(t, "follow-up read", func() { b.HandleError(watermill.NopLogger{}, true, nil) })
	if b.delay != 2*b.poll {
		t.Fatalf("follow-up delay %v, want doubled to %v", b.delay, 2*b.poll)
	}
	err := errors.New("could not process message: ERROR: could not serialize access due to concurrent update (SQLSTATE 40001)")
	if d := b.HandleError(watermill.NopLogger{}, false, err); d != 0 {
		t.Fatalf("a concurrent read of the group backs off %v, want 0", d)
	}
	if d := b.HandleError(watermill.NopLogger{}, false, errors.New("connection refused")); d != b.retry {
		t.Fatalf("an error backs off %v, want the retry interval %v", d, b.retry)
	}
}

func TestNotifier_coalescesAppendsIntoFewWakeUps(t *testing.T) {
	w := NewWake()
	n := NewNotifier(NotifierConfig{Local: w, Window: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := w.C()
	go n.Run(ctx)
	for range 1000 {
		n.Published()
	}
	within(t, "first wake-up", func() { <-first })
	if c := w.Count(); c != 1 {
		t.Fatalf("1,000 appends within the window made %d wake-ups, want 1 (the rest wait for the window)", c)
	}
}

// Under traffic a read that took less than a full batch took all there was:
// the group waits for the next wake-up instead of reading again at once (an
// empty read is three statements); a full batch means more are waiting.
func TestIdleBackoff_aPartialBatchWaitsForTheNextWakeUpAFullOneReadsOn(t *testing.T) {
	w := NewWake()
	b, _ := newBackoff(w)
	b.poll, b.read, b.full = time.Hour, &atomic.Int64{}, 100
	b.next = w.C()

	b.read.Store(100)
	within(t, "full batch", func() {
		if d := b.HandleError(watermill.NopLogger{}, false, nil); d != 0 {
			t.Errorf("after a full batch: %v, want 0 (read on)", d)
		}
	})

	b.read.Store(3)
	b.next = w.C()
	returned := make(chan struct{})
	go func() { b.HandleError(watermill.NopLogger{}, false, nil); close(returned) }()
	select {
	case <-returned:
		t.Fatal("a partial batch read again without a wake-up")
	case <-time.After(50 * time.Millisecond):
	}
	w.Broadcast()
	within(t, "wait after a partial batch, woken", func() { <-returned })
	if got := b.read.Load(); got != 0 {
		t.Fatalf("the read count was not reset: %d", got)
	}
}
