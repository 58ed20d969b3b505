package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/vehicle"
)

// Mailer sends transactional e-mail (infrastructure/smtp).
type Mailer interface {
	// Send delivers one message; text is plain UTF-8.
	Send(ctx context.Context, to, subject, text string) error
}

var _ AppointmentNotifier = (*MailNotifier)(nil)

// MailNotifier is the default AppointmentNotifier: a pt-BR e-mail to the
// customer's address, read from the customer's stream (an erased customer
// or one without e-mail is silently skipped).
type MailNotifier struct {
	Mailer   Mailer
	Store    eventsourcing.EventStore
	Catalogs Catalogs // optional: service labels
	// PublicURL is where car owners reach Torque (the portal link).
	PublicURL string
}

// Booked implements AppointmentNotifier.
func (m *MailNotifier) Booked(ctx context.Context, n Notice) error {
	return m.send(ctx, n, "email.appointment_booked")
}

// Remind implements AppointmentNotifier.
func (m *MailNotifier) Remind(ctx context.Context, n Notice) error {
	return m.send(ctx, n, "email.appointment_reminder")
}

var weekdaysPt = [...]string{"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"}

func (m *MailNotifier) send(ctx context.Context, n Notice, key string) error {
	a := n.Appointment
	c, err := eventsourcing.NewRepository(m.Store, customer.StreamType, customer.Blank).Load(ctx, a.CustomerID)
	if err != nil {
		return fmt.Errorf("appointment notice: %w", err)
	}
	if c.IsErased() || c.Email() == "" {
		return nil
	}
	vehicleText := ""
	if v, err := eventsourcing.NewRepository(m.Store, vehicle.StreamType, vehicle.Blank).Load(ctx, a.VehicleID); err == nil {
		vehicleText = strings.TrimSpace(strings.Join([]string{v.Make(), v.Model(), v.Plate()}, " "))
	}
	loc, err := time.LoadLocation(n.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	start, end := a.Start.In(loc), a.End.In(loc)
	date := weekdaysPt[start.Weekday()] + ", " + start.Format("02/01/2006")
	l := i18n.Default
	link := strings.TrimSuffix(m.PublicURL, "/") + "/p/" + n.WorkshopSlug + "/"
	name := strings.Fields(c.Name())
	first := c.Name()
	if len(name) > 0 {
		first = name[0]
	}
	return m.Mailer.Send(ctx, c.Email(), i18n.T(l, key+".subject", n.WorkshopName),
		i18n.T(l, key+".body", first, n.WorkshopName, date, start.Format("15:04"), end.Format("15:04"), vehicleText,
			m.serviceLabels(ctx, a.Services), link))
}

func (m *MailNotifier) serviceLabels(ctx context.Context, services []string) string {
	cat := catalog.Default()
	if m.Catalogs != nil {
		if c, err := m.Catalogs.Catalog(ctx); err == nil {
			cat = c
		}
	}
	labels := make([]string, 0, len(services))
	for _, s := range services {
		label := s
		if code, err := catalog.ParseServiceCode(s); err == nil {
			if sv, ok := cat.Lookup(code); ok {
				label = sv.Label()
			}
		}
		labels = append(labels, label)
	}
	return strings.Join(labels, ", ")
}
