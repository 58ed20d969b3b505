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
