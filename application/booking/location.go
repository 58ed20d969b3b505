package booking

import (
	"context"
	"time"

	"github.com/torquehq/torque/application/authz"
)

// Location returns the time zone of the workshop in ctx (for pages that
// print appointments and slots). Permission: appointment.read, or
// portal.read for a car owner (the portal's booking page).
func (u *UseCases) Location(ctx context.Context) (*time.Location, error) {
	if _, err := authz.Require(ctx, authz.PortalRead); err != nil {
		if _, err2 := authz.Require(ctx, authz.ReadAppointments); err2 != nil {
			return nil, err2
		}
	}
	s, err := u.schedule(ctx)
	if err != nil {
		return nil, err
	}
	return s.calendar.Location(), nil
}
