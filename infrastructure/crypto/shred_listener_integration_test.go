package crypto_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// startShredListener runs c's shred listener until the test ends and waits
// until it listens.
func startShredListener(t *testing.T, c *crypto.EnvelopeCipher) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.RunShredListener(ctx, nil) }()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for !c.ShredListenerLive() {
		if time.Now().After(deadline) {
			t.Fatal("shred listener never connected")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Issue 10 item 11: an erasure made by one process reaches the key cache of
// every other process within about a second, not one cache TTL (a minute).
func TestEnvelopeCipher_Shred_reachesOtherProcessCacheIntegration(t *testing.T) {
	db := pgtest.New(t)
	first, second := newCipher(t, db, ringK1, nil), newCipher(t, db, ringK1, nil)
	startShredListener(t, second)
	ctx := tctx(newTenant())
	subject := newSubject()
	const field = "customer.registered.v1.Name"
	ct, err := first.Encrypt(ctx, subject, field, []byte(`"Maria da Conceição"`))
	if err != nil {
		t.Fatal(err)
	}
	// The second process caches the key.
	if _, err := second.Decrypt(ctx, subject, field, ct); err != nil {
		t.Fatal(err)
	}
	if err := first.Shred(ctx, subject); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		_, err := second.Decrypt(ctx, subject, field, ct)
		if errors.Is(err, privacy.ErrErased) {
			return
		}
		if err != nil {
			t.Fatalf("after the erasure: %v, want privacy.ErrErased", err)
		}
		if time.Now().After(deadline) {
			t.Fatal("another process still decrypts the erased subject 2 s after the erasure")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// While its listener is not connected, a process does not trust its cache:
// it cannot have heard the shreds made meanwhile.
func TestEnvelopeCipher_Shred_listenerDown_bypassesCacheIntegration(t *testing.T) {
	db := pgtest.New(t)
	first, second := newCipher(t, db, ringK1, nil), newCipher(t, db, ringK1, nil)
	ctx := tctx(newTenant())
	subject := newSubject()
	const field = "customer.registered.v1.Name"
	ct, err := first.Encrypt(ctx, subject, field, []byte(`"Maria"`))
	if err != nil {
		t.Fatal(err)
	}
	// A listener that never connects (its context is already over).
	lctx, cancel := context.WithCancel(context.Background())
	cancel()
	second.RunShredListener(lctx, nil)
	if second.ShredListenerLive() {
		t.Fatal("listener live without a connection")
	}
	if _, err := second.Decrypt(ctx, subject, field, ct); err != nil {
		t.Fatal(err)
	}
	if err := first.Shred(ctx, subject); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Decrypt(ctx, subject, field, ct); !errors.Is(err, privacy.ErrErased) {
		t.Fatalf("listener down, after the erasure: %v, want privacy.ErrErased at once", err)
	}
}

// A listener whose connection is killed stops trusting the cache at once,
// reconnects, and hears the shreds made after it came back.
func TestEnvelopeCipher_ShredListener_reconnectsIntegration(t *testing.T) {
	t.Cleanup(crypto.SetShredListenerProbe(200 * time.Millisecond)) // runs after the listener stopped
	db := pgtest.New(t)
	first, second := newCipher(t, db, ringK1, nil), newCipher(t, db, ringK1, nil)
	startShredListener(t, second)
	time.Sleep(500 * time.Millisecond) // a few idle probes
	if !second.ShredListenerLive() {
		t.Fatal("the idle probes took the listener down")
	}
	db.Exec(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'torque shred listener'`)
	waitLive(t, second, false)
	waitLive(t, second, true)
	ctx := tctx(newTenant())
	subject := newSubject()
	const field = "customer.registered.v1.Name"
	ct, err := first.Encrypt(ctx, subject, field, []byte(`"Maria"`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := second.Decrypt(ctx, subject, field, ct); err != nil {
		t.Fatal(err)
	}
	if err := first.Shred(ctx, subject); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, err := second.Decrypt(ctx, subject, field, ct); errors.Is(err, privacy.ErrErased) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("after reconnecting, the listener did not hear the erasure")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitLive(t *testing.T, c *crypto.EnvelopeCipher, want bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for c.ShredListenerLive() != want {
		if time.Now().After(deadline) {
			t.Fatalf("listener live = %v after 10 s, want %v", !want, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
