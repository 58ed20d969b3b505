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

// query runs fn in a transaction of the tenant of ctx.
func (r tenantReads) query(ctx context.Context, fn func(tx pgx.Tx, t uuid.UUID) error) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error { return fn(tx, tid.UUID()) })
}
