package datasubject_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
)

func TestUseCases_requirePermission(t *testing.T) {
	t.Parallel()
	id := uuid.Must(uuid.NewV7())
	calls := map[string]func(context.Context, *recordstest.Fixture) error{
		"ExportCustomer": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.DataSubject.ExportCustomer(ctx, id)
			return err
		},
		"EraseCustomer": func(ctx context.Context, f *recordstest.Fixture) error { return f.DataSubject.EraseCustomer(ctx, id) },
		"ListConsents": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.DataSubject.ListConsents(ctx, id)
			return err
		},
		"GiveConsent": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.DataSubject.GiveConsent(ctx, datasubject.GiveConsentInput{CustomerID: id})
			return err
		},
		"ListAuditLog": func(ctx context.Context, f *recordstest.Fixture) error {
			_, err := f.DataSubject.ListAuditLog(ctx, datasubject.ListAuditLogInput{})
			return err
		},
	}
	recordstest.CheckPermissions(t, calls, []recordstest.PermissionCase{
		{Name: "mechanic may not export", Role: authz.RoleMechanic, Call: "ExportCustomer", Want: errs.ErrForbidden},
		{Name: "mechanic may not read consents", Role: authz.RoleMechanic, Call: "ListConsents", Want: errs.ErrForbidden},
		{Name: "manager may not erase", Role: authz.RoleManager, Call: "EraseCustomer", Want: errs.ErrForbidden},
		{Name: "advisor may not erase", Role: authz.RoleAdvisor, Call: "EraseCustomer", Want: errs.ErrForbidden},
		{Name: "advisor may not export", Role: authz.RoleAdvisor, Call: "ExportCustomer", Want: errs.ErrForbidden},
		{Name: "manager may not read the audit log", Role: authz.RoleManager, Call: "ListAuditLog", Want: errs.ErrForbidden},
		{Name: "read-only workshop may not erase", Role: authz.RoleOwner, ReadOnly: true, Call: "EraseCustomer", Want: errs.ErrReadOnly},
		{Name: "read-only workshop may not change consents", Role: authz.RoleOwner, ReadOnly: true, Call: "GiveConsent", Want: errs.ErrReadOnly},
		{Name: "read-only workshop may still export", Role: authz.RoleOwner, ReadOnly: true, Call: "ExportCustomer"},
		{Name: "read-only workshop may still read the audit log", Role: authz.RoleOwner, ReadOnly: true, Call: "ListAuditLog"},
		{Name: "owner may erase", Role: authz.RoleOwner, Call: "EraseCustomer"},
	})
}

func TestUseCases_EraseCustomer(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	ctx := f.As(authz.RoleOwner)
	c, err := f.Customers.RegisterCustomer(ctx, recordstest.Maria)
	if err != nil {
		t.Fatal(err)
	}
	vid := uuid.Must(uuid.NewV7())
	f.RM.Vehicles[vid] = vehicles.Vehicle{ID: vid, CustomerID: c.ID, Plate: "BRA2E19"}
	if _, err := f.Unique.Claim(ctx, uniquekeys.Plate, "plate:BRA2E19", vid); err != nil {
		t.Fatal(err)
	}
	before := len(f.Store.Calls())
	if err := f.DataSubject.EraseCustomer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	calls := f.Store.Calls()[before:]
	if !slices.Equal(calls, []string{"shred " + c.ID.String(), "append " + (customer.Erased{}).EventName()}) {
		t.Fatalf("calls = %v, want the key shredded before Erased is stored", calls)
	}
	if _, ok := f.Unique.Holder(ctx, uniquekeys.Document, "document:52998224725"); ok {
		t.Error("document still reserved")
	}
	if _, ok := f.Unique.Holder(ctx, uniquekeys.Plate, "plate:BRA2E19"); ok {
		t.Error("plate still reserved")
	}
	if err := f.DataSubject.EraseCustomer(ctx, c.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("second erasure: %v", err)
	}
	if _, err := f.Customers.AddNote(ctx, customers.AddNoteInput{CustomerID: c.ID, Text: "x"}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("note on an erased customer: %v", err)
	}
}

func TestUseCases_ExportCustomer_auditsEverythingRead(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	id := uuid.Must(uuid.NewV7())
	f.RM.Customers[id] = customers.Customer{ID: id, Name: "Maria", Contact: &customers.Contact{Email: "m@example.com"}}
	x, err := f.DataSubject.ExportCustomer(f.As(authz.RoleManager), id)
	if err != nil {
		t.Fatal(err)
	}
	if x.Profile.Contact == nil || x.Messages == nil || x.Notes == nil || !x.GeneratedAt.Equal(recordstest.Now) {
		t.Fatalf("export = %+v", x)
	}
	if len(f.Audit.Entries) != 1 || f.Audit.Entries[0].Endpoint != datasubject.EndpointExportCustomer ||
		!slices.Equal(f.Audit.Entries[0].Fields, []string{"name", "email"}) {
		t.Fatalf("audit = %+v", f.Audit.Entries)
	}
}
