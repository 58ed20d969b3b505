package wiring

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/infrastructure/smtp"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// ReminderSchedulerEvery is how often the worker runs the reminder
// scheduler (recompute, conversions, due reminders, sending).
const ReminderSchedulerEvery = time.Minute

// NewReminders builds the reminders module on the system's adapters; clock
// nil means time.Now. notifier nil means the default e-mail notifier.
func (s *System) NewReminders(clock func() time.Time, notifier reminders.ReminderNotifier, cfg reminders.Config) (*reminders.UseCases, error) {
	if notifier == nil {
		notifier = &smtp.ReminderMailer{Mailer: s.Mailer, Contacts: contactBook{s: s}}
	}
	store := readmodel.NewMaintenanceStore(s.Pool)
	return reminders.New(usecase.Base{Clock: clock, Consistency: s.Waiter, Logger: s.Log}, reminders.Deps{
		Store: s.Store, Due: store, Catalogs: s.Catalogs, Notifier: notifier, Tenants: store, Config: cfg,
	})
}

// runReminders runs the scheduler every Cfg.ReminderEvery until ctx ends.
func (s *System) runReminders(ctx context.Context) {
	every := s.Cfg.ReminderEvery
	if every < 0 {
		return
	}
	if every == 0 {
		every = ReminderSchedulerEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rep, err := s.Reminders.RunScheduler(ctx)
		if err != nil {
			s.Log.ErrorContext(ctx, "reminders: scheduler run failed", "err", err)
		}
		if rep != (reminders.RunReport{}) {
			s.Log.InfoContext(ctx, "reminders: scheduler run", "recomputed", rep.Recomputed, "due", rep.Due,
				"sent", rep.Sent, "converted", rep.Converted, "waiting", rep.Waiting, "failed", rep.Failed)
		}
	}
}

// remindersHandlers are the REST handlers of the reminders.
func (s *System) remindersHandlers() *httpapi.ReminderHandlers {
	return &httpapi.ReminderHandlers{Reminders: s.Reminders, Log: s.Log}
}

// contactBook reads a customer's name and e-mail for the e-mail notifier.
type contactBook struct{ s *System }

func (c contactBook) Contact(ctx context.Context, customerID uuid.UUID) (reminders.Contact, error) {
	cu, err := readmodel.NewCustomerReadModel(c.s.Pool, c.s.Cipher).Customer(ctx, customerID, true)
	if err != nil {
		return reminders.Contact{}, err
	}
	out := reminders.Contact{Name: cu.Name}
	if cu.Contact != nil && !cu.Erased {
		out.Email = cu.Contact.Email
	}
	if tid, err := tenant.FromContext(ctx); err == nil {
		if w, err := c.s.Directory.WorkshopByID(ctx, tid.UUID()); err == nil {
			out.WorkshopName = w.Name
		}
	}
	return out, nil
}
