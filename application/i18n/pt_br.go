package i18n

var ptBR = map[string]string{ //nolint:gosec // texts (e.g. "senha" labels), not credentials
	// Validation codes (API problem details and forms).
	"error.too_large":           "Arquivo grande demais.",
	"error.invalid":             "Valor inválido.",
	"error.required":            "Campo obrigatório.",
	"error.invalid_format":      "Formato inválido.",
	"error.invalid_check_digit": "Dígito verificador inválido.",
	"error.invalid_length":      "Quantidade de caracteres inválida.",
	"error.out_of_range":        "Valor fora do intervalo permitido.",
	"error.unknown_value":       "Valor desconhecido.",
	"error.repeated_digits":     "Número inválido (dígitos repetidos).",
	"error.too_long":            "Texto longo demais.",
	"error.too_short":           "Texto curto demais.",
	"error.reserved":            "Este endereço é reservado; escolha outro.",
	"error.taken":               "Já está em uso.",
	"error.duplicate":           "Já cadastrado.",
	"error.invalid_type":        "Tipo de dado inválido.",
	"error.unknown_field":       "Campo não reconhecido.",
	"error.last_owner":          "A oficina precisa manter pelo menos um proprietário.",
	"error.last_manager":        "A rede precisa manter pelo menos um gestor.",
	"error.odometer_rollback":   "A quilometragem não pode ser menor que a última registrada.",
	"error.weak_password":       "A senha precisa ter pelo menos 8 caracteres e não pode ser comum.",
	"error.same_owner":          "O veículo já pertence a este cliente.",

	// Problem titles.
	"problem.validation":            "Dados inválidos",
	"problem.not_found":             "Não encontrado",
	"problem.conflict":              "Conflito",
	"problem.forbidden":             "Sem permissão",
	"problem.unauthenticated":       "Autenticação necessária",
	"problem.rate_limited":          "Muitas tentativas; aguarde um pouco",
	"problem.subscription_inactive": "Assinatura inativa: a oficina pode consultar e exportar dados, mas não alterá-los",
	"problem.login_failed":          "E-mail ou senha incorretos.",

	// E-mails.
	"email.invite.subject":           "Você foi convidado para a oficina %s no Torque",
	"email.invite.body":              "Olá, %s!\n\n%s convidou você para fazer parte da equipe da oficina %s no Torque, com o papel de %s.\n\nPara criar sua senha e entrar, acesse o link abaixo e informe o código %s (válido por %d horas):\n%s\n\nSe você não esperava este convite, ignore esta mensagem.\n\nEquipe Torque",
	"email.added.subject":            "Você agora faz parte da oficina %s no Torque",
	"email.added.body":               "Olá, %s!\n\n%s adicionou você à equipe da oficina %s no Torque, com o papel de %s.\nEntre com seu e-mail e senha de sempre em %s.\n\nEquipe Torque",
	"email.franchise_invite.subject": "Convite para gerir a rede %s no Torque",
	"email.franchise_invite.body":    "Olá, %s!\n\nVocê foi convidado para gerir a rede %s no Torque.\n\nPara criar sua senha e entrar, acesse o link abaixo e informe o código %s (válido por %d horas):\n%s\n\nEquipe Torque",

	// Roles.
	"role.owner":             "proprietário",
	"role.manager":           "gerente",
	"role.advisor":           "atendente",
	"role.mechanic":          "mecânico",
	"role.franchise_manager": "gestor da rede",
}
