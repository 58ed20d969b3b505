package smtp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/torquehq/torque/application/reminders"
)

var _ reminders.ReminderNotifier = (*ReminderMailer)(nil)

// ReminderMailer is the default reminders.ReminderNotifier: one pt-BR
// plain-text e-mail per notice, through the mailer. It is a stop-gap until
// the messaging outbox implements the port (consent, channels, quiet hours
// and retries live there).
type ReminderMailer struct {
	Mailer interface {
		Send(ctx context.Context, to, subject, text string) error
	}
	Contacts reminders.ContactBook
}

// Notify implements reminders.ReminderNotifier.
func (m *ReminderMailer) Notify(ctx context.Context, n reminders.Notice) (string, error) {
	if m.Mailer == nil || m.Contacts == nil {
		return "", errors.New("smtp: ReminderMailer needs Mailer and Contacts")
	}
	c, err := m.Contacts.Contact(ctx, n.CustomerID)
	if err != nil {
		return "", err
	}
	if c.Email == "" {
		return "", reminders.ErrNoContact
	}
	subject, text := ReminderText(c, n)
	if err := m.Mailer.Send(ctx, c.Email, subject, text); err != nil {
		return "", err
	}
	return "email", nil
}

// ReminderText renders a notice in pt-BR: the subject and the body.
func ReminderText(c reminders.Contact, n reminders.Notice) (subject, text string) {
	subject = "Lembrete de manutenção preventiva"
	if c.WorkshopName != "" {
		subject += " — " + c.WorkshopName
	}
	var b strings.Builder
	name := strings.TrimSpace(c.Name)
	if name == "" {
		b.WriteString("Olá,\n\n")
	} else {
		fmt.Fprintf(&b, "Olá, %s,\n\n", name)
	}
	if len(n.Items) == 1 {
		b.WriteString("está chegando a hora de uma manutenção preventiva:\n\n")
	} else {
		b.WriteString("estão chegando as seguintes manutenções preventivas:\n\n")
	}
	for _, it := range n.Items {
		fmt.Fprintf(&b, "• %s", it.ServiceLabel)
		if it.Vehicle != "" {
			fmt.Fprintf(&b, " — %s", it.Vehicle)
		}
		fmt.Fprintf(&b, ": prevista para %s", it.DueAt.Format("02/01/2006"))
		if it.HasDueKm {
			fmt.Fprintf(&b, " ou aos %s km, o que vier primeiro", thousands(it.DueKm))
		}
		b.WriteString(".\n")
	}
	b.WriteString("\nA data é uma estimativa a partir do histórico de quilometragem do veículo. ")
	b.WriteString("Responda a este e-mail ou entre em contato para agendar.\n")
	if c.WorkshopName != "" {
		fmt.Fprintf(&b, "\nAtenciosamente,\n%s\n", c.WorkshopName)
	}
	return subject, b.String()
}

// thousands formats n with "." between thousands (pt-BR).
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
