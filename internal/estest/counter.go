// Package estest holds a tiny event-sourced aggregate, its codec registration
// and a projection, used by the event-store and projection tests and
// benchmarks. It is test support only; no production code imports it.
package estest

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

// StreamType of counters.
const StreamType = "counter"

// Opened starts a counter.
type Opened struct{ Label string }

// Incremented adds By to the counter.
type Incremented struct {
	By   int64
	Note string
}

// EventName implements es.Event.
func (Opened) EventName() string { return "counter.opened.v1" }

// EventName implements es.Event.
func (Incremented) EventName() string { return "counter.incremented.v1" }

// Counter is the aggregate.
type Counter struct {
	rec   es.Recorder
	id    uuid.UUID
	label string
	total int64
	count int64
}

// Blank returns an empty counter for loading.
func Blank(id uuid.UUID) *Counter {
	c := &Counter{id: id}
	c.rec = es.NewRecorder(c.Apply)
	return c
}

// Open creates a counter.
func Open(id uuid.UUID, label string) *Counter {
	c := Blank(id)
	c.rec.Record(Opened{Label: label})
	return c
}

// ErrNegative refuses decrements.
var ErrNegative = errors.New("increment must be positive")

// Increment is the command.
func (c *Counter) Increment(by int64, note string) error {
	if by <= 0 {
		return ErrNegative
	}
	c.rec.Record(Incremented{By: by, Note: note})
	return nil
}

// Apply implements es.Aggregate.
func (c *Counter) Apply(e es.Event) {
	switch e := e.(type) {
	case Opened:
		c.label = e.Label
	case Incremented:
		c.total += e.By
		c.count++
	}
}

// Recorder implements es.Aggregate.
func (c *Counter) Recorder() *es.Recorder { return &c.rec }

// Total returns the sum of increments.
func (c *Counter) Total() int64 { return c.total }

// Count returns the number of increments.
func (c *Counter) Count() int64 { return c.count }

// Register adds the counter events to a codec registry.
func Register(r *eventcodec.Codec) {
	eventcodec.Register[Opened](r)
	eventcodec.Register[Incremented](r)
}

// TotalsDDL creates the projection's read model, protected like every
// tenant-scoped table. Run it as the schema owner.
const TotalsDDL = `
CREATE TABLE counter_totals (
    tenant_id  uuid   NOT NULL,
    counter_id uuid   NOT NULL,
    label      text   NOT NULL DEFAULT '',
    total      bigint NOT NULL DEFAULT 0,
    events     bigint NOT NULL DEFAULT 0,
    last_version bigint NOT NULL DEFAULT 0,
    recorded_at timestamptz,
    applied_at  timestamptz,
    PRIMARY KEY (tenant_id, counter_id)
);
ALTER TABLE counter_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE counter_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY counter_totals_tenant ON counter_totals
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON counter_totals TO torque_app;`

// Totals projects counters into counter_totals.
type Totals struct{}

// Name implements projection.Projection.
func (Totals) Name() string { return "counter_totals" }

// Handles implements projection.Projection.
func (Totals) Handles() []string {
	return []string{Opened{}.EventName(), Incremented{}.EventName()}
}

// Apply implements projection.Projection. applied_at uses clock_timestamp()
// so benchmarks can measure commit-to-read-model lag.
func (Totals) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	switch ev := e.Event.(type) {
	case Opened:
		b.Queue(`INSERT INTO counter_totals (tenant_id, counter_id, label, last_version, applied_at)
		         VALUES ($1, $2, $3, $4, clock_timestamp())
		         ON CONFLICT (tenant_id, counter_id) DO UPDATE SET label = EXCLUDED.label`,
			e.Tenant.UUID(), e.Stream.ID, ev.Label, e.Version)
	case Incremented:
		b.Queue(`UPDATE counter_totals SET total = total + $3, events = events + 1, last_version = $4,
		                recorded_at = $5, applied_at = clock_timestamp()
		          WHERE tenant_id = $1 AND counter_id = $2`,
			e.Tenant.UUID(), e.Stream.ID, ev.By, e.Version, e.OccurredAt)
	default:
		return fmt.Errorf("counter_totals: unexpected %T", e.Event)
	}
	return nil
}

// Reset implements projection.Projection.
func (Totals) Reset(b *pgx.Batch) { b.Queue(`DELETE FROM counter_totals`) }

// ChecksumSQL digests the whole read model (run as admin), for comparing a
// live-built model with a rebuilt one. applied_at is left out: it is when,
// not what.
const ChecksumSQL = `
SELECT coalesce(md5(string_agg(concat_ws('|', tenant_id, counter_id, label, total, events, last_version),
                               ',' ORDER BY tenant_id, counter_id)), '')
  FROM counter_totals`
