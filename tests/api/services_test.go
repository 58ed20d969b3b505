package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

func TestWorkshopOwnServicesCanBeUsedInOrdersIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	env, w := f.env, f.w
	list := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/services"), w.OwnerToken, nil), 200, "catalogue")
	if !strings.Contains(fmt.Sprint(list["items"]), "Troca de óleo") {
		t.Fatalf("default catalogue lacks the pt-BR labels: %v", list["items"])
	}
	order := func() e2e.Response {
		return (env.Do(t, http.MethodPost, ws(w, "/service-orders"), w.OwnerToken, fmt.Sprintf(
			`{"customer_id":%q,"vehicle_id":%q,"items":[{"service":"polimento","description":"Polimento","quantity":1,"unit_price_cents":35000}]}`,
			f.customerID, f.vehicleID)))
	}
	if r := order(); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "items[0].service") {
		t.Fatalf("unknown service before it is defined: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodPost, ws(w, "/services"), env.Staff(t, w, "advisor"),
		`{"code":"polimento","label":"Polimento cristalizado","interval_months":6}`); r.Status != http.StatusForbidden {
		t.Fatalf("an advisor changed the catalogue: %d", r.Status)
	}
	if r := env.Do(t, http.MethodPost, ws(w, "/services"), w.OwnerToken, `{"code":"oil_change","label":"Outra"}`); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("redefining a default code: %d %s", r.Status, r.Body)
	}
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/services"), w.OwnerToken,
		`{"code":"polimento","label":"Polimento cristalizado","interval_months":6}`), 201, "define")
	if r := order(); r.Status != http.StatusCreated {
		t.Fatalf("order with the workshop's own service: %d %s", r.Status, r.Body)
	}
	// Another workshop does not see it.
	other := env.Signup(t, "basic")
	if r := env.Do(t, http.MethodGet, ws(other, "/services"), other.OwnerToken, nil); strings.Contains(string(r.Body), "polimento") {
		t.Fatal("a workshop's own service leaked to another workshop")
	}
	if r := env.Do(t, http.MethodDelete, ws(w, "/services/polimento"), w.OwnerToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("remove: %d %s", r.Status, r.Body)
	}
	if r := order(); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("order with a removed service: %d", r.Status)
	}
}
