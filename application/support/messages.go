package support

import "github.com/torquehq/torque/application/i18n"

// Messages are the texts of this module a car owner reads (e-mails and
// automatic replies), composed into its own catalogue.
var Messages = i18n.Messages{
	i18n.PtBR: {
		"support.email.reply.subject": "Resposta ao seu chamado: %s",
		"support.email.reply.body":    "Olá!\n\nA oficina respondeu ao seu chamado \"%s\":\n\n%s\n\nPara responder, acesse o portal do cliente.\n\nEquipe Torque",
		"support.auto.after_hours":    "Olá! No momento estamos fora do horário de atendimento. Sua mensagem foi registrada como um chamado e responderemos assim que abrirmos. Previsão de resposta: %s.",
		"support.detractor.subject":   "Avaliação %d de 10: vamos resolver",
		"support.detractor.body":      "Avaliação recebida (nota %d de 10).\n\n%s",
		"support.chat.subject":        "Mensagem pelo chat",
	},
	i18n.En: {
		"support.email.reply.subject": "Reply to your ticket: %s",
		"support.email.reply.body":    "Hello!\n\nThe workshop answered your ticket \"%s\":\n\n%s\n\nTo reply, open the customer portal.\n\nTorque team",
		"support.auto.after_hours":    "Hello! We are closed right now. Your message was recorded as a ticket and we will answer as soon as we open. Expected answer: %s.",
		"support.detractor.subject":   "Score %d of 10: let us fix it",
		"support.detractor.body":      "Feedback received (score %d of 10).\n\n%s",
		"support.chat.subject":        "Message from the chat",
	},
}

var catalogue = i18n.NewCatalogue(Messages)
