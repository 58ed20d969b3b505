package readmodel

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

// tenantReads is what the read-model adapters share: a pool of the runtime
// role, queried in a transaction of the tenant in the context (row-level
// security plus an explicit tenant condition), and the Cipher that opens
// personal fields. A ciphertext that fails to decrypt as tampered fails the
// read; one of an erased person reads as absent.
type tenantReads struct {
	pool   *pgxpool.Pool
	cipher privacy.Cipher
}

// open decrypts one read-model field; NULL and shredded keys give "".
func (r tenantReads) open(ctx context.Context, subject uuid.UUID, field string, ct *string) (string, error) {
	if ct == nil {
		return "", nil
	}
	pt, err := r.cipher.Decrypt(ctx, subject, field, *ct)
	if errors.Is(err, privacy.ErrErased) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

// collect runs one query in a transaction of the tenant of ctx (row-level
// security) and scans every row with scan. The tenant setting and the query
// travel as one pipelined batch, which Postgres runs as one implicit
// transaction: one round trip instead of BEGIN, query and COMMIT.
func collect[T any](ctx context.Context, pool *pgxpool.Pool, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	b, err := postgres.TenantBatch(ctx)
	if err != nil {
		return nil, err
	}
	b.Queue(sql, args...)
	br := pool.SendBatch(ctx, b)
	out, err := collectBatch(br, scan)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, postgres.Unavailable(err)
	}
	return out, nil
}

// collectBatch reads the tenant setting of a TenantBatch, then scans the
// rows of its next query; the caller closes br.
func collectBatch[T any](br pgx.BatchResults, scan pgx.RowToFunc[T]) ([]T, error) {
	if _, err := br.Exec(); err != nil {
		return nil, err
	}
	return collectNext(br, scan)
}

// collectNext scans the rows of the next query of a batch.
func collectNext[T any](br pgx.BatchResults, scan pgx.RowToFunc[T]) ([]T, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scan)
}

// collectTenant is collect for the queries that also name the tenant of
// ctx explicitly: its id is $1, before args.
func collectTenant[T any](ctx context.Context, r tenantReads, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	return collect(ctx, r.pool, scan, sql, append([]any{tid.UUID()}, args...)...)
}
