package web

import "github.com/torquehq/torque/application/i18n"

// portalBookingCopy is the text of the portal's booking page.
var portalBookingCopy = i18n.Messages{
	i18n.PtBR: {
		"web.portal.booking.title":      "Agendar um serviço",
		"web.portal.booking.vehicle":    "Veículo",
		"web.portal.booking.mine":       "Meus agendamentos",
		"web.portal.booking.none":       "Você não tem agendamentos.",
		"web.portal.booking.no_vehicle": "A oficina ainda não tem um veículo seu cadastrado. Fale com ela para agendar.",
		"web.portal.booking.booked":     "Agendamento feito. Você receberá a confirmação por e-mail.",
		"web.portal.booking.cancelled":  "Agendamento cancelado.",
		"web.portal.booking.cancel":     "Cancelar",
		"web.portal.booking.taken":      "Esse horário acabou de ser ocupado. Escolha outro.",
	},
	i18n.En: {
		"web.portal.booking.title":      "Book a service",
		"web.portal.booking.vehicle":    "Vehicle",
		"web.portal.booking.mine":       "My appointments",
		"web.portal.booking.none":       "You have no appointments.",
		"web.portal.booking.no_vehicle": "The workshop has no vehicle of yours yet. Contact it to book.",
		"web.portal.booking.booked":     "Booked. You will get a confirmation by e-mail.",
		"web.portal.booking.cancelled":  "Appointment cancelled.",
		"web.portal.booking.cancel":     "Cancel",
		"web.portal.booking.taken":      "That time was just taken. Pick another one.",
	},
}
