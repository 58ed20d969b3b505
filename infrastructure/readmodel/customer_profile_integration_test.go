package readmodel_test

import (
	"context"
	"slices"
	"testing"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/vehicle"
)

// The customer 360 computes its audit entry in SQL, in the statement that
// reads the customer (one round trip): the fields it records must be exactly
// what customers.ProfileReads names for the view returned, for every mix of
// empty and filled contact fields, with and without the contact, with and
// without a vehicle (a plate is required).
func TestProfile_auditFieldsAreWhatTheViewShowsIntegration(t *testing.T) {
	env := newRegistryEnv(t)
	svc := env.svc
	ws := newTenantID()
	owner, mechanic := as(ws, authz.RoleOwner), as(ws, authz.RoleMechanic)
	inputs := []customer.RegisterInput{
		maria, joao,
		{Name: "Só Celular", Phones: customer.PhonesInput{Mobile: "(31) 99876-1234"}},
		{Name: "Só Fixo", Phones: customer.PhonesInput{Landline: "(31) 3456-1234"}, Email: "fixo@example.com"},
		{Name: "Só Bairro", Phones: customer.PhonesInput{Mobile: "(41) 99876-1234"}, Address: customer.AddressInput{District: "Batel"}},
		{Name: "Só CPF", Document: "390.533.447-05", Phones: customer.PhonesInput{Mobile: "(51) 99876-1234"}},
	}
	for i, in := range inputs {
		c := try(svc.customers.RegisterCustomer(owner, in)).must(t)
		if i%2 == 0 {
			try(svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: c.ID, Vehicle: vehicle.RegisterInput{
				Plate: []string{"QWE1A23", "RTY4B56", "UIO7C89"}[i/2], Make: "Fiat", Model: "Mobi", Year: 2020}})).must(t)
		}
		for _, reader := range []struct {
			name string
			ctx  context.Context
		}{{"owner", owner}, {"mechanic", mechanic}} {
			view := try(svc.customers.GetCustomer(reader.ctx, c.ID)).must(t)
			reads := customers.ProfileReads(view)
			want := reads.Fields(c.ID)
			log := try(svc.dataSubject.ListAuditLog(owner, datasubject.ListAuditLogInput{SubjectID: c.ID, Page: pagination.Request{Limit: 1}})).must(t)
			if len(log.Items) != 1 || log.Items[0].Endpoint != customers.EndpointGetCustomer {
				t.Fatalf("%s, read by the %s: audit log %+v", in.Name, reader.name, log.Items)
			}
			if got := log.Items[0].Fields; !slices.Equal(got, want) {
				t.Errorf("%s, read by the %s: audit fields %v, the view shows %v", in.Name, reader.name, got, want)
			}
		}
	}
}
