package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/tenant"
)

// defaultArticle is one article every workshop starts with (pt-BR); the
// workshop may edit, hide (unpublish) or delete it.
type defaultArticle struct {
	key, kind, title, body string
}

var defaultArticles = []defaultArticle{
	{"troca-de-oleo", support.KindFAQ, "Com que frequência trocar o óleo?",
		"Na maioria dos carros, a troca do **óleo do motor** é feita a cada **5.000 a 10.000 km** ou a cada **6 a 12 meses**, o que vier primeiro.\n\n" +
			"- Consulte o manual do seu veículo: ele indica o tipo de óleo e o intervalo.\n" +
			"- Uso severo (trânsito pesado, trajetos curtos, estrada de terra, reboque) pede trocas mais frequentes.\n" +
			"- Troque também o **filtro de óleo** a cada troca.\n\n" +
			"Na dúvida, fale com a gente: verificamos o nível e a cor do óleo sem custo."},
	{"alinhamento-balanceamento", support.KindFAQ, "O que é alinhamento e balanceamento?",
		"**Alinhamento** ajusta o ângulo das rodas em relação ao carro e ao solo. Sinais de que precisa: o volante fica torto em reta, o carro \"puxa\" para um lado ou os pneus gastam de forma irregular.\n\n" +
			"**Balanceamento** distribui o peso do conjunto roda e pneu para que ele gire sem vibrar. Sinal de que precisa: vibração no volante em velocidades acima de 80 km/h.\n\n" +
			"Recomendamos fazer os dois a cada **10.000 km**, ao trocar pneus ou depois de bater a roda em buracos ou meio-fio."},
	{"revisao-freios", support.KindFAQ, "Quando revisar os freios?",
		"Revise os freios a cada **10.000 km** ou uma vez por ano. Procure a oficina antes se notar:\n\n" +
			"- chiado ou ruído metálico ao frear;\n- pedal mais baixo ou \"esponjoso\";\n- carro puxando para um lado na frenagem;\n- luz de freio acesa no painel.\n\n" +
			"O **fluido de freio** deve ser trocado a cada 2 anos, pois absorve umidade e perde eficiência."},
	{"luz-injecao", support.KindFAQ, "A luz da injeção acendeu. E agora?",
		"A luz da injeção eletrônica (o desenho de um motor no painel) indica que a central do carro registrou uma falha.\n\n" +
			"- **Acesa fixa:** agende uma avaliação nos próximos dias; dá para rodar com cuidado.\n" +
			"- **Piscando:** reduza a velocidade e evite rodar; pode haver falha de ignição que danifica o catalisador.\n\n" +
			"Com um scanner lemos o código da falha e dizemos o que precisa ser feito antes de qualquer serviço."},
	{"calibragem-pneus", support.KindFAQ, "Qual a calibragem certa dos pneus?",
		"A pressão correta está no **manual** e numa etiqueta na coluna da porta do motorista ou na tampa do tanque.\n\n" +
			"- Calibre a cada **15 dias**, com os pneus frios.\n- Com o carro carregado, use a pressão indicada para carga máxima.\n- Não esqueça o estepe.\n\n" +
			"Pneu murcho aumenta o consumo e o desgaste; cheio demais reduz a aderência."},
	{"acompanhar-ordem", support.KindFAQ, "Como acompanho o serviço do meu carro?",
		"No portal do cliente você vê o andamento da sua **ordem de serviço**, o orçamento e o histórico de serviços do veículo.\n\n" +
			"Se tiver dúvidas, abra um **chamado** ou fale com a gente pelo **chat** no horário de atendimento."},
	{"garantia-servicos", support.KindFAQ, "Os serviços têm garantia?",
		"Sim. Pelo Código de Defesa do Consumidor, serviços e peças têm garantia mínima de **90 dias**. Guarde a sua ordem de serviço: ela é o comprovante.\n\n" +
			"Se algo não ficou bom, abra um chamado informando o número da ordem."},
	{"preparar-viagem", support.KindTutorial, "Checklist antes de pegar a estrada",
		"Antes de viajar, confira:\n\n" +
			"1. **Pneus**: calibragem (inclusive o estepe) e desgaste.\n" +
			"2. **Óleo e água**: nível do óleo do motor e do líquido de arrefecimento.\n" +
			"3. **Freios**: pedal firme e sem ruídos.\n" +
			"4. **Luzes**: faróis, lanternas, setas e luz de freio.\n" +
			"5. **Palhetas**: limpador sem falhas e reservatório com água.\n" +
			"6. **Documentos**: CRLV e habilitação em dia.\n\n" +
			"Quer uma revisão pré-viagem? Agende com a gente."},
	{"verificar-nivel-oleo", support.KindTutorial, "Como verificar o nível do óleo",
		"1. Estacione em local plano e espere o motor esfriar por alguns minutos.\n" +
			"2. Puxe a **vareta** do óleo, limpe com um pano e coloque de volta até o fim.\n" +
			"3. Puxe de novo: o óleo deve estar entre as marcas **MIN** e **MAX**.\n" +
			"4. Se estiver abaixo do mínimo, complete com o óleo indicado no manual e procure a oficina."},
}

// defaults returns the default articles of the tenant in ctx, with ids
// derived from the tenant and the key (stable across calls).
func defaults(ctx context.Context, now func() Article) ([]Article, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Article, 0, len(defaultArticles))
	for _, d := range defaultArticles {
		a := now()
		a.ID = uuid.NewSHA1(tid.UUID(), []byte("support.article."+d.key))
		a.Kind, a.Title, a.BodyMarkdown, a.Published, a.DefaultKey = d.kind, d.title, d.body, true, d.key
		out = append(out, a)
	}
	return out, nil
}

// seedDefaults renders and stores the defaults once per workshop.
func (u *UseCases) seedDefaults(ctx context.Context) error {
	at := u.base.Now()
	ds, err := defaults(ctx, func() Article { return Article{CreatedAt: at, UpdatedAt: at} })
	if err != nil {
		return err
	}
	for i := range ds {
		if ds[i].BodyHTML, err = u.d.Renderer.RenderMarkdown(ds[i].BodyMarkdown); err != nil {
			return err
		}
	}
	return u.d.Articles.SeedDefaults(ctx, ds)
}
