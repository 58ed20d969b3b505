package seed_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/seed"
	"github.com/torquehq/torque/internal/wiring"
)

// The read models a load writes as it goes (each workshop's events applied
// in its own transaction, from memory) are exactly those a rebuild from the
// event store gives: every row of every registry, search and maintenance
// table, personal fields compared decrypted (each encryption has its own
// nonce), and the projections' checkpoints.
func TestLoad_ProjectsLikeARebuild(t *testing.T) {
	env := e2e.StartWith(t, e2e.Options{NoWorker: true})
	ctx := context.Background()
	rep, err := seed.Load(ctx, env.Sys, seed.Options{Workshops: 2, Customers: 50, Seed: 11, Concurrency: 2, Prefix: "igual"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Workshops != 2 || rep.Orders == 0 {
		t.Fatalf("report %+v", rep)
	}
	loaded := snapshot(t, env.Sys, env.DB.Admin)
	if len(loaded["registry_service_orders"]) != rep.Orders || len(loaded["registry_customers"]) != rep.Customers {
		t.Fatalf("after the load: %d orders, %d customers in the read model; report %+v",
			len(loaded["registry_service_orders"]), len(loaded["registry_customers"]), rep)
	}
	rb := projection.NewRebuilder(env.DB.Admin, env.Sys.Codec)
	for _, p := range env.Sys.Projections {
		if seed.SideEffects[p.Name()] {
			continue
		}
		if _, err := rb.Rebuild(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	rebuilt := snapshot(t, env.Sys, env.DB.Admin)
	for table, want := range rebuilt {
		got := loaded[table]
		if len(got) != len(want) {
			t.Errorf("%s: %d rows after the load, %d after a rebuild", table, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: after the load\n  %s\nafter a rebuild\n  %s", table, got[i], want[i])
				break
			}
		}
	}
}

// snapshot reads every row of the read models the load fills, as sorted
// JSON texts per table, with ciphertexts replaced by their plaintext.
func snapshot(t *testing.T, sys *wiring.System, admin *pgxpool.Pool) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rows, err := admin.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND (tablename LIKE 'registry\_%' OR tablename LIKE 'maintenance\_%' OR tablename = 'customer_search')`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	read := func(table, sql string) {
		rows, err := admin.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var row map[string]any
			if err := rows.Scan(&row); err != nil {
				t.Fatal(err)
			}
			for col, v := range row {
				ct, ok := v.(string)
				if !ok || !strings.HasSuffix(col, "_enc") {
					continue
				}
				row[col] = decrypt(t, sys, table, col, row, ct)
			}
			if table == "registry_service_orders" {
				openOrderTexts(t, sys, row)
			}
			b, err := json.Marshal(row)
			if err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], string(b))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		sort.Strings(out[table])
	}
	for _, table := range tables {
		read(table, `SELECT to_jsonb(t) FROM `+table+` t`)
	}
	read("projection_checkpoints", `SELECT to_jsonb(t) - 'applied_at' FROM projection_checkpoints t
		WHERE projection IN ('registry', 'customer_search', 'maintenance')`)
	return out
}

// openOrderTexts replaces an order row's sealed free text (description, item
// descriptions, status notes: sealed under the customer's key with one field
// name each, as infrastructure/readmodel names them) by its plaintext.
func openOrderTexts(t *testing.T, sys *wiring.System, row map[string]any) {
	t.Helper()
	order, _ := row["order_id"].(string)
	open := func(field string, v any) any {
		ct, _ := v.(string)
		if ct == "" {
			return v
		}
		return decrypt(t, sys, "registry_service_orders", field, row, ct)
	}
	row["description"] = open("registry_service_orders.description:"+order, row["description"])
	items, _ := row["items"].([]any)
	for _, it := range items {
		item, _ := it.(map[string]any)
		line, _ := item["line"].(float64)
		item["description"] = open(fmt.Sprintf("registry_service_orders.items.description:%s:%d", order, int64(line)), item["description"])
	}
	history, _ := row["status_history"].([]any)
	for _, h := range history {
		change, _ := h.(map[string]any)
		at, _ := change["at"].(string)
		change["note"] = open("registry_service_orders.status_history.note:"+order+":"+at, change["note"])
	}
}

func decrypt(t *testing.T, sys *wiring.System, table, col string, row map[string]any, ct string) string {
	t.Helper()
	id := func(k string) uuid.UUID {
		s, _ := row[k].(string)
		u, err := uuid.Parse(s)
		if err != nil {
			t.Fatalf("%s.%s: %v", table, k, err)
		}
		return u
	}
	tid, err := tenant.FromUUID(id("tenant_id"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := tenant.WithTenant(context.Background(), tid)
	var field string
	switch table {
	case "registry_customers":
		field = "registry_customers." + strings.TrimSuffix(col, "_enc")
	case "registry_vehicles":
		field = "registry_vehicles.plate:" + id("vehicle_id").String()
	case "registry_service_orders":
		field = col // the field name itself, from openOrderTexts
	default:
		t.Fatalf("no decryption rule for %s.%s", table, col)
	}
	pt, err := sys.Cipher.Decrypt(ctx, id("customer_id"), field, ct)
	if err != nil {
		t.Fatalf("%s.%s: %v", table, col, err)
	}
	return string(pt)
}
