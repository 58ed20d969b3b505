package seed_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/seed"
)

// A small bulk load through the fast path gives data the API serves exactly
// like data entered through it: customer 360 with decrypted personal fields,
// search by name, CPF and plate (blind indexes), the next gapless order
// number, and a live worker that replays nothing and messages nobody about
// the loaded history.
func TestLoad_SeededDataWorksThroughTheAPI(t *testing.T) {
	env := e2e.StartWith(t, e2e.Options{NoWorker: true})
	ctx := context.Background()
	rep, err := seed.Load(ctx, env.Sys, seed.Options{Workshops: 2, Customers: 50, Seed: 7, Concurrency: 2, Prefix: "semente"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Workshops != 2 || rep.Customers != 100 || rep.Orders == 0 || rep.Events < 1000 {
		t.Fatalf("report %+v", rep)
	}
	if err := seed.Project(ctx, env.Sys, env.DB.AdminURL, seed.ProjectOptions{}); err != nil {
		t.Fatal(err)
	}
	// Loaded orders carry numbers 1..N per workshop, with no gap and no repeat.
	var orders, maxNumber, distinct int64
	if err := env.DB.Admin.QueryRow(ctx, `SELECT count(*), max(number), count(DISTINCT number) FROM registry_service_orders o
		JOIN workshops w ON w.id = o.tenant_id WHERE w.slug = 'semente-0001'`).Scan(&orders, &maxNumber, &distinct); err != nil {
		t.Fatal(err)
	}
	if orders == 0 || maxNumber != orders || distinct != orders {
		t.Fatalf("orders of semente-0001: %d, max number %d, distinct %d", orders, maxNumber, distinct)
	}
	checkpoints := env.DB.Count(t, `SELECT count(*) FROM projection_checkpoints`)
	var rebuilt time.Time
	if err := env.DB.Admin.QueryRow(ctx, `SELECT now()`).Scan(&rebuilt); err != nil {
		t.Fatal(err)
	}
	env.StartWorker(t)

	token := env.Login(t, "dono-semente-0001@example.com", seed.DemoPassword)
	base := "/api/v1/workshops/semente-0001"
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	env.Do(t, http.MethodGet, base+"/customers?limit=50&q=silva", token, nil).Decode(t, &page)
	if len(page.Items) == 0 {
		t.Fatal("no Silva among 50 loaded customers")
	}
	var c360 struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Document string `json:"document"`
		Vehicles []struct {
			ID    string `json:"id"`
			Plate string `json:"plate"`
		} `json:"vehicles"`
	}
	// A customer with a document and a vehicle (a few have none).
	for _, it := range page.Items {
		r := env.Do(t, http.MethodGet, base+"/customers/"+it.ID, token, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("customer 360: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &c360)
		if c360.Document != "" && len(c360.Vehicles) > 0 {
			break
		}
	}
	if c360.Name == "" || c360.Document == "" || len(c360.Vehicles) == 0 || c360.Vehicles[0].Plate == "" {
		t.Fatalf("customer 360 of a loaded customer: %+v", c360)
	}
	for _, q := range []string{c360.Name, c360.Document, c360.Vehicles[0].Plate} {
		var found struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		env.Do(t, http.MethodGet, base+"/customers?limit=50&q="+url.QueryEscape(q), token, nil).Decode(t, &found)
		ok := false
		for _, it := range found.Items {
			ok = ok || it.ID == c360.ID
		}
		if !ok {
			t.Errorf("search %q does not find customer %s", q, c360.ID)
		}
	}
	// The same document is taken: registering it again is a conflict.
	if r := env.Do(t, http.MethodPost, base+"/customers", token, map[string]any{"name": "Outra Pessoa", "document": c360.Document}); r.Status != http.StatusConflict {
		t.Errorf("second customer with a loaded document: %d %s", r.Status, r.Body)
	}
	// A new order on a loaded vehicle takes the next number.
	r := env.Do(t, http.MethodPost, base+"/service-orders", token, map[string]any{"customer_id": c360.ID, "vehicle_id": c360.Vehicles[0].ID,
		"mileage_km": 900_000, "items": []map[string]any{{"service": "oil_change", "description": "Troca de óleo", "quantity": 1, "unit_price_cents": 18000}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("open order: %d %s", r.Status, r.Body)
	}
	var opened struct {
		ID     string `json:"id"`
		Number int64  `json:"number"`
	}
	r.Decode(t, &opened)
	if opened.Number != maxNumber+1 {
		t.Errorf("new order number %d, want %d", opened.Number, maxNumber+1)
	}
	if r := env.Do(t, http.MethodPost, base+"/service-orders/"+opened.ID+"/status", token, map[string]any{"status": "in_progress"}); r.Status != http.StatusOK {
		t.Fatalf("status: %d %s", r.Status, r.Body)
	}
	// The worker applied the two new events and nothing of the load: the
	// only message queued is the one of the live status change.
	deadline := time.Now().Add(10 * time.Second)
	for env.DB.Count(t, `SELECT count(*) FROM messages`) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // anything the worker would replay has had its chance
	if n := env.DB.Count(t, `SELECT count(*) FROM messages`); n != 1 {
		t.Errorf("messages queued after the load and one status change: %d, want 1", n)
	}
	// Checkpoints: only streams written after the load moved (the new order
	// and the vehicle's odometer reading).
	after := env.DB.Count(t, `SELECT count(*) FROM projection_checkpoints`)
	replayed := env.DB.Count(t, `SELECT count(*) FROM projection_checkpoints c WHERE c.applied_at > $1
		AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = c.stream_id AND e.recorded_at > $1)`, rebuilt)
	if after-checkpoints > 8 || replayed > 0 {
		t.Errorf("checkpoints %d → %d, %d loaded streams applied again by the live worker", checkpoints, after, replayed)
	}
}
