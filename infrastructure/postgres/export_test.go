package postgres

// FailBeforeCommit makes every append fail after both inserts, before commit.
func (s *PostgresEventStore) FailBeforeCommit() { s.failBeforeCommit = true }
