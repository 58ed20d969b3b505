// Package postgres holds the Postgres adapters: connection pools with tenant
// scoping, the event store and the migrator.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/domain/tenant"
)

// Config configures a pool.
type Config struct {
	// URL is a libpq-style connection URL.
	URL string
	// MaxConns caps the pool size (default 20).
	MaxConns int32
}

func (c *Config) setDefaults() {
	if c.MaxConns == 0 {
		c.MaxConns = 20
	}
}

// Validate reports a missing URL.
func (c Config) Validate() error {
	if c.URL == "" {
		return errors.New("postgres: URL is required")
	}
	return nil
}

// Open connects a pool and pings it.
func Open(ctx context.Context, cfg Config) (*pgxpool.Pool, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse URL: %w", err)
	}
	pc.MaxConns = cfg.MaxConns
	if pc.ConnConfig.ConnectTimeout == 0 {
		// A database that accepts TCP but never answers must not hold a
		// request forever: the request fails as unavailable (503) instead.
		pc.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pc.ConnConfig.RuntimeParams["application_name"] = "torque"
	// github.com/google/uuid arguments as the 16 bytes they are, on every
	// pool (see encodeUUIDs).
	pc.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		encodeUUIDs(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: ping: %w", err)
	}
	return pool, nil
}

// SetTenantSQL scopes the current transaction to a tenant for row-level
// security. Queue it first in a batch or run it first in a transaction.
const SetTenantSQL = `SELECT set_config('app.tenant_id', $1, true)`

// InTenantTx runs fn in a transaction scoped to the tenant in ctx; it fails
// closed with tenant.ErrNoTenant when there is none.
func InTenantTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	// BEGIN and the tenant setting travel in one simple-protocol message (one
	// round trip instead of two). The id is a parsed UUID, so quoting it into
	// the statement is safe.
	opts := pgx.TxOptions{BeginQuery: "BEGIN; SELECT set_config('app.tenant_id', '" + tid.String() + "', true)"}
	return Unavailable(pgx.BeginTxFunc(ctx, pool, opts, fn))
}

// TenantBatch starts a batch whose statements run in one implicit transaction
// scoped to the tenant in ctx (one round trip). Postgres runs every statement
// of a pipelined batch in one implicit transaction, so set_config(..., true)
// lasts exactly as long as the batch.
func TenantBatch(ctx context.Context) (*pgx.Batch, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue(SetTenantSQL, tid.String())
	return b, nil
}
