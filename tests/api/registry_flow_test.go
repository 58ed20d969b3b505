package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// ws builds paths under a workshop.
func ws(w e2e.Workshop, path string) string { return "/api/v1/workshops/" + w.Slug + path }

func mustStatus(t *testing.T, r e2e.Response, want int, what string) map[string]any {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d %s (want %d)", what, r.Status, r.Body, want)
	}
	return r.JSON()
}

func TestRegistryFlow_AsAPIMdDescribesIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	tok := w.OwnerToken

	maria := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), tok, `{"name": "Maria da Silva", "document": "529.982.247-25",
	  "email": "Maria@Example.com", "phones": {"mobile": "+55 11 98765-4321", "landline": "(11) 3456-7890"},
	  "address": {"street": "Rua das Flores", "number": "123", "complement": "apto 4", "district": "Centro",
	              "city": "São Paulo", "state": "SP", "postal_code": "01001-000"}, "marketing_consent": true}`), 201, "create customer")
	phones, _ := maria["phones"].(map[string]any)
	address, _ := maria["address"].(map[string]any)
	if maria["document"] != "52998224725" || maria["document_type"] != "cpf" || maria["email"] != "maria@example.com" ||
		phones["mobile"] != "+5511987654321" || phones["landline"] != "+551134567890" ||
		address["postal_code"] != "01001000" || address["state"] != "SP" || maria["marketing_consent"] != true ||
		maria["version"] == nil || maria["created_at"] == nil {
		t.Fatalf("customer as created: %v", maria)
	}
	mid := maria["id"].(string)

	gol := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+mid+"/vehicles"), tok,
		`{"plate":"BRA2E19","make":"Volkswagen","model":"Gol","year":2019,"color":"Prata","mileage_km":45210}`), 201, "add Gol")
	old := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+mid+"/vehicles"), tok,
		`{"plate":"abc-1234","make":"Fiat","model":"Uno","year":2008,"color":"Branco"}`), 201, "add Uno")
	if gol["plate"] != "BRA2E19" || old["plate"] != "ABC1234" || gol["customer_id"] != mid {
		t.Fatalf("plates: %v / %v", gol["plate"], old["plate"])
	}
	golID, unoID := gol["id"].(string), old["id"].(string)

	got := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers/"+mid), tok, nil), 200, "read customer")
	if vs, _ := got["vehicles"].([]any); len(vs) != 2 {
		t.Fatalf("customer shows %d vehicles, want 2: %v", len(vs), got["vehicles"])
	}

	order := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), tok, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q,
	  "mileage_km":46000,"description":"Revisão dos 45 mil",
	  "items":[{"service":"oil_change","description":"Troca de óleo 5W30","quantity":1,"unit_price_cents":18000},
	           {"service":"oil_filter","description":"Filtro de óleo","quantity":1,"unit_price_cents":4500}]}`, mid, golID)), 201, "open order")
	if order["status"] != "open" || order["number"] != float64(1) || order["total_cents"] != float64(22500) {
		t.Fatalf("order: %v", order)
	}
	oid := order["id"].(string)
	second := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), tok, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q,
	  "items":[{"service":"alignment_balancing","description":"Alinhamento","quantity":1,"unit_price_cents":12000}]}`, mid, unoID)), 201, "open 2nd order")
	if second["number"] != float64(2) {
		t.Fatalf("second order number %v", second["number"])
	}

	for _, st := range []string{"in_progress", "completed", "delivered"} {
		r := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders/"+oid+"/status"), tok,
			map[string]string{"status": st, "note": "ok " + st}), 200, "status "+st)
		if r["status"] != st {
			t.Fatalf("status now %v, want %s", r["status"], st)
		}
	}
	illegal := env.Do(t, http.MethodPost, ws(w, "/service-orders/"+oid+"/status"), tok, `{"status":"in_progress"}`)
	if illegal.Status != http.StatusConflict {
		t.Fatalf("delivered → in_progress: %d %s", illegal.Status, illegal.Body)
	}

	hist := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers/"+mid+"/history"), tok, nil), 200, "customer history")
	items := hist["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("history has %d orders", len(items))
	}
	newest := items[0].(map[string]any)
	veh := newest["vehicle"].(map[string]any)
	if newest["id"] != second["id"] || veh["plate"] != "ABC1234" || newest["opened_at"] == nil || newest["status"] != "open" {
		t.Fatalf("newest history entry: %v", newest)
	}
	firstItems := items[1].(map[string]any)["items"].([]any)
	if firstItems[0].(map[string]any)["service"] != "oil_change" || firstItems[0].(map[string]any)["description"] != "Troca de óleo 5W30" {
		t.Fatalf("history items: %v", firstItems)
	}

	vh := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/vehicles/"+golID+"/history"), tok, nil), 200, "vehicle history")
	if orders := vh["items"].([]any); len(orders) != 1 {
		t.Fatalf("Gol history has %d orders", len(orders))
	}
	if readings := vh["odometer_readings"].([]any); len(readings) != 2 {
		t.Fatalf("Gol has %d odometer readings, want 2 (registration and order)", len(readings))
	}

	joao := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), tok, `{"name":"João Souza","document":"11.222.333/0001-81"}`), 201, "create João")
	jid := joao["id"].(string)
	moved := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/vehicles/"+golID+"/transfer"), tok, map[string]string{"customer_id": jid}), 200, "transfer")
	if moved["customer_id"] != jid {
		t.Fatalf("transfer: %v", moved)
	}
	vh = mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/vehicles/"+golID+"/history"), tok, nil), 200, "history after transfer")
	if orders := vh["items"].([]any); len(orders) != 1 {
		t.Fatal("the vehicle lost its history when it changed owner")
	}

	for q, want := range map[string]string{
		"maria": mid, "Silv": mid, "529.982.247-25": mid, "maria@example.com": mid, "(11) 98765-4321": mid,
		"abc1234": mid, "ABC-1234": mid, "BRA2E19": jid, "11222333000181": jid, "joão": jid,
	} {
		res := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers?q="+urlq(q)), tok, nil), 200, "search "+q)
		found := false
		for _, it := range res["items"].([]any) {
			found = found || it.(map[string]any)["id"] == want
		}
		if !found {
			t.Errorf("search %q did not find %s: %v", q, want, res["items"])
		}
	}
	list := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders?status=delivered"), tok, nil), 200, "list delivered")
	if its := list["items"].([]any); len(its) != 1 || its[0].(map[string]any)["id"] != oid {
		t.Fatalf("delivered orders: %v", list["items"])
	}
	page := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders?limit=1"), tok, nil), 200, "paged list")
	if its := page["items"].([]any); len(its) != 1 || page["next_cursor"] == nil || page["next_cursor"] == "" {
		t.Fatalf("first page of 1: %v", page)
	}
	next := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders?limit=1&cursor="+urlq(page["next_cursor"].(string))), tok, nil), 200, "page 2")
	if its := next["items"].([]any); len(its) != 1 || its[0].(map[string]any)["id"] == page["items"].([]any)[0].(map[string]any)["id"] {
		t.Fatalf("second page repeats or is empty: %v", next)
	}
	if strings.Contains(env.Logs.String(), "52998224725") || strings.Contains(env.Logs.String(), "maria@example.com") {
		t.Fatal("personal data reached the logs")
	}
}

func urlq(s string) string {
	r := strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "@", "%40", "+", "%2B", "/", "%2F", "ã", "%C3%A3")
	return r.Replace(s)
}
