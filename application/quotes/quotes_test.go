package quotes_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/internal/recordstest"
	"github.com/torquehq/torque/application/quotes"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
)

// locator is the registry_quotes read model, filled by the test.
type locator map[uuid.UUID]uuid.UUID

func (l locator) OrderOfQuote(_ context.Context, id uuid.UUID) (uuid.UUID, error) {
	if o, ok := l[id]; ok {
		return o, nil
	}
	return uuid.Nil, fmt.Errorf("quote %s: %w", id, errs.ErrNotFound)
}

type fixture struct {
	*recordstest.Fixture
	Quotes  *quotes.UseCases
	Locator locator
	Order   serviceorders.ServiceOrder
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := recordstest.NewFixture()
	loc := locator{}
	uc, err := quotes.New(usecaseBase(), quotes.Deps{Store: f.Store, Quotes: loc, Audit: f.Audit})
	if err != nil {
		t.Fatal(err)
	}
	ctx := f.As(authz.RoleAdvisor)
	c, v := recordstest.SeedCustomerAndVehicle(t, f, ctx)
	o, err := f.ServiceOrders.OpenServiceOrder(ctx, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
		CustomerID: c.ID.String(), VehicleID: v.ID.String()}})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{Fixture: f, Quotes: uc, Locator: loc, Order: o}
}

func (f fixture) send(t *testing.T, ctx context.Context) quotes.Quote {
	t.Helper()
	q, err := f.Quotes.SendQuote(ctx, quotes.SendQuoteInput{OrderID: f.Order.ID, Quote: serviceorder.QuoteInput{Items: []serviceorder.ItemInput{
		{Service: "brake_pads", Quantity: 1, UnitPriceCents: 32000}, {Service: "oil_change", Quantity: 1, UnitPriceCents: 18000}}}})
	if err != nil {
		t.Fatal(err)
	}
	f.Locator[q.ID] = q.OrderID
	return q
}

func (f fixture) owner(customerID uuid.UUID) context.Context {
	return recordstest.PrincipalCtx(f.Tenant, authz.Principal{IdentityID: "car-owner", Email: "joao@example.com", Tenant: f.Tenant,
		Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{customerID}})
}

func yes(b bool) *bool { return &b }

func TestQuotes_permissions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	send := quotes.SendQuoteInput{OrderID: f.Order.ID, Quote: serviceorder.QuoteInput{Items: []serviceorder.ItemInput{{Service: "oil_change", Quantity: 1}}}}
	if _, err := f.Quotes.SendQuote(f.As(authz.RoleMechanic), send); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("mechanic sends a quote: %v", err)
	}
	if _, err := f.Quotes.SendQuote(f.owner(f.Order.CustomerID), send); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("car owner sends a quote: %v", err)
	}
	q := f.send(t, f.As(authz.RoleAdvisor))
	if _, err := f.Quotes.PortalGetQuote(f.As(authz.RoleOwner), q.ID); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff on the portal use case: %v", err)
	}
	if _, err := f.Quotes.PortalGetQuote(f.owner(uuid.Must(uuid.NewV7())), q.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another customer's quote: %v", err)
	}
	in := quotes.DecideQuoteInput{QuoteID: q.ID, Decision: serviceorder.DecisionInput{Items: []serviceorder.ItemDecisionInput{
		{ID: q.Items[0].ID.String(), Approved: yes(true)}, {ID: q.Items[1].ID.String(), Approved: yes(false)}}}, IP: "203.0.113.9", UserAgent: "UA"}
	if _, err := f.Quotes.DecideQuote(f.owner(uuid.Must(uuid.NewV7())), in); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another customer decides: %v", err)
	}
}

func TestQuotes_decisionEvidenceByRole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	q := f.send(t, f.As(authz.RoleManager))
	in := quotes.DecideQuoteInput{QuoteID: q.ID, Decision: serviceorder.DecisionInput{Items: []serviceorder.ItemDecisionInput{
		{ID: q.Items[0].ID.String(), Approved: yes(true)}, {ID: q.Items[1].ID.String(), Approved: yes(false)}}}, IP: "203.0.113.9", UserAgent: "UA"}
	d, err := f.Quotes.DecideQuote(f.owner(f.Order.CustomerID), in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != "partially_approved" || d.OrderStatus != "approved" || d.Decision.ActorEmail != "joao@example.com" {
		t.Fatalf("decided: %+v", d)
	}
	if _, err := f.Quotes.DecideQuote(f.owner(f.Order.CustomerID), in); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("decided twice: %v", err)
	}
	mech, err := f.Quotes.GetQuote(f.As(authz.RoleMechanic), f.Order.ID)
	if err != nil || mech.Decision == nil || mech.Decision.IP != "" || mech.Decision.ActorEmail != "" || len(f.Audit.Entries) != 0 {
		t.Fatalf("mechanic sees %+v (%v), audit %v", mech.Decision, err, f.Audit.Entries)
	}
	own, err := f.Quotes.GetQuote(f.As(authz.RoleOwner), f.Order.ID)
	if err != nil || own.Decision.IP != "203.0.113.9" || own.Decision.UserAgent != "UA" || len(f.Audit.Entries) != 1 {
		t.Fatalf("owner sees %+v (%v), audit %v", own.Decision, err, f.Audit.Entries)
	}
}

func usecaseBase() usecase.Base {
	return usecase.Base{Clock: func() time.Time { return recordstest.Now }}
}
