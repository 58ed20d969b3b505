package i18n

// MFAMessages are the texts of second factors and re-authentication
// (issue 10 item 4): the problems a staff member meets when the workshop
// requires a second factor or an action needs a recent sign-in.
var MFAMessages = Messages{
	PtBR: {
		"problem.mfa_required":   "Esta oficina exige o segundo fator (aplicativo autenticador): confirme o código para continuar.",
		"problem.reauthenticate": "Por segurança, confirme sua senha (e o segundo fator) para fazer isto.",
	},
	En: {
		"problem.mfa_required":   "This workshop requires a second factor (authenticator app): confirm your code to continue.",
		"problem.reauthenticate": "For your security, confirm your password (and second factor) to do this.",
	},
}
