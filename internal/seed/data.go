package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/torquehq/torque/domain/br"
)

// Realistic Brazilian demo data. Everything is generated: CPFs and CNPJs
// have valid check digits but belong to no one.

var firstNames = []string{"Maria", "José", "Ana", "João", "Antônio", "Francisca", "Carlos", "Paulo", "Adriana", "Lucas",
	"Juliana", "Marcos", "Fernanda", "Rafael", "Patrícia", "Gabriel", "Aline", "Bruno", "Camila", "Felipe", "Letícia",
	"Rodrigo", "Beatriz", "Gustavo", "Larissa", "Thiago", "Vanessa", "Diego", "Mariana", "Eduardo", "Luana", "Vinícius",
	"Sônia", "Raimundo", "Luíza", "Márcio", "Cláudia", "Sérgio", "Débora", "André"}

var lastNames = []string{"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
	"Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa",
	"Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso",
	"Ramos", "Gonçalves", "Santana", "Teixeira", "Araújo", "Pinto", "Cavalcanti", "Monteiro", "Moura"}

var companies = []string{"Transportadora Rota Sul", "Padaria Pão Quente", "Construtora Alicerce", "Mercadinho Boa Vista",
	"Floricultura Ipê", "Distribuidora Norte", "Auto Escola Direção", "Farmácia Saúde", "Táxi Aeroporto", "Entregas Já"}

type city struct {
	name, uf, cepPrefix string
	ddd                 int
	districts           []string
}

var cities = []city{
	{"São Paulo", "SP", "01", 11, []string{"Centro", "Mooca", "Pinheiros", "Tatuapé", "Santana", "Lapa"}},
	{"Campinas", "SP", "13", 19, []string{"Cambuí", "Taquaral", "Barão Geraldo"}},
	{"Rio de Janeiro", "RJ", "22", 21, []string{"Copacabana", "Tijuca", "Méier", "Barra da Tijuca"}},
	{"Belo Horizonte", "MG", "30", 31, []string{"Savassi", "Pampulha", "Funcionários"}},
	{"Curitiba", "PR", "80", 41, []string{"Batel", "Água Verde", "Portão"}},
	{"Porto Alegre", "RS", "90", 51, []string{"Moinhos de Vento", "Menino Deus", "Cidade Baixa"}},
	{"Salvador", "BA", "40", 71, []string{"Barra", "Pituba", "Rio Vermelho"}},
	{"Recife", "PE", "50", 81, []string{"Boa Viagem", "Casa Forte", "Graças"}},
	{"Fortaleza", "CE", "60", 85, []string{"Aldeota", "Meireles", "Benfica"}},
	{"Goiânia", "GO", "74", 62, []string{"Setor Bueno", "Setor Oeste", "Jardim Goiás"}},
}

var streets = []string{"Rua das Flores", "Avenida Brasil", "Rua XV de Novembro", "Rua Sete de Setembro", "Avenida Paulista",
	"Rua da Consolação", "Rua Tiradentes", "Avenida Getúlio Vargas", "Rua Dom Pedro II", "Rua São João",
	"Alameda Santos", "Rua Marechal Deodoro", "Avenida Rio Branco", "Rua Barão do Rio Branco"}

type model struct{ make, model string }

var models = []model{{"Volkswagen", "Gol"}, {"Volkswagen", "Polo"}, {"Volkswagen", "T-Cross"}, {"Fiat", "Uno"},
	{"Fiat", "Argo"}, {"Fiat", "Strada"}, {"Fiat", "Mobi"}, {"Chevrolet", "Onix"}, {"Chevrolet", "Prisma"},
	{"Chevrolet", "S10"}, {"Hyundai", "HB20"}, {"Hyundai", "Creta"}, {"Toyota", "Corolla"}, {"Toyota", "Hilux"},
	{"Toyota", "Etios"}, {"Honda", "Civic"}, {"Honda", "Fit"}, {"Honda", "HR-V"}, {"Renault", "Kwid"},
	{"Renault", "Sandero"}, {"Ford", "Ka"}, {"Ford", "EcoSport"}, {"Jeep", "Renegade"}, {"Jeep", "Compass"},
	{"Nissan", "Kicks"}, {"Peugeot", "208"}}

var colors = []string{"Prata", "Branco", "Preto", "Cinza", "Vermelho", "Azul", "Bege", "Verde"}

// serviceMix is a service with how often it appears and its price range (cents).
type serviceMix struct {
	code, description  string
	weight             int
	minCents, maxCents int64
}

var services = []serviceMix{
	{"oil_change", "Troca de óleo 5W30", 30, 15000, 28000}, {"oil_filter", "Filtro de óleo", 25, 3500, 7000},
	{"air_filter", "Filtro de ar do motor", 10, 4000, 9000}, {"cabin_filter", "Filtro de cabine", 8, 4500, 9000},
	{"fuel_filter", "Filtro de combustível", 5, 5000, 12000}, {"spark_plugs", "Jogo de velas", 6, 12000, 35000},
	{"brake_pads", "Pastilhas de freio dianteiras", 10, 18000, 42000}, {"brake_fluid", "Troca de fluido de freio", 5, 9000, 16000},
	{"timing_belt", "Correia dentada com tensor", 3, 45000, 120000}, {"alignment_balancing", "Alinhamento e balanceamento", 15, 9000, 18000},
	{"tires", "Pneu 185/65 R15", 4, 35000, 65000}, {"battery", "Bateria 60Ah", 4, 38000, 70000},
	{"suspension", "Amortecedores dianteiros", 3, 60000, 150000}, {"coolant", "Líquido de arrefecimento", 5, 8000, 15000},
	{"ac_service", "Higienização e carga de gás do ar-condicionado", 6, 15000, 32000},
	{"inspection", "Revisão periódica", 8, 20000, 60000}, {"diagnostics", "Diagnóstico eletrônico", 5, 10000, 25000},
}

type gen struct{ r *rand.Rand }

func (g gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func fold(s string) string {
	r := strings.NewReplacer("á", "a", "à", "a", "â", "a", "ã", "a", "é", "e", "ê", "e", "í", "i", "ó", "o", "ô", "o",
		"õ", "o", "ú", "u", "ü", "u", "ç", "c", "Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Â", "a", "Ê", "e", "Ô", "o")
	return strings.ToLower(r.Replace(s))
}

type person struct {
	name, document, email, mobile, landline string
	street, number, complement, district    string
	city                                    city
	cep                                     string
	marketing                               bool
}

func (g gen) person(i int) person {
	c := cities[g.r.IntN(len(cities))]
	p := person{city: c, district: g.pick(c.districts), street: g.pick(streets), number: fmt.Sprint(g.r.IntN(3000) + 1),
		cep: fmt.Sprintf("%s%06d", c.cepPrefix, g.r.IntN(999999)), marketing: g.r.IntN(10) < 6}
	if g.r.IntN(12) == 0 {
		p.name = g.pick(companies) + " Ltda"
		p.document = br.GenerateCNPJ(g.r, g.r.IntN(4) == 0).Formatted()
		p.email = fmt.Sprintf("contato%d@%s.com.br", i, strings.ReplaceAll(fold(strings.Fields(p.name)[0]), " ", ""))
	} else {
		first, last := g.pick(firstNames), g.pick(lastNames)
		p.name = first + " " + g.pick(lastNames) + " " + last
		p.document = br.GenerateCPF(g.r).Formatted()
		p.email = fmt.Sprintf("%s.%s%d@example.com", fold(first), fold(last), i)
	}
	p.mobile = fmt.Sprintf("(%d) 9%04d-%04d", c.ddd, 6000+g.r.IntN(4000), g.r.IntN(10000))
	if g.r.IntN(4) == 0 {
		p.landline = fmt.Sprintf("(%d) 3%03d-%04d", c.ddd, g.r.IntN(1000), g.r.IntN(10000))
	}
	if g.r.IntN(3) == 0 {
		p.complement = fmt.Sprintf("apto %d", g.r.IntN(300)+1)
	}
	if g.r.IntN(10) == 0 {
		p.document = "" // walk-in customers often leave no document
	}
	return p
}

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// plate returns a Mercosul plate for newer cars and an old one for older
// cars (plates registered before the switch keep their old format).
func (g gen) plate(year int) string {
	l := func() byte { return letters[g.r.IntN(26)] }
	if year >= 2019 || g.r.IntN(3) == 0 {
		return fmt.Sprintf("%c%c%c%d%c%02d", l(), l(), l(), g.r.IntN(10), l(), g.r.IntN(100))
	}
	return fmt.Sprintf("%c%c%c-%04d", l(), l(), l(), g.r.IntN(10000))
}

func (g gen) service() serviceMix {
	total := 0
	for _, s := range services {
		total += s.weight
	}
	n := g.r.IntN(total)
	for _, s := range services {
		if n < s.weight {
			return s
		}
		n -= s.weight
	}
	return services[0]
}

func (g gen) price(s serviceMix) int64 {
	cents := s.minCents + g.r.Int64N(s.maxCents-s.minCents+1)
	return cents / 100 * 100
}
