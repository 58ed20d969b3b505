package api_test

import (
	"context"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/wiring"
)

// Known values written through the API, then looked for in clear text.
var secrets = []string{"Beatriz Quintanilha", "Quintanilha", "81748552031", "817.485.520-31", "beatriz.q@example.com",
	"+5531991234567", "Rua Sapucaí", "30150050", "MGX4E55", "Nota confidencial sobre a Beatriz"}

func createBeatriz(t *testing.T, env *e2e.Env, w e2e.Workshop) (customerID, vehicleID string) {
	t.Helper()
	c := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken, `{"name":"Beatriz Quintanilha",
	  "document":"817.485.520-31","email":"beatriz.q@example.com","phones":{"mobile":"(31) 99123-4567"},
	  "address":{"street":"Rua Sapucaí","number":"10","city":"Belo Horizonte","state":"MG","postal_code":"30150-050"},
	  "marketing_consent":true}`), 201, "customer")
	id := c["id"].(string)
	v := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+id+"/vehicles"), w.OwnerToken,
		`{"plate":"MGX4E55","make":"Honda","model":"Fit","year":2015,"mileage_km":80000}`), 201, "vehicle")
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers/"+id+"/notes"), w.OwnerToken,
		`{"text":"Nota confidencial sobre a Beatriz"}`), 201, "note")
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), w.OwnerToken,
		`{"customer_id":"`+id+`","vehicle_id":"`+v["id"].(string)+`","mileage_km":81000,"items":[{"service":"brake_pads","description":"Pastilhas","quantity":1,"unit_price_cents":32000}]}`), 201, "order")
	return id, v["id"].(string)
}

func pgDump(t *testing.T, env *e2e.Env) string {
	t.Helper()
	out, err := exec.Command("pg_dump", "--no-owner", "--data-only", env.DB.AdminURL).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	if len(out) < 1000 {
		t.Fatalf("pg_dump output suspiciously small: %s", out)
	}
	return string(out)
}

func TestPrivacy_DatabaseDumpHoldsNoPersonalDataIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	createBeatriz(t, env, w)
	dump := pgDump(t, env)
	for _, s := range secrets {
		if strings.Contains(dump, s) {
			t.Errorf("pg_dump shows %q in clear text", s)
		}
	}
	if !strings.Contains(dump, "customer.registered.v1") {
		t.Fatal("the dump does not even hold the events")
	}
}

func TestPrivacy_ErasureIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	id, vid := createBeatriz(t, env, w)
	other := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken,
		`{"name":"Carlos Prado","document":"52998224725","email":"carlos@example.com"}`), 201, "other customer")

	ex := env.Do(t, http.MethodGet, ws(w, "/customers/"+id+"/export"), w.OwnerToken, nil)
	for _, s := range []string{"Beatriz Quintanilha", "81748552031", "beatriz.q@example.com", "MGX4E55", "Nota confidencial", "marketing"} {
		if !strings.Contains(string(ex.Body), s) {
			t.Errorf("export before erasure lacks %q", s)
		}
	}
	if r := env.Do(t, http.MethodDelete, ws(w, "/customers/"+id), w.OwnerToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("erase: %d %s", r.Status, r.Body)
	}
	ex = env.Do(t, http.MethodGet, ws(w, "/customers/"+id+"/export"), w.OwnerToken, nil)
	if ex.Status != http.StatusOK {
		t.Fatalf("export after erasure: %d %s", ex.Status, ex.Body)
	}
	for _, s := range secrets {
		if strings.Contains(string(ex.Body), s) {
			t.Errorf("export after erasure still shows %q", s)
		}
	}
	if !strings.Contains(string(ex.Body), "brake_pads") {
		t.Error("the anonymised service record of the vehicle is gone")
	}
	if r := env.Do(t, http.MethodGet, ws(w, "/customers/"+id), w.OwnerToken, nil); r.Status != http.StatusNotFound {
		t.Errorf("erased customer still readable: %d", r.Status)
	}
	for _, q := range []string{"81748552031", "beatriz.q%40example.com", "MGX4E55", "Quintanilha", "31991234567"} {
		res := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers?q="+q), w.OwnerToken, nil), 200, "search "+q)
		if len(res["items"].([]any)) != 0 {
			t.Errorf("search %s still finds the erased person", q)
		}
	}
	// Others are untouched.
	got := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers/"+other["id"].(string)), w.OwnerToken, nil), 200, "other")
	if got["name"] != "Carlos Prado" || got["document"] != "52998224725" {
		t.Fatalf("another customer changed: %v", got)
	}
	// The events are still there but no longer decrypt: loading shows the placeholder.
	recs, err := env.Sys.Store.Load(tenantCtx(t, w), streamRef("customer", id))
	if err != nil {
		t.Fatalf("loading an erased stream must still work: %v", err)
	}
	if !strings.Contains(strings.ToLower(sprint(recs[0].Event)), "[removido]") {
		t.Fatalf("first event after erasure: %+v", recs[0].Event)
	}
	if strings.Contains(pgDump(t, env), "Beatriz") {
		t.Fatal("the dump shows the erased name")
	}
	// The vehicle stays as an anonymised service record.
	vh := env.Do(t, http.MethodGet, ws(w, "/vehicles/"+vid+"/history"), w.OwnerToken, nil)
	if vh.Status != http.StatusOK || strings.Contains(string(vh.Body), "MGX4E55") {
		t.Fatalf("vehicle history after erasure: %d %s", vh.Status, vh.Body)
	}
	// The same CPF can be registered again (as a new person).
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken, `{"name":"Nova","document":"81748552031"}`), 201, "reuse CPF")
}

func TestPrivacy_AuditLogRecordsPersonalDataReadsIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	id, _ := createBeatriz(t, env, w)
	advisor := env.Staff(t, w, "advisor")
	mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers/"+id), advisor, nil), 200, "advisor reads")
	log := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/audit-log?subject_id="+id), w.OwnerToken, nil), 200, "audit log")
	found := false
	for _, it := range log["items"].([]any) {
		e := it.(map[string]any)
		fields, _ := e["fields"].([]any)
		if strings.HasPrefix(e["actor"].(string), "staff:") && strings.Contains(e["endpoint"].(string), "/customers/"+id) && len(fields) > 0 {
			found = true
		}
	}
	if !found {
		t.Fatalf("the advisor's read is not in the audit log: %v", log["items"])
	}
	if r := env.Do(t, http.MethodGet, ws(w, "/audit-log"), advisor, nil); r.Status != http.StatusForbidden {
		t.Fatalf("an advisor read the audit log: %d", r.Status)
	}
}

func TestPrivacy_MasterKeyRotationKeepsEverythingReadableIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	id, _ := createBeatriz(t, env, w)
	newKey, err := crypto.GenerateMasterKey("rotated")
	if err != nil {
		t.Fatal(err)
	}
	ring, err := crypto.ParseMasterKeys(newKey + "," + env.Config.MasterKeys)
	if err != nil {
		t.Fatal(err)
	}
	rot, err := crypto.NewMasterKeyRotator(crypto.RotatorConfig{Admin: env.DB.Admin, Keys: ring})
	if err != nil {
		t.Fatal(err)
	}
	n, err := rot.RotateMasterKeys(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("rotate: %d keys, %v", n, err)
	}
	// A second Torque with only the new master key reads everything.
	cfg := env.Config
	cfg.MasterKeys = newKey
	sys, err := wiring.Build(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	recs, err := sys.Store.Load(tenantCtx(t, w), streamRef("customer", id))
	if err != nil || !strings.Contains(sprint(recs[0].Event), "Beatriz Quintanilha") {
		t.Fatalf("after rotation, with only the new key: %v %v", err, recs)
	}
}
