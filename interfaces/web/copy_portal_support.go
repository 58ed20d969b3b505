package web

import "github.com/torquehq/torque/application/i18n"

// portalSupportCopy is the text of the portal's help centre
// (pages_portal_support.go).
var portalSupportCopy = i18n.Messages{
	i18n.PtBR: {
		"web.portal.help.nav":    "Ajuda",
		"web.portal.help.title":  "Central de ajuda",
		"web.portal.help.search": "Buscar",
		"web.portal.help.query":  "O que você procura?",
		"web.portal.help.none":   "Nenhum artigo encontrado.",
		"web.portal.help.back":   "Voltar à central de ajuda",
	},
	i18n.En: {
		"web.portal.help.nav":    "Help",
		"web.portal.help.title":  "Help centre",
		"web.portal.help.search": "Search",
		"web.portal.help.query":  "What are you looking for?",
		"web.portal.help.none":   "No article found.",
		"web.portal.help.back":   "Back to the help centre",
	},
}
