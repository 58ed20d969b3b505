// Package auditlog records who read whose personal data (LGPD
// accountability): the port of the log, and the recorder every use case that
// returns personal data calls before returning it. A read that cannot be
// recorded is not returned (fail closed).
package auditlog

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Entry records one read of a person's personal data.
type Entry struct {
	ID uuid.UUID
	// Actor is who read ("staff:<identity id>").
	Actor     string
	At        time.Time
	SubjectID uuid.UUID
	// Fields are the API names of the fields read (e.g. "document").
	Fields []string
	// Endpoint is the HTTP route or, failing that, the use case.
	Endpoint string
}

// Filter narrows the audit log; zero fields match all.
type Filter struct {
	SubjectID uuid.UUID
	Actor     string
}

// Log records and lists reads of personal data.
type Log interface {
	// Record stores entries in the tenant of ctx; it is all or nothing.
	Record(ctx context.Context, entries []Entry) error
	// List returns at most limit entries matching f with ids below before
	// (uuid.Nil: no bound), newest first.
	List(ctx context.Context, f Filter, before uuid.UUID, limit int) ([]Entry, error)
}
