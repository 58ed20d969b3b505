package readmodel

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = BookingProjection{}

// BookingProjection maintains booking_appointments from the booking day
// streams: ids, times, services and the customer's note about the job,
// sealed under the customer's key (issue 10, item 9).
type BookingProjection struct {
	// Cipher seals the notes; the tenant comes from each event.
	Cipher privacy.Cipher
}

// appointmentNoteField binds a sealed note to its appointment.
func appointmentNoteField(id uuid.UUID) string { return "booking_appointments.note:" + id.String() }

// Name implements projection.Projection.
func (BookingProjection) Name() string { return "booking" }

// Handles implements projection.Projection.
func (BookingProjection) Handles() []string {
	return es.NamesOf(booking.AppointmentBooked{}, booking.AppointmentStatusChanged{})
}

// Reset implements projection.Projection.
func (BookingProjection) Reset(b *pgx.Batch) { b.Queue(`DELETE FROM booking_appointments`) }

// Apply implements projection.Projection.
func (p BookingProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	tid := e.Tenant.UUID()
	switch ev := e.Event.(type) {
	case booking.AppointmentBooked:
		note, err := newSealer(p.Cipher, e.Tenant).sealText(ev.CustomerID, appointmentNoteField(ev.AppointmentID), ev.Note)
		if err != nil {
			return err
		}
		services := ev.Services
		if services == nil {
			services = []string{}
		}
		b.Queue(`INSERT INTO booking_appointments (tenant_id, appointment_id, day, customer_id, vehicle_id, services,
		         starts_at, ends_at, status, note, booked_by, booked_at, updated_at)
		         VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, 'booked', $9, $10, $11, $11)
		         ON CONFLICT (tenant_id, appointment_id) DO NOTHING`,
			tid, ev.AppointmentID, ev.Day, ev.CustomerID, ev.VehicleID, services, ev.Start, ev.End, note, ev.BookedBy, ev.BookedAt)
	case booking.AppointmentStatusChanged:
		var order *uuid.UUID
		if ev.ServiceOrderID != uuid.Nil {
			order = &ev.ServiceOrderID
		}
		b.Queue(`UPDATE booking_appointments SET status = $3, service_order_id = coalesce($4, service_order_id), updated_at = $5
		         WHERE tenant_id = $1 AND appointment_id = $2`, tid, ev.AppointmentID, ev.To, order, ev.ChangedAt)
	default:
		return fmt.Errorf("booking: unexpected %T", e.Event)
	}
	return nil
}
