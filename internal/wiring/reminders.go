package wiring

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	dmessaging "github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/infrastructure/smtp"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// ReminderSchedulerEvery is how often the worker runs the reminder
// scheduler (recompute, conversions, due reminders, sending).
const ReminderSchedulerEvery = time.Minute

// NewReminders builds the reminders module on the system's adapters; clock
// nil means time.Now. notifier nil means the messaging outbox (or, without
// messaging, the e-mail notifier).
func (s *System) NewReminders(clock func() time.Time, notifier reminders.ReminderNotifier, cfg reminders.Config) (*reminders.UseCases, error) {
	switch {
	case notifier != nil:
	case s.Messaging != nil:
		notifier = outboxReminders{enq: s.Messaging, directory: s.Directory}
	default:
		notifier = s.ReminderEmailNotifier()
	}
	store := readmodel.NewMaintenanceStore(s.Pool)
	return reminders.New(usecase.Base{Clock: clock, Consistency: s.Consistency, Logger: s.Log}, reminders.Deps{
		Store: s.Store, Due: store, Catalogs: s.Catalogs, Notifier: notifier, Tenants: store, Config: cfg,
	})
}

// ReminderEmailNotifier is the plain e-mail notifier (pt-BR, over SMTP), for
// deployments without the messaging outbox.
func (s *System) ReminderEmailNotifier() reminders.ReminderNotifier {
	return &smtp.ReminderMailer{Mailer: s.Mailer, Contacts: contactBook{s: s}}
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

// outboxReminders sends reminder notices through the messaging outbox: the
// channel, consent, quiet hours and holidays are decided at send time there,
// and the dedupe key makes a repeated scheduler run queue nothing twice.
type outboxReminders struct {
	enq       messaging.Enqueuer
	directory workshopTimeZones
}

// workshopTimeZones finds the zone a workshop's customers read dates in.
type workshopTimeZones interface {
	WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error)
}

// dateZone is the workshop's own time zone; São Paulo (where most of Brazil
// lives) when the workshop has none or cannot be read right now.
func (o outboxReminders) dateZone(ctx context.Context, workshopID uuid.UUID) *time.Location {
	if o.directory != nil {
		if w, err := o.directory.WorkshopByID(ctx, workshopID); err == nil && w.TimeZone != "" {
			if loc, err := time.LoadLocation(w.TimeZone); err == nil {
				return loc
			}
		}
	}
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		return time.UTC
	}
	return loc
}

func (o outboxReminders) Notify(ctx context.Context, n reminders.Notice) (string, error) {
	if len(n.Items) == 0 {
		return "", reminders.ErrNoContact
	}
	tid, err := tenant.FromUUID(n.WorkshopID)
	if err != nil {
		return "", err
	}
	ctx = tenant.WithTenant(ctx, tid)
	loc := o.dateZone(ctx, n.WorkshopID) // dates as the car owner reads them
	var services, vehicles, keys []string
	first := n.Items[0].DueAt
	for _, it := range n.Items {
		services = appendOnce(services, it.ServiceLabel)
		vehicles = appendOnce(vehicles, it.Vehicle)
		keys = append(keys, it.VehicleID.String()+"/"+it.Service+"/"+it.DueAt.UTC().Format(time.DateOnly))
		if it.DueAt.Before(first) {
			first = it.DueAt
		}
	}
	sort.Strings(keys)
	due := first.In(loc)
	sum := sha256.Sum256([]byte(strings.Join(keys, ",")))
	_, err = o.enq.Enqueue(ctx, messaging.EnqueueRequest{
		CustomerID: n.CustomerID, Kind: dmessaging.KindReminder,
		DedupeKey: "reminder:" + n.CustomerID.String() + ":" + hex.EncodeToString(sum[:12]),
		Vars: map[string]string{"service": strings.Join(services, ", "), "vehicle": strings.Join(vehicles, ", "),
			"due_date": due.Format("02/01/2006")},
	})
	if err != nil {
		return "", err
	}
	return "outbox", nil
}

func appendOnce(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
