package reminders

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/tenant"
)

// schedulerJob names the scheduler's per-workshop exclusive run.
const schedulerJob = "maintenance-reminders"

// dismissedNoContact is the By of a reminder dropped because the customer
// cannot be reached.
const dismissedNoContact = "system:no_contact"

// RunReport counts what one scheduler run did.
type RunReport struct {
	Recomputed int
	Due        int
	Sent       int
	Converted  int
	// Waiting counts reminders held back by the customer's frequency
	// (digest not yet due, or never).
	Waiting int
	Failed  int
}

// RunScheduler is the worker's periodic job (its clock is the base's):
// it recomputes changed vehicles, then in each workshop, one run at a time,
//  1. converts sent reminders followed by an order for the vehicle within
//     the conversion window (maintenance.reminder_converted.v1);
//  2. records maintenance.reminder_due.v1 for every due point within the
//     lead time whose cycle has none yet, unless the customer chose never:
//     the event is the first of a stream derived from the cycle, so it is
//     stored once per cycle however many schedulers race;
//  3. sends the pending reminders through the notifier, one notice per
//     customer: at once for each_due, as a digest at most once a month
//     (monthly) or a quarter (quarterly) — then maintenance.reminder_sent.v1.
//
// A notice that fails is retried by the next run; a crash between sending
// and recording sent_at may repeat one notice (the messaging outbox, behind
// the same port, will make delivery exactly-once). No permission: it acts
// for no person.
func (u *UseCases) RunScheduler(ctx context.Context) (RunReport, error) {
	var rep RunReport
	n, err := u.RecomputeDue(ctx)
	rep.Recomputed = n
	if err != nil {
		u.base.Logger.ErrorContext(ctx, "reminders: recompute failed", "err", err)
	}
	ids, err := u.d.Tenants.Workshops(ctx)
	if err != nil {
		return rep, err
	}
	var failed []error
	for _, id := range ids {
		tctx := usecase.InOwnTenant(ctx, id)
		if _, err := u.d.Tenants.Exclusively(tctx, schedulerJob, func(ctx context.Context) error {
			return u.scheduleTenant(ctx, &rep)
		}); err != nil {
			failed = append(failed, fmt.Errorf("workshop %s: %w", id, err))
		}
	}
	return rep, errors.Join(failed...)
}

func (u *UseCases) scheduleTenant(ctx context.Context, rep *RunReport) error {
	now := u.base.Now()
	if err := u.convert(ctx, now, rep); err != nil {
		return err
	}
	cands, err := u.d.Due.Candidates(ctx, now.Add(-u.cfg.MaxOverdue), now.Add(u.cfg.LeadTime), u.cfg.Batch)
	if err != nil {
		return err
	}
	fresh := map[uuid.UUID]Pending{}
	for _, c := range cands {
		if c.Frequency == FrequencyNever {
			rep.Waiting++
			continue
		}
		cycle := maintenance.Cycle{VehicleID: c.VehicleID, CustomerID: c.CustomerID, Service: c.Service, Cycle: c.Cycle,
			DueAt: c.DueAt, DueKm: c.DueKm, HasDueKm: c.HasDueKm}
		r := maintenance.NewReminderDue(cycle, c.Frequency, now)
		if _, err := u.reminders.Create(ctx, r.ID(), r); err != nil {
			if eventsourcing.IsVersionConflict(err) {
				continue // another run recorded this cycle first
			}
			return err
		}
		rep.Due++
		fresh[r.ID()] = Pending{ReminderID: r.ID(), Item: c.Item, Frequency: c.Frequency}
	}
	pending, err := u.d.Due.Pending(ctx, u.cfg.Batch)
	if err != nil {
		return err
	}
	for _, p := range pending {
		fresh[p.ReminderID] = p // the read model's frequency is the current one
	}
	return u.send(ctx, now, fresh, rep)
}

func (u *UseCases) convert(ctx context.Context, now time.Time, rep *RunReport) error {
	convs, err := u.d.Due.Conversions(ctx, u.cfg.ConversionWindow, u.cfg.Batch)
	if err != nil {
		return err
	}
	for _, c := range convs {
		converted := false
		if _, err := u.reminders.Update(ctx, c.ReminderID, func(r *maintenance.Reminder) error {
			var err error
			converted, err = r.Convert(c.OrderID, c.OpenedAt, u.cfg.ConversionWindow, now)
			return err
		}, eventsourcing.RetryOnConflict()); err != nil {
			return err
		}
		if converted {
			rep.Converted++
		}
	}
	return nil
}

func (u *UseCases) send(ctx context.Context, now time.Time, pending map[uuid.UUID]Pending, rep *RunReport) error {
	if len(pending) == 0 {
		return nil
	}
	cat, err := u.d.Catalogs.Catalog(ctx)
	if err != nil {
		return err
	}
	byCustomer := map[uuid.UUID][]Pending{}
	var order []uuid.UUID
	for _, p := range pending {
		if _, ok := byCustomer[p.CustomerID]; !ok {
			order = append(order, p.CustomerID)
		}
		byCustomer[p.CustomerID] = append(byCustomer[p.CustomerID], p)
	}
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	for _, customerID := range order {
		group := byCustomer[customerID]
		if wait, err := u.holdBack(ctx, now, customerID, group[0].Frequency); err != nil {
			return err
		} else if wait {
			rep.Waiting += len(group)
			continue
		}
		sort.Slice(group, func(i, j int) bool { return group[i].DueAt.Before(group[j].DueAt) })
		// The read model may lag behind the streams: send only what the
		// streams still say is unsent.
		var items []Pending
		for _, p := range group {
			r, err := u.reminders.Load(ctx, p.ReminderID)
			if err != nil {
				return err
			}
			if r.IsDue() && r.Status() == maintenance.StatusScheduled {
				items = append(items, p)
			}
		}
		if len(items) == 0 {
			continue
		}
		channel, err := u.d.Notifier.Notify(ctx, notice(tid.UUID(), customerID, items, cat))
		if errors.Is(err, ErrNoContact) {
			u.mark(ctx, items, func(r *maintenance.Reminder) error { return r.Dismiss(dismissedNoContact, now) })
			continue
		}
		if err != nil {
			rep.Failed += len(items)
			u.base.Logger.WarnContext(ctx, "reminders: notice not sent; retried next run", "customer_id", customerID, "err", err)
			continue
		}
		rep.Sent += u.mark(ctx, items, func(r *maintenance.Reminder) error { return r.MarkSent(channel, now) })
	}
	return nil
}

// holdBack reports whether the customer's frequency holds a notice back.
func (u *UseCases) holdBack(ctx context.Context, now time.Time, customerID uuid.UUID, frequency string) (bool, error) {
	months := 0
	switch frequency {
	case FrequencyNever:
		return true, nil
	case FrequencyMonthly:
		months = 1
	case FrequencyQuarterly:
		months = 3
	default:
		return false, nil
	}
	last, ok, err := u.d.Due.LastSentTo(ctx, customerID)
	if err != nil || !ok {
		return false, err
	}
	return now.Before(last.AddDate(0, months, 0)), nil
}

// mark applies command to each reminder and returns how many it stored;
// failures are logged (the next run sees the reminder again).
func (u *UseCases) mark(ctx context.Context, items []Pending, command func(*maintenance.Reminder) error) int {
	n := 0
	for _, p := range items {
		if _, err := u.reminders.Update(ctx, p.ReminderID, command, eventsourcing.RetryOnConflict()); err != nil {
			u.base.Logger.ErrorContext(ctx, "reminders: could not record the notice", "reminder_id", p.ReminderID, "err", err)
			continue
		}
		n++
	}
	return n
}

func notice(workshopID, customerID uuid.UUID, items []Pending, cat catalog.Catalog) Notice {
	n := Notice{WorkshopID: workshopID, CustomerID: customerID}
	for _, p := range items {
		label := p.Service
		if code, err := catalog.ParseServiceCode(p.Service); err == nil {
			if s, ok := cat.Lookup(code); ok {
				label = s.Label()
			}
		}
		n.Items = append(n.Items, NoticeItem{VehicleID: p.VehicleID, Vehicle: p.Vehicle, Service: p.Service,
			ServiceLabel: label, DueAt: p.DueAt, DueKm: p.DueKm, HasDueKm: p.HasDueKm})
	}
	return n
}
