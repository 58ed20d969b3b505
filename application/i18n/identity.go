package i18n

// Texts of verified identities (issue 10 items 2, 3 and 5), kept in their
// own file so parallel features do not collide in the big maps.
func init() {
	for k, v := range map[string]string{
		"problem.email_unverified":      "Confirme seu e-mail antes de convidar alguém: enviamos um código para o seu endereço",
		"email.signup_existing.subject": "Tentativa de cadastro com o seu e-mail no Torque",
		"email.signup_existing.body":    "Olá!\n\nAlguém tentou abrir a oficina %s no Torque usando este endereço de e-mail, que já tem uma conta. Nenhuma conta nova foi criada.\n\nSe foi você, entre com sua senha em %s (ou recupere-a em %s).\nSe não foi você, ignore esta mensagem: sua conta continua como estava.\n\nEquipe Torque",
	} {
		ptBR[k] = v
	}
	for k, v := range map[string]string{
		"problem.email_unverified":      "Verify your e-mail address before inviting anyone: we sent a code to your address",
		"email.signup_existing.subject": "Someone tried to sign up to Torque with your e-mail",
		"email.signup_existing.body":    "Hello!\n\nSomeone tried to open the workshop %s on Torque with this e-mail address, which already has an account. No new account was created.\n\nIf it was you, log in with your password at %s (or recover it at %s).\nIf it was not you, ignore this message: your account is unchanged.\n\nTorque",
	} {
		en[k] = v
	}
}
