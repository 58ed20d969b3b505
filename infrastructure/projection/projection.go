// Package projection runs read-model projections: live, as Watermill router
// handlers on the events topic, and as rebuilds from the event store. Each
// projection records what it applied per stream in the same transaction as its
// read-model change, so redelivery is harmless and readers can wait for it.
package projection

import (
	"hash/fnv"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
)

// Projection builds one tenant-scoped read model.
type Projection interface {
	// Name is stable: it names the consumer group and the checkpoints.
	// Renaming it re-consumes everything.
	Name() string
	// Handles lists the event types the projection applies; others are acked
	// without work.
	Handles() []string
	// Apply queues the statements that apply e. They must carry e's tenant id
	// explicitly and depend only on e and the read model itself, so that a
	// rebuild produces exactly what live processing did.
	Apply(b *pgx.Batch, e eventsourcing.Recorded) error
	// Reset queues statements that empty the read model for every tenant; it
	// runs during a rebuild with the maintenance role.
	Reset(b *pgx.Batch)
}

func handles(p Projection, eventType string) bool {
	for _, t := range p.Handles() {
		if t == eventType {
			return true
		}
	}
	return false
}

// lockKey is the advisory lock a rebuild holds exclusively and live handlers
// hold shared, so they never interleave on one read model.
func lockKey(name string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("projection:" + name))
	return int64(h.Sum64() >> 1)
}

// ConsumerGroup is the Watermill consumer group of a projection.
func ConsumerGroup(p Projection) string { return "projection." + p.Name() }

const upsertCheckpointSQL = `
INSERT INTO projection_checkpoints (tenant_id, projection, stream_id, version)
VALUES ($1, $2, $3, $4)
ON CONFLICT (tenant_id, projection, stream_id)
DO UPDATE SET version = EXCLUDED.version, applied_at = now()
 WHERE projection_checkpoints.version < EXCLUDED.version
RETURNING version`
