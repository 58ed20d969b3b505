package messaging

import (
	"context"
	"errors"
	"fmt"

	"github.com/torquehq/torque/domain/messaging"
)

// MailDetractorAlerts is the default DetractorAlerts: an e-mail to each of
// the workshop's owners with the score and the comment.
type MailDetractorAlerts struct {
	Mailer    Mailer
	PublicURL string
}

// Detractor implements DetractorAlerts.
func (a MailDetractorAlerts) Detractor(ctx context.Context, w WorkshopInfo, f messaging.FeedbackReceived) error {
	subject := fmt.Sprintf("%s: avaliação %d de 10 — um cliente está insatisfeito", w.Name, f.Score)
	text := fmt.Sprintf("Um cliente deu nota %d de 10 ao atendimento.\n\nComentário: %s\n\nVeja o cliente: %s/app/%s/customers/%s\n",
		f.Score, orDash(f.Comment), a.PublicURL, w.Slug, f.CustomerID)
	var all []error
	for _, to := range w.OwnerEmails {
		all = append(all, a.Mailer.Send(ctx, to, subject, text))
	}
	return errors.Join(all...)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
