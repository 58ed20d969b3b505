package readmodel

import (
	"context"
	"strings"
	"time"

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
	// The read already happened; the insert does not make the reader wait
	// for the WAL flush of its audit row. A Postgres crash could lose the
	// last fraction of a second of audit rows (never a committed change of
	// data).
	queueAuditEntries(b, tid.UUID(), entries)
	return l.pool.SendBatch(ctx, b).Close()
}

// auditFieldSeparator joins an entry's field names into one text value of
// the insert's arrays (Postgres arrays of arrays must be rectangular); field
// names are API names, which never contain it.
const auditFieldSeparator = "\x1f"

// insertAuditEntriesSQL writes every entry of a read in one statement (a
// page of 20 customers was 20 statements, a fifth of a search's Postgres
// time), after turning off the wait for the WAL flush of the transaction: it
// only writes audit rows, and the read already happened.
const insertAuditEntriesSQL = `INSERT INTO personal_data_reads (tenant_id, id, actor, at, subject_id, fields, endpoint)
SELECT $1, e.id, e.actor, e.at, e.subject_id, string_to_array(e.fields, $7), e.endpoint
  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait,
       unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::uuid[], $6::text[], $8::text[])
           AS e(id, actor, at, subject_id, fields, endpoint)`

// queueAuditEntries queues the insert of entries.
func queueAuditEntries(b *pgx.Batch, tid uuid.UUID, entries []auditlog.Entry) {
	n := len(entries)
	ids, subjects := make([]uuid.UUID, n), make([]uuid.UUID, n)
	actors, fields, endpoints := make([]string, n), make([]string, n), make([]string, n)
	at := make([]time.Time, n)
	for i, e := range entries {
		ids[i], actors[i], at[i], subjects[i] = e.ID, e.Actor, e.At, e.SubjectID
		fields[i], endpoints[i] = strings.Join(e.Fields, auditFieldSeparator), e.Endpoint
	}
	b.Queue(insertAuditEntriesSQL, tid, ids, actors, at, subjects, fields, auditFieldSeparator, endpoints)
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
