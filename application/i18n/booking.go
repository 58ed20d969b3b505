package i18n

// BookingMessages are the texts of online booking the application sends:
// the appointment confirmation and the day-before reminder (e-mail).
var BookingMessages = Messages{
	PtBR: {
		"error.slot_taken":                 "Este horário acabou de ser ocupado. Escolha outro.",
		"error.not_a_slot":                 "Horário fora da grade de atendimento.",
		"error.in_the_past":                "Este horário já passou.",
		"error.closed":                     "A oficina não abre neste dia.",
		"error.holiday":                    "A oficina fecha neste feriado.",
		"error.too_many":                   "Itens demais.",
		"email.appointment_booked.subject": "Agendamento confirmado — %s",
		"email.appointment_booked.body": "Olá, %s!\n\nSeu agendamento na %s está confirmado:\n\n" +
			"Data: %s\nHorário: %s às %s\nVeículo: %s\nServiços: %s\n\n" +
			"Se não puder comparecer, cancele pelo portal da oficina.\n\nAté breve!\n%s",
		"email.appointment_reminder.subject": "Lembrete: seu horário amanhã na %s",
		"email.appointment_reminder.body": "Olá, %s!\n\nLembrete: amanhã você tem horário na %s.\n\n" +
			"Data: %s\nHorário: %s às %s\nVeículo: %s\nServiços: %s\n\n" +
			"Se não puder comparecer, cancele pelo portal da oficina.\n\n%s",
	},
	En: {
		"error.slot_taken":                 "This slot was just taken. Pick another one.",
		"error.not_a_slot":                 "Not a start time of the opening hours.",
		"error.in_the_past":                "This time has passed.",
		"error.closed":                     "The workshop is closed on this day.",
		"error.holiday":                    "The workshop is closed on this holiday.",
		"error.too_many":                   "Too many items.",
		"email.appointment_booked.subject": "Appointment confirmed — %s",
		"email.appointment_booked.body": "Hello %s,\n\nYour appointment at %s is confirmed:\n\n" +
			"Date: %s\nTime: %s to %s\nVehicle: %s\nServices: %s\n\n" +
			"If you cannot come, cancel it in the workshop's portal.\n\nSee you soon!\n%s",
		"email.appointment_reminder.subject": "Reminder: your appointment tomorrow at %s",
		"email.appointment_reminder.body": "Hello %s,\n\nA reminder: tomorrow you have an appointment at %s.\n\n" +
			"Date: %s\nTime: %s to %s\nVehicle: %s\nServices: %s\n\n" +
			"If you cannot come, cancel it in the workshop's portal.\n\n%s",
	},
}
