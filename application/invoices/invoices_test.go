package invoices_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/application/invoices"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

type orders map[uuid.UUID]serviceorders.ServiceOrder

func (o orders) ServiceOrder(_ context.Context, id uuid.UUID) (serviceorders.ServiceOrder, error) {
	if v, ok := o[id]; ok {
		return v, nil
	}
	return serviceorders.ServiceOrder{}, fmt.Errorf("order: %w", errs.ErrNotFound)
}

func (o orders) ServiceOrders(context.Context, serviceorders.Filter, int64, int) ([]serviceorders.ServiceOrder, error) {
	return nil, nil
}

type directory struct{ ws workshops.WorkshopView }

func (d directory) WorkshopBySlug(context.Context, string) (workshops.WorkshopView, error) {
	return d.ws, nil
}
func (d directory) WorkshopByID(context.Context, uuid.UUID) (workshops.WorkshopView, error) {
	return d.ws, nil
}

type renderer struct{ got []invoices.Invoice }

func (r *renderer) RenderPDF(_ context.Context, inv invoices.Invoice) ([]byte, error) {
	r.got = append(r.got, inv)
	return []byte("%PDF-fake"), nil
}

type fiscal struct{ calls int }

func (f *fiscal) Issue(context.Context, invoices.Invoice) (invoices.FiscalReceipt, error) {
	f.calls++
	return invoices.FiscalReceipt{Issued: true, Provider: "prefeitura", Number: "2025/123"}, nil
}

func TestInvoices(t *testing.T) {
	t.Parallel()
	f := recordstest.NewFixture()
	cust, other := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	veh := uuid.Must(uuid.NewV7())
	f.RM.Customers[cust] = customers.Customer{ID: cust, Name: "João Araújo", Contact: &customers.Contact{Document: "52998224725", DocumentType: "cpf",
		Phones: customers.Phones{Landline: "+551134567890"}, Address: customers.Address{City: "Santos", State: "SP"}}}
	f.RM.Vehicles[veh] = vehicles.Vehicle{ID: veh, CustomerID: cust, Plate: "BRA2E19", Make: "VW", Model: "Gol", Year: 2019}
	at := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	done, open := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	ords := orders{
		done: {ID: done, Number: 7, Status: "delivered", CustomerID: cust, VehicleID: veh, TotalCents: 18000, OpenedAt: at,
			Items:         []serviceorders.OrderItem{{Line: 1, Service: "oil_change", Quantity: 1, UnitPriceCents: 18000, TotalCents: 18000}},
			StatusHistory: []serviceorders.StatusChange{{To: "open", At: at}, {From: "in_progress", To: "completed", At: at.Add(time.Hour)}}},
		open: {ID: open, Number: 8, Status: "in_progress", CustomerID: cust, VehicleID: veh, OpenedAt: at},
	}
	r, fi := &renderer{}, &fiscal{}
	uc, err := invoices.New(usecase.Base{}, invoices.Deps{Orders: ords, Customers: f.RM, Vehicles: f.RM, Renderer: r, Fiscal: fi, Audit: f.Audit,
		Workshops: directory{workshops.WorkshopView{Name: "Oficina do Zé", TimeZone: "America/Sao_Paulo",
			Profile: workshop.ProfileData{CNPJ: "11222333000181", City: "São Paulo"}}}})
	if err != nil {
		t.Fatal(err)
	}

	inv, err := uc.GetInvoice(f.As(authz.RoleAdvisor), done)
	if err != nil {
		t.Fatal(err)
	}
	if inv.OrderNumber != 7 || inv.Workshop.Document != "11222333000181" || inv.Customer.Name != "João Araújo" || inv.Customer.Phone != "+551134567890" ||
		inv.Vehicle.Plate != "BRA2E19" || !inv.CompletedAt.Equal(at.Add(time.Hour)) || !inv.Fiscal.Issued || inv.TimeZone != "America/Sao_Paulo" {
		t.Fatalf("invoice = %+v", inv)
	}
	if len(f.Audit.Entries) == 0 {
		t.Fatal("the staff read of the customer's data was not audited")
	}
	if _, err := uc.GetInvoice(f.As(authz.RoleAdvisor), open); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("invoice of an order in progress: %v", err)
	}
	if _, err := uc.GetInvoice(f.As(authz.RoleMechanic), done); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("mechanic: %v", err)
	}

	portal := func(ids ...uuid.UUID) context.Context {
		return recordstest.PrincipalCtx(f.Tenant, authz.Principal{IdentityID: "x", Tenant: f.Tenant, Role: authz.RoleCustomer, CustomerIDs: ids})
	}
	audited := len(f.Audit.Entries)
	pdf, _, err := uc.PortalInvoicePDF(portal(cust), done)
	if err != nil || string(pdf) != "%PDF-fake" || len(f.Audit.Entries) != audited {
		t.Fatalf("own invoice: %q %v (audit %d → %d)", pdf, err, audited, len(f.Audit.Entries))
	}
	if _, _, err := uc.PortalInvoicePDF(portal(other), done); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another customer's invoice: %v", err)
	}
	if _, _, err := uc.PortalInvoicePDF(f.As(authz.RoleOwner), done); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff on the portal use case: %v", err)
	}
	if _, _, err := uc.InvoicePDF(portal(cust), done); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("car owner on the staff use case: %v", err)
	}
}
