package api_test

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/workshop"

	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/wiring"
)

// Known values written through the API, then looked for in clear text:
// the person's profile, note and plate, and what she said about her car
// (the order's description, an item's description, a status note).
var secrets = []string{"Beatriz Quintanilha", "Quintanilha", "81748552031", "817.485.520-31", "beatriz.q@example.com",
	"+5531991234567", "Rua Sapucaí", "30150050", "MGX4E55", "Nota confidencial sobre a Beatriz",
	"Chiado ao frear perto da casa da sogra", "Pastilhas dianteiras da Beatriz", "Avisada pelo celular pessoal"}

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
	o := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders"), w.OwnerToken,
		`{"customer_id":"`+id+`","vehicle_id":"`+v["id"].(string)+`","mileage_km":81000,"description":"Chiado ao frear perto da casa da sogra",
		  "items":[{"service":"brake_pads","description":"Pastilhas dianteiras da Beatriz","quantity":1,"unit_price_cents":32000}]}`), 201, "order")
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/service-orders/"+o["id"].(string)+"/status"), w.OwnerToken,
		`{"status":"in_progress","note":"Avisada pelo celular pessoal"}`), 200, "order status")
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

// addStaffMember adds a verified staff member with a known name and
// e-mail to w and returns their identity id.
func addStaffMember(t *testing.T, env *e2e.Env, w e2e.Workshop, name string) (identityID, email string) {
	t.Helper()
	email = "rosalinda-" + e2e.Unique() + "@example.com"
	if _, err := env.Sys.Ory.CreateStaff(context.Background(), email, name, e2e.Password); err != nil {
		t.Fatal(err)
	}
	env.VerifyEmail(t, email)
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/staff"), w.OwnerToken,
		map[string]string{"name": name, "email": email, "role": "advisor"}), 201, "add staff")
	list := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/staff"), w.OwnerToken, nil), 200, "staff list")
	for _, it := range list["items"].([]any) {
		if m := it.(map[string]any); m["email"] == email {
			if m["name"] != name {
				t.Fatalf("staff list shows %v", m)
			}
			return m["identity_id"].(string), email
		}
	}
	t.Fatalf("the staff list lacks %s: %v", email, list)
	return "", ""
}

// bookWithNote books an appointment for the customer through the portal
// routes with a note, and returns its day.
func bookWithNote(t *testing.T, env *e2e.Env, w e2e.Workshop, customerID, vehicleID, note string) string {
	t.Helper()
	openEveryDay(t, env, w)
	pe := portalEnv(t, env)
	day := openDay(t, 8)
	start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, day.Location()).UTC().Format(time.RFC3339)
	mustStatus(t, pe.Do(t, http.MethodPost, portal(w, "/appointments"), "", fmt.Sprintf(
		`{"vehicle_id":%q,"services":["oil_change"],"start":%q,"note":%q}`, vehicleID, start, note),
		"X-Test-Customers", customerID), 201, "booking")
	date := day.Format("2006-01-02")
	list := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/appointments?from="+date+"&to="+date), w.OwnerToken, nil), 200, "appointments")
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["note"] != note {
		t.Fatalf("the staff's appointment list does not show the note: %v", list)
	}
	return date
}

func TestPrivacy_DatabaseDumpHoldsNoPersonalDataIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	id, vid := createBeatriz(t, env, w)
	const bookingNote = "Levo a Beatriz ao hospital antes"
	bookWithNote(t, env, w, id, vid, bookingNote)
	const staffName = "Rosalinda Figueiredo Taques"
	_, staffEmail := addStaffMember(t, env, w, staffName)
	// The live customer's order still shows what she said.
	orders := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders?customer_id="+id), w.OwnerToken, nil), 200, "orders")
	if body := sprint(orders); !strings.Contains(body, "Chiado ao frear perto da casa da sogra") ||
		!strings.Contains(body, "Pastilhas dianteiras da Beatriz") || !strings.Contains(body, "Avisada pelo celular pessoal") {
		t.Fatalf("the order's free text is not shown: %s", body)
	}
	dump := pgDump(t, env)
	for _, s := range append(append([]string(nil), secrets...), bookingNote, staffName, "Figueiredo", staffEmail) {
		if strings.Contains(dump, s) {
			t.Errorf("pg_dump shows %q in clear text", s)
		}
	}
	if !strings.Contains(dump, "customer.registered.v1") {
		t.Fatal("the dump does not even hold the events")
	}
}

// Removing a staff member shreds the key of their membership: their name
// and e-mail no longer read from the (immutable) events, while the other
// members' still do; inviting them again works (issue 10, item 9).
func TestPrivacy_RemovedStaffIsErasedFromTheEventsIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	const staffName = "Rosalinda Figueiredo Taques"
	member, email := addStaffMember(t, env, w, staffName)
	staffAdded := func() []workshop.StaffAdded {
		recs, err := env.Sys.Store.Load(tenantCtx(t, w), streamRef(workshop.StreamType, w.ID))
		if err != nil {
			t.Fatalf("load the workshop's events: %v", err)
		}
		var out []workshop.StaffAdded
		for _, r := range recs {
			if e, ok := r.Event.(workshop.StaffAdded); ok {
				out = append(out, e)
			}
		}
		return out
	}
	if got := staffAdded(); len(got) != 2 || got[1].IdentityID != member || got[1].Name != staffName || got[1].Email != email {
		t.Fatalf("staff events before the removal: %+v", got)
	}
	if r := env.Do(t, http.MethodDelete, ws(w, "/staff/"+member), w.OwnerToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("remove staff: %d %s", r.Status, r.Body)
	}
	got := staffAdded()
	if len(got) != 2 || got[1].Name != privacy.Placeholder || got[1].Email != privacy.Placeholder {
		t.Fatalf("the removed member's event still reads %+v", got[1])
	}
	if got[0].Name == privacy.Placeholder || got[0].Email == "" || got[0].Email == privacy.Placeholder {
		t.Fatalf("the owner's event was erased too: %+v", got[0])
	}
	list := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/staff"), w.OwnerToken, nil), 200, "staff list")
	if body := sprint(list); strings.Contains(body, member) || !strings.Contains(body, got[0].Email) {
		t.Fatalf("staff list after the removal: %s", body)
	}
	if dump := pgDump(t, env); strings.Contains(dump, staffName) || strings.Contains(dump, email) {
		t.Fatal("the dump shows the removed member")
	}
	// Invited again, they get a new subject: the name shows again.
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/staff"), w.OwnerToken,
		map[string]string{"name": staffName, "email": email, "role": "mechanic"}), 201, "invite again")
	if got := staffAdded(); len(got) != 3 || got[2].Name != staffName || got[1].Name != privacy.Placeholder {
		t.Fatalf("staff events after inviting again: %+v", got)
	}
}

func TestPrivacy_ErasureIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	id, vid := createBeatriz(t, env, w)
	const bookingNote = "Levo a Beatriz ao hospital antes"
	day := bookWithNote(t, env, w, id, vid, bookingNote)
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
	// Her booking stays in the calendar, its note erased; her orders keep
	// services and prices, their free text erased.
	cal := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/appointments?from="+day+"&to="+day), w.OwnerToken, nil), 200, "calendar")
	if items := cal["items"].([]any); len(items) != 1 || items[0].(map[string]any)["note"] != privacy.Placeholder {
		t.Fatalf("calendar after erasure: %v", cal)
	}
	orders := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/service-orders?customer_id="+id), w.OwnerToken, nil), 200, "orders")
	if body := sprint(orders); !strings.Contains(body, privacy.Placeholder) || !strings.Contains(body, "brake_pads") {
		t.Fatalf("orders after erasure: %s", body)
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
