package messaging

import "testing"

func TestQuoteVars_linkTotalAndValidity(t *testing.T) {
	vars := map[string]string{}
	quoteVars(vars, map[string]string{VarQuoteID: "0190f1b3-7a1b-7abc-8def-0123456789ab", VarTotalCents: "123456",
		VarValidUntil: "2099-12-31"}, "https://torque.example", "oficina-do-ze")
	if vars["quote_link"] != "https://torque.example/p/oficina-do-ze/quotes/0190f1b3-7a1b-7abc-8def-0123456789ab" ||
		vars["total"] != "R$ 1.234,56" || vars["valid_until"] != "31/12/2099" {
		t.Fatalf("vars %v", vars)
	}
	vars = map[string]string{}
	quoteVars(vars, map[string]string{VarQuoteID: "q", VarTotalCents: "500"}, "https://torque.example", "z")
	if vars["valid_until"] != "sem prazo definido" || vars["total"] != "R$ 5,00" {
		t.Fatalf("without a validity: %v", vars)
	}
}
