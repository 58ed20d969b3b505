package registry_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/registry"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
)

var maria = customer.RegisterInput{
	Name: "Maria da Silva", Document: "529.982.247-25", Email: "maria@example.com",
	Phones: customer.PhonesInput{Mobile: "+55 11 98765-4321"}, MarketingConsent: true,
}

func km(v int64) *int64 { return &v }

func TestService_useCases_requirePermission(t *testing.T) {
	t.Parallel()
	id := uuid.Must(uuid.NewV7())
	calls := map[string]func(context.Context, *registry.Service) error{
		"RegisterCustomer": func(ctx context.Context, s *registry.Service) error {
			_, err := s.RegisterCustomer(ctx, maria)
			return err
		},
		"GetCustomer": func(ctx context.Context, s *registry.Service) error { _, err := s.GetCustomer(ctx, id); return err },
		"CorrectCustomer": func(ctx context.Context, s *registry.Service) error {
			_, err := s.CorrectCustomer(ctx, registry.CorrectCustomerInput{CustomerID: id})
			return err
		},
		"ExportCustomer": func(ctx context.Context, s *registry.Service) error { _, err := s.ExportCustomer(ctx, id); return err },
		"EraseCustomer":  func(ctx context.Context, s *registry.Service) error { return s.EraseCustomer(ctx, id) },
		"ListConsents":   func(ctx context.Context, s *registry.Service) error { _, err := s.ListConsents(ctx, id); return err },
		"GiveConsent": func(ctx context.Context, s *registry.Service) error {
			_, err := s.GiveConsent(ctx, registry.GiveConsentInput{CustomerID: id})
			return err
		},
		"AddNote": func(ctx context.Context, s *registry.Service) error {
			_, err := s.AddNote(ctx, registry.AddNoteInput{CustomerID: id, Text: "x"})
			return err
		},
		"AddVehicle": func(ctx context.Context, s *registry.Service) error {
			_, err := s.AddVehicle(ctx, registry.AddVehicleInput{CustomerID: id})
			return err
		},
		"TransferVehicle": func(ctx context.Context, s *registry.Service) error {
			_, err := s.TransferVehicle(ctx, registry.TransferVehicleInput{VehicleID: id})
			return err
		},
		"OpenServiceOrder": func(ctx context.Context, s *registry.Service) error {
			_, err := s.OpenServiceOrder(ctx, registry.OpenServiceOrderInput{})
			return err
		},
		"ChangeServiceOrderStatus": func(ctx context.Context, s *registry.Service) error {
			_, err := s.ChangeServiceOrderStatus(ctx, registry.ChangeStatusInput{OrderID: id})
			return err
		},
		"ListServiceOrders": func(ctx context.Context, s *registry.Service) error {
			_, err := s.ListServiceOrders(ctx, registry.ListServiceOrdersInput{})
			return err
		},
		"ListAudit": func(ctx context.Context, s *registry.Service) error {
			_, err := s.ListAudit(ctx, registry.ListAuditInput{})
			return err
		},
	}
	tests := []struct {
		name     string
		role     authz.Role
		readOnly bool
		call     string
		want     error // nil: passes the permission check
	}{
		{"mechanic may not register", authz.RoleMechanic, false, "RegisterCustomer", errs.ErrForbidden},
		{"mechanic may not correct", authz.RoleMechanic, false, "CorrectCustomer", errs.ErrForbidden},
		{"mechanic may not export", authz.RoleMechanic, false, "ExportCustomer", errs.ErrForbidden},
		{"mechanic may not read consents", authz.RoleMechanic, false, "ListConsents", errs.ErrForbidden},
		{"mechanic may not add vehicles", authz.RoleMechanic, false, "AddVehicle", errs.ErrForbidden},
		{"mechanic may not open orders", authz.RoleMechanic, false, "OpenServiceOrder", errs.ErrForbidden},
		{"mechanic may not transfer", authz.RoleMechanic, false, "TransferVehicle", errs.ErrForbidden},
		{"manager may not erase", authz.RoleManager, false, "EraseCustomer", errs.ErrForbidden},
		{"advisor may not erase", authz.RoleAdvisor, false, "EraseCustomer", errs.ErrForbidden},
		{"advisor may not export", authz.RoleAdvisor, false, "ExportCustomer", errs.ErrForbidden},
		{"manager may not read the audit log", authz.RoleManager, false, "ListAudit", errs.ErrForbidden},
		{"franchise manager sees no customer", authz.RoleFranchiseManager, false, "GetCustomer", errs.ErrForbidden},
		{"portal customer may not list orders", authz.RoleCustomer, false, "ListServiceOrders", errs.ErrForbidden},
		{"read-only workshop may not register", authz.RoleOwner, true, "RegisterCustomer", errs.ErrReadOnly},
		{"read-only workshop may not erase", authz.RoleOwner, true, "EraseCustomer", errs.ErrReadOnly},
		{"read-only workshop may not note", authz.RoleOwner, true, "AddNote", errs.ErrReadOnly},
		{"read-only workshop may not open orders", authz.RoleOwner, true, "OpenServiceOrder", errs.ErrReadOnly},
		{"read-only workshop may not change consents", authz.RoleOwner, true, "GiveConsent", errs.ErrReadOnly},
		{"read-only workshop may still export", authz.RoleOwner, true, "ExportCustomer", nil},
		{"read-only workshop may still read the audit log", authz.RoleOwner, true, "ListAudit", nil},
		{"mechanic may note", authz.RoleMechanic, false, "AddNote", nil},
		{"mechanic may move orders", authz.RoleMechanic, false, "ChangeServiceOrderStatus", nil},
		{"owner may erase", authz.RoleOwner, false, "EraseCustomer", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture()
			ctx := principalCtx(f.tenant, authz.Principal{IdentityID: "u", Tenant: f.tenant, Role: tt.role, ReadOnly: tt.readOnly})
			err := calls[tt.call](ctx, f.svc)
			switch {
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("%s: err = %v, want %v", tt.call, err, tt.want)
			case tt.want == nil && (errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrReadOnly)):
				t.Fatalf("%s: refused: %v", tt.call, err)
			}
			if tt.want != nil && len(f.store.calls()) != 0 {
				t.Fatalf("a refused call stored %v", f.store.calls())
			}
		})
	}
}

func TestService_noPrincipalOrOtherWorkshop(t *testing.T) {
	t.Parallel()
	f := newFixture()
	if _, err := f.svc.GetCustomer(context.Background(), uuid.New()); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Errorf("no principal: %v", err)
	}
	other := tenant.MustParse(uuid.Must(uuid.NewV7()).String())
	ctx := principalCtx(f.tenant, authz.Principal{IdentityID: "x", Tenant: other, Role: authz.RoleOwner})
	if _, err := f.svc.RegisterCustomer(ctx, maria); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("principal of another workshop: %v", err)
	}
}

func TestService_GetCustomer_personalDataByRole(t *testing.T) {
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
			f := newFixture()
			id := uuid.Must(uuid.NewV7())
			f.rm.customers[id] = registry.Customer{ID: id, Name: "Maria", Version: 3, Contact: &registry.Contact{
				Document: "52998224725", DocumentType: "cpf", Email: "m@example.com",
				Phones: registry.Phones{Mobile: "+5511987654321"}, Address: registry.Address{City: "Santos"}}}
			vid := uuid.Must(uuid.NewV7())
			f.rm.vehicles[vid] = registry.Vehicle{ID: vid, CustomerID: id, Plate: "BRA2E19"}
			ctx := registry.WithEndpoint(f.as(tt.role), "GET /api/v1/workshops/{slug}/customers/{id}")
			c, err := f.svc.GetCustomer(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if (c.Contact != nil) != tt.wantPII || f.rm.askedPII[0] != tt.wantPII {
				t.Fatalf("contact = %+v, read model asked withPII=%v", c.Contact, f.rm.askedPII)
			}
			if c.Name != "Maria" || len(c.Vehicles) != 1 || c.Vehicles[0].Plate != "BRA2E19" {
				t.Fatalf("customer = %+v", c)
			}
			if len(f.audit.entries) != 1 {
				t.Fatalf("audit = %+v", f.audit.entries)
			}
			e := f.audit.entries[0]
			if e.SubjectID != id || !slices.Equal(e.Fields, tt.wantFields) || e.Actor != "staff:"+tt.role.String()+"-1" ||
				e.Endpoint != "GET /api/v1/workshops/{slug}/customers/{id}" || !e.At.Equal(now) {
				t.Fatalf("audit entry = %+v", e)
			}
		})
	}
}

func TestService_GetCustomer_failsClosedWhenTheAuditLogFails(t *testing.T) {
	t.Parallel()
	f := newFixture()
	id := uuid.Must(uuid.NewV7())
	f.rm.customers[id] = registry.Customer{ID: id, Name: "Maria"}
	f.audit.fail = errBoom
	if c, err := f.svc.GetCustomer(f.as(authz.RoleOwner), id); !errors.Is(err, errBoom) || c.Name != "" {
		t.Fatalf("GetCustomer = %+v, %v; want no data and the audit error", c, err)
	}
}

func TestService_GetCustomer_erasedIsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture()
	id := uuid.Must(uuid.NewV7())
	f.rm.customers[id] = registry.Customer{ID: id, Erased: true}
	if _, err := f.svc.GetCustomer(f.as(authz.RoleOwner), id); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestService_RegisterCustomer(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleAdvisor)
	c, err := f.svc.RegisterCustomer(ctx, maria)
	if err != nil {
		t.Fatal(err)
	}
	if c.Contact == nil || c.Contact.Document != "52998224725" || !c.MarketingConsent || c.Version != 2 || c.Vehicles == nil {
		t.Fatalf("registered = %+v", c)
	}
	if h, ok := f.unique.holder(ctx, registry.UniqueDocument, "document:52998224725"); !ok || h != c.ID {
		t.Fatalf("document key held by %v", h)
	}
	events, _ := f.store.Load(ctx, streamOf(customer.StreamType, c.ID))
	if len(events) != 2 || events[1].Event.(customer.ConsentGiven).Source != registry.DefaultSource {
		t.Fatalf("events = %+v", events)
	}

	t.Run("duplicate document names the holder", func(t *testing.T) {
		dup := maria
		dup.Name = "Outra"
		_, err := f.svc.RegisterCustomer(ctx, dup)
		var ce *errs.ConflictError
		if !errors.As(err, &ce) || ce.Field != "document" || ce.Code != "duplicate" || ce.ExistingID != c.ID.String() {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("another workshop may hold the same document", func(t *testing.T) {
		other := tenant.MustParse(uuid.Must(uuid.NewV7()).String())
		octx := principalCtx(other, authz.Principal{IdentityID: "o", Tenant: other, Role: authz.RoleOwner})
		if _, err := f.svc.RegisterCustomer(octx, maria); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("invalid input claims nothing", func(t *testing.T) {
		bad := customer.RegisterInput{Name: "", Document: "111.111.111-11"}
		_, err := f.svc.RegisterCustomer(ctx, bad)
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v", err)
		}
	})
}

func streamOf(typ string, id uuid.UUID) eventsourcing.StreamRef {
	return eventsourcing.StreamRef{Type: typ, ID: id}
}

func TestService_RegisterCustomer_releasesTheClaimWhenTheAppendFails(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleOwner)
	f.store.failAppend = errBoom
	if _, err := f.svc.RegisterCustomer(ctx, maria); !errors.Is(err, errBoom) {
		t.Fatalf("err = %v", err)
	}
	if h, ok := f.unique.holder(ctx, registry.UniqueDocument, "document:52998224725"); ok {
		t.Fatalf("key still held by %v", h)
	}
	f.store.failAppend = nil
	if _, err := f.svc.RegisterCustomer(ctx, maria); err != nil {
		t.Fatalf("retry: %v", err)
	}
}

func TestService_RegisterCustomer_takesOverAStaleClaim(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleOwner)
	ghost := uuid.Must(uuid.NewV7()) // claimed, then its write died
	if _, err := f.unique.Claim(ctx, registry.UniqueDocument, "document:52998224725", ghost); err != nil {
		t.Fatal(err)
	}
	f.unique.age = 30 * time.Second
	if _, err := f.svc.RegisterCustomer(ctx, maria); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("young claim: %v", err)
	}
	f.unique.age = 2 * time.Minute
	c, err := f.svc.RegisterCustomer(ctx, maria)
	if err != nil {
		t.Fatalf("stale claim: %v", err)
	}
	if h, _ := f.unique.holder(ctx, registry.UniqueDocument, "document:52998224725"); h != c.ID {
		t.Fatalf("holder = %v", h)
	}
}

func TestService_CorrectCustomer_movesTheDocumentKey(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleOwner)
	c, err := f.svc.RegisterCustomer(ctx, maria)
	if err != nil {
		t.Fatal(err)
	}
	v := c.Version
	out, err := f.svc.CorrectCustomer(ctx, registry.CorrectCustomerInput{CustomerID: c.ID, ExpectedVersion: &v,
		Patch: customer.CustomerPatch{Document: customer.Some("11.222.333/0001-81")}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Contact.DocumentType != "cnpj" || out.Version != v+1 {
		t.Fatalf("corrected = %+v", out.Contact)
	}
	if _, ok := f.unique.holder(ctx, registry.UniqueDocument, "document:52998224725"); ok {
		t.Error("old document still held")
	}
	if h, _ := f.unique.holder(ctx, registry.UniqueDocument, "document:11222333000181"); h != c.ID {
		t.Error("new document not held")
	}
	// A stale If-Match fails and frees the key it claimed.
	_, err = f.svc.CorrectCustomer(ctx, registry.CorrectCustomerInput{CustomerID: c.ID, ExpectedVersion: &v,
		Patch: customer.CustomerPatch{Document: customer.Some("529.982.247-25")}})
	if !errors.Is(err, errs.ErrPreconditionFailed) {
		t.Fatalf("stale version: %v", err)
	}
	if _, ok := f.unique.holder(ctx, registry.UniqueDocument, "document:52998224725"); ok {
		t.Error("a failed correction keeps its claim")
	}
}

func TestService_SearchCustomers_termsByPermission(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role  authz.Role
		query string
		any   []string
		all   []string
	}{
		{authz.RoleOwner, "529.982.247-25", []string{"document:52998224725"},
			[]string{"name_prefix:529", "name_prefix:982", "name_prefix:247", "name_prefix:25"}},
		{authz.RoleMechanic, "529.982.247-25", nil,
			[]string{"name_prefix:529", "name_prefix:982", "name_prefix:247", "name_prefix:25"}},
		{authz.RoleOwner, "MARIA@Example.com", []string{"email:maria@example.com"},
			[]string{"name_prefix:maria", "name_prefix:example", "name_prefix:com"}},
		{authz.RoleOwner, "(11) 98765-4321", []string{"phone:+5511987654321"}, []string{"name_prefix:11", "name_prefix:98765", "name_prefix:4321"}},
		{authz.RoleMechanic, "abc-1234", []string{"plate:ABC1C34"}, []string{"name_prefix:abc", "name_prefix:1234"}},
		{authz.RoleOwner, "José d", nil, []string{"name_prefix:jose", "name_word:d"}},
	}
	for _, tt := range tests {
		t.Run(tt.role.String()+" "+tt.query, func(t *testing.T) {
			t.Parallel()
			f := newFixture()
			if _, err := f.svc.SearchCustomers(f.as(tt.role), registry.SearchCustomersInput{Query: tt.query}); err != nil {
				t.Fatal(err)
			}
			if got := terms(f.rm.lastQuery.AnyOf); !slices.Equal(got, tt.any) {
				t.Errorf("any = %q, want %q", got, tt.any)
			}
			if got := terms(f.rm.lastQuery.AllOf); !slices.Equal(got, tt.all) {
				t.Errorf("all = %q, want %q", got, tt.all)
			}
		})
	}
}

func terms(ts []registry.IndexTerm) []string {
	var out []string
	for _, t := range ts {
		if !strings.HasPrefix(t.Hash, t.Kind+":") {
			panic("hash of another kind")
		}
		out = append(out, t.Hash)
	}
	return out
}

func TestService_SearchCustomers_paging(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleOwner)
	for _, tt := range []struct {
		page  registry.PageRequest
		field string
	}{
		{registry.PageRequest{Limit: 201}, "limit"},
		{registry.PageRequest{Limit: -1}, "limit"},
		{registry.PageRequest{Cursor: "not a cursor"}, "cursor"},
	} {
		_, err := f.svc.SearchCustomers(ctx, registry.SearchCustomersInput{Page: tt.page})
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != tt.field {
			t.Errorf("%+v: err = %v", tt.page, err)
		}
	}
	// A cursor of another list is refused too.
	p, err := f.svc.ListAudit(ctx, registry.ListAuditInput{})
	if err != nil || p.NextCursor != "" {
		t.Fatal(err)
	}
	if _, err := f.svc.ListServiceOrders(ctx, registry.ListServiceOrdersInput{Page: registry.PageRequest{Cursor: "YToxMjM"}}); err == nil {
		t.Error("an audit cursor was accepted by the order list")
	}
	if _, err := f.svc.ListServiceOrders(ctx, registry.ListServiceOrdersInput{Status: "flying", CustomerID: "x"}); err == nil {
		t.Error("bad filters accepted")
	}
}

// seedCustomerAndVehicle registers a customer with a vehicle at 50,000 km.
func seedCustomerAndVehicle(t *testing.T, f *fixture, ctx context.Context) (registry.Customer, registry.Vehicle) {
	t.Helper()
	c, err := f.svc.RegisterCustomer(ctx, customer.RegisterInput{Name: "Cliente"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.AddVehicle(ctx, registry.AddVehicleInput{CustomerID: c.ID, Vehicle: vehicle.RegisterInput{
		Plate: "BRA2E19", Make: "VW", Model: "Gol", Year: 2019, MileageKm: km(50000)}})
	if err != nil {
		t.Fatal(err)
	}
	return c, v
}

func TestService_OpenServiceOrder(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleAdvisor)
	c, v := seedCustomerAndVehicle(t, f, ctx)
	items := []serviceorder.ItemInput{{Service: "oil_change", Quantity: 1, UnitPriceCents: 18000}}
	open := func(mileage *int64, replaced bool, customerID, vehicleID string) (registry.ServiceOrder, error) {
		return f.svc.OpenServiceOrder(ctx, registry.OpenServiceOrderInput{OdometerReplaced: replaced, Order: serviceorder.OpenInput{
			CustomerID: customerID, VehicleID: vehicleID, MileageKm: mileage, Items: items}})
	}
	requireField := func(err error, field, code string) {
		t.Helper()
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || !slices.ContainsFunc(ve.Fields, func(fe errs.FieldError) bool { return fe.Field == field && fe.Code == code }) {
			t.Fatalf("err = %v, want %s:%s", err, field, code)
		}
	}

	_, err := open(km(40000), false, c.ID.String(), v.ID.String())
	requireField(err, "mileage_km", vehicle.CodeOdometerRollback)
	_, err = open(nil, false, uuid.NewString(), v.ID.String())
	requireField(err, "customer_id", registry.CodeNotFound)
	_, err = open(nil, false, c.ID.String(), uuid.NewString())
	requireField(err, "vehicle_id", registry.CodeNotFound)
	other, err := f.svc.RegisterCustomer(ctx, customer.RegisterInput{Name: "Outro"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = open(nil, false, other.ID.String(), v.ID.String())
	requireField(err, "vehicle_id", registry.CodeNotOwned)
	_, err = open(nil, false, c.ID.String(), v.ID.String()+"x")
	requireField(err, "vehicle_id", "invalid_format")

	o, err := open(km(40000), true, c.ID.String(), v.ID.String())
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
	events, _ := f.store.Load(ctx, streamOf(vehicle.StreamType, v.ID))
	if len(events) != 4 || events[2].Type != (vehicle.OdometerReplaced{}).EventName() {
		t.Fatalf("vehicle events = %v", events)
	}

	if _, err := f.svc.ChangeServiceOrderStatus(ctx, registry.ChangeStatusInput{OrderID: o.ID, Status: "delivered"}); !errors.Is(err, errs.ErrIllegalTransition) {
		t.Fatalf("open → delivered: %v", err)
	}
	moved, err := f.svc.ChangeServiceOrderStatus(ctx, registry.ChangeStatusInput{OrderID: o.ID, Status: "in_progress", Note: "Começamos"})
	if err != nil || moved.Status != "in_progress" || moved.Version != 2 || moved.StatusHistory[1].Note != "Começamos" {
		t.Fatalf("in_progress: %+v %v", moved, err)
	}
}

func TestService_TransferVehicle(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleAdvisor)
	_, v := seedCustomerAndVehicle(t, f, ctx)
	newOwner, err := f.svc.RegisterCustomer(ctx, customer.RegisterInput{Name: "Novo Dono"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ id, code string }{{"", "required"}, {"nope", "invalid_format"}, {uuid.NewString(), registry.CodeNotFound}} {
		_, err := f.svc.TransferVehicle(ctx, registry.TransferVehicleInput{VehicleID: v.ID, CustomerID: tt.id})
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "customer_id" || ve.Fields[0].Code != tt.code {
			t.Errorf("%q: %v", tt.id, err)
		}
	}
	out, err := f.svc.TransferVehicle(ctx, registry.TransferVehicleInput{VehicleID: v.ID, CustomerID: newOwner.ID.String()})
	if err != nil || out.CustomerID != newOwner.ID || out.Plate != "BRA2E19" || out.MileageKm == nil {
		t.Fatalf("transferred %+v, %v", out, err)
	}
}

func TestService_AddVehicle_duplicatePlate(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleOwner)
	c, v := seedCustomerAndVehicle(t, f, ctx)
	_, err := f.svc.AddVehicle(ctx, registry.AddVehicleInput{CustomerID: c.ID, Vehicle: vehicle.RegisterInput{
		Plate: "bra2e19", Make: "VW", Model: "Gol", Year: 2019}})
	var ce *errs.ConflictError
	if !errors.As(err, &ce) || ce.Field != "plate" || ce.ExistingID != v.ID.String() {
		t.Fatalf("err = %v", err)
	}
	if _, err := f.svc.AddVehicle(ctx, registry.AddVehicleInput{CustomerID: uuid.New(), Vehicle: vehicle.RegisterInput{
		Plate: "XYZ9A99", Make: "VW", Model: "Gol", Year: 2019}}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("unknown customer: %v", err)
	}
}

func TestService_EraseCustomer(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := f.as(authz.RoleOwner)
	c, err := f.svc.RegisterCustomer(ctx, maria)
	if err != nil {
		t.Fatal(err)
	}
	vid := uuid.Must(uuid.NewV7())
	f.rm.vehicles[vid] = registry.Vehicle{ID: vid, CustomerID: c.ID, Plate: "BRA2E19"}
	if _, err := f.unique.Claim(ctx, registry.UniquePlate, "plate:BRA2E19", vid); err != nil {
		t.Fatal(err)
	}
	before := len(f.store.calls())
	if err := f.svc.EraseCustomer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	calls := f.store.calls()[before:]
	if !slices.Equal(calls, []string{"shred " + c.ID.String(), "append " + (customer.Erased{}).EventName()}) {
		t.Fatalf("calls = %v, want the key shredded before Erased is stored", calls)
	}
	if _, ok := f.unique.holder(ctx, registry.UniqueDocument, "document:52998224725"); ok {
		t.Error("document still reserved")
	}
	if _, ok := f.unique.holder(ctx, registry.UniquePlate, "plate:BRA2E19"); ok {
		t.Error("plate still reserved")
	}
	if err := f.svc.EraseCustomer(ctx, c.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("second erasure: %v", err)
	}
	if _, err := f.svc.AddNote(ctx, registry.AddNoteInput{CustomerID: c.ID, Text: "x"}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("note on an erased customer: %v", err)
	}
}

func TestService_ExportCustomer_auditsEverythingRead(t *testing.T) {
	t.Parallel()
	f := newFixture()
	id := uuid.Must(uuid.NewV7())
	f.rm.customers[id] = registry.Customer{ID: id, Name: "Maria", Contact: &registry.Contact{Email: "m@example.com"}}
	x, err := f.svc.ExportCustomer(f.as(authz.RoleManager), id)
	if err != nil {
		t.Fatal(err)
	}
	if x.Profile.Contact == nil || x.Messages == nil || x.Notes == nil || !x.GeneratedAt.Equal(now) {
		t.Fatalf("export = %+v", x)
	}
	if len(f.audit.entries) != 1 || f.audit.entries[0].Endpoint != registry.EndpointExportCustomer ||
		!slices.Equal(f.audit.entries[0].Fields, []string{"name", "email"}) {
		t.Fatalf("audit = %+v", f.audit.entries)
	}
}

func TestSearchTerms_placeholderHasNone(t *testing.T) {
	t.Parallel()
	if got := registry.NameTerms(privacy.Placeholder); got != nil {
		t.Errorf("name terms of the placeholder: %v", got)
	}
	for _, f := range []func(string) (privacy.Term, bool){registry.DocumentTerm, registry.EmailTerm, registry.PhoneTerm, registry.PlateTerm} {
		if _, ok := f(privacy.Placeholder); ok {
			t.Error("a placeholder got a term")
		}
	}
	a, _ := registry.PlateTerm("ABC-1234")
	b, _ := registry.PlateTerm("abc1c34")
	if a != b {
		t.Errorf("old and Mercosul plate terms differ: %v %v", a, b)
	}
}
