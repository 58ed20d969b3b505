package messaging

import (
	"context"
	"html"
	"strings"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/messaging"
)

// defaultTemplates are the pt-BR texts a workshop starts with, per kind;
// the same text serves every channel (e-mail adds the subject).
var defaultTemplates = map[messaging.Kind]struct{ subject, body string }{
	messaging.KindOrderStatus: {"{{workshop_name}}: sua ordem de serviço nº {{order_number}}",
		"Olá, {{customer_name}}! A ordem de serviço nº {{order_number}} do seu {{vehicle}} está agora: {{status}}. {{note}}\n{{workshop_name}} — {{workshop_phone}}"},
	messaging.KindQuote: {"{{workshop_name}}: orçamento da ordem nº {{order_number}}",
		"Olá, {{customer_name}}! O orçamento da ordem de serviço nº {{order_number}} do seu {{vehicle}} está pronto para a sua aprovação. Total: {{total}} (validade: {{valid_until}}). Aprove ou recuse cada item em: {{quote_link}}\n{{workshop_name}} — {{workshop_phone}}"},
	messaging.KindThankYou: {"{{workshop_name}}: obrigado pela preferência!",
		"Olá, {{customer_name}}! Obrigado por confiar o seu {{vehicle}} à {{workshop_name}}. De 0 a 10, quanto você nos recomendaria? Responda em: {{feedback_link}}"},
	messaging.KindReminder: {"{{workshop_name}}: manutenção preventiva",
		"Olá, {{customer_name}}! Está chegando a hora de {{service}} do seu {{vehicle}} (previsto para {{due_date}}). Agende com a {{workshop_name}}: {{workshop_phone}}"},
	messaging.KindCampaign: {"{{workshop_name}}: novidades para você",
		"Olá, {{customer_name}}! Novidades da {{workshop_name}}.\nPara não receber mais: {{unsubscribe_link}}"},
	messaging.KindTicket: {"{{workshop_name}}: seu atendimento",
		"Olá, {{customer_name}}! Há uma resposta ao seu atendimento na {{workshop_name}}. {{note}}"},
}

// StatusLabels are the pt-BR names of order statuses in messages.
var StatusLabels = map[string]string{
	"open": "aberta", "quoted": "orçamento enviado", "approved": "aprovada", "in_progress": "em andamento",
	"completed": "pronto para retirada", "delivered": "entregue", "cancelled": "cancelada",
}

// TemplateView is a template as listed: the workshop's own or the default.
type TemplateView struct {
	messaging.Template
	Default bool
}

// templateFor returns the workshop's template of kind and channel, or the
// default.
func (u *UseCases) templateFor(ctx context.Context, kind messaging.Kind, ch messaging.Channel) (TemplateView, error) {
	own, err := u.ownTemplates(ctx)
	if err != nil {
		return TemplateView{}, err
	}
	for _, t := range own {
		if t.Kind == kind && t.Channel == ch {
			return TemplateView{Template: t}, nil
		}
	}
	d := defaultTemplates[kind]
	return TemplateView{Template: messaging.Template{Kind: kind, Channel: ch, Subject: d.subject, Body: d.body}, Default: true}, nil
}

// ListTemplates returns one template per kind and channel: the workshop's
// own or the pt-BR default. Permission: message.read.
func (u *UseCases) ListTemplates(ctx context.Context) ([]TemplateView, error) {
	if _, err := authz.Require(ctx, authz.ReadMessages); err != nil {
		return nil, err
	}
	var out []TemplateView
	for _, k := range messaging.Kinds {
		for _, ch := range messaging.Channels {
			t, err := u.templateFor(ctx, k, ch)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// TemplateInput is a template as received.
type TemplateInput struct {
	Kind, Channel, Subject, Body string
}

func parseTemplateInput(in TemplateInput) (messaging.Template, error) {
	k, err := messaging.ParseKind("kind", in.Kind)
	if err != nil {
		return messaging.Template{}, err
	}
	ch, err := messaging.ParseChannel("channel", in.Channel)
	if err != nil {
		return messaging.Template{}, err
	}
	return messaging.NewTemplate(k, ch, in.Subject, in.Body)
}

// Preview is a template rendered for a sample customer.
type Preview struct {
	Channel, Subject, Text, HTML string
}

// toHTML is the HTML part of an e-mail: the text, escaped, paragraphs kept.
func toHTML(subject, text string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>`)
	b.WriteString(html.EscapeString(subject))
	b.WriteString(`</title></head><body style="font-family:sans-serif;line-height:1.5">`)
	for _, p := range strings.Split(text, "\n") {
		b.WriteString("<p>")
		b.WriteString(linkify(html.EscapeString(p)))
		b.WriteString("</p>")
	}
	b.WriteString(`</body></html>`)
	return b.String()
}

// linkify turns escaped http(s) words into links.
func linkify(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") {
			words[i] = `<a href="` + w + `">` + w + `</a>`
		}
	}
	return strings.Join(words, " ")
}
