package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// Issue 10 item 8: the runtime role must be confined by row-level security.
func TestCheckRuntimeRoleIntegration(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	if err := postgres.CheckRuntimeRole(ctx, db.App); err != nil {
		t.Fatalf("runtime role rejected: %v", err)
	}
	// The local admin role owns every table and has BYPASSRLS.
	err := postgres.CheckRuntimeRole(ctx, db.Admin)
	if !errors.Is(err, postgres.ErrPrivilegedRuntimeRole) || !strings.Contains(err.Error(), "it has BYPASSRLS") ||
		!strings.Contains(err.Error(), `owns table "events"`) {
		t.Fatalf("admin role: %v, want BYPASSRLS and ownership of events named", err)
	}
	// An owner without BYPASSRLS is refused too (owners escape unforced row-level
	// security and can grant themselves anything). Rolled back: roles are global.
	err = pgx.BeginFunc(ctx, db.Admin, func(tx pgx.Tx) error {
		owner := pgx.Identifier{db.Name + "_owner"}.Sanitize()
		for _, sql := range []string{
			"CREATE ROLE " + owner + " NOLOGIN NOBYPASSRLS",
			"GRANT " + owner + " TO CURRENT_USER",
			"GRANT CREATE ON SCHEMA public TO " + owner,
			"ALTER TABLE workshops OWNER TO " + owner,
			"SET LOCAL ROLE " + owner,
		} {
			if _, err := tx.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		err := postgres.CheckRuntimeRole(ctx, tx)
		if !errors.Is(err, postgres.ErrPrivilegedRuntimeRole) || !strings.Contains(err.Error(), `owns table "workshops"`) ||
			strings.Contains(err.Error(), "it has BYPASSRLS") {
			t.Errorf("owner role: %v, want only the ownership of workshops named", err)
		}
		return errors.New("roll back")
	})
	if err == nil || err.Error() != "roll back" {
		t.Fatal(err)
	}
}
