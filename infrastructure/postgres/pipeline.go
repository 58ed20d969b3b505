package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/domain/tenant"
)

// TenantPipeline is one transaction of the tenant in the context that spans
// several pipelined batches on one connection, for work that must read
// before it writes (a number, a row to decrypt) yet commit as one: BEGIN and
// the tenant setting travel in front of the first batch, COMMIT behind the
// last, so a transaction of two batches costs two round trips.
type TenantPipeline struct {
	conn   *pgxpool.Conn
	tid    string
	begun  bool
	commit bool
}

// InTenantPipeline runs fn with a TenantPipeline of the tenant in ctx. fn
// sends its batches with Send and its last one with SendLast, and closes the
// results of each; without SendLast, or when fn fails, the transaction is
// rolled back. It fails closed with tenant.ErrNoTenant when ctx has none.
func InTenantPipeline(ctx context.Context, pool *pgxpool.Pool, fn func(*TenantPipeline) error) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return Unavailable(err)
	}
	p := &TenantPipeline{conn: conn, tid: tid.String()}
	err = fn(p)
	if err == nil && !p.commit && p.begun {
		err = errors.New("postgres: tenant pipeline ended without SendLast")
	}
	if conn.Conn().PgConn().TxStatus() != 'I' && !conn.Conn().IsClosed() {
		// Failed, or never committed: end the transaction so that the
		// connection goes back to the pool clean (else the pool drops it).
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
	conn.Release()
	return Unavailable(err)
}

// Send sends b as the next part of the transaction; read its results in
// order and close them before sending the next batch.
func (p *TenantPipeline) Send(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return p.send(ctx, b, false)
}

// SendLast sends b as the last part of the transaction, followed by COMMIT:
// the error of closing its results is the commit's.
func (p *TenantPipeline) SendLast(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return p.send(ctx, b, true)
}

func (p *TenantPipeline) send(ctx context.Context, b *pgx.Batch, last bool) pgx.BatchResults {
	out := &pgx.Batch{}
	prefix := 0
	if !p.begun {
		p.begun = true
		out.Queue("BEGIN")
		out.Queue(SetTenantSQL, p.tid)
		prefix = 2
	}
	out.QueuedQueries = append(out.QueuedQueries, b.QueuedQueries...)
	if last {
		p.commit = true
		out.Queue("COMMIT")
	}
	br := p.conn.SendBatch(ctx, out)
	for i := 0; i < prefix; i++ {
		if _, err := br.Exec(); err != nil {
			return failedResults{BatchResults: br, err: err}
		}
	}
	return br
}

// failedResults answers every read with the error of the transaction's
// opening statements.
type failedResults struct {
	pgx.BatchResults
	err error
}

func (f failedResults) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, f.err }
func (f failedResults) Query() (pgx.Rows, error)         { return nil, f.err }
func (f failedResults) QueryRow() pgx.Row                { return errRow{f.err} }
func (f failedResults) Close() error {
	_ = f.BatchResults.Close()
	return f.err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
