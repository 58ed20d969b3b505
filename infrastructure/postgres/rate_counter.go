package postgres

import (
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PostgresRateCounter counts rate-limit attempts in rate_limit_hits, shared by
// every API process. Keys are stored as SHA-256 digests (they hold client IPs
// and e-mails).
type PostgresRateCounter struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// NewRateCounter returns the counter.
func NewRateCounter(pool *pgxpool.Pool) *PostgresRateCounter {
	return &PostgresRateCounter{pool: pool, now: time.Now}
}

const hitSQL = `INSERT INTO rate_limit_hits (key, window_start, hits) VALUES ($1, $2, 1)
ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
RETURNING hits`

// Hit records one attempt of key in the current fixed window and returns the
// attempts of that window so far (every process's).
func (c *PostgresRateCounter) Hit(ctx context.Context, key string, window time.Duration) (int, error) {
	now := c.now().UTC()
	start := now.Truncate(window)
	digest := sha256.Sum256([]byte(key))
	var n int
	if err := c.pool.QueryRow(ctx, hitSQL, digest[:], start).Scan(&n); err != nil {
		return 0, Unavailable(err)
	}
	if rand.IntN(200) == 0 { //nolint:gosec // sweep sampling, not security
		// Now and then, drop windows that ended long ago.
		_, _ = c.pool.Exec(ctx, `DELETE FROM rate_limit_hits WHERE window_start < $1`, now.Add(-24*time.Hour))
	}
	return n, nil
}
