package postgres_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// The booking read model and reminders ledger (migration 0013) are tenant
// tables: a transaction of one workshop neither sees nor writes another's
// rows, and without a tenant nothing is visible.
func TestRowSecurity_bookingTablesConfinedToTenantIntegration(t *testing.T) {
	db := pgtest.New(t)
	a, b := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	insert := `INSERT INTO booking_appointments (tenant_id, appointment_id, day, customer_id, vehicle_id, services, starts_at, ends_at,
		status, booked_by, booked_at, updated_at) VALUES ($1, $2, '2026-12-07', $2, $2, '{oil_change}', now(), now(), 'booked', 'customer', now(), now())`
	for _, w := range []uuid.UUID{a, b} {
		if n, err := asTenant(t, db, w, insert, w, uuid.New()); err != nil || n != 1 {
			t.Fatalf("own appointment: %d %v", n, err)
		}
		if n, err := asTenant(t, db, w, `INSERT INTO booking_reminders (tenant_id, appointment_id) VALUES ($1, $2)`, w, uuid.New()); err != nil || n != 1 {
			t.Fatalf("own reminder: %d %v", n, err)
		}
	}
	for _, table := range []string{"booking_appointments", "booking_reminders"} {
		if n, err := asTenant(t, db, a, `SELECT 1 FROM `+table+` WHERE tenant_id = $1`, b); err != nil || n != 0 {
			t.Errorf("as A, reading B's %s: %d rows %v", table, n, err)
		}
		if n, err := asTenant(t, db, uuid.Nil, `SELECT 1 FROM `+table); err != nil || n != 0 {
			t.Errorf("without a tenant, %s: %d rows %v", table, n, err)
		}
	}
	if n, err := asTenant(t, db, a, `UPDATE booking_appointments SET status = 'cancelled' WHERE tenant_id = $1`, b); err != nil || n != 0 {
		t.Errorf("as A, changing B's appointments: %d rows %v", n, err)
	}
	if _, err := asTenant(t, db, a, insert, b, uuid.New()); err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("as A, an appointment in B: %v", err)
	}
	for _, sql := range []string{`DELETE FROM booking_reminders WHERE tenant_id = $1`, `UPDATE booking_reminders SET sent_at = now() WHERE tenant_id = $1`} {
		if _, err := asTenant(t, db, a, sql, a); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s: %v, want permission denied (the ledger is append-only)", sql, err)
		}
	}
}
