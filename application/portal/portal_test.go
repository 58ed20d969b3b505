package portal

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
)

// Hand-written fakes: each embeds its port (nil) and implements what the
// portal calls.

type fakeIndex struct{}

func (fakeIndex) Index(_ context.Context, kind, v string) (string, error) { return kind + ":" + v, nil }

type fakeSearch struct{ byHash map[string][]uuid.UUID }

func (f fakeSearch) SearchCustomers(_ context.Context, q customers.SearchQuery, _ uuid.UUID, _ int) ([]uuid.UUID, error) {
	return f.byHash[q.AnyOf[0].Hash], nil
}

type fakeCustomers struct{ customers.ReadModel }

func (fakeCustomers) Customer(_ context.Context, id uuid.UUID, _ bool) (customers.Customer, error) {
	return customers.Customer{ID: id, Name: "Maria Conceição"}, nil
}

type fakeRecords struct{ Records }
type fakeExports struct{ Exporter }

type fakeOrders struct {
	serviceorders.ReadModel
	orders map[uuid.UUID]serviceorders.ServiceOrder
}

func (f fakeOrders) ServiceOrder(_ context.Context, id uuid.UUID) (serviceorders.ServiceOrder, error) {
	o, ok := f.orders[id]
	if !ok {
		return o, errs.ErrNotFound
	}
	return o, nil
}

type fakeDirectory struct {
	identity.Directory
	ids     map[string]identity.Identity
	created int
}

func (f *fakeDirectory) FindByEmail(_ context.Context, schema, email string) (identity.Identity, error) {
	if i, ok := f.ids[schema+"/"+email]; ok {
		return i, nil
	}
	return identity.Identity{}, errs.ErrNotFound
}

func (f *fakeDirectory) CreateCustomer(_ context.Context, email, _, name string) (identity.Identity, error) {
	f.created++
	i := identity.Identity{ID: uuid.NewString(), Schema: identity.SchemaCustomer, Email: email, Name: name, Active: true}
	f.ids[identity.SchemaCustomer+"/"+email] = i
	return i, nil
}

type fakeCodes struct {
	sent    []string
	session identity.Session
}

func (f *fakeCodes) SendLoginCode(_ context.Context, email, _ string) (string, error) {
	f.sent = append(f.sent, email)
	return "flow-" + email, nil
}

func (f *fakeCodes) LoginWithCode(_ context.Context, flowID, email, code string) (string, identity.Session, error) {
	if flowID != "flow-"+email || code != "123456" {
		return "", identity.Session{}, errs.ErrUnauthenticated
	}
	return "token", f.session, nil
}

type fakeFlows struct{ m map[string]string }

func (f fakeFlows) Save(_ context.Context, idx, flowID string, _ time.Time) error {
	f.m[idx] = flowID
	return nil
}

func (f fakeFlows) Flow(_ context.Context, idx string, _ time.Time) (string, error) {
	if id, ok := f.m[idx]; ok {
		return id, nil
	}
	return "", errs.ErrNotFound
}

func (f fakeFlows) Delete(_ context.Context, idx string) error { delete(f.m, idx); return nil }

type fakeErasures struct{ ErasureRequests }

type fixture struct {
	uc     *UseCases
	dir    *fakeDirectory
	codes  *fakeCodes
	flows  fakeFlows
	tenant tenant.ID
	maria  uuid.UUID
	ana    uuid.UUID
	orders fakeOrders
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{tenant: tenant.MustParse(uuid.Must(uuid.NewV7()).String()), maria: uuid.Must(uuid.NewV7()), ana: uuid.Must(uuid.NewV7()),
		dir: &fakeDirectory{ids: map[string]identity.Identity{}}, codes: &fakeCodes{}, flows: fakeFlows{m: map[string]string{}}}
	f.orders = fakeOrders{orders: map[uuid.UUID]serviceorders.ServiceOrder{}}
	uc, err := New(usecase.Base{}, Deps{Store: eventstoretest.NewMemStore(), Index: fakeIndex{},
		Search: fakeSearch{byHash: map[string][]uuid.UUID{"email:maria@example.com": {f.maria}}}, Customers: fakeCustomers{},
		Records: fakeRecords{}, Exports: fakeExports{}, Orders: f.orders, Directory: f.dir, Codes: f.codes, Flows: f.flows,
		Erasures: fakeErasures{}})
	if err != nil {
		t.Fatal(err)
	}
	f.uc = uc
	return f
}

func (f *fixture) ctx() context.Context { return tenant.WithTenant(context.Background(), f.tenant) }

func (f *fixture) as(p authz.Principal) context.Context {
	p.Tenant = f.tenant
	return authz.WithPrincipal(f.ctx(), p)
}

func TestRequestLoginCode_onlyKnownAddressesGetACode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, email := range []string{"ninguem@example.com", " MARIA@example.com ", "maria@example.com"} {
		if err := f.uc.RequestLoginCode(f.ctx(), email, "Oficina"); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
	}
	if len(f.codes.sent) != 2 || f.codes.sent[0] != "maria@example.com" {
		t.Fatalf("codes sent to %v", f.codes.sent)
	}
	if f.dir.created != 1 || f.dir.ids["customer/maria@example.com"].Name != "Maria Conceição" {
		t.Fatalf("identities created %d: %v", f.dir.created, f.dir.ids)
	}
	var ve *errs.ValidationError
	if err := f.uc.RequestLoginCode(f.ctx(), "not-an-email", ""); !errors.As(err, &ve) || ve.Fields[0].Field != "email" {
		t.Fatalf("malformed e-mail: %v", err)
	}
}

func TestLoginWithCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.uc.LoginWithCode(f.ctx(), "maria@example.com", "123456"); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Fatalf("no code requested: %v", err)
	}
	if err := f.uc.RequestLoginCode(f.ctx(), "maria@example.com", "Oficina"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.uc.LoginWithCode(f.ctx(), "maria@example.com", "000000"); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Fatalf("wrong code: %v", err)
	}
	// A session of another schema (or another address) is refused.
	f.codes.session = identity.Session{Identity: identity.Identity{Schema: identity.SchemaStaff, Email: "maria@example.com"}}
	if _, err := f.uc.LoginWithCode(f.ctx(), "maria@example.com", "123456"); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Fatalf("staff session: %v", err)
	}
	if err := f.uc.RequestLoginCode(f.ctx(), "maria@example.com", "Oficina"); err != nil {
		t.Fatal(err)
	}
	f.codes.session = identity.Session{Identity: identity.Identity{Schema: identity.SchemaCustomer, Email: "maria@example.com"},
		ExpiresAt: time.Now().Add(time.Hour)}
	res, err := f.uc.LoginWithCode(f.ctx(), "Maria@Example.com", "123456")
	if err != nil || res.Token != "token" {
		t.Fatalf("login: %+v %v", res, err)
	}
	var ve *errs.ValidationError
	if _, err := f.uc.LoginWithCode(f.ctx(), "x", ""); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Fatalf("bad input: %v", err)
	}
}

func TestOwnerUseCases_onlyTheCarOwnersOwn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mine, theirs := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	f.orders.orders[mine] = serviceorders.ServiceOrder{ID: mine, CustomerID: f.maria}
	f.orders.orders[theirs] = serviceorders.ServiceOrder{ID: theirs, CustomerID: f.ana}
	maria := f.as(authz.Principal{IdentityID: "m", Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{f.maria}})
	if o, err := f.uc.GetOrder(maria, mine); err != nil || o.ID != mine {
		t.Fatalf("own order: %v", err)
	}
	if _, err := f.uc.GetOrder(maria, theirs); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another's order: %v", err)
	}
	// Staff are not car owners: the portal's use cases do not exist for them.
	owner := f.as(authz.Principal{IdentityID: "o", Role: authz.RoleOwner})
	if _, err := f.uc.GetOrder(owner, mine); !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("staff on the portal: %v", err)
	}
	if _, err := f.uc.Me(f.ctx()); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Fatalf("no principal: %v", err)
	}
	// An erasure request of someone without a record is not found.
	if err := f.uc.RequestErasure(maria); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("erasure of an unregistered customer: %v", err)
	}
	// Only those who may erase list the requests.
	if _, err := f.uc.PendingErasures(maria); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("car owner lists erasure requests: %v", err)
	}
}
