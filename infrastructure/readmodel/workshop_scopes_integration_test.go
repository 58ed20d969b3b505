package readmodel_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/infrastructure/readmodel"
)

// asWorkshop runs sql as the runtime role in the workshop's tenant, as the
// tenancy projection does.
func asWorkshop(t *testing.T, db *pgtest.DB, id uuid.UUID, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, db.App, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, id.String()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sql, args...)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// workshopWithMember creates the workshop slug with identity as its manager.
func workshopWithMember(t *testing.T, db *pgtest.DB, slug, identity string) (uuid.UUID, time.Time) {
	t.Helper()
	ws, now := uuid.Must(uuid.NewV7()), time.Now()
	asWorkshop(t, db, ws, `INSERT INTO workshops (id, slug, name, plan, status, time_zone, version, created_at, updated_at)
		VALUES ($1, $2, 'Oficina', 'basic', 'active', 'America/Sao_Paulo', 1, $3, $3)`, ws, slug, now)
	asWorkshop(t, db, ws, `INSERT INTO memberships (tenant_id, identity_id, role, joined_at) VALUES ($1, $2, 'manager', $3)`, ws, identity, now)
	return ws, now
}

// startScopes runs a cache's listener (one per "process") until the test ends
// and waits until it is connected.
func startScopes(t *testing.T, db *pgtest.DB) *readmodel.CachedWorkshopScopes {
	t.Helper()
	c := readmodel.NewCachedWorkshopScopes(readmodel.NewWorkshopDirectory(db.App), time.Minute, 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Run(ctx, nil) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the scopes listener", c.Live)
	return c
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func role(c *readmodel.CachedWorkshopScopes, slug, identity string) string {
	_, r, err := c.Scope(context.Background(), slug, identity)
	if errors.Is(err, errs.ErrNotFound) {
		return "none"
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return r
}

// Issue 15: a request's workshop scope comes from memory, and a role change
// or removal made through any process reaches every process's cache.
func TestCachedWorkshopScopes_changesByAnyProcessReachEveryCacheIntegration(t *testing.T) {
	db := pgtest.New(t)
	ws, now := workshopWithMember(t, db, "oficina-escopo", "ana")
	a, b := startScopes(t, db), startScopes(t, db)

	for range 3 {
		if got := role(a, "oficina-escopo", "ana"); got != "manager" {
			t.Fatalf("role before the change: %s", got)
		}
	}
	if hits, reads := a.Stats(); hits != 2 || reads != 1 {
		t.Fatalf("three scopings: %d from memory, %d reads; want 2 and 1", hits, reads)
	}
	if got := role(b, "oficina-escopo", "ana"); got != "manager" {
		t.Fatalf("process b before the change: %s", got)
	}

	asWorkshop(t, db, ws, `UPDATE memberships SET role = 'mechanic' WHERE tenant_id = $1 AND identity_id = 'ana'`, ws)
	for _, c := range []*readmodel.CachedWorkshopScopes{a, b} {
		waitFor(t, "the demotion", func() bool { return role(c, "oficina-escopo", "ana") == "mechanic" })
	}
	asWorkshop(t, db, ws, `DELETE FROM memberships WHERE tenant_id = $1 AND identity_id = 'ana'`, ws)
	for _, c := range []*readmodel.CachedWorkshopScopes{a, b} {
		waitFor(t, "the removal", func() bool { return role(c, "oficina-escopo", "ana") == "none" })
	}
	// Refusals are not cached: joining takes effect at once.
	asWorkshop(t, db, ws, `INSERT INTO memberships (tenant_id, identity_id, role, joined_at) VALUES ($1, 'ana', 'owner', $2)`, ws, now)
	waitFor(t, "the new membership", func() bool { return role(a, "oficina-escopo", "ana") == "owner" })
	// A workshop change (here the second-factor policy) drops the cache too.
	asWorkshop(t, db, ws, `UPDATE workshops SET mfa_required = true WHERE id = $1`, ws)
	waitFor(t, "the policy change", func() bool {
		v, _, err := a.Scope(context.Background(), "oficina-escopo", "ana")
		return err == nil && v.MFARequired
	})
}

// In the process that made a change, the command's read-your-writes wait
// drops the cache itself: the next request sees the change even before the
// NOTIFY arrives.
func TestCachedWorkshopScopes_consistencyDropsTheCacheAfterAWorkshopCommandIntegration(t *testing.T) {
	db := pgtest.New(t)
	ws, _ := workshopWithMember(t, db, "oficina-rw", "bia")
	c := startScopes(t, db)
	if got := role(c, "oficina-rw", "bia"); got != "manager" {
		t.Fatalf("role: %s", got)
	}
	// The "projection" commits without a NOTIFY reaching this cache (the
	// trigger is off in this test's database), as if it had not arrived yet.
	if _, err := db.Admin.Exec(context.Background(), `ALTER TABLE memberships DISABLE TRIGGER memberships_scopes_changed`); err != nil {
		t.Fatal(err)
	}
	asWorkshop(t, db, ws, `UPDATE memberships SET role = 'mechanic' WHERE tenant_id = $1 AND identity_id = 'bia'`, ws)
	if got := role(c, "oficina-rw", "bia"); got != "manager" {
		t.Fatalf("without a NOTIFY or a command, the cached role should still answer: %s", got)
	}
	wait := c.Consistency(noWait{})
	// A command on another kind of stream leaves the cache alone.
	_ = wait.AwaitProjections(context.Background(), eventsourcing.AppendResult{Stream: eventsourcing.StreamRef{Type: "customer", ID: ws}})
	if got := role(c, "oficina-rw", "bia"); got != "manager" {
		t.Fatalf("after a customer command: %s", got)
	}
	_ = wait.AwaitProjections(context.Background(), eventsourcing.AppendResult{Stream: eventsourcing.StreamRef{Type: workshop.StreamType, ID: ws}})
	if got := role(c, "oficina-rw", "bia"); got != "mechanic" {
		t.Fatalf("after a workshop command was projected: %s", got)
	}
}

type noWait struct{}

func (noWait) AwaitProjections(context.Context, eventsourcing.AppendResult) error { return nil }
