package booking

import (
	"context"
	"time"

	"github.com/torquehq/torque/domain/tenant"
)

// SendReminders sends the day-before reminder of every booked or confirmed
// appointment on its workshop's next local day that has not had one,
// exactly once per appointment (the Reminders ledger's unique key), and
// returns how many it sent. It runs in the worker, with no principal: it
// only reads appointments and calls the notifier.
func (u *UseCases) SendReminders(ctx context.Context) (int, error) {
	if u.d.Reminders == nil || u.d.Notifier == nil {
		return 0, nil
	}
	due, err := u.d.Reminders.Due(ctx, u.base.Now())
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range due {
		tctx := tenant.WithTenant(ctx, r.Tenant)
		s, err := u.schedule(tctx)
		if err != nil {
			u.base.Logger.ErrorContext(ctx, "reminder: workshop unreadable", "tenant", r.Tenant, "err", err)
			continue
		}
		n := s.notice(r.Appointment)
		ok, err := u.d.Reminders.Once(tctx, r.Appointment.ID, func(ctx context.Context) error { return u.d.Notifier.Remind(ctx, n) })
		if err != nil {
			u.base.Logger.ErrorContext(ctx, "reminder not sent", "appointment", r.Appointment.ID, "err", err)
			continue
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// RunReminders calls SendReminders every interval until ctx ends.
func (u *UseCases) RunReminders(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := u.SendReminders(ctx); err != nil {
			u.base.Logger.ErrorContext(ctx, "reminders", "err", err)
		} else if n > 0 {
			u.base.Logger.InfoContext(ctx, "appointment reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
