package recordstest

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/tenant"
)

// Now is the fixture's clock.
var Now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// ErrBoom is the error fakes are told to fail with.
var ErrBoom = errors.New("boom")

// Fixture is the four modules wired on the fakes, as cmd/torque wires them
// on the real adapters, in a workshop of its own.
type Fixture struct {
	Customers     *customers.UseCases
	Vehicles      *vehicles.UseCases
	ServiceOrders *serviceorders.UseCases
	DataSubject   *datasubject.UseCases

	Store  *eventstoretest.MemStore
	RM     *ReadModel
	Unique *Unique
	Audit  *Audit
	Tenant tenant.ID
}

// NewFixture wires the modules on new fakes.
func NewFixture() *Fixture {
	store := eventstoretest.NewMemStore()
	f := &Fixture{Store: store, RM: NewReadModel(), Unique: NewUnique(), Audit: &Audit{},
		Tenant: tenant.MustParse(uuid.Must(uuid.NewV7()).String())}
	base := usecase.Base{Clock: func() time.Time { return Now }}
	var err error
	f.ServiceOrders, err = serviceorders.New(base, serviceorders.Deps{Store: store, Numbers: store, Orders: f.RM})
	must(err)
	f.Vehicles, err = vehicles.New(base, vehicles.Deps{Store: store, Index: Index{}, Vehicles: f.RM, Orders: f.RM,
		Uniqueness: f.Unique, Audit: f.Audit})
	must(err)
	f.Customers, err = customers.New(base, customers.Deps{Store: store, Index: Index{}, Customers: f.RM, Vehicles: f.RM,
		Orders: f.RM, Search: f.RM, Uniqueness: f.Unique, Audit: f.Audit})
	must(err)
	f.DataSubject, err = datasubject.New(base, datasubject.Deps{Store: store, SubjectKeys: SubjectKeys{Store: store},
		Customers: f.RM, Consents: f.RM, Vehicles: f.RM, Orders: f.RM, Uniqueness: f.Unique, Audit: f.Audit})
	must(err)
	return f
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// As returns a context of a principal with role in the fixture's workshop
// (identity "<role>-1").
func (f *Fixture) As(role authz.Role) context.Context {
	return PrincipalCtx(f.Tenant, authz.Principal{IdentityID: role.String() + "-1", Tenant: f.Tenant, Role: role})
}

// PrincipalCtx returns a request context of p in workshop t, its actor
// "staff:<identity id>".
func PrincipalCtx(t tenant.ID, p authz.Principal) context.Context {
	ctx := authz.WithPrincipal(tenant.WithTenant(context.Background(), t), p)
	return requestmeta.With(ctx, requestmeta.Meta{Actor: "staff:" + p.IdentityID})
}

var (
	_ customers.ReadModel        = (*ReadModel)(nil)
	_ customers.SearchIndex      = (*ReadModel)(nil)
	_ vehicles.ReadModel         = (*ReadModel)(nil)
	_ serviceorders.ReadModel    = (*ReadModel)(nil)
	_ datasubject.ConsentHistory = (*ReadModel)(nil)
)
