package postgres

import (
	"context"
	"crypto/sha256"
	"math"
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

// hitSQL counts one attempt in the current window and reads the previous
// window's count, in one statement.
const hitSQL = `WITH cur AS (
  INSERT INTO rate_limit_hits (key, window_start, hits) VALUES ($1, $2, 1)
  ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
  RETURNING hits)
SELECT cur.hits, coalesce((SELECT hits FROM rate_limit_hits WHERE key = $1 AND window_start = $3), 0)
  FROM cur`

// Hit records one attempt of key and returns the attempts of the last window
// length (every process's), estimated as a sliding window: this fixed
// window's count plus the previous one's weighted by how much of it still
// lies within the last window length. A plain fixed window would let a burst
// straddling a window boundary through twice the limit.
func (c *PostgresRateCounter) Hit(ctx context.Context, key string, window time.Duration) (int, error) {
	now := c.now().UTC()
	start := now.Truncate(window)
	digest := sha256.Sum256([]byte(key))
	var cur, prev int
	if err := c.pool.QueryRow(ctx, hitSQL, digest[:], start, start.Add(-window)).Scan(&cur, &prev); err != nil {
		return 0, Unavailable(err)
	}
	overlap := 1 - float64(now.Sub(start))/float64(window)
	n := cur + int(math.Ceil(float64(prev)*overlap))
	if rand.IntN(200) == 0 { //nolint:gosec // sweep sampling, not security
		// Now and then, drop windows that ended long ago.
		_, _ = c.pool.Exec(ctx, `DELETE FROM rate_limit_hits WHERE window_start < $1`, now.Add(-24*time.Hour))
	}
	return n, nil
}
