package recordstest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/vehicle"
)

// Maria is a customer with a valid CPF, an e-mail, a mobile phone and
// marketing consent.
var Maria = customer.RegisterInput{
	Name: "Maria da Silva", Document: "529.982.247-25", Email: "maria@example.com",
	Phones: customer.PhonesInput{Mobile: "+55 11 98765-4321"}, MarketingConsent: true,
}

// Km returns a mileage.
func Km(v int64) *int64 { return &v }

// Stream names the stream of an aggregate.
func Stream(typ string, id uuid.UUID) eventsourcing.StreamRef {
	return eventsourcing.StreamRef{Type: typ, ID: id}
}

// SeedCustomerAndVehicle registers a customer with a vehicle at 50,000 km.
func SeedCustomerAndVehicle(t *testing.T, f *Fixture, ctx context.Context) (customers.Customer, vehicles.Vehicle) {
	t.Helper()
	c, err := f.Customers.RegisterCustomer(ctx, customer.RegisterInput{Name: "Cliente"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.Vehicles.AddVehicle(ctx, vehicles.AddVehicleInput{CustomerID: c.ID, Vehicle: vehicle.RegisterInput{
		Plate: "BRA2E19", Make: "VW", Model: "Gol", Year: 2019, MileageKm: Km(50000)}})
	if err != nil {
		t.Fatal(err)
	}
	return c, v
}

// PermissionCase is one row of a permission table: Call, by a principal
// of Role (in a read-only workshop when ReadOnly), fails with Want, or
// passes the permission check when Want is nil.
type PermissionCase struct {
	Name     string
	Role     authz.Role
	ReadOnly bool
	Call     string
	Want     error
}

// CheckPermissions runs each case on a new fixture with the named call;
// a refused call must have stored nothing.
func CheckPermissions(t *testing.T, calls map[string]func(context.Context, *Fixture) error, cases []PermissionCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			t.Parallel()
			f := NewFixture()
			ctx := PrincipalCtx(f.Tenant, authz.Principal{IdentityID: "u", Tenant: f.Tenant, Role: tt.Role, ReadOnly: tt.ReadOnly})
			err := calls[tt.Call](ctx, f)
			switch {
			case tt.Want != nil && !errors.Is(err, tt.Want):
				t.Fatalf("%s: err = %v, want %v", tt.Call, err, tt.Want)
			case tt.Want == nil && (errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrReadOnly)):
				t.Fatalf("%s: refused: %v", tt.Call, err)
			}
			if tt.Want != nil && len(f.Store.Calls()) != 0 {
				t.Fatalf("a refused call stored %v", f.Store.Calls())
			}
		})
	}
}
