package readmodel_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

// Known personal data: none of it may appear in clear anywhere in the
// database.
var (
	maria = customer.RegisterInput{
		Name: "Maria da Silva", Document: "529.982.247-25", Email: "Maria@Example.com",
		Phones: customer.PhonesInput{Mobile: "+55 11 98765-4321", Landline: "(11) 3456-7890"},
		Address: customer.AddressInput{Street: "Rua das Flores", Number: "123", Complement: "apto 4",
			District: "Centro", City: "São Paulo", State: "sp", PostalCode: "01001-000"},
		MarketingConsent: true,
	}
	// Numbers are looked for whole (9+ digits): a 5-digit piece such as
	// "98765" also turns up by chance in the dump's hex ids and hashes.
	mariaSecrets = []string{"Maria", "Silva", "52998224725", "529.982.247-25", "maria@example.com",
		"5511987654321", "987654321", "98765-4321", "34567890", "Rua das Flores", "Flores", "apto 4", "São Paulo", "01001000",
		"BRA2E19", "ABC1234", "Prefere WhatsApp"}
	joao = customer.RegisterInput{
		Name: "João Pereira Gonçalves", Document: "111.444.777-35", Email: "joao@example.org",
		Phones:  customer.PhonesInput{Mobile: "(21) 99876-5432"},
		Address: customer.AddressInput{Street: "Avenida Atlântica", City: "Rio de Janeiro", State: "RJ"},
	}
	joaoSecrets = []string{"João", "Pereira", "11144477735", "joao@example.org", "5521998765432", "Atlântica", "RIO2A18"}
)

func km(v int64) *int64 { return &v }

// result holds a (value, error) pair so that a call can be checked inline:
// try(svc.customers.GetCustomer(ctx, id)).must(t).
type result[T any] struct {
	v   T
	err error
}

func try[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) must(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

func searchIDs(ctx context.Context, t *testing.T, svc *records, q string) []uuid.UUID {
	t.Helper()
	page := try(svc.customers.SearchCustomers(ctx, customers.SearchCustomersInput{Query: q})).must(t)
	var ids []uuid.UUID
	for _, c := range page.Items {
		ids = append(ids, c.ID)
	}
	return ids
}

func requireConflict(t *testing.T, err error, field, existing string) {
	t.Helper()
	var ce *errs.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("err = %v, want a ConflictError", err)
	}
	if ce.Field != field || ce.Code != "duplicate" || ce.ExistingID != existing {
		t.Fatalf("conflict = %+v, want field %s naming %s", ce, field, existing)
	}
}

func requireField(t *testing.T, err error, field, code string) {
	t.Helper()
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a ValidationError on %s", err, field)
	}
	for _, f := range ve.Fields {
		if f.Field == field && f.Code == code {
			return
		}
	}
	t.Fatalf("err = %v, want %s:%s", err, field, code)
}

func TestRegistry_CustomerLifecycleIntegration(t *testing.T) {
	env := newRegistryEnv(t)
	svc := env.svc
	ws, other := newTenantID(), newTenantID()
	owner, mechanic, rival := as(ws, authz.RoleOwner), as(ws, authz.RoleMechanic), as(other, authz.RoleOwner)

	// Register → the response and a read right after show it.
	m := try(svc.customers.RegisterCustomer(owner, maria)).must(t)
	if m.Contact == nil || m.Contact.Document != "52998224725" || m.Contact.DocumentType != "cpf" ||
		m.Contact.Email != "maria@example.com" || m.Contact.Phones.Mobile != "+5511987654321" ||
		m.Contact.Address.PostalCode != "01001000" || m.Contact.Address.State != "SP" || !m.MarketingConsent || m.Version != 2 {
		t.Fatalf("registered = %+v %+v", m, m.Contact)
	}
	got := try(svc.customers.GetCustomer(owner, m.ID)).must(t)
	if got.Name != "Maria da Silva" || got.Contact == nil || *got.Contact != *m.Contact || got.Version != 2 ||
		len(got.Vehicles) != 0 || !got.CreatedAt.Equal(m.CreatedAt) {
		t.Fatalf("read after write = %+v %+v", got, got.Contact)
	}

	// Patch with If-Match; a stale version is refused.
	v2 := int64(2)
	patched := try(svc.customers.CorrectCustomer(owner, customers.CorrectCustomerInput{CustomerID: m.ID, ExpectedVersion: &v2,
		Patch: customer.CustomerPatch{Email: customer.Some("MARIA.SILVA@example.com"), Address: customer.Some(customer.AddressPatch{
			Complement: customer.Null[string]()})}})).must(t)
	if patched.Contact.Email != "maria.silva@example.com" || patched.Contact.Address.Complement != "" || patched.Version != 3 {
		t.Fatalf("patched = %+v", patched.Contact)
	}
	if _, err := svc.customers.CorrectCustomer(owner, customers.CorrectCustomerInput{CustomerID: m.ID, ExpectedVersion: &v2,
		Patch: customer.CustomerPatch{Name: customer.Some("Outra")}}); !errors.Is(err, errs.ErrPreconditionFailed) {
		t.Fatalf("stale If-Match: %v", err)
	}
	if got := try(svc.customers.GetCustomer(owner, m.ID)).must(t); got.Contact.Email != "maria.silva@example.com" || got.Version != 3 {
		t.Fatalf("read after patch = %+v", got.Contact)
	}

	// Vehicles: Mercosul and old plates.
	gol := try(svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: m.ID, Vehicle: vehicle.RegisterInput{
		Plate: "bra-2e19", Make: "Volkswagen", Model: "Gol", Year: 2019, Color: "Prata", MileageKm: km(45210)}})).must(t)
	uno := try(svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: m.ID, Vehicle: vehicle.RegisterInput{
		Plate: "ABC-1234", Make: "Fiat", Model: "Uno", Year: 2010}})).must(t)
	if gol.Plate != "BRA2E19" || gol.CustomerID != m.ID || uno.Plate != "ABC1234" {
		t.Fatalf("vehicles %+v %+v", gol, uno)
	}
	if got := try(svc.customers.GetCustomer(owner, m.ID)).must(t); len(got.Vehicles) != 2 || got.Vehicles[0].Plate == "" {
		t.Fatalf("customer vehicles = %+v", got.Vehicles)
	}
	note := try(svc.customers.AddNote(mechanic, customers.AddNoteInput{CustomerID: m.ID, Text: "Prefere WhatsApp <b>\"sem\"</b>"})).must(t)
	notes := try(svc.customers.ListNotes(owner, customers.ListNotesInput{CustomerID: m.ID})).must(t)
	if len(notes.Items) != 1 || notes.Items[0].Text != "Prefere WhatsApp <b>\"sem\"</b>" || notes.Items[0].ID != note.ID ||
		!strings.HasPrefix(notes.Items[0].Author, "staff:mechanic") {
		t.Fatalf("notes = %+v", notes.Items)
	}

	j := try(svc.customers.RegisterCustomer(owner, joao)).must(t)
	try(svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: j.ID, Vehicle: vehicle.RegisterInput{
		Plate: "RIO2A18", Make: "Chevrolet", Model: "Onix", Year: 2022}})).must(t)

	// Search by every key finds Maria; nothing leaks to another workshop.
	for _, q := range []string{"mar", "Maria", "SILVA", "maria da", "529.982.247-25", "52998224725",
		"maria.silva@EXAMPLE.com", "(11) 98765-4321", "+551134567890", "bra2e19", "ABC1C34", "abc-1234"} {
		if ids := searchIDs(owner, t, svc, q); !slices.Equal(ids, []uuid.UUID{m.ID}) {
			t.Errorf("search %q = %v, want Maria", q, ids)
		}
		if ids := searchIDs(rival, t, svc, q); len(ids) != 0 {
			t.Errorf("other workshop's search %q = %v", q, ids)
		}
	}
	if ids := searchIDs(owner, t, svc, "joão gonç"); !slices.Equal(ids, []uuid.UUID{j.ID}) {
		t.Errorf("search João = %v", ids)
	}
	if ids := searchIDs(owner, t, svc, "maria@example.com"); len(ids) != 0 {
		t.Errorf("old e-mail still finds %v", ids)
	}
	if ids := searchIDs(owner, t, svc, ""); len(ids) != 2 {
		t.Errorf("empty query lists %v", ids)
	}
	// A mechanic sees names and plates, never documents or contacts, and
	// cannot probe a CPF.
	mc := try(svc.customers.GetCustomer(mechanic, m.ID)).must(t)
	if mc.Contact != nil || mc.Name != "Maria da Silva" {
		t.Fatalf("mechanic sees %+v", mc)
	}
	if ids := searchIDs(mechanic, t, svc, "52998224725"); len(ids) != 0 {
		t.Errorf("mechanic found by CPF: %v", ids)
	}
	if ids := searchIDs(mechanic, t, svc, "BRA2E19"); !slices.Equal(ids, []uuid.UUID{m.ID}) {
		t.Errorf("mechanic by plate: %v", ids)
	}
	if _, err := svc.customers.GetCustomer(rival, m.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("other workshop reads Maria: %v", err)
	}

	// Duplicates in one workshop name the existing record; another workshop
	// may hold the same person and car.
	dup := maria
	dup.Name, dup.Email = "Outra Pessoa", ""
	_, err := svc.customers.RegisterCustomer(owner, dup)
	requireConflict(t, err, "document", m.ID.String())
	_, err = svc.customers.CorrectCustomer(owner, customers.CorrectCustomerInput{CustomerID: j.ID,
		Patch: customer.CustomerPatch{Document: customer.Some("52998224725")}})
	requireConflict(t, err, "document", m.ID.String())
	_, err = svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: j.ID, Vehicle: vehicle.RegisterInput{
		Plate: "BRA2E19", Make: "VW", Model: "Gol", Year: 2019}})
	requireConflict(t, err, "plate", gol.ID.String())
	_, err = svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: j.ID, Vehicle: vehicle.RegisterInput{
		Plate: "ABC1C34", Make: "Fiat", Model: "Uno", Year: 2010}})
	requireConflict(t, err, "plate", uno.ID.String())
	elsewhere := try(svc.customers.RegisterCustomer(rival, maria)).must(t)
	try(svc.vehicles.AddVehicle(rival, vehicles.AddVehicleInput{CustomerID: elsewhere.ID, Vehicle: vehicle.RegisterInput{
		Plate: "BRA2E19", Make: "VW", Model: "Gol", Year: 2019}})).must(t)

	// Service orders: mileage goes to the vehicle; a rollback is refused
	// unless the odometer was replaced.
	item := []serviceorder.ItemInput{{Service: "oil_change", Description: "Troca de óleo 5W30", Quantity: 1, UnitPriceCents: 18000}}
	o1 := try(svc.orders.OpenServiceOrder(owner, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
		CustomerID: m.ID.String(), VehicleID: gol.ID.String(), MileageKm: km(46000), Items: item}})).must(t)
	if o1.Number != 1 || o1.Status != "open" || o1.TotalCents != 18000 {
		t.Fatalf("order = %+v", o1)
	}
	_, err = svc.orders.OpenServiceOrder(owner, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
		CustomerID: m.ID.String(), VehicleID: gol.ID.String(), MileageKm: km(100), Items: item}})
	requireField(t, err, "mileage_km", "odometer_rollback")
	_, err = svc.orders.OpenServiceOrder(owner, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
		CustomerID: j.ID.String(), VehicleID: gol.ID.String(), Items: item}})
	requireField(t, err, "vehicle_id", serviceorders.CodeNotOwned)
	o2 := try(svc.orders.OpenServiceOrder(owner, serviceorders.OpenServiceOrderInput{OdometerReplaced: true, Order: serviceorder.OpenInput{
		CustomerID: m.ID.String(), VehicleID: gol.ID.String(), MileageKm: km(100), Items: []serviceorder.ItemInput{
			{Service: "brake_pads", Description: "Pastilhas", Quantity: 2, UnitPriceCents: 9000}}}})).must(t)
	if o2.Number != 2 {
		t.Fatalf("second order number %d (a refused order must not use up a number)", o2.Number)
	}
	var last serviceorders.ServiceOrder
	for _, st := range []string{"in_progress", "completed", "delivered"} {
		last = try(svc.orders.ChangeServiceOrderStatus(mechanic, serviceorders.ChangeStatusInput{OrderID: o1.ID, Status: st, Note: "ok"})).must(t)
	}
	if got := try(svc.orders.GetServiceOrder(owner, o1.ID)).must(t); orderKey(got) != orderKey(last) {
		t.Fatalf("read after write differs from the write's response:\n%s\n%s", orderKey(got), orderKey(last))
	}
	if _, err := svc.orders.ChangeServiceOrderStatus(owner, serviceorders.ChangeStatusInput{OrderID: o1.ID, Status: "in_progress"}); !errors.Is(err, errs.ErrIllegalTransition) {
		t.Fatalf("delivered → in_progress: %v", err)
	}
	if got := try(svc.orders.GetServiceOrder(mechanic, o1.ID)).must(t); got.Status != "delivered" || len(got.StatusHistory) != 4 {
		t.Fatalf("order after status changes = %+v", got)
	}
	hist := try(svc.customers.CustomerHistory(owner, customers.CustomerHistoryInput{CustomerID: m.ID})).must(t)
	if len(hist.Items) != 2 || hist.Items[0].Order.ID != o2.ID || hist.Items[0].Vehicle.Plate != "BRA2E19" ||
		hist.Items[1].Order.Items[0].Service != "oil_change" {
		t.Fatalf("history = %+v", hist.Items)
	}
	vh := try(svc.vehicles.VehicleHistory(mechanic, gol.ID)).must(t)
	if len(vh.ServiceOrders) != 2 || len(vh.Readings) != 3 || !vh.Readings[2].NewOdometer || vh.Readings[1].Km != 46000 ||
		vh.Vehicle.MileageKm == nil || *vh.Vehicle.MileageKm != 100 {
		t.Fatalf("vehicle history = %+v readings %+v", vh.Vehicle, vh.Readings)
	}
	page1 := try(svc.orders.ListServiceOrders(owner, serviceorders.ListServiceOrdersInput{CustomerID: m.ID.String(),
		Page: pagination.Request{Limit: 1}})).must(t)
	page2 := try(svc.orders.ListServiceOrders(owner, serviceorders.ListServiceOrdersInput{CustomerID: m.ID.String(),
		Page: pagination.Request{Limit: 1, Cursor: page1.NextCursor}})).must(t)
	if len(page1.Items) != 1 || page1.Items[0].Number != 2 || page1.NextCursor == "" ||
		len(page2.Items) != 1 || page2.Items[0].Number != 1 || page2.NextCursor != "" {
		t.Fatalf("pages %+v / %+v", page1, page2)
	}

	// Transfer: the plate now finds the new owner, and the vehicle keeps
	// its history.
	moved := try(svc.vehicles.TransferVehicle(owner, vehicles.TransferVehicleInput{VehicleID: uno.ID, CustomerID: j.ID.String()})).must(t)
	if moved.CustomerID != j.ID || moved.Plate != "ABC1234" {
		t.Fatalf("transferred = %+v", moved)
	}
	if ids := searchIDs(owner, t, svc, "ABC1234"); !slices.Equal(ids, []uuid.UUID{j.ID}) {
		t.Errorf("plate after transfer finds %v", ids)
	}
	_, err = svc.vehicles.TransferVehicle(owner, vehicles.TransferVehicleInput{VehicleID: uno.ID, CustomerID: elsewhere.ID.String()})
	requireField(t, err, "customer_id", vehicles.CodeNotFound)

	// The reads above are in the audit log.
	audit := try(svc.dataSubject.ListAuditLog(owner, datasubject.ListAuditLogInput{SubjectID: m.ID, Page: pagination.Request{Limit: 200}})).must(t)
	endpoints := map[string]bool{}
	for _, e := range audit.Items {
		endpoints[e.Endpoint] = true
		if e.SubjectID != m.ID || len(e.Fields) == 0 || !strings.HasPrefix(e.Actor, "staff:") {
			t.Fatalf("audit entry %+v", e)
		}
	}
	for _, want := range []string{customers.EndpointGetCustomer, customers.EndpointSearchCustomers, customers.EndpointListNotes,
		customers.EndpointCustomerHistory, vehicles.EndpointVehicleHistory} {
		if !endpoints[want] {
			t.Errorf("no audit entry for %s (have %v)", want, endpoints)
		}
	}
	if _, err := svc.dataSubject.ListAuditLog(mechanic, datasubject.ListAuditLogInput{}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic reads the audit log: %v", err)
	}

	// Nothing personal in clear anywhere, before the erasure.
	env.waitCaughtUp(t)
	dump := env.dump(t)
	if !strings.Contains(dump, m.ID.String()) || !strings.Contains(dump, "v1.") || !strings.Contains(dump, "Volkswagen") {
		t.Fatal("the dump does not hold the registry's rows")
	}
	for _, s := range append(append([]string(nil), mariaSecrets...), joaoSecrets...) {
		if strings.Contains(dump, s) {
			t.Errorf("database dump contains %q", s)
		}
	}

	// Rebuilding gives the same read model as live processing.
	live := env.checksum(t)
	beforeExport := try(svc.dataSubject.ExportCustomer(owner, m.ID)).must(t)
	env.rebuild(t)
	if rebuilt := env.checksum(t); rebuilt != live {
		t.Fatalf("rebuilt read model %s differs from the live one %s", rebuilt, live)
	}
	afterExport := try(svc.dataSubject.ExportCustomer(owner, m.ID)).must(t)
	beforeExport.GeneratedAt = afterExport.GeneratedAt
	if !exportEqual(beforeExport, afterExport) {
		t.Fatalf("export differs after rebuild:\n%+v\n%+v", beforeExport, afterExport)
	}

	// Erasure: owner only.
	if err := svc.dataSubject.EraseCustomer(as(ws, authz.RoleManager), m.ID); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("manager erases: %v", err)
	}
	if err := svc.dataSubject.EraseCustomer(owner, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.customers.GetCustomer(owner, m.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("erased customer read: %v", err)
	}
	if err := svc.dataSubject.EraseCustomer(owner, m.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("second erasure: %v", err)
	}
	requireErased(owner, t, svc, m.ID, o1.ID, o2.ID)
	for _, q := range []string{"Maria", "52998224725", "maria.silva@example.com", "11987654321", "BRA2E19"} {
		if ids := searchIDs(owner, t, svc, q); len(ids) != 0 {
			t.Errorf("search %q after erasure = %v", q, ids)
		}
	}
	// Other customers are untouched, here and in the other workshop.
	if got := try(svc.customers.GetCustomer(owner, j.ID)).must(t); got.Contact.Document != "11144477735" || len(got.Vehicles) != 2 {
		t.Fatalf("João after Maria's erasure = %+v", got)
	}
	if ids := searchIDs(owner, t, svc, "ABC1234"); !slices.Equal(ids, []uuid.UUID{j.ID}) {
		t.Errorf("João's transferred plate after Maria's erasure finds %v", ids)
	}
	if got := try(svc.customers.GetCustomer(rival, elsewhere.ID)).must(t); got.Contact.Document != "52998224725" {
		t.Fatalf("the other workshop's Maria = %+v", got.Contact)
	}
	// Her document and plate are free again.
	try(svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: "Nova Titular", Document: "529.982.247-25"})).must(t)

	env.waitCaughtUp(t)
	dump = env.dump(t)
	for _, s := range []string{"Maria da Silva", "maria.silva@example.com", "5511987654321", "Rua das Flores", "BRA2E19", "Prefere WhatsApp"} {
		if strings.Contains(dump, s) {
			t.Errorf("database dump after erasure contains %q", s)
		}
	}
	// A rebuild after the erasure reproduces the anonymised model.
	live = env.checksum(t)
	env.rebuild(t)
	if rebuilt := env.checksum(t); rebuilt != live {
		t.Fatalf("rebuild after erasure %s differs from the live model %s", rebuilt, live)
	}
	requireErased(owner, t, svc, m.ID, o1.ID, o2.ID)
}

// requireErased checks what remains of an erased customer: an anonymised
// record with the service orders, nothing personal.
func requireErased(ctx context.Context, t *testing.T, svc *records, id uuid.UUID, orders ...uuid.UUID) {
	t.Helper()
	x := try(svc.dataSubject.ExportCustomer(ctx, id)).must(t)
	p := x.Profile
	if !p.Erased || p.Name != "" || p.MarketingConsent || (p.Contact != nil && *p.Contact != customers.Contact{}) {
		t.Fatalf("erased profile = %+v %+v", p, p.Contact)
	}
	if len(x.Notes) != 0 || len(x.Consents) != 0 || len(x.Messages) != 0 {
		t.Fatalf("erased export keeps notes %v consents %v", x.Notes, x.Consents)
	}
	for _, v := range x.Vehicles {
		if v.Vehicle.Plate != "" {
			t.Fatalf("erased customer's vehicle keeps plate %q", v.Vehicle.Plate)
		}
	}
	if len(x.Vehicles) != 1 || x.Vehicles[0].Vehicle.Make != "Volkswagen" {
		t.Fatalf("anonymised vehicles = %+v", x.Vehicles)
	}
	var got []uuid.UUID
	for _, o := range x.ServiceOrders {
		got = append(got, o.ID)
	}
	slices.Reverse(got)
	if !slices.Equal(got, orders) {
		t.Fatalf("orders kept = %v, want %v", got, orders)
	}
	listed := try(svc.orders.ListServiceOrders(ctx, serviceorders.ListServiceOrdersInput{CustomerID: id.String()})).must(t)
	if len(listed.Items) != len(orders) {
		t.Fatalf("listed orders after erasure = %d", len(listed.Items))
	}
	// The orders' free text is the customer's: it reads as the placeholder
	// (issue 10, item 9); services and prices stay.
	for _, o := range listed.Items {
		for _, it := range o.Items {
			if it.Description != "" && it.Description != privacy.Placeholder || it.Service == "" || it.TotalCents == 0 {
				t.Errorf("order %d item after erasure = %+v", o.Number, it)
			}
		}
		for _, h := range o.StatusHistory {
			if h.Note != "" && h.Note != privacy.Placeholder {
				t.Errorf("order %d note after erasure = %q", o.Number, h.Note)
			}
		}
	}
}

// orderKey renders every field of an order, times in UTC.
func orderKey(o serviceorders.ServiceOrder) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d %s %s %s %v %q %+v %d %q %s %s %d", o.ID, o.Number, o.Status, o.CustomerID, o.VehicleID,
		*o.MileageKm, o.Description, o.Items, o.TotalCents, o.MechanicID, o.OpenedAt.UTC(), o.UpdatedAt.UTC(), o.Version)
	for _, h := range o.StatusHistory {
		fmt.Fprintf(&b, " [%s→%s %q %s]", h.From, h.To, h.Note, h.At.UTC())
	}
	return b.String()
}

func exportEqual(a, b datasubject.Export) bool {
	norm := func(x datasubject.Export) string {
		var s strings.Builder
		s.WriteString(x.Profile.Name + "|" + x.Profile.Contact.Email + "|" + x.Profile.Contact.Document + "|" + x.Profile.Contact.Address.Street)
		for _, v := range x.Vehicles {
			s.WriteString("|" + v.Vehicle.Plate + v.Vehicle.Make)
			for _, r := range v.Readings {
				s.WriteString(r.ReadAt.String() + r.Source)
			}
		}
		for _, o := range x.ServiceOrders {
			s.WriteString("|" + o.ID.String() + o.Status)
		}
		for _, n := range x.Notes {
			s.WriteString("|" + n.Text + n.Author)
		}
		for _, c := range x.Consents {
			s.WriteString("|" + c.Purpose + c.Channel + c.Source + c.Actor)
		}
		return s.String()
	}
	return norm(a) == norm(b)
}

func TestRegistry_OpenServiceOrder_gaplessUnderConcurrencyIntegration(t *testing.T) {
	env := newRegistryEnv(t)
	ws := newTenantID()
	owner := as(ws, authz.RoleOwner)
	c := try(env.svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: "Cliente Frota"})).must(t)
	v := try(env.svc.vehicles.AddVehicle(owner, vehicles.AddVehicleInput{CustomerID: c.ID, Vehicle: vehicle.RegisterInput{
		Plate: "FRT1A23", Make: "Fiat", Model: "Strada", Year: 2021}})).must(t)
	// Another workshop's numbers are its own.
	other := as(newTenantID(), authz.RoleAdvisor)
	oc := try(env.svc.customers.RegisterCustomer(other, customer.RegisterInput{Name: "Outro"})).must(t)
	ov := try(env.svc.vehicles.AddVehicle(other, vehicles.AddVehicleInput{CustomerID: oc.ID, Vehicle: vehicle.RegisterInput{
		Plate: "FRT1A23", Make: "Fiat", Model: "Strada", Year: 2021}})).must(t)

	const n = 20
	numbers := make(chan int64, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := env.svc.orders.OpenServiceOrder(owner, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
				CustomerID: c.ID.String(), VehicleID: v.ID.String(), MileageKm: km(30000),
				Items: []serviceorder.ItemInput{{Service: "inspection", Quantity: 1, UnitPriceCents: 5000}}}})
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- o.Number
		}()
	}
	wg.Wait()
	close(numbers)
	var got []int64
	for num := range numbers {
		got = append(got, num)
	}
	slices.Sort(got)
	want := make([]int64, n)
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("numbers = %v, want 1..%d without gap or duplicate", got, n)
	}
	o := try(env.svc.orders.OpenServiceOrder(other, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
		CustomerID: oc.ID.String(), VehicleID: ov.ID.String(), Items: []serviceorder.ItemInput{{Service: "other", Quantity: 1}}}})).must(t)
	if o.Number != 1 {
		t.Fatalf("other workshop's first number = %d", o.Number)
	}
	list := try(env.svc.orders.ListServiceOrders(owner, serviceorders.ListServiceOrdersInput{Status: "open", Page: pagination.Request{Limit: 200}})).must(t)
	if len(list.Items) != n || list.Items[0].Number != n {
		t.Fatalf("listed %d orders, first %d", len(list.Items), list.Items[0].Number)
	}
}

func TestRegistry_CorrectCustomer_sameIfMatchOneWinsIntegration(t *testing.T) {
	env := newRegistryEnv(t)
	owner := as(newTenantID(), authz.RoleAdvisor)
	c := try(env.svc.customers.RegisterCustomer(owner, customer.RegisterInput{Name: "Cliente Disputado"})).must(t)
	const n = 20
	results := make(chan error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := c.Version
			_, err := env.svc.customers.CorrectCustomer(owner, customers.CorrectCustomerInput{CustomerID: c.ID, ExpectedVersion: &v,
				Patch: customer.CustomerPatch{Name: customer.Some(fmt.Sprintf("Nome %d", i))}})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	won, stale := 0, 0
	for err := range results {
		switch {
		case err == nil:
			won++
		case errors.Is(err, errs.ErrPreconditionFailed):
			stale++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if won != 1 || stale != n-1 {
		t.Fatalf("%d won and %d were refused as stale, want 1 and %d", won, stale, n-1)
	}
}
