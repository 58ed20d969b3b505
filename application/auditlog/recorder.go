package auditlog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/usecase"
)

// Recorder writes the reads of a module's use cases to the Log.
type Recorder struct {
	log  Log
	base usecase.Base
}

// NewRecorder returns a recorder writing to log, with the clock and ids of
// base.
func NewRecorder(log Log, base usecase.Base) Recorder {
	return Recorder{log: log, base: base.WithDefaults()}
}

// Record stores the reads before the data leaves the use case: when the log
// cannot be written, the caller returns the error and not the data. useCase
// names the endpoint when the request did not (WithEndpoint).
func (r Recorder) Record(ctx context.Context, p authz.Principal, useCase string, rs Reads) error {
	entries := r.Entries(ctx, p, useCase, rs)
	if len(entries) == 0 {
		return nil
	}
	if err := r.log.Record(ctx, entries); err != nil {
		return fmt.Errorf("audit personal data read: %w", err)
	}
	return nil
}

// Entries are the log entries Record would store, for an adapter that
// stores them in the same transaction as the read itself (none when rs is
// empty).
func (r Recorder) Entries(ctx context.Context, p authz.Principal, useCase string, rs Reads) []Entry {
	list := rs.list()
	if len(list) == 0 {
		return nil
	}
	// One read, one moment: every entry has the same At.
	at, endpoint := r.base.Now(), endpointOf(ctx, useCase)
	entries := make([]Entry, 0, len(list))
	for _, e := range list {
		entries = append(entries, r.entry(p, at, endpoint, e.subject, e.fields))
	}
	return entries
}

// Entry is the entry of a read of subject by p, without its Fields, for
// an adapter that works out which fields the read shows as it reads them.
func (r Recorder) Entry(ctx context.Context, p authz.Principal, useCase string, subject uuid.UUID) Entry {
	return r.entry(p, r.base.Now(), endpointOf(ctx, useCase), subject, nil)
}

func (r Recorder) entry(p authz.Principal, at time.Time, endpoint string, subject uuid.UUID, fields []string) Entry {
	return Entry{ID: r.base.NewID(), Actor: actorOf(p), At: at, SubjectID: subject, Fields: fields, Endpoint: endpoint}
}

// actorOf names the principal the way events name their actor.
func actorOf(p authz.Principal) string {
	if p.Role == authz.RoleCustomer {
		return "customer:" + p.IdentityID
	}
	return "staff:" + p.IdentityID
}
