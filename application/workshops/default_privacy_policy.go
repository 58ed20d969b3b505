package workshops

import (
	"fmt"
	"strings"
)

// DefaultPrivacyPolicy is the pt-BR template a workshop starts from; the owner
// edits it in the workshop settings. It states what LGPD (Lei 13.709/2018)
// requires a controller to tell the data subject.
func DefaultPrivacyPolicy(w WorkshopView) string {
	name := w.Name
	if w.Profile.LegalName != "" {
		name = w.Profile.LegalName
	}
	id := ""
	if w.Profile.CNPJ != "" {
		id = fmt.Sprintf(", inscrita no CNPJ %s", w.Profile.CNPJ)
	}
	contact := "pelos canais de atendimento da oficina"
	if w.Profile.Email != "" {
		contact = "pelo e-mail " + w.Profile.Email
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Política de Privacidade — %s\n\n", w.Name)
	fmt.Fprintf(&b, "%s%s (\"oficina\") é a controladora dos dados pessoais tratados neste portal e no atendimento, nos termos da Lei Geral de Proteção de Dados (Lei nº 13.709/2018 — LGPD).\n\n", name, id)
	b.WriteString("## Quais dados tratamos\n")
	b.WriteString("- Identificação e contato: nome, CPF ou CNPJ, e-mail, telefones e endereço.\n")
	b.WriteString("- Veículos: placa, marca, modelo, ano, cor e quilometragem.\n")
	b.WriteString("- Histórico de serviços, orçamentos, faturas, agendamentos, mensagens e avaliações.\n\n")
	b.WriteString("## Para que usamos\n")
	b.WriteString("- Executar os serviços contratados e cumprir obrigações legais e fiscais (art. 7º, II e V).\n")
	b.WriteString("- Avisar sobre o andamento dos serviços e lembrar manutenções preventivas (execução de contrato e legítimo interesse).\n")
	b.WriteString("- Enviar promoções e ofertas somente com o seu consentimento, que pode ser retirado a qualquer momento (art. 7º, I).\n\n")
	b.WriteString("## Como protegemos\n")
	b.WriteString("Os dados pessoais são armazenados criptografados, com chave própria por cliente; o acesso é restrito por perfil (mecânicos não veem documentos nem contatos) e toda leitura de dados pessoais é registrada.\n\n")
	b.WriteString("## Compartilhamento\n")
	b.WriteString("Compartilhamos dados apenas com operadores necessários ao serviço (hospedagem, envio de mensagens e pagamentos) e com autoridades quando a lei exigir. Relatórios da rede de franquias usam apenas dados agregados.\n\n")
	b.WriteString("## Por quanto tempo\n")
	b.WriteString("Mantemos os dados enquanto houver relação com a oficina e pelos prazos legais. Após a eliminação, mantemos apenas um registro anonimizado do serviço no veículo, para fins de garantia.\n\n")
	b.WriteString("## Seus direitos\n")
	fmt.Fprintf(&b, "Você pode pedir confirmação e acesso, correção, portabilidade (exportação), eliminação dos seus dados e revogação de consentimentos %s. Também pode reclamar à Autoridade Nacional de Proteção de Dados (ANPD).\n", contact)
	return b.String()
}
