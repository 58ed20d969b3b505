package web

import "github.com/torquehq/torque/application/i18n"

// portalSupportCopy is the text of the portal's help centre
// (pages_portal_support.go).
var portalSupportCopy = i18n.Messages{
	i18n.PtBR: {
		"web.portal.help.nav":        "Ajuda",
		"web.portal.help.title":      "Central de ajuda",
		"web.portal.help.search":     "Buscar",
		"web.portal.help.query":      "O que você procura?",
		"web.portal.help.none":       "Nenhum artigo encontrado.",
		"web.portal.help.back":       "Voltar à central de ajuda",
		"web.portal.tickets.nav":     "Meus atendimentos",
		"web.portal.tickets.title":   "Meus atendimentos",
		"web.portal.tickets.none":    "Você ainda não abriu nenhum atendimento.",
		"web.portal.tickets.new":     "Abrir um atendimento",
		"web.portal.tickets.subject": "Assunto",
		"web.portal.tickets.body":    "Mensagem",
		"web.portal.tickets.order":   "Número da ordem de serviço (opcional)",
		"web.portal.tickets.send":    "Enviar",
		"web.portal.tickets.reply":   "Responder",
		"web.portal.tickets.back":    "Voltar aos atendimentos",
		"web.portal.chat.nav":        "Chat",
		"web.portal.chat.title":      "Fale com a oficina",
		"web.portal.chat.intro":      "Escreva sua mensagem; a equipe responde aqui mesmo durante o horário de atendimento.",
		"web.portal.chat.you":        "Você",
	},
	i18n.En: {
		"web.portal.help.nav":        "Help",
		"web.portal.help.title":      "Help centre",
		"web.portal.help.search":     "Search",
		"web.portal.help.query":      "What are you looking for?",
		"web.portal.help.none":       "No article found.",
		"web.portal.help.back":       "Back to the help centre",
		"web.portal.tickets.nav":     "My tickets",
		"web.portal.tickets.title":   "My tickets",
		"web.portal.tickets.none":    "You have not opened any ticket yet.",
		"web.portal.tickets.new":     "Open a ticket",
		"web.portal.tickets.subject": "Subject",
		"web.portal.tickets.body":    "Message",
		"web.portal.tickets.order":   "Service order number (optional)",
		"web.portal.tickets.send":    "Send",
		"web.portal.tickets.reply":   "Reply",
		"web.portal.tickets.back":    "Back to my tickets",
		"web.portal.chat.nav":        "Chat",
		"web.portal.chat.title":      "Talk to the workshop",
		"web.portal.chat.intro":      "Write your message; the team answers right here during opening hours.",
		"web.portal.chat.you":        "You",
	},
}
