package postgres_test

import (
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// Issue 10 item 5: two API processes count in one place: what one counted,
// the other sees, so N replicas do not multiply the limit. Keys are stored as
// digests, never the IP or e-mail.
func TestRateCounter_sharedByProcessesIntegration(t *testing.T) {
	db := pgtest.New(t)
	a, b := postgres.NewRateCounter(db.App), postgres.NewRateCounter(db.App)
	ctx := t.Context()
	for i, c := range []*postgres.PostgresRateCounter{a, b, a, b} {
		n, err := c.Hit(ctx, "login-ip\x00203.0.113.7", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if n != i+1 {
			t.Fatalf("hit %d counted %d", i+1, n)
		}
	}
	if n, _ := b.Hit(ctx, "login-ip\x00198.51.100.1", time.Hour); n != 1 {
		t.Errorf("another key starts at %d", n)
	}
	if n := db.Count(t, `SELECT count(*) FROM rate_limit_hits WHERE position('203.0.113.7' in encode(key, 'escape')) > 0`); n != 0 {
		t.Error("the client IP is stored in clear")
	}
}

// A burst straddling a window boundary is counted as one: 5 attempts at the
// end of a minute and the next ones just after it count together (a fixed
// window would start again at 1 and let 2× the limit through), and a key
// that kept quiet for a whole window starts again from 1.
func TestRateCounter_burstAcrossAWindowBoundaryIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := postgres.NewRateCounter(db.App)
	ctx := t.Context()
	at := time.Date(2026, 12, 3, 14, 14, 58, 0, time.UTC)
	c.SetClock(func() time.Time { return at })
	for i := 1; i <= 5; i++ {
		if n, err := c.Hit(ctx, "login-id\x00ana@example.com", time.Minute); err != nil || n != i {
			t.Fatalf("hit %d before the boundary counted %d (%v)", i, n, err)
		}
	}
	at = at.Add(4 * time.Second) // 14:15:02
	if n, _ := c.Hit(ctx, "login-id\x00ana@example.com", time.Minute); n != 6 {
		t.Fatalf("first hit after the boundary counted %d, want 6 (5 of the last minute + 1)", n)
	}
	at = at.Add(2 * time.Minute)
	if n, _ := c.Hit(ctx, "login-id\x00ana@example.com", time.Minute); n != 1 {
		t.Fatalf("after a quiet minute the count is %d, want 1", n)
	}
}
