package analytics_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/seed"
)

func TestReportsAPI_ShapesCSVErrorsAndFranchiseComparisonIntegration(t *testing.T) {
	w := newWorld(t, 8)
	w.env.StartWorker(t)
	env := w.env
	ctx := context.Background()
	owner1 := env.Login(t, "dono-analise-0001@example.com", seed.DemoPassword)
	owner2 := env.Login(t, "dono-analise-0002@example.com", seed.DemoPassword)
	in, _, _ := sinceStart()
	q := "?from=" + in.From + "&to=" + in.To
	base := "/api/v1/workshops/analise-0001/reports/"

	top := env.Do(t, http.MethodGet, base+"top-services"+q, owner1, nil)
	if top.Status != http.StatusOK {
		t.Fatalf("top-services: %d %s", top.Status, top.Body)
	}
	items, _ := top.JSON()["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("top-services: no items: %s", top.Body)
	}
	first, _ := items[0].(map[string]any)
	for _, k := range []string{"service", "label", "orders", "revenue_cents", "share"} {
		if _, ok := first[k]; !ok {
			t.Errorf("top-services item without %q: %v", k, first)
		}
	}
	csv := env.Do(t, http.MethodGet, base+"top-services"+q, owner1, nil, "Accept", "text/csv")
	if csv.Status != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(string(csv.Body), "service,label,orders,revenue_cents,share\n") {
		t.Fatalf("CSV: %d %q %.200s", csv.Status, csv.Header.Get("Content-Type"), csv.Body)
	}
	if n := strings.Count(string(csv.Body), "\n"); n != len(items)+1 {
		t.Errorf("CSV has %d lines for %d services", n, len(items))
	}

	bad := env.Do(t, http.MethodGet, base+"frequency?from=2026-13-01&to=ontem", owner1, nil)
	if bad.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(bad.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("bad dates: %d %s", bad.Status, bad.Body)
	}
	if errs, _ := bad.JSON()["errors"].([]any); len(errs) != 2 {
		t.Errorf("bad dates: want one error per field: %s", bad.Body)
	}

	sat := env.Do(t, http.MethodGet, base+"satisfaction", owner1, nil)
	if sat.Status != http.StatusOK || !strings.Contains(string(sat.Body), `"nps":{"score":0,"promoters":0,"passives":0,"detractors":0,"responses":0}`) ||
		!strings.Contains(string(sat.Body), `"by_month":[]`) {
		t.Errorf("satisfaction before any feedback: %d %s", sat.Status, sat.Body)
	}
	for _, r := range []string{"frequency", "maintenance-trends"} {
		res := env.Do(t, http.MethodGet, base+r+q, owner1, nil)
		if res.Status != http.StatusOK {
			t.Errorf("%s: %d %s", r, res.Status, res.Body)
		}
	}
	freq := env.Do(t, http.MethodGet, base+"frequency"+q, owner1, nil).JSON()
	if od, _ := freq["overdue"].([]any); len(od) > 0 {
		o := od[0].(map[string]any)
		id, _ := uuid.Parse(o["customer_id"].(string))
		var known bool
		_ = env.DB.Admin.QueryRow(ctx, `SELECT true FROM registry_customers WHERE customer_id = $1`, id).Scan(&known)
		if !known || o["name"] == "" || o["name"] == nil {
			t.Errorf("the owner's overdue list does not name the customer: %v", o)
		}
	}
	// Another workshop's reports are not found.
	if r := env.Do(t, http.MethodGet, base+"top-services", owner2, nil); r.Status != http.StatusNotFound {
		t.Errorf("another workshop's owner read the reports: %d", r.Status)
	}

	// A new order reaches the report through the live projection.
	var customerID, vehicleID uuid.UUID
	if err := env.DB.Admin.QueryRow(ctx, `SELECT customer_id, vehicle_id FROM registry_vehicles WHERE tenant_id = $1 LIMIT 1`, w.shop[0]).
		Scan(&customerID, &vehicleID); err != nil {
		t.Fatal(err)
	}
	before := servicesOrders(t, env.Do(t, http.MethodGet, base+"top-services", owner1, nil).JSON())["inspection"]
	r := env.Do(t, http.MethodPost, "/api/v1/workshops/analise-0001/service-orders", owner1, map[string]any{
		"customer_id": customerID, "vehicle_id": vehicleID,
		"items": []map[string]any{{"service": "inspection", "description": "Revisão", "quantity": 1, "unit_price_cents": 15000}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("open order: %d %s", r.Status, r.Body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for servicesOrders(t, env.Do(t, http.MethodGet, base+"top-services", owner1, nil).JSON())["inspection"] != before+1 {
		if time.Now().After(deadline) {
			t.Fatal("the new order never reached the report")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The franchise comparison: its manager sees the member shops, no one's
	// personal data; a member shop's owner does not see it.
	hq := env.Signup(t, "franchise")
	fr := env.Do(t, http.MethodPost, "/api/v1/franchises", hq.OwnerToken, map[string]string{"name": "Rede Carga"})
	if fr.Status != http.StatusCreated {
		t.Fatalf("franchise: %d %s", fr.Status, fr.Body)
	}
	fid, _ := fr.JSON()["id"].(string)
	for _, s := range []struct{ slug, token string }{{"analise-0001", owner1}, {"analise-0002", owner2}} {
		if r := env.Do(t, http.MethodPost, "/api/v1/franchises/"+fid+"/workshops", hq.OwnerToken, map[string]string{"workshop_slug": s.slug}); r.Status != http.StatusCreated {
			t.Fatalf("invite %s: %d %s", s.slug, r.Status, r.Body)
		}
		if r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+s.slug+"/franchise/accept", s.token, map[string]string{"franchise_id": fid}); r.Status != http.StatusNoContent {
			t.Fatalf("accept %s: %d %s", s.slug, r.Status, r.Body)
		}
	}
	cmp := env.Do(t, http.MethodGet, "/api/v1/franchises/"+fid+"/comparison"+q, hq.OwnerToken, nil)
	if cmp.Status != http.StatusOK {
		t.Fatalf("comparison: %d %s", cmp.Status, cmp.Body)
	}
	shops, _ := cmp.JSON()["workshops"].([]any)
	if len(shops) != 2 {
		t.Fatalf("comparison: want the 2 member shops (not the franchise's own): %s", cmp.Body)
	}
	_, from, to := sinceStart()
	for i, s := range shops {
		m := s.(map[string]any)
		var orders int64
		_ = env.DB.Admin.QueryRow(ctx, `SELECT count(*) FROM registry_service_orders WHERE tenant_id = $1 AND opened_at >= $2 AND opened_at < $3`,
			w.shop[i], from, to).Scan(&orders)
		if m["slug"] != []string{"analise-0001", "analise-0002"}[i] || int64(m["orders"].(float64)) != orders {
			t.Errorf("comparison shop %d: %v, Postgres %d orders", i, m, orders)
		}
		for _, k := range []string{"revenue_cents", "avg_ticket_cents", "nps", "return_rate", "reminder_conversion", "service_mix", "percentile"} {
			if _, ok := m[k]; !ok {
				t.Errorf("comparison without %q", k)
			}
		}
	}
	// No customer id, vehicle id or name of either shop appears.
	rows, err := env.DB.Admin.Query(ctx, `SELECT customer_id::text FROM registry_customers UNION ALL SELECT vehicle_id::text FROM registry_vehicles`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		_ = rows.Scan(&id)
		if strings.Contains(string(cmp.Body), id) {
			t.Errorf("the comparison shows a record id %s", id)
		}
	}
	rows.Close()
	if strings.Contains(string(cmp.Body), "customer") {
		t.Errorf("the comparison names customers: %s", cmp.Body)
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/franchises/"+fid+"/comparison", owner1, nil); r.Status != http.StatusNotFound {
		t.Errorf("a member shop's owner read the comparison: %d", r.Status)
	}
	franchiseSharesComparison(t, w, fid, hq.OwnerToken, owner1, q)
	if r := env.Do(t, http.MethodGet, "/api/v1/franchises/"+fid+"/comparison", hq.OwnerToken, nil, "Accept", "text/csv"); r.Status != http.StatusOK ||
		!strings.HasPrefix(string(r.Body), "slug,name,orders") {
		t.Errorf("comparison CSV: %d %.100s", r.Status, r.Body)
	}
}

// franchiseSharesComparison: the franchise's manager lets the owners of
// member shops see the comparison (PUT /franchises/{id}/settings); then
// such an owner gets it (200, no personal data), while the owner of a shop
// only invited, the owner of a shop outside the franchise and a member
// shop's other staff still get 404, and everyone but the manager gets 404 on
// the settings. Turned off again, the owner gets 404.
func franchiseSharesComparison(t *testing.T, w *world, fid, manager, owner1, q string) {
	t.Helper()
	env := w.env
	settings := "/api/v1/franchises/" + fid + "/settings"
	cmpPath := "/api/v1/franchises/" + fid + "/comparison" + q
	if r := env.Do(t, http.MethodGet, settings, manager, nil); r.Status != http.StatusOK || string(r.Body) != `{"share_comparison_with_members":false}`+"\n" {
		t.Fatalf("settings by default: %d %q", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodPut, settings, manager, map[string]any{}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(r.Body), `"share_comparison_with_members"`) {
		t.Errorf("settings without the field: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodPut, settings, manager, map[string]any{"share_comparison_with_members": true, "x": 1}); r.Status != http.StatusBadRequest {
		t.Errorf("settings with an unknown field: %d %s", r.Status, r.Body)
	}
	// Only the manager may change or read the settings.
	if r := env.Do(t, http.MethodPut, settings, owner1, map[string]any{"share_comparison_with_members": true}); r.Status != http.StatusNotFound {
		t.Fatalf("a member shop's owner changed the franchise's settings: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodGet, settings, owner1, nil); r.Status != http.StatusNotFound {
		t.Errorf("a member shop's owner read the franchise's settings: %d", r.Status)
	}
	share := func(on bool) {
		t.Helper()
		r := env.Do(t, http.MethodPut, settings, manager, map[string]any{"share_comparison_with_members": on})
		if r.Status != http.StatusOK || r.JSON()["share_comparison_with_members"] != on {
			t.Fatalf("share %v: %d %s", on, r.Status, r.Body)
		}
	}
	// Others who are not allowed: a mechanic and a manager of a member shop,
	// the owner of a shop outside the franchise and of a shop only invited.
	member := e2e.Workshop{Slug: "analise-0001", OwnerToken: owner1}
	outsider := env.Signup(t, "pro")
	invited := env.Signup(t, "pro")
	if r := env.Do(t, http.MethodPost, "/api/v1/franchises/"+fid+"/workshops", manager, map[string]string{"workshop_slug": invited.Slug}); r.Status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	denied := map[string]string{
		"mechanic of a member shop": env.Staff(t, member, "mechanic"),
		"manager of a member shop":  env.Staff(t, member, "manager"),
		"owner of another shop":     outsider.OwnerToken,
		"owner of an invited shop":  invited.OwnerToken,
	}

	share(true)
	r := env.Do(t, http.MethodGet, cmpPath, owner1, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("a member shop's owner, shared: %d %s", r.Status, r.Body)
	}
	shops, _ := r.JSON()["workshops"].([]any)
	if len(shops) != 2 || strings.Contains(string(r.Body), "customer") {
		t.Errorf("a member shop's owner, shared: want the 2 member shops' figures only: %s", r.Body)
	}
	ids, err := env.DB.Admin.Query(context.Background(), `SELECT customer_id::text FROM registry_customers UNION ALL SELECT vehicle_id::text FROM registry_vehicles`)
	if err != nil {
		t.Fatal(err)
	}
	for ids.Next() {
		var id string
		_ = ids.Scan(&id)
		if strings.Contains(string(r.Body), id) {
			t.Errorf("the shared comparison shows a record id %s", id)
		}
	}
	ids.Close()
	if r := env.Do(t, http.MethodGet, cmpPath, owner1, nil, "Accept", "text/csv"); r.Status != http.StatusOK || !strings.HasPrefix(string(r.Body), "slug,name,orders") {
		t.Errorf("a member shop's owner, shared, CSV: %d %.100s", r.Status, r.Body)
	}
	for who, tok := range denied {
		if r := env.Do(t, http.MethodGet, cmpPath, tok, nil); r.Status != http.StatusNotFound {
			t.Errorf("%s read the shared comparison: %d", who, r.Status)
		}
	}
	if r := env.Do(t, http.MethodGet, cmpPath, manager, nil); r.Status != http.StatusOK {
		t.Errorf("the manager, shared: %d", r.Status)
	}

	share(false)
	if r := env.Do(t, http.MethodGet, cmpPath, owner1, nil); r.Status != http.StatusNotFound {
		t.Errorf("a member shop's owner after sharing was turned off: %d", r.Status)
	}
	for who, tok := range denied {
		if r := env.Do(t, http.MethodGet, cmpPath, tok, nil); r.Status != http.StatusNotFound {
			t.Errorf("%s read the comparison: %d", who, r.Status)
		}
	}
}

func servicesOrders(t *testing.T, body map[string]any) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	items, _ := body["items"].([]any)
	for _, it := range items {
		m := it.(map[string]any)
		out[m["service"].(string)] = int64(m["orders"].(float64))
	}
	return out
}
