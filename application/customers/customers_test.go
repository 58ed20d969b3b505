package customers_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
)

func TestUseCases_requirePermission(t *testing.T) {
	t.Parallel()
	id := uuid.Must(uuid.NewV7())
	calls := map[string]func(context.Context, *recordstest.Fixture) error{
		"RegisterCustomer": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria)
			return err
		},
		"GetCustomer": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.Customers.GetCustomer(ctx, id)
			return err
		},
		"CorrectCustomer": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.Customers.CorrectCustomer(ctx, customers.CorrectCustomerInput{CustomerID: id})
			return err
		},
		"AddNote": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.Customers.AddNote(ctx, customers.AddNoteInput{CustomerID: id, Text: "x"})
			return err
		},
	}
	recordstest.CheckPermissions(t, calls, []recordstest.PermissionCase{
		{Name: "mechanic may not register", Role: authz.RoleMechanic, Call: "RegisterCustomer", Want: errs.ErrForbidden},
		{Name: "mechanic may not correct", Role: authz.RoleMechanic, Call: "CorrectCustomer", Want: errs.ErrForbidden},
		{Name: "franchise manager sees no customer", Role: authz.RoleFranchiseManager, Call: "GetCustomer", Want: errs.ErrForbidden},
		{Name: "read-only workshop may not register", Role: authz.RoleOwner, ReadOnly: true, Call: "RegisterCustomer", Want: errs.ErrReadOnly},
		{Name: "read-only workshop may not note", Role: authz.RoleOwner, ReadOnly: true, Call: "AddNote", Want: errs.ErrReadOnly},
		{Name: "mechanic may note", Role: authz.RoleMechanic, Call: "AddNote"},
	})
}

func TestUseCases_noPrincipalOrOtherWorkshop(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	if _, err := f.Customers.GetCustomer(context.Background(), uuid.New()); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Errorf("no principal: %v", err)
	}
	other := tenant.MustParse(uuid.Must(uuid.NewV7()).String())
	ctx := recordstest.PrincipalCtx(f.Tenant, authz.Principal{IdentityID: "x", Tenant: other, Role: authz.RoleOwner})
	if _, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("principal of another workshop: %v", err)
	}
}

func TestUseCases_GetCustomer_personalDataByRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role       authz.Role
		wantPII    bool
		wantFields []string
	}{
		{authz.RoleOwner, true, []string{"name", "document", "email", "phones", "address", "vehicle.plate"}},
		{authz.RoleAdvisor, true, []string{"name", "document", "email", "phones", "address", "vehicle.plate"}},
		{authz.RoleMechanic, false, []string{"name", "vehicle.plate"}},
	}
	for _, tt := range tests {
		t.Run(tt.role.String(), func(t *testing.T) {
			t.Parallel()
			f := recordstest.NewFixture()
			id := uuid.Must(uuid.NewV7())
			f.RM.Customers[id] = customers.Customer{ID: id, Name: "Maria", Version: 3, Contact: &customers.Contact{
				Document: "52998224725", DocumentType: "cpf", Email: "m@example.com",
				Phones: customers.Phones{Mobile: "+5511987654321"}, Address: customers.Address{City: "Santos"}}}
			vid := uuid.Must(uuid.NewV7())
			f.RM.Vehicles[vid] = vehicles.Vehicle{ID: vid, CustomerID: id, Plate: "BRA2E19"}
			ctx := auditlog.WithEndpoint(f.As(tt.role), "GET /api/v1/workshops/{slug}/customers/{id}")
			c, err := f.Customers.GetCustomer(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if (c.Contact != nil) != tt.wantPII || f.RM.AskedPII[0] != tt.wantPII {
				t.Fatalf("contact = %+v, read model asked withPII=%v", c.Contact, f.RM.AskedPII)
			}
			if c.Name != "Maria" || len(c.Vehicles) != 1 || c.Vehicles[0].Plate != "BRA2E19" {
				t.Fatalf("customer = %+v", c)
			}
			if len(f.Audit.Entries) != 1 {
				t.Fatalf("audit = %+v", f.Audit.Entries)
			}
			e := f.Audit.Entries[0]
			if e.SubjectID != id || !slices.Equal(e.Fields, tt.wantFields) || e.Actor != "staff:"+tt.role.String()+"-1" ||
				e.Endpoint != "GET /api/v1/workshops/{slug}/customers/{id}" || !e.At.Equal(recordstest.Now) {
				t.Fatalf("audit entry = %+v", e)
			}
		})
	}
}

func TestUseCases_GetCustomer_failsClosedWhenTheAuditLogFails(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	id := uuid.Must(uuid.NewV7())
	f.RM.Customers[id] = customers.Customer{ID: id, Name: "Maria"}
	f.Audit.Fail = recordstest.ErrBoom
	if c, err := f.Customers.GetCustomer(f.As(authz.RoleOwner), id); !errors.Is(err, recordstest.ErrBoom) || c.Name != "" {
		t.Fatalf("GetCustomer = %+v, %v; want no data and the audit error", c, err)
	}
}

func TestUseCases_GetCustomer_erasedIsNotFound(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	id := uuid.Must(uuid.NewV7())
	f.RM.Customers[id] = customers.Customer{ID: id, Erased: true}
	if _, err := f.Customers.GetCustomer(f.As(authz.RoleOwner), id); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestUseCases_RegisterCustomer(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleAdvisor)
	c, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria)
	if err != nil {
		t.Fatal(err)
	}
	if c.Contact == nil || c.Contact.Document != "52998224725" || !c.MarketingConsent || c.Version != 2 || c.Vehicles == nil {
		t.Fatalf("registered = %+v", c)
	}
	if h, ok := f.Unique.Holder(ctx, uniquekeys.Document, "document:52998224725"); !ok || h != c.ID {
		t.Fatalf("document key held by %v", h)
	}
	events, _ := f.Store.Load(ctx, recordstest.Stream(customer.StreamType, c.ID))
	if len(events) != 2 || events[1].Event.(customer.ConsentGiven).Source != customers.DefaultSource {
		t.Fatalf("events = %+v", events)
	}

	t.Run("duplicate document names the holder", func(t *testing.T) {
		dup := recordstest.Maria
		dup.Name = "Outra"
		_, err := f.Customers.RegisterCustomer(ctx, dup)
		var ce *errs.ConflictError
		if !errors.As(err, &ce) || ce.Field != "document" || ce.Code != "duplicate" || ce.ExistingID != c.ID.String() {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("another workshop may hold the same document", func(t *testing.T) {
		other := tenant.MustParse(uuid.Must(uuid.NewV7()).String())
		octx := recordstest.PrincipalCtx(other, authz.Principal{IdentityID: "o", Tenant: other, Role: authz.RoleOwner})
		if _, err := f.Customers.RegisterCustomer(octx, recordstest.Maria); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("invalid input claims nothing", func(t *testing.T) {
		bad := customer.RegisterInput{Name: "", Document: "111.111.111-11"}
		_, err := f.Customers.RegisterCustomer(ctx, bad)
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestUseCases_RegisterCustomer_releasesTheClaimWhenTheAppendFails(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleOwner)
	f.Store.FailAppend = recordstest.ErrBoom
	if _, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria); !errors.Is(err, recordstest.ErrBoom) {
		t.Fatalf("err = %v", err)
	}
	if h, ok := f.Unique.Holder(ctx, uniquekeys.Document, "document:52998224725"); ok {
		t.Fatalf("key still held by %v", h)
	}
	f.Store.FailAppend = nil
	if _, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria); err != nil {
		t.Fatalf("retry: %v", err)
	}
}

func TestUseCases_RegisterCustomer_takesOverAStaleClaim(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleOwner)
	ghost := uuid.Must(uuid.NewV7()) // claimed, then its write died
	if _, err := f.Unique.Claim(ctx, uniquekeys.Document, "document:52998224725", ghost); err != nil {
		t.Fatal(err)
	}
	f.Unique.Age = 30 * time.Second
	if _, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("young claim: %v", err)
	}
	f.Unique.Age = 2 * time.Minute
	c, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria)
	if err != nil {
		t.Fatalf("stale claim: %v", err)
	}
	if h, _ := f.Unique.Holder(ctx, uniquekeys.Document, "document:52998224725"); h != c.ID {
		t.Fatalf("holder = %v", h)
	}
}

func TestUseCases_CorrectCustomer_movesTheDocumentKey(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleOwner)
	c, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria)
	if err != nil {
		t.Fatal(err)
	}
	v := c.Version
	out, err := f.Customers.CorrectCustomer(ctx, customers.CorrectCustomerInput{CustomerID: c.ID, ExpectedVersion: &v,
		Patch: customer.CustomerPatch{Document: customer.Some("11.222.333/0001-81")}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Contact.DocumentType != "cnpj" || out.Version != v+1 {
		t.Fatalf("corrected = %+v", out.Contact)
	}
	if _, ok := f.Unique.Holder(ctx, uniquekeys.Document, "document:52998224725"); ok {
		t.Error("old document still held")
	}
	if h, _ := f.Unique.Holder(ctx, uniquekeys.Document, "document:11222333000181"); h != c.ID {
		t.Error("new document not held")
	}
	// A stale If-Match fails and frees the key it claimed.
	_, err = f.Customers.CorrectCustomer(ctx, customers.CorrectCustomerInput{CustomerID: c.ID, ExpectedVersion: &v,
		Patch: customer.CustomerPatch{Document: customer.Some("529.982.247-25")}})
	if !errors.Is(err, errs.ErrPreconditionFailed) {
		t.Fatalf("stale version: %v", err)
	}
	if _, ok := f.Unique.Holder(ctx, uniquekeys.Document, "document:52998224725"); ok {
		t.Error("a failed correction keeps its claim")
	}
}

func TestUseCases_SearchCustomers_termsByPermission(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role  authz.Role
		query string
		any   []string
		all   []string
	}{
		{authz.RoleOwner, "529.982.247-25", []string{"document:52998224725"},
			[]string{"name_prefix:529", "name_prefix:982", "name_prefix:247", "name_word:25"}},
		{authz.RoleMechanic, "529.982.247-25", nil,
			[]string{"name_prefix:529", "name_prefix:982", "name_prefix:247", "name_word:25"}},
		{authz.RoleOwner, "MARIA@Example.com", []string{"email:maria@example.com"},
			[]string{"name_prefix:mar", "name_prefix:exa", "name_prefix:com"}},
		{authz.RoleOwner, "(11) 98765-4321", []string{"phone:+5511987654321"}, []string{"name_word:11", "name_prefix:987", "name_prefix:432"}},
		{authz.RoleMechanic, "abc-1234", []string{"plate:ABC1C34"}, []string{"name_prefix:abc", "name_prefix:123"}},
		{authz.RoleOwner, "José d", nil, []string{"name_prefix:jos", "name_word:d"}},
	}
	for _, tt := range tests {
		t.Run(tt.role.String()+" "+tt.query, func(t *testing.T) {
			t.Parallel()
			f := recordstest.NewFixture()
			if _, err := f.Customers.SearchCustomers(f.As(tt.role), customers.SearchCustomersInput{Query: tt.query}); err != nil {
				t.Fatal(err)
			}
			if got := terms(f.RM.LastQuery.AnyOf); !slices.Equal(got, tt.any) {
				t.Errorf("any = %q, want %q", got, tt.any)
			}
			if got := terms(f.RM.LastQuery.AllOf); !slices.Equal(got, tt.all) {
				t.Errorf("all = %q, want %q", got, tt.all)
			}
		})
	}
}

func terms(ts []customers.IndexTerm) []string {
	var out []string
	for _, t := range ts {
		if !strings.HasPrefix(t.Hash, t.Kind+":") {
			panic("hash of another kind")
		}
		out = append(out, t.Hash)
	}
	return out
}

func TestUseCases_SearchCustomers_paging(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleOwner)
	for _, tt := range []struct {
		page  pagination.Request
		field string
	}{
		{pagination.Request{Limit: 201}, "limit"},
		{pagination.Request{Limit: -1}, "limit"},
		{pagination.Request{Cursor: "not a cursor"}, "cursor"},
	} {
		_, err := f.Customers.SearchCustomers(ctx, customers.SearchCustomersInput{Page: tt.page})
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != tt.field {
			t.Errorf("%+v: err = %v", tt.page, err)
		}
	}
	// A cursor of another list is refused too.
	p, err := f.DataSubject.ListAuditLog(ctx, datasubject.ListAuditLogInput{})
	if err != nil || p.NextCursor != "" {
		t.Fatal(err)
	}
	if _, err := f.ServiceOrders.ListServiceOrders(ctx, serviceorders.ListServiceOrdersInput{Page: pagination.Request{Cursor: "YToxMjM"}}); err == nil {
		t.Error("an audit cursor was accepted by the order list")
	}
	if _, err := f.ServiceOrders.ListServiceOrders(ctx, serviceorders.ListServiceOrdersInput{Status: "flying", CustomerID: "x"}); err == nil {
		t.Error("bad filters accepted")
	}
}
