package support

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
)

// MailSender sends a plain-text e-mail (infrastructure/smtp implements it).
type MailSender interface {
	Send(ctx context.Context, to, subject, text string) error
}

// CustomerContacts gives a customer's e-mail in the tenant of ctx ("" : none).
type CustomerContacts interface {
	CustomerEmail(ctx context.Context, customerID uuid.UUID) (string, error)
}

// MailNotifier is the default TicketNotifier: a pt-BR e-mail to the
// customer's address. Customers without one are skipped.
type MailNotifier struct {
	Mailer   MailSender
	Contacts CustomerContacts
}

var _ TicketNotifier = MailNotifier{}

// StaffReplied implements TicketNotifier.
func (m MailNotifier) StaffReplied(ctx context.Context, n ReplyNotice) error {
	if m.Mailer == nil || m.Contacts == nil {
		return errors.New("mail notifier: Mailer and Contacts are required")
	}
	to, err := m.Contacts.CustomerEmail(ctx, n.CustomerID)
	if err != nil || strings.TrimSpace(to) == "" {
		return err
	}
	return m.Mailer.Send(ctx, to, catalogue.T(defaultLocale, "support.email.reply.subject", n.Subject),
		catalogue.T(defaultLocale, "support.email.reply.body", n.Subject, n.Body))
}
