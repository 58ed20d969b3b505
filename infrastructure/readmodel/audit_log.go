package readmodel

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ auditlog.Log = (*PostgresAuditLog)(nil)

// PostgresAuditLog stores the reads of personal data in personal_data_reads
// (append-only for the runtime role).
type PostgresAuditLog struct{ pool *pgxpool.Pool }

// NewAuditLog returns the adapter; pool connects as the runtime role.
func NewAuditLog(pool *pgxpool.Pool) *PostgresAuditLog { return &PostgresAuditLog{pool: pool} }

// Record implements auditlog.Log: one batch, which Postgres runs as
// one implicit transaction, so all or nothing.
func (l *PostgresAuditLog) Record(ctx context.Context, entries []auditlog.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	b, err := postgres.TenantBatch(ctx)
	if err != nil {
		return err
	}
	// The read already happened; do not make the reader wait for the WAL
	// flush of its audit row. A Postgres crash could lose the last fraction of
	// a second of audit rows (never a committed change of data).
	queueAuditEntries(b, tid.UUID(), entries)
	return l.pool.SendBatch(ctx, b).Close()
}

// queueAuditEntries queues the inserts of entries, after turning off the
// wait for the WAL flush of the transaction (it only writes audit rows).
func queueAuditEntries(b *pgx.Batch, tid uuid.UUID, entries []auditlog.Entry) {
	b.Queue(`SELECT set_config('synchronous_commit', 'off', true)`)
	for _, e := range entries {
		b.Queue(`INSERT INTO personal_data_reads (tenant_id, id, actor, at, subject_id, fields, endpoint)
		         VALUES ($1, $2, $3, $4, $5, $6, $7)`, tid, e.ID, e.Actor, e.At, e.SubjectID, e.Fields, e.Endpoint)
	}
}

// List implements auditlog.Log.
func (l *PostgresAuditLog) List(ctx context.Context, f auditlog.Filter, before uuid.UUID, limit int) ([]auditlog.Entry, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	where := "tenant_id = " + a.add(tid.UUID())
	if f.SubjectID != uuid.Nil {
		where += " AND subject_id = " + a.add(f.SubjectID)
	}
	if f.Actor != "" {
		where += " AND actor = " + a.add(f.Actor)
	}
	if before != uuid.Nil {
		where += " AND id < " + a.add(before)
	}
	query := `SELECT id, actor, at, subject_id, fields, endpoint FROM personal_data_reads
			WHERE ` + where + ` ORDER BY id DESC LIMIT ` + a.add(limit)
	return collect(ctx, l.pool, func(row pgx.CollectableRow) (auditlog.Entry, error) {
		var e auditlog.Entry
		err := row.Scan(&e.ID, &e.Actor, &e.At, &e.SubjectID, &e.Fields, &e.Endpoint)
		return e, err
	}, query, a...)
}
