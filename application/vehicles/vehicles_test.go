package vehicles_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/vehicle"
)

func TestUseCases_requirePermission(t *testing.T) {
	t.Parallel()
	id := uuid.Must(uuid.NewV7())
	calls := map[string]func(context.Context, *recordstest.Fixture) error{
		"AddVehicle": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.Vehicles.AddVehicle(ctx, vehicles.AddVehicleInput{CustomerID: id})
			return err
		},
		"TransferVehicle": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.Vehicles.TransferVehicle(ctx, vehicles.TransferVehicleInput{VehicleID: id})
			return err
		},
	}
	recordstest.CheckPermissions(t, calls, []recordstest.PermissionCase{
		{Name: "mechanic may not add vehicles", Role: authz.RoleMechanic, Call: "AddVehicle", Want: errs.ErrForbidden},
		{Name: "mechanic may not transfer", Role: authz.RoleMechanic, Call: "TransferVehicle", Want: errs.ErrForbidden},
	})
}

func TestUseCases_TransferVehicle(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleAdvisor)
	_, v := recordstest.SeedCustomerAndVehicle(t, f, ctx)
	newOwner, err := f.Customers.RegisterCustomer(ctx, customer.RegisterInput{Name: "Novo Dono"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ id, code string }{{"", "required"}, {"nope", "invalid_format"}, {uuid.NewString(), vehicles.CodeNotFound}} {
		_, err := f.Vehicles.TransferVehicle(ctx, vehicles.TransferVehicleInput{VehicleID: v.ID, CustomerID: tt.id})
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "customer_id" || ve.Fields[0].Code != tt.code {
			t.Errorf("%q: %v", tt.id, err)
		}
	}
	out, err := f.Vehicles.TransferVehicle(ctx, vehicles.TransferVehicleInput{VehicleID: v.ID, CustomerID: newOwner.ID.String()})
	if err != nil || out.CustomerID != newOwner.ID || out.Plate != "BRA2E19" || out.MileageKm == nil {
		t.Fatalf("transferred %+v, %v", out, err)
	}
}

func TestUseCases_AddVehicle_duplicatePlate(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleOwner)
	c, v := recordstest.SeedCustomerAndVehicle(t, f, ctx)
	_, err := f.Vehicles.AddVehicle(ctx, vehicles.AddVehicleInput{CustomerID: c.ID, Vehicle: vehicle.RegisterInput{
		Plate: "bra2e19", Make: "VW", Model: "Gol", Year: 2019}})
	var ce *errs.ConflictError
	if !errors.As(err, &ce) || ce.Field != "plate" || ce.ExistingID != v.ID.String() {
		t.Fatalf("err = %v", err)
	}
	if _, err := f.Vehicles.AddVehicle(ctx, vehicles.AddVehicleInput{CustomerID: uuid.New(), Vehicle: vehicle.RegisterInput{
		Plate: "XYZ9A99", Make: "VW", Model: "Gol", Year: 2019}}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("unknown customer: %v", err)
	}
}
