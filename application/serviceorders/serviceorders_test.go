package serviceorders_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

func TestUseCases_requirePermission(t *testing.T) {
	t.Parallel()
	id := uuid.Must(uuid.NewV7())
	calls := map[string]func(context.Context, *recordstest.Fixture) error{
		"OpenServiceOrder": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.ServiceOrders.OpenServiceOrder(ctx, serviceorders.OpenServiceOrderInput{})
			return err
		},
		"ChangeServiceOrderStatus": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.ServiceOrders.ChangeServiceOrderStatus(ctx, serviceorders.ChangeStatusInput{OrderID: id})
			return err
		},
		"ListServiceOrders": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.ServiceOrders.ListServiceOrders(ctx, serviceorders.ListServiceOrdersInput{})
			return err
		},
	}
	recordstest.CheckPermissions(t, calls, []recordstest.PermissionCase{
		{Name: "mechanic may not open orders", Role: authz.RoleMechanic, Call: "OpenServiceOrder", Want: errs.ErrForbidden},
		{Name: "portal customer may not list orders", Role: authz.RoleCustomer, Call: "ListServiceOrders", Want: errs.ErrForbidden},
		{Name: "read-only workshop may not open orders", Role: authz.RoleOwner, ReadOnly: true, Call: "OpenServiceOrder", Want: errs.ErrReadOnly},
		{Name: "mechanic may move orders", Role: authz.RoleMechanic, Call: "ChangeServiceOrderStatus"},
	})
}

func TestUseCases_OpenServiceOrder(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleAdvisor)
	c, v := recordstest.SeedCustomerAndVehicle(t, f, ctx)
	items := []serviceorder.ItemInput{{Service: "oil_change", Quantity: 1, UnitPriceCents: 18000}}
	open := func(mileage *int64, replaced bool, customerID, vehicleID string) (serviceorders.ServiceOrder, error) {
		return f.ServiceOrders.OpenServiceOrder(ctx, serviceorders.OpenServiceOrderInput{OdometerReplaced: replaced, Order: serviceorder.OpenInput{
			CustomerID: customerID, VehicleID: vehicleID, MileageKm: mileage, Items: items}})
	}
	requireField := func(err error, field, code string) {
		t.Helper()
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || !slices.ContainsFunc(ve.Fields, func(fe errs.FieldError) bool { return fe.Field == field && fe.Code == code }) {
			t.Fatalf("err = %v, want %s:%s", err, field, code)
		}
	}

	_, err := open(recordstest.Km(40000), false, c.ID.String(), v.ID.String())
	requireField(err, "mileage_km", vehicle.CodeOdometerRollback)
	_, err = open(nil, false, uuid.NewString(), v.ID.String())
	requireField(err, "customer_id", serviceorders.CodeNotFound)
	_, err = open(nil, false, c.ID.String(), uuid.NewString())
	requireField(err, "vehicle_id", serviceorders.CodeNotFound)
	other, err := f.Customers.RegisterCustomer(ctx, customer.RegisterInput{Name: "Outro"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = open(nil, false, other.ID.String(), v.ID.String())
	requireField(err, "vehicle_id", serviceorders.CodeNotOwned)
	_, err = open(nil, false, c.ID.String(), v.ID.String()+"x")
	requireField(err, "vehicle_id", "invalid_format")

	o, err := open(recordstest.Km(40000), true, c.ID.String(), v.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	if o.Number != 1 || o.Status != "open" || *o.MileageKm != 40000 || o.TotalCents != 18000 || len(o.StatusHistory) != 1 {
		t.Fatalf("order = %+v (refused orders must not take numbers)", o)
	}
	o2, err := open(nil, false, c.ID.String(), v.ID.String())
	if err != nil || o2.Number != 2 {
		t.Fatalf("second order %+v, %v", o2, err)
	}
	events, _ := f.Store.Load(ctx, recordstest.Stream(vehicle.StreamType, v.ID))
	if len(events) != 4 || events[2].Type != (vehicle.OdometerReplaced{}).EventName() {
		t.Fatalf("vehicle events = %v", events)
	}

	if _, err := f.ServiceOrders.ChangeServiceOrderStatus(ctx, serviceorders.ChangeStatusInput{OrderID: o.ID, Status: "delivered"}); !errors.Is(err, errs.ErrIllegalTransition) {
		t.Fatalf("open → delivered: %v", err)
	}
	moved, err := f.ServiceOrders.ChangeServiceOrderStatus(ctx, serviceorders.ChangeStatusInput{OrderID: o.ID, Status: "in_progress", Note: "Começamos"})
	if err != nil || moved.Status != "in_progress" || moved.Version != 2 || moved.StatusHistory[1].Note != "Começamos" {
		t.Fatalf("in_progress: %+v %v", moved, err)
	}
}

// The odometer reading and the order are stored together or not at all.
func TestUseCases_OpenServiceOrder_readingAndOrderAreOneWrite(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleAdvisor)
	c, v := recordstest.SeedCustomerAndVehicle(t, f, ctx)
	before, _ := f.Store.Load(ctx, recordstest.Stream(vehicle.StreamType, v.ID))
	in := serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{CustomerID: c.ID.String(), VehicleID: v.ID.String(),
		MileageKm: recordstest.Km(90000), Items: []serviceorder.ItemInput{{Service: "oil_change", Quantity: 1, UnitPriceCents: 18000}}}}

	f.Store.FailAppend = errors.New("disk full")
	if _, err := f.ServiceOrders.OpenServiceOrder(ctx, in); err == nil {
		t.Fatal("opened an order the store refused")
	}
	f.Store.FailAppend = nil
	if after, _ := f.Store.Load(ctx, recordstest.Stream(vehicle.StreamType, v.ID)); len(after) != len(before) {
		t.Fatalf("a failed order left %d vehicle events behind", len(after)-len(before))
	}

	o, err := f.ServiceOrders.OpenServiceOrder(ctx, in)
	if err != nil || o.Number != 1 {
		t.Fatalf("order %+v, %v (a failed opening must not take a number)", o, err)
	}
	after, _ := f.Store.Load(ctx, recordstest.Stream(vehicle.StreamType, v.ID))
	if len(after) != len(before)+1 {
		t.Fatalf("vehicle events %d → %d, want one reading", len(before), len(after))
	}
}
