package web

import "github.com/torquehq/torque/application/i18n"

// identityCopy is the text of e-mail verification in the back office
// (security review, issue 10 item 2), kept apart from the shared page copy.
var identityCopy = i18n.Messages{
	i18n.PtBR: {
		"web.verify.banner": "Confirme seu e-mail: até lá você usa a oficina normalmente, mas não pode convidar ninguém.",
		"web.verify.link":   "Confirmar e-mail",
		"web.verify.sent":   "Enviamos um código para o seu e-mail. Digite-o abaixo.",
		"web.verify.done":   "E-mail confirmado.",
	},
	i18n.En: {
		"web.verify.banner": "Verify your e-mail: until then you can use the workshop as usual, but you cannot invite anyone.",
		"web.verify.link":   "Verify e-mail",
		"web.verify.sent":   "We sent a code to your e-mail. Enter it below.",
		"web.verify.done":   "E-mail verified.",
	},
}
