package postgres

import "time"

// FailBeforeCommit makes every append fail after both inserts, before commit.
func (s *PostgresEventStore) FailBeforeCommit() { s.failBeforeCommit = true }

// SetClock replaces the rate counter's clock.
func (c *PostgresRateCounter) SetClock(now func() time.Time) { c.now = now }
