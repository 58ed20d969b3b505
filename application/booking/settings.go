package booking

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/tenant"
)

// GetSettings returns the booking settings of the workshop in ctx (the
// defaults until saved). Permission: appointment.read.
func (u *UseCases) GetSettings(ctx context.Context) (Settings, error) {
	if _, err := authz.Require(ctx, authz.ReadAppointments); err != nil {
		return Settings{}, err
	}
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return Settings{}, err
	}
	s, v, err := u.loadSettings(ctx, tid.UUID())
	if err != nil {
		return Settings{}, err
	}
	return Settings{Bays: s.Bays, SlotMinutes: s.SlotMinutes, ServiceMinutes: s.ServiceMinutes, Version: v}, nil
}

// UpdateSettingsInput is PUT .../booking-settings.
type UpdateSettingsInput struct {
	Bays           int
	SlotMinutes    int
	ServiceMinutes map[string]int
	// ExpectedVersion is the If-Match version (nil: none).
	ExpectedVersion *int64
}

// UpdateSettings replaces the booking settings. Every service must be in
// the workshop's catalogue. Permission: booking.settings. Opening hours and
// the time zone are the workshop profile's.
func (u *UseCases) UpdateSettings(ctx context.Context, in UpdateSettingsInput) (Settings, error) {
	if _, err := authz.Require(ctx, authz.ManageBooking); err != nil {
		return Settings{}, err
	}
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return Settings{}, err
	}
	cat, err := u.catalog(ctx)
	if err != nil {
		return Settings{}, err
	}
	now := u.base.Now()
	id := booking.SettingsStreamID(tid.UUID())
	var data booking.SettingsData
	command := func(s *booking.Settings) error {
		if err := s.Change(booking.SettingsData{Bays: in.Bays, SlotMinutes: in.SlotMinutes, ServiceMinutes: in.ServiceMinutes},
			catalogCodes{cat}, now); err != nil {
			return err
		}
		data = s.Data()
		return nil
	}
	_, version, err := u.loadSettings(ctx, tid.UUID())
	if err != nil {
		return Settings{}, err
	}
	if version == 0 && (in.ExpectedVersion == nil || *in.ExpectedVersion == 0) {
		s := booking.BlankSettings(id)
		if err := command(s); err != nil {
			return Settings{}, err
		}
		r, err := u.settings.Create(ctx, id, s)
		if err == nil {
			u.base.Await(ctx, r)
			return Settings{Bays: data.Bays, SlotMinutes: data.SlotMinutes, ServiceMinutes: data.ServiceMinutes, Version: r.ToVersion}, nil
		}
		if in.ExpectedVersion != nil || !eventsourcing.IsVersionConflict(err) {
			return Settings{}, err
		}
		// Someone saved first: fall through to an update over theirs.
	}
	r, err := u.settings.Update(ctx, id, command, usecase.UpdateOptions(in.ExpectedVersion)...)
	if err != nil {
		return Settings{}, err
	}
	u.base.Await(ctx, r)
	return Settings{Bays: data.Bays, SlotMinutes: data.SlotMinutes, ServiceMinutes: data.ServiceMinutes, Version: r.ToVersion}, nil
}
