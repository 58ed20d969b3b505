package messaging

import (
	"context"
	"strings"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/messaging"
)

// PreviewTemplate renders the template in (or, with an empty body, the
// stored one of that kind and channel) for a sample customer.
// Permission: message.read.
func (u *UseCases) PreviewTemplate(ctx context.Context, in TemplateInput) (Preview, error) {
	if _, err := authz.Require(ctx, authz.ReadMessages); err != nil {
		return Preview{}, err
	}
	if in.Channel == "" {
		in.Channel = messaging.ChannelEmail.String()
	}
	var t messaging.Template
	if strings.TrimSpace(in.Body) == "" {
		k, err := messaging.ParseKind("kind", in.Kind)
		if err != nil {
			return Preview{}, err
		}
		ch, err := messaging.ParseChannel("channel", in.Channel)
		if err != nil {
			return Preview{}, err
		}
		tv, err := u.templateFor(ctx, k, ch)
		if err != nil {
			return Preview{}, err
		}
		t = tv.Template
	} else {
		var err error
		if t, err = parseTemplateInput(in); err != nil {
			return Preview{}, err
		}
	}
	w, err := u.d.Workshops.Workshop(ctx)
	if err != nil {
		return Preview{}, err
	}
	vars := map[string]string{
		"customer_name": "Maria Silva", "workshop_name": w.Name, "workshop_phone": w.Phone, "order_number": "1234",
		"vehicle": "Volkswagen Gol", "status": StatusLabels["completed"], "note": "",
		"feedback_link": u.d.PublicURL + "/f/exemplo", "unsubscribe_link": u.d.PublicURL + "/u/exemplo",
		"service": "troca de óleo", "due_date": "15/03/2027",
		"quote_link": u.d.PublicURL + "/p/" + w.Slug + "/quotes/exemplo", "total": "R$ 500,00", "valid_until": "31/03/2027",
	}
	subject, text := messaging.Render(t.Subject, vars), messaging.Render(t.Body, vars)
	return Preview{Channel: t.Channel.String(), Subject: subject, Text: text, HTML: toHTML(subject, text)}, nil
}
