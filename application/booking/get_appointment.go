package booking

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// GetAppointment returns one appointment. Permission: appointment.read.
func (u *UseCases) GetAppointment(ctx context.Context, id uuid.UUID) (Appointment, error) {
	if _, err := authz.Require(ctx, authz.ReadAppointments); err != nil {
		return Appointment{}, err
	}
	return u.d.Appointments.Appointment(ctx, id)
}
