package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// asTenant runs sql as the runtime role in a transaction scoped to tenant
// (uuid.Nil: none) and returns the rows it affected.
func asTenant(t *testing.T, db *pgtest.DB, tenant uuid.UUID, sql string, args ...any) (int64, error) {
	t.Helper()
	ctx := context.Background()
	var n int64
	err := pgx.BeginFunc(ctx, db.App, func(tx pgx.Tx) error {
		if tenant != uuid.Nil {
			if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, tenant.String()); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, sql, args...)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// Issue 10 item 8: the runtime role reads the platform registry (workshops,
// memberships) but writes only its own tenant's rows, and never deletes a
// workshop.
func TestRowSecurity_registryWritesConfinedToTenantIntegration(t *testing.T) {
	db := pgtest.New(t)
	a, b := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	now := time.Now()
	for _, w := range []uuid.UUID{a, b} {
		if n, err := asTenant(t, db, w, `INSERT INTO workshops (id, slug, name, plan, status, time_zone, version, created_at, updated_at)
			VALUES ($1, $2, 'Oficina', 'basic', 'trialing', 'America/Sao_Paulo', 1, $3, $3)`, w, "s-"+w.String(), now); err != nil || n != 1 {
			t.Fatalf("own workshop insert: %d %v", n, err)
		}
		if n, err := asTenant(t, db, w, `INSERT INTO memberships (tenant_id, identity_id, role, joined_at) VALUES ($1, 'owner', 'owner', $2)`, w, now); err != nil || n != 1 {
			t.Fatalf("own membership insert: %d %v", n, err)
		}
	}
	// Reads stay platform-wide: before a tenant is known, and across tenants.
	for _, sql := range []string{`SELECT count(*) FROM workshops`, `SELECT count(*) FROM memberships`} {
		var n int64
		if err := db.App.QueryRow(context.Background(), sql).Scan(&n); err != nil || n != 2 {
			t.Fatalf("%s without a tenant: %d %v", sql, n, err)
		}
	}
	// Scoped to A: B's rows cannot be changed, removed or created.
	for _, sql := range []string{
		`UPDATE workshops SET name = 'hijacked' WHERE id = $1`,
		`UPDATE memberships SET role = 'owner', identity_id = 'attacker' WHERE tenant_id = $1`,
		`DELETE FROM memberships WHERE tenant_id = $1`,
	} {
		if n, err := asTenant(t, db, a, sql, b); err != nil || n != 0 {
			t.Errorf("as tenant A, %s on B: %d rows, %v; want 0 rows", sql, n, err)
		}
	}
	if _, err := asTenant(t, db, a, `INSERT INTO memberships (tenant_id, identity_id, role, joined_at) VALUES ($1, 'attacker', 'owner', now())`, b); err == nil ||
		!strings.Contains(err.Error(), "row-level security") {
		t.Errorf("as tenant A, a membership in B: %v, want a row-level security violation", err)
	}
	if _, err := asTenant(t, db, a, `UPDATE memberships SET tenant_id = $1 WHERE tenant_id = $2`, b, a); err == nil {
		t.Error("as tenant A, moving a membership into B succeeded")
	}
	// Without a tenant nothing is writable.
	if n, err := asTenant(t, db, uuid.Nil, `UPDATE workshops SET name = 'x'`); err != nil || n != 0 {
		t.Errorf("without a tenant, UPDATE workshops: %d rows, %v", n, err)
	}
	// Workshops are never deleted at run time, not even one's own.
	if _, err := asTenant(t, db, a, `DELETE FROM workshops WHERE id = $1`, a); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("DELETE own workshop: %v, want permission denied", err)
	}
	if got := db.Count(t, `SELECT count(*) FROM workshops WHERE name = 'Oficina'`); got != 2 {
		t.Errorf("%d untouched workshops, want 2", got)
	}
	if got := db.Count(t, `SELECT count(*) FROM memberships WHERE identity_id = 'owner' AND role = 'owner'`); got != 2 {
		t.Errorf("%d untouched memberships, want 2", got)
	}
	// Still allowed: the projection's own-tenant writes.
	if n, err := asTenant(t, db, a, `UPDATE workshops SET name = 'Nova' WHERE id = $1`, a); err != nil || n != 1 {
		t.Errorf("own workshop update: %d %v", n, err)
	}
	if n, err := asTenant(t, db, a, `DELETE FROM memberships WHERE tenant_id = $1`, a); err != nil || n != 1 {
		t.Errorf("own membership delete: %d %v", n, err)
	}
}

// The franchise registry: a franchise's rows are written only in its own
// tenant (the franchise id).
func TestRowSecurity_franchiseWritesConfinedToTenantIntegration(t *testing.T) {
	db := pgtest.New(t)
	f, other, w := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	if _, err := asTenant(t, db, f, `INSERT INTO franchises (id, name, created_at) VALUES ($1, 'Rede', now())`, f); err != nil {
		t.Fatal(err)
	}
	if _, err := asTenant(t, db, f, `INSERT INTO franchise_managers (franchise_id, identity_id) VALUES ($1, 'gerente')`, f); err != nil {
		t.Fatal(err)
	}
	if _, err := asTenant(t, db, f, `INSERT INTO franchise_workshops (franchise_id, workshop_id, state) VALUES ($1, $2, 'member')`, f, w); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE franchises SET name = 'x' WHERE id = $1`,
		`DELETE FROM franchise_managers WHERE franchise_id = $1`,
		`DELETE FROM franchise_workshops WHERE franchise_id = $1`,
	} {
		if n, err := asTenant(t, db, other, sql, f); err != nil || n != 0 {
			t.Errorf("as another tenant, %s: %d rows, %v; want 0 rows", sql, n, err)
		}
	}
	if _, err := asTenant(t, db, other, `INSERT INTO franchise_managers (franchise_id, identity_id) VALUES ($1, 'attacker')`, f); err == nil {
		t.Error("as another tenant, became a manager of the franchise")
	}
	if _, err := asTenant(t, db, f, `DELETE FROM franchises WHERE id = $1`, f); err == nil {
		t.Error("a franchise was deleted at run time")
	}
	if got := db.Count(t, `SELECT count(*) FROM franchise_managers`) + db.Count(t, `SELECT count(*) FROM franchise_workshops`) +
		db.Count(t, `SELECT count(*) FROM franchises WHERE name = 'Rede'`); got != 3 {
		t.Errorf("%d untouched franchise rows, want 3", got)
	}
}

// The Watermill outbox and the event store are append-only for the runtime
// role (the relay reads every tenant's messages: see docs/security-db.md).
func TestRowSecurity_appendOnlyTablesIntegration(t *testing.T) {
	db := pgtest.New(t)
	for _, priv := range []string{"UPDATE", "DELETE", "TRUNCATE"} {
		for _, table := range []string{"events", "watermill_events", "workshops"} {
			if priv == "UPDATE" && table == "workshops" {
				continue
			}
			var ok bool
			if err := db.App.QueryRow(context.Background(), `SELECT has_table_privilege(current_user, $1, $2)`, table, priv).Scan(&ok); err != nil {
				t.Fatal(err)
			}
			if ok {
				t.Errorf("the runtime role has %s on %s", priv, table)
			}
		}
	}
}
