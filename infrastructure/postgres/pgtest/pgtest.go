// Package pgtest gives integration tests a fresh, migrated database of their
// own on the Postgres that `make test` starts. Tests using it are skipped under
// -short and fail (never skip) when Postgres is unreachable.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/migrations"
)

// DB is one test database.
type DB struct {
	Name string
	// App connects as the runtime role: row-level security applies.
	App *pgxpool.Pool
	// Admin connects as the schema owner / maintenance role.
	Admin *pgxpool.Pool
	// AppURL and AdminURL connect to this database.
	AppURL, AdminURL string
}

// AdminURL returns the maintenance URL of the local stack (or the environment's).
func AdminURL() string {
	if v := os.Getenv("TORQUE_DATABASE_ADMIN_URL"); v != "" {
		return v
	}
	return "postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable"
}

// AppURL returns the runtime URL of the local stack (or the environment's).
func AppURL() string {
	if v := os.Getenv("TORQUE_DATABASE_URL"); v != "" {
		return v
	}
	return "postgres://torque_app:torque_app@127.0.0.1:55432/torque?sslmode=disable"
}

func withDatabase(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + db
	return u.String()
}

// New creates a migrated database, dropped when the test ends.
func New(tb testing.TB) *DB {
	tb.Helper()
	if testing.Short() {
		tb.Skip("integration test: needs Postgres (run without -short)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	root, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		tb.Fatalf("pgtest: Postgres unreachable (run `make stack`): %v", err)
	}
	defer func() { _ = root.Close(ctx) }() // only released; nothing was written through it to lose
	var buf [6]byte
	_, _ = rand.Read(buf[:])
	name := "torque_test_" + hex.EncodeToString(buf[:])
	if _, err := root.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	d := &DB{Name: name, AdminURL: withDatabase(AdminURL(), name), AppURL: withDatabase(AppURL(), name)}
	tb.Cleanup(func() {
		if d.App != nil {
			d.App.Close()
		}
		if d.Admin != nil {
			d.Admin.Close()
		}
		cctx, ccancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer ccancel()
		c, err := pgx.Connect(cctx, AdminURL())
		if err != nil {
			return
		}
		defer func() { _ = c.Close(cctx) }()
		_, _ = c.Exec(cctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	if d.Admin, err = postgres.Open(ctx, postgres.Config{URL: d.AdminURL, MaxConns: 10}); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	appUser, _ := url.Parse(AppURL())
	if _, err := postgres.Migrate(ctx, d.Admin, migrations.Postgres, "postgres", appUser.User.Username()); err != nil {
		tb.Fatalf("pgtest: migrate: %v", err)
	}
	if d.App, err = postgres.Open(ctx, postgres.Config{URL: d.AppURL, MaxConns: 40}); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return d
}

// Exec runs admin SQL or fails the test.
func (d *DB) Exec(tb testing.TB, sql string, args ...any) {
	tb.Helper()
	if _, err := d.Admin.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("pgtest: %s: %v", sql, err)
	}
}

// Count returns SELECT count(*) of a query run as admin (RLS bypassed).
func (d *DB) Count(tb testing.TB, sql string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := d.Admin.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		tb.Fatalf("pgtest: %s: %v", sql, err)
	}
	return n
}

// Persistent opens the migrated database name, creating it when it does not
// exist, and keeps it when the test ends (benchmarks reuse a large data set
// across runs; see Marker). fresh says whether it was just created.
// recreate drops an existing one first.
func Persistent(tb testing.TB, name string, recreate bool) (d *DB, fresh bool) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("integration test: needs Postgres (run without -short)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	root, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		tb.Fatalf("pgtest: Postgres unreachable (run `make stack`): %v", err)
	}
	defer func() { _ = root.Close(ctx) }()
	if recreate {
		if _, err := root.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			tb.Fatalf("pgtest: drop database: %v", err)
		}
	}
	var exists bool
	if err := root.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if !exists {
		if _, err := root.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			tb.Fatalf("pgtest: create database: %v", err)
		}
	}
	d = &DB{Name: name, AdminURL: withDatabase(AdminURL(), name), AppURL: withDatabase(AppURL(), name)}
	tb.Cleanup(func() {
		if d.App != nil {
			d.App.Close()
		}
		if d.Admin != nil {
			d.Admin.Close()
		}
	})
	if d.Admin, err = postgres.Open(ctx, postgres.Config{URL: d.AdminURL, MaxConns: 10}); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	appUser, _ := url.Parse(AppURL())
	if _, err := postgres.Migrate(ctx, d.Admin, migrations.Postgres, "postgres", appUser.User.Username()); err != nil {
		tb.Fatalf("pgtest: migrate: %v", err)
	}
	if d.App, err = postgres.Open(ctx, postgres.Config{URL: d.AppURL, MaxConns: 40}); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return d, !exists
}

// Marker returns the text SetMarker left on the database ("" if none).
func (d *DB) Marker(tb testing.TB) string {
	tb.Helper()
	var s *string
	if err := d.Admin.QueryRow(context.Background(),
		`SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1`, d.Name).Scan(&s); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if s == nil {
		return ""
	}
	return *s
}

// SetMarker records text on the database (COMMENT ON DATABASE), e.g. the
// fingerprint of a data set loaded completely.
func (d *DB) SetMarker(tb testing.TB, text string) {
	tb.Helper()
	d.Exec(tb, "COMMENT ON DATABASE "+pgx.Identifier{d.Name}.Sanitize()+" IS "+quoteLiteral(text))
}

func quoteLiteral(s string) string {
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += "'"
		}
		out += string(r)
	}
	return out + "'"
}
