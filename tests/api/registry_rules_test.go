package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

type fixture struct {
	env                   *e2e.Env
	w                     e2e.Workshop
	customerID, vehicleID string
	orderID               string
}

func newRegistryFixture(t *testing.T) fixture {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	c := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken,
		`{"name":"Ana Lima","document":"390.533.447-05","email":"ana@example.com","phones":{"mobile":"(21) 99876-5432"},
		  "address":{"street":"Av. Atlântica","number":"1702","city":"Rio de Janeiro","state":"RJ","postal_code":"22021-001"}}`), 201, "customer")
	v := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+c["id"].(string)+"/vehicles"), w.OwnerToken,
		`{"plate":"RIO2A18","make":"Chevrolet","model":"Onix","year":2021,"mileage_km":30000}`), 201, "vehicle")
	o := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), w.OwnerToken, fmt.Sprintf(
		`{"customer_id":%q,"vehicle_id":%q,"mileage_km":30500,"items":[{"service":"inspection","description":"Revisão","quantity":1,"unit_price_cents":25000}]}`,
		c["id"], v["id"])), 201, "order")
	return fixture{env: env, w: w, customerID: c["id"].(string), vehicleID: v["id"].(string), orderID: o["id"].(string)}
}

func TestRegistry_BadInputIsA4xxNamingTheFieldAndStoresNothingIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	tok, w := f.w.OwnerToken, f.w
	cust, veh, ord := ws(w, "/customers"), ws(w, "/customers/"+f.customerID+"/vehicles"), ws(w, "/service-orders")
	order := func(extra string) string {
		return fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q%s}`, f.customerID, f.vehicleID, extra)
	}
	item := func(it string) string { return order(`,"items":[` + it + `]`) }
	cases := []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"empty name", "POST", cust, `{"name":""}`, 422, "name"},
		{"blank name", "POST", cust, `{"name":"   "}`, 422, "name"},
		{"missing name", "POST", cust, `{"email":"x@example.com"}`, 422, "name"},
		{"name too long", "POST", cust, `{"name":"` + strings.Repeat("a", 201) + `"}`, 422, "name"},
		{"name control char", "POST", cust, `{"name":"Ana\u0007"}`, 422, "name"},
		{"CPF check digit", "POST", cust, `{"name":"A","document":"529.982.247-24"}`, 422, "document"},
		{"CPF repeated", "POST", cust, `{"name":"A","document":"111.111.111-11"}`, 422, "document"},
		{"CPF letters", "POST", cust, `{"name":"A","document":"529.98X.247-25"}`, 422, "document"},
		{"document length", "POST", cust, `{"name":"A","document":"1234567"}`, 422, "document"},
		{"CNPJ check digit", "POST", cust, `{"name":"A","document":"11.222.333/0001-82"}`, 422, "document"},
		{"alnum CNPJ check digit", "POST", cust, `{"name":"A","document":"12.ABC.345/01DE-36"}`, 422, "document"},
		{"email", "POST", cust, `{"name":"A","email":"ana@"}`, 422, "email"},
		{"email display name", "POST", cust, `{"name":"A","email":"Ana <ana@example.com>"}`, 422, "email"},
		{"mobile is landline", "POST", cust, `{"name":"A","phones":{"mobile":"(11) 3456-7890"}}`, 422, "phones.mobile"},
		{"phone bad DDD", "POST", cust, `{"name":"A","phones":{"landline":"(20) 3456-7890"}}`, 422, "phones.landline"},
		{"phone too short", "POST", cust, `{"name":"A","phones":{"mobile":"9876"}}`, 422, "phones.mobile"},
		{"UF", "POST", cust, `{"name":"A","address":{"state":"XX"}}`, 422, "address.state"},
		{"CEP", "POST", cust, `{"name":"A","address":{"postal_code":"0100-000"}}`, 422, "address.postal_code"},
		{"CEP letters", "POST", cust, `{"name":"A","address":{"postal_code":"ABCDE-FGH"}}`, 422, "address.postal_code"},
		{"unknown field", "POST", cust, `{"name":"A","cpf":"52998224725"}`, 400, "cpf"},
		{"unknown nested field", "POST", cust, `{"name":"A","address":{"rua":"x"}}`, 400, "rua"},
		{"name wrong type", "POST", cust, `{"name":42}`, 422, "name"},
		{"consent wrong type", "POST", cust, `{"name":"A","marketing_consent":"yes"}`, 422, "marketing_consent"},
		{"phones wrong type", "POST", cust, `{"name":"A","phones":"11987654321"}`, 422, "phones"},
		{"invalid UTF-8", "POST", cust, "{\"name\":\"An\xffa\"}", 400, ""},
		{"malformed JSON", "POST", cust, `{"name":"A"`, 400, ""},
		{"body over 1 MiB", "POST", cust, `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, ""},
		{"plate format", "POST", veh, `{"plate":"AB-12345","make":"Fiat","model":"Uno","year":2010}`, 422, "plate"},
		{"plate missing", "POST", veh, `{"make":"Fiat","model":"Uno","year":2010}`, 422, "plate"},
		{"year too old", "POST", veh, `{"plate":"QWE1234","make":"Fiat","model":"Uno","year":1899}`, 422, "year"},
		{"year in the future", "POST", veh, `{"plate":"QWE1234","make":"Fiat","model":"Uno","year":2099}`, 422, "year"},
		{"year as string", "POST", veh, `{"plate":"QWE1234","make":"Fiat","model":"Uno","year":"2010"}`, 422, "year"},
		{"year fractional", "POST", veh, `{"plate":"QWE1234","make":"Fiat","model":"Uno","year":2010.5}`, 422, "year"},
		{"make missing", "POST", veh, `{"plate":"QWE1234","model":"Uno","year":2010}`, 422, "make"},
		{"negative mileage", "POST", veh, `{"plate":"QWE1234","make":"Fiat","model":"Uno","year":2010,"mileage_km":-5}`, 422, "mileage_km"},
		{"duplicate plate", "POST", veh, `{"plate":"RIO-2A18","make":"Fiat","model":"Uno","year":2010}`, 409, "plate"},
		{"duplicate CPF", "POST", cust, `{"name":"Outra Ana","document":"39053344705"}`, 409, "document"},
		{"negative price", "POST", ord, item(`{"service":"oil_change","description":"x","quantity":1,"unit_price_cents":-1}`), 422, "items[0].unit_price_cents"},
		{"zero quantity", "POST", ord, item(`{"service":"oil_change","description":"x","quantity":0,"unit_price_cents":100}`), 422, "items[0].quantity"},
		{"unknown service", "POST", ord, item(`{"service":"teleport","description":"x","quantity":1,"unit_price_cents":100}`), 422, "items[0].service"},
		{"price as string", "POST", ord, item(`{"service":"oil_change","description":"x","quantity":1,"unit_price_cents":"100"}`), 422, "items.unit_price_cents"},
		{"odometer rollback", "POST", ord, order(`,"mileage_km":100`), 422, "mileage_km"},
		{"customer not a UUID", "POST", ord, `{"customer_id":"abc","vehicle_id":"` + f.vehicleID + `"}`, 422, "customer_id"},
		{"unknown status", "POST", ws(w, "/service-orders/"+f.orderID+"/status"), `{"status":"teleported"}`, 422, "status"},
		{"status wrong type", "POST", ws(w, "/service-orders/"+f.orderID+"/status"), `{"status":1}`, 422, "status"},
		{"patch bad CPF", "PATCH", ws(w, "/customers/"+f.customerID), `{"document":"123.456.789-00"}`, 422, "document"},
		{"patch clear name", "PATCH", ws(w, "/customers/"+f.customerID), `{"name":null}`, 422, "name"},
		{"patch bad year", "PATCH", ws(w, "/vehicles/"+f.vehicleID), `{"year":1500}`, 422, "year"},
		{"bad If-Match", "PATCH", ws(w, "/customers/"+f.customerID), `{"name":"B"}`, 400, ""},
		{"empty note", "POST", ws(w, "/customers/"+f.customerID+"/notes"), `{"text":"  "}`, 422, "text"},
		{"limit too large", "GET", ws(w, "/customers?limit=500"), ``, 422, "limit"},
	}
	before := f.env.DB.Count(t, `SELECT count(*) FROM events`)
	for _, c := range cases {
		var body any
		if c.body != "" {
			body = c.body
		}
		headers := []string{}
		if c.name == "bad If-Match" {
			headers = []string{"If-Match", "not-an-etag"}
		}
		r := f.env.Do(t, c.method, c.path, tok, body, headers...)
		if r.Status != c.status || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d (%s) %s, want %d problem+json", c.name, r.Status, r.Header.Get("Content-Type"), trim(r.Body), c.status)
			continue
		}
		if c.field != "" && !strings.Contains(string(r.Body), `"field":"`+c.field+`"`) {
			t.Errorf("%s: problem does not name %s: %s", c.name, c.field, trim(r.Body))
		}
	}
	if len(cases) < 40 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	if after := f.env.DB.Count(t, `SELECT count(*) FROM events`); after != before {
		t.Fatalf("bad input stored %d events", after-before)
	}
	if strings.Contains(f.env.Logs.String(), `"level":"ERROR"`) {
		t.Fatalf("bad input caused a server error: %s", f.env.Logs.String())
	}
}

func trim(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

func TestRegistry_TextIsStoredExactlyIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	tricky := []string{
		`Zé "Tubarão" D'Ávila`,
		`<script>alert('x')</script> & <b>negrito</b>`,
		`Robert'); DROP TABLE customers;--`,
		`Ação, coração, pão — 100% “aspas” ½ €`,
		`emoji 🚗🔧 e \\ barra`,
	}
	for _, name := range tricky {
		c := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/customers"), f.w.OwnerToken, map[string]string{"name": name}), 201, "create")
		got := mustStatus(t, f.env.Do(t, http.MethodGet, ws(f.w, "/customers/"+c["id"].(string)), f.w.OwnerToken, nil), 200, "read")
		if got["name"] != name {
			t.Errorf("name %q came back as %q", name, got["name"])
		}
		n := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/customers/"+c["id"].(string)+"/notes"), f.w.OwnerToken,
			map[string]string{"text": name + "\nsegunda linha"}), 201, "note")
		if n["text"] != name+"\nsegunda linha" {
			t.Errorf("note %q came back as %q", name, n["text"])
		}
		notes := mustStatus(t, f.env.Do(t, http.MethodGet, ws(f.w, "/customers/"+c["id"].(string)+"/notes"), f.w.OwnerToken, nil), 200, "notes")
		if its := notes["items"].([]any); len(its) != 1 || its[0].(map[string]any)["text"] != name+"\nsegunda linha" {
			t.Errorf("listed note: %v", notes["items"])
		}
	}
}

func TestRegistry_ParallelPatchesWithOneIfMatchOnlyOneWinsIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	cur := f.env.Do(t, http.MethodGet, ws(f.w, "/customers/"+f.customerID), f.w.OwnerToken, nil)
	etag := cur.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	const n = 20
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := f.env.Do(t, http.MethodPatch, ws(f.w, "/customers/"+f.customerID), f.w.OwnerToken,
				map[string]string{"name": fmt.Sprintf("Ana Versão %d", i)}, "If-Match", etag)
			statuses <- r.Status
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[200] != 1 || count[412] != n-1 {
		t.Fatalf("statuses %v: want exactly one 200 and %d × 412", count, n-1)
	}
}

func TestRegistry_OtherWorkshopsIDsAreNotFoundEverywhereIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	other := f.env.Signup(t, "basic")
	tok := other.OwnerToken
	c, v, o := f.customerID, f.vehicleID, f.orderID
	calls := []struct{ method, path, body string }{
		{"GET", "/customers/" + c, ""}, {"PATCH", "/customers/" + c, `{"name":"X"}`}, {"DELETE", "/customers/" + c, ""},
		{"GET", "/customers/" + c + "/notes", ""}, {"POST", "/customers/" + c + "/notes", `{"text":"x"}`},
		{"GET", "/customers/" + c + "/history", ""}, {"GET", "/customers/" + c + "/export", ""},
		{"GET", "/customers/" + c + "/consents", ""},
		{"POST", "/customers/" + c + "/vehicles", `{"plate":"ZZZ9Z99","make":"A","model":"B","year":2010}`},
		{"GET", "/vehicles/" + v, ""}, {"PATCH", "/vehicles/" + v, `{"color":"Azul"}`}, {"GET", "/vehicles/" + v + "/history", ""},
		{"GET", "/service-orders/" + o, ""}, {"POST", "/service-orders/" + o + "/status", `{"status":"in_progress"}`},
	}
	for _, call := range calls {
		var body any
		if call.body != "" {
			body = call.body
		}
		r := f.env.Do(t, call.method, ws(other, call.path), tok, body)
		if r.Status != http.StatusNotFound {
			t.Errorf("%s %s in another workshop: %d %s", call.method, call.path, r.Status, trim(r.Body))
		}
		if strings.Contains(string(r.Body), "Ana Lima") || strings.Contains(string(r.Body), "RIO2A18") {
			t.Errorf("%s %s leaked data: %s", call.method, call.path, r.Body)
		}
	}
	// Other workshop's ids inside bodies are refused too.
	mine := mustStatus(t, f.env.Do(t, http.MethodPost, ws(other, "/customers"), tok, `{"name":"Outro"}`), 201, "own customer")
	r := f.env.Do(t, http.MethodPost, ws(other, "/service-orders"), tok, fmt.Sprintf(`{"customer_id":%q,"vehicle_id":%q}`, mine["id"], v))
	if r.Status != 422 && r.Status != 404 {
		t.Errorf("order on another workshop's vehicle: %d %s", r.Status, r.Body)
	}
	r = f.env.Do(t, http.MethodPost, ws(other, "/vehicles/"+v+"/transfer"), tok, map[string]string{"customer_id": mine["id"].(string)})
	if r.Status != http.StatusNotFound {
		t.Errorf("transfer of another workshop's vehicle: %d", r.Status)
	}
	// The same CPF and plate are fine in another workshop.
	mustStatus(t, f.env.Do(t, http.MethodPost, ws(other, "/customers"), tok, `{"name":"Ana","document":"39053344705"}`), 201, "same CPF elsewhere")
	mustStatus(t, f.env.Do(t, http.MethodPost, ws(other, "/customers/"+mine["id"].(string)+"/vehicles"), tok,
		`{"plate":"RIO2A18","make":"Chevrolet","model":"Onix","year":2021}`), 201, "same plate elsewhere")
	// Search in the other workshop finds nothing of the first.
	res := mustStatus(t, f.env.Do(t, http.MethodGet, ws(other, "/customers?q=ana%40example.com"), tok, nil), 200, "search")
	if len(res["items"].([]any)) != 0 {
		t.Fatalf("search crossed workshops: %v", res["items"])
	}
}

func TestRegistry_MechanicSeesNoPersonalDataIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	mech := f.env.Staff(t, f.w, "mechanic")
	for _, path := range []string{"/customers/" + f.customerID, "/customers?q=Ana", "/service-orders/" + f.orderID,
		"/vehicles/" + f.vehicleID} {
		r := f.env.Do(t, http.MethodGet, ws(f.w, path), mech, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("mechanic GET %s: %d %s", path, r.Status, r.Body)
		}
		for _, secret := range []string{"39053344705", "ana@example.com", "+5521998765432", "Atlântica", "22021001", `"document"`, `"email"`, `"phones"`, `"address"`} {
			if strings.Contains(string(r.Body), secret) {
				t.Errorf("mechanic sees %s in %s: %s", secret, path, r.Body)
			}
		}
	}
	for _, path := range []string{"/customers/" + f.customerID + "/export", "/customers/" + f.customerID + "/consents"} {
		if r := f.env.Do(t, http.MethodGet, ws(f.w, path), mech, nil); r.Status != http.StatusForbidden {
			t.Errorf("mechanic GET %s: %d", path, r.Status)
		}
	}
	if r := f.env.Do(t, http.MethodPost, ws(f.w, "/customers"), mech, `{"name":"X"}`); r.Status != http.StatusForbidden {
		t.Errorf("mechanic created a customer: %d", r.Status)
	}
	if r := f.env.Do(t, http.MethodDelete, ws(f.w, "/customers/"+f.customerID), f.env.Staff(t, f.w, "manager"), nil); r.Status != http.StatusForbidden {
		t.Errorf("a manager erased a customer: %d", r.Status)
	}
}
