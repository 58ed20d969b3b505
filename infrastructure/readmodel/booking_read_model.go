package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/booking"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var (
	_ booking.ReadModel = (*PostgresBookingReadModel)(nil)
	_ booking.Reminders = (*PostgresBookingReadModel)(nil)
)

// PostgresBookingReadModel reads booking_appointments and keeps the
// reminders ledger (booking_reminders). The car owner's note is sealed
// under the customer's key (issue 10, item 9) and opened here; it reads as
// the erasure placeholder once the customer is erased.
type PostgresBookingReadModel struct{ tenantReads }

// NewBookingReadModel returns the adapter; pool connects as the runtime
// role, cipher opens the notes.
func NewBookingReadModel(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresBookingReadModel {
	return &PostgresBookingReadModel{tenantReads{pool: pool, cipher: cipher}}
}

// openAppointments returns what opens the sealed notes of appointments
// read by scanAppointment (it takes a collect's results as they come).
func (r *PostgresBookingReadModel) openAppointments(ctx context.Context) func([]booking.Appointment, error) ([]booking.Appointment, error) {
	return func(as []booking.Appointment, err error) ([]booking.Appointment, error) {
		if err != nil {
			return as, err
		}
		for i := range as {
			a := &as[i]
			if a.Note, err = r.openSealedText(ctx, a.CustomerID, appointmentNoteField(a.ID), a.Note); err != nil {
				return nil, err
			}
		}
		return as, nil
	}
}

const appointmentSelect = `SELECT appointment_id, customer_id, vehicle_id, to_char(day, 'YYYY-MM-DD'), starts_at, ends_at, services,
	status, note, coalesce(service_order_id, '00000000-0000-0000-0000-000000000000'), booked_by, booked_at, updated_at
	FROM booking_appointments`

func scanAppointment(row pgx.CollectableRow) (booking.Appointment, error) {
	var a booking.Appointment
	err := row.Scan(&a.ID, &a.CustomerID, &a.VehicleID, &a.Day, &a.Start, &a.End, &a.Services, &a.Status, &a.Note,
		&a.ServiceOrderID, &a.BookedBy, &a.BookedAt, &a.UpdatedAt)
	a.Start, a.End, a.BookedAt, a.UpdatedAt = a.Start.UTC(), a.End.UTC(), a.BookedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

// Appointment implements booking.ReadModel.
func (r *PostgresBookingReadModel) Appointment(ctx context.Context, id uuid.UUID) (booking.Appointment, error) {
	out, err := r.openAppointments(ctx)(collectTenant(ctx, r.tenantReads, scanAppointment, appointmentSelect+` WHERE tenant_id = $1 AND appointment_id = $2`, id))
	if err != nil {
		return booking.Appointment{}, err
	}
	if len(out) == 0 {
		return booking.Appointment{}, fmt.Errorf("appointment %s: %w", id, errs.ErrNotFound)
	}
	return out[0], nil
}

// Appointments implements booking.ReadModel.
func (r *PostgresBookingReadModel) Appointments(ctx context.Context, f booking.Filter, limit int) ([]booking.Appointment, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	where := "tenant_id = " + a.add(tid.UUID())
	if !f.From.IsZero() {
		where += " AND starts_at >= " + a.add(f.From)
	}
	if !f.To.IsZero() {
		where += " AND starts_at < " + a.add(f.To)
	}
	if f.CustomerIDs != nil {
		where += " AND customer_id = ANY(" + a.add(f.CustomerIDs) + ")"
	}
	if f.HoldingBay {
		where += " AND status IN ('booked', 'confirmed', 'arrived')"
	}
	out, err := r.openAppointments(ctx)(collect(ctx, r.pool, scanAppointment, appointmentSelect+` WHERE `+where+` ORDER BY starts_at, appointment_id LIMIT `+a.add(limit), a...))
	if out == nil {
		out = []booking.Appointment{}
	}
	return out, err
}

// Due implements booking.Reminders: for each workshop, the appointments on
// its next local day without a reminder. It reads one tenant at a time
// (row-level security); the workshops registry is readable by all.
func (r *PostgresBookingReadModel) Due(ctx context.Context, now time.Time) ([]booking.DueReminder, error) {
	rows, err := r.pool.Query(ctx, `SELECT id, time_zone FROM workshops WHERE status NOT IN ('canceled', 'suspended')`)
	if err != nil {
		return nil, err
	}
	type ws struct {
		id uuid.UUID
		tz string
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ws, error) {
		var w ws
		return w, row.Scan(&w.id, &w.tz)
	})
	if err != nil {
		return nil, err
	}
	var out []booking.DueReminder
	for _, w := range list {
		loc, err := time.LoadLocation(w.tz)
		if err != nil {
			loc = time.UTC
		}
		local := now.In(loc)
		tomorrow := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		t, err := tenant.FromUUID(w.id)
		if err != nil {
			continue
		}
		tctx := tenant.WithTenant(ctx, t)
		due, err := r.openAppointments(tctx)(collect(tctx, r.pool, scanAppointment, appointmentSelect+` a WHERE a.tenant_id = $1 AND a.day = $2::date
			AND a.status IN ('booked', 'confirmed')
			AND NOT EXISTS (SELECT 1 FROM booking_reminders m WHERE m.tenant_id = a.tenant_id AND m.appointment_id = a.appointment_id)
			ORDER BY a.starts_at`, w.id, tomorrow))
		if err != nil {
			return out, err
		}
		for _, a := range due {
			out = append(out, booking.DueReminder{Tenant: t, Appointment: a})
		}
	}
	return out, nil
}

// Once implements booking.Reminders: the ledger row and the sending share
// one transaction, so a failed send records nothing and a concurrent worker
// waits on the row, then finds it taken.
func (r *PostgresBookingReadModel) Once(ctx context.Context, id uuid.UUID, send func(context.Context) error) (bool, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return false, err
	}
	sent := false
	err = postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error {
		var got uuid.UUID
		err := tx.QueryRow(ctx, `INSERT INTO booking_reminders (tenant_id, appointment_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING RETURNING appointment_id`, tid.UUID(), id).Scan(&got)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := send(ctx); err != nil {
			return err
		}
		sent = true
		return nil
	})
	return sent && err == nil, err
}
