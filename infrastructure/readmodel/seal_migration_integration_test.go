package readmodel_test

import (
	"context"
	"strings"
	"testing"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/migrations"
)

// Migration 0020 drops the orders' free text that older binaries wrote in
// clear into registry_service_orders; the rebuild `torque migrate` runs
// right after it writes the text back sealed, so the orders read as
// before (issue 10, item 9).
func TestRegistry_Migration0020DropsClearTextAndTheRebuildRestoresItIntegration(t *testing.T) {
	env := newRegistryEnv(t)
	svc := env.svc
	ws := newTenantID()
	owner := as(ws, authz.RoleOwner)
	m := try(svc.customers.RegisterCustomer(owner, maria)).must(t)
	gol := try(svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: m.ID, Vehicle: vehicle.RegisterInput{
		Plate: "BRA2E19", Make: "Volkswagen", Model: "Gol", Year: 2019}})).must(t)
	o := try(svc.orders.OpenServiceOrder(owner, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
		CustomerID: m.ID.String(), VehicleID: gol.ID.String(), MileageKm: km(46000), Description: "Barulho no freio",
		Items: []serviceorder.ItemInput{
			{Service: "oil_change", Description: "Troca de óleo 5W30", Quantity: 1, UnitPriceCents: 18000}}}})).must(t)
	want := try(svc.orders.ChangeServiceOrderStatus(owner, serviceorders.ChangeStatusInput{OrderID: o.ID, Status: "in_progress",
		Note: "Cliente avisado por telefone"})).must(t)
	env.waitCaughtUp(t)

	// The row as a binary before 0020 left it: the text in clear.
	ctx := context.Background()
	if _, err := env.db.Admin.Exec(ctx, `UPDATE registry_service_orders SET description = 'Barulho no freio',
		items = jsonb_set(items, '{0,description}', '"Troca de óleo 5W30"'),
		status_history = jsonb_set(status_history, '{1,note}', '"Cliente avisado por telefone"')`); err != nil {
		t.Fatal(err)
	}
	sql, err := migrations.Postgres.ReadFile("postgres/0020_seal_free_text.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.db.Admin.Exec(ctx, string(sql)); err != nil {
		t.Fatalf("migration 0020: %v", err)
	}
	dump := env.dump(t)
	for _, s := range []string{"Barulho no freio", "Troca de óleo 5W30", "avisado por telefone"} {
		if strings.Contains(dump, s) {
			t.Errorf("after migration 0020 the dump still shows %q", s)
		}
	}
	env.rebuild(t)
	got := try(svc.orders.GetServiceOrder(owner, o.ID)).must(t)
	if orderKey(got) != orderKey(want) || got.Description != "Barulho no freio" {
		t.Fatalf("order after migration and rebuild:\n%s\n%s", orderKey(got), orderKey(want))
	}
	if dump := env.dump(t); strings.Contains(dump, "Barulho no freio") {
		t.Error("the rebuild wrote the description in clear")
	}
}
