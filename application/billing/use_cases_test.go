package billing_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/internal/accountstest"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

// directory reads the workshops straight from their aggregates: the read
// model once the projection caught up.
type directory struct {
	repo *eventsourcing.Repository[*workshop.Workshop]
	ids  []uuid.UUID
}

func (d directory) WorkshopByID(_ context.Context, id uuid.UUID) (workshops.WorkshopView, error) {
	w, err := d.repo.Load(accountstest.InTenant(id), id)
	if err != nil {
		return workshops.WorkshopView{}, err
	}
	if w.Recorder().Version() == 0 {
		return workshops.WorkshopView{}, errs.ErrNotFound
	}
	b := w.Billing()
	return workshops.WorkshopView{ID: id, Slug: w.Slug(), Name: w.Profile().Name, Plan: w.Plan(), Status: w.Status().String(),
		BillingCustomerID: b.CustomerID, SubscriptionID: b.SubscriptionID}, nil
}

func (d directory) WorkshopByBillingCustomer(ctx context.Context, customerID string) (workshops.WorkshopView, error) {
	for _, id := range d.ids {
		if v, err := d.WorkshopByID(ctx, id); err == nil && v.BillingCustomerID == customerID {
			return v, nil
		}
	}
	return workshops.WorkshopView{}, errs.ErrNotFound
}

type gateway struct {
	customers []billing.CustomerInput
	checkouts []billing.CheckoutInput
	portals   []string // customer id + " " + return URL
}

func (g *gateway) CreateCustomer(_ context.Context, in billing.CustomerInput) (string, error) {
	g.customers = append(g.customers, in)
	return "cus_" + in.WorkshopID[:8], nil
}

func (g *gateway) CreateCheckout(_ context.Context, in billing.CheckoutInput) (billing.CheckoutSession, error) {
	g.checkouts = append(g.checkouts, in)
	return billing.CheckoutSession{ID: "cs_1", URL: "https://checkout.example/cs_1"}, nil
}

func (g *gateway) CreatePortalSession(_ context.Context, customerID, returnURL string) (string, error) {
	g.portals = append(g.portals, customerID+" "+returnURL)
	return "https://portal.example/" + customerID, nil
}

type ledger struct {
	mu   sync.Mutex
	seen map[string]bool
	// fail makes recording fail (the process died after applying).
	fail error
}

func (l *ledger) FirstTime(_ context.Context, provider, eventID, _ string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return false, l.fail
	}
	if l.seen[provider+"/"+eventID] {
		return false, nil
	}
	l.seen[provider+"/"+eventID] = true
	return true, nil
}

func (l *ledger) Forget(ctx context.Context, provider, eventID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.seen, provider+"/"+eventID)
	return nil
}

type billingFixture struct {
	uc      *billing.UseCases
	store   *eventstoretest.MemStore
	gateway *gateway
	ledger  *ledger
	id      uuid.UUID
}

// newBillingFixture opens workshop "oficina-boa" on plan pro, in trial.
func newBillingFixture(t *testing.T) *billingFixture {
	t.Helper()
	f := &billingFixture{store: eventstoretest.NewMemStore(), gateway: &gateway{}, ledger: &ledger{seen: map[string]bool{}},
		id: uuid.Must(uuid.NewV7())}
	accountstest.OpenWorkshop(t, f.store, f.id, workshop.CreateInput{Slug: "oficina-boa", Name: "Oficina Boa", Plan: "pro",
		OwnerIdentityID: "owner-1", OwnerEmail: "dona@example.com", OwnerName: "Dona Ana"}, t0)
	repo := eventsourcing.NewRepository(f.store, workshop.StreamType, workshop.Blank)
	var err error
	f.uc, err = billing.New(usecase.Base{}, billing.Deps{Store: f.store, Workshops: directory{repo: repo, ids: []uuid.UUID{f.id}},
		Gateway: f.gateway, Webhooks: f.ledger, PublicURL: "https://torque.example/"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *billingFixture) as(role authz.Role) context.Context {
	tid, _ := tenant.FromUUID(f.id)
	return authz.WithPrincipal(accountstest.InTenant(f.id), authz.Principal{IdentityID: "owner-1", Email: "dona@example.com",
		Name: "Dona Ana", Tenant: tid, Role: role})
}

func (f *billingFixture) workshop(t *testing.T) *workshop.Workshop {
	t.Helper()
	return accountstest.Workshop(t, f.store, f.id)
}

// subscription is a customer.subscription.updated event of the fixture's
// workshop, created s seconds after t0.
func (f *billingFixture) subscription(eventID, status string, s int) billing.WebhookEvent {
	return billing.WebhookEvent{ID: eventID, Type: billing.EventCustomerSubscriptionUpdated, Created: at(s),
		WorkshopID: f.id.String(), CustomerID: "cus_live", SubscriptionID: "sub_live", SubscriptionStatus: status, Plan: "pro"}
}

func (f *billingFixture) deliver(t *testing.T, ev billing.WebhookEvent) bool {
	t.Helper()
	applied, err := f.uc.HandleBillingEvent(context.Background(), ev)
	if err != nil {
		t.Fatalf("deliver %s: %v", ev.ID, err)
	}
	return applied
}

func TestNewNamesMissingBillingPorts(t *testing.T) {
	_, err := billing.New(usecase.Base{}, billing.Deps{})
	for _, port := range []string{"Store", "Workshops", "Gateway", "Webhooks"} {
		if err == nil || !strings.Contains(err.Error(), "billing: "+port+" is required") {
			t.Errorf("New without ports: %v, want it to name %s", err, port)
		}
	}
}

func TestStartCheckoutCreatesTheCustomerOnce(t *testing.T) {
	f := newBillingFixture(t)
	url, err := f.uc.StartCheckout(f.as(authz.RoleOwner))
	if err != nil {
		t.Fatal(err)
	}
	if url != "https://checkout.example/cs_1" {
		t.Errorf("url = %q", url)
	}
	if len(f.gateway.customers) != 1 || f.gateway.customers[0].Email != "dona@example.com" ||
		f.gateway.customers[0].WorkshopName != "Oficina Boa" {
		t.Fatalf("customers = %+v", f.gateway.customers)
	}
	linked := f.workshop(t).Billing().CustomerID
	got := f.gateway.checkouts[0]
	if linked == "" || got.CustomerID != linked || got.Plan != billing.PlanPro || got.TrialDays != 14 ||
		got.SuccessURL != "https://torque.example/app/billing/success" || got.CancelURL != "https://torque.example/app/billing/canceled" {
		t.Errorf("checkout = %+v, linked customer %q", got, linked)
	}
	// Abandoned and started again: the same customer.
	if _, err := f.uc.StartCheckout(f.as(authz.RoleOwner)); err != nil {
		t.Fatal(err)
	}
	if len(f.gateway.customers) != 1 || f.gateway.checkouts[1].CustomerID != linked {
		t.Errorf("second checkout: customers %+v, checkout %+v", f.gateway.customers, f.gateway.checkouts[1])
	}
}

func TestASubscribedWorkshopIsSentToThePortal(t *testing.T) {
	f := newBillingFixture(t)
	f.deliver(t, f.subscription("evt_1", "active", 10))
	url, err := f.uc.StartCheckout(f.as(authz.RoleOwner))
	if err != nil {
		t.Fatal(err)
	}
	if url != "https://portal.example/cus_live" || len(f.gateway.checkouts) != 0 {
		t.Errorf("url %q, checkouts %+v: want the portal and no second subscription", url, f.gateway.checkouts)
	}
	// Once the subscription is canceled the owner may subscribe again.
	f.deliver(t, billing.WebhookEvent{ID: "evt_2", Type: billing.EventCustomerSubscriptionDeleted, Created: at(20),
		WorkshopID: f.id.String(), CustomerID: "cus_live", SubscriptionID: "sub_live", SubscriptionStatus: "canceled"})
	if url, err = f.uc.StartCheckout(f.as(authz.RoleOwner)); err != nil || url != "https://checkout.example/cs_1" {
		t.Errorf("after cancellation: %q, %v; want a new checkout", url, err)
	}
	if len(f.gateway.customers) != 0 || f.gateway.checkouts[0].CustomerID != "cus_live" {
		t.Errorf("the known customer was not reused: customers %+v, checkout %+v", f.gateway.customers, f.gateway.checkouts)
	}
}

func TestOpenBillingPortal(t *testing.T) {
	f := newBillingFixture(t)
	_, err := f.uc.OpenBillingPortal(f.as(authz.RoleOwner))
	var ve *errs.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Code != "not_linked" {
		t.Errorf("portal before any checkout: %v, want not_linked", err)
	}
	if _, err := f.uc.StartCheckout(f.as(authz.RoleOwner)); err != nil {
		t.Fatal(err)
	}
	url, err := f.uc.OpenBillingPortal(f.as(authz.RoleOwner))
	customer := f.workshop(t).Billing().CustomerID
	if err != nil || url != "https://portal.example/"+customer {
		t.Errorf("portal = %q, %v", url, err)
	}
	if len(f.gateway.portals) != 1 || f.gateway.portals[0] != customer+" https://torque.example/app/settings" {
		t.Errorf("portal sessions = %v", f.gateway.portals)
	}
}

func TestOnlyTheOwnerManagesBilling(t *testing.T) {
	f := newBillingFixture(t)
	if _, err := f.uc.StartCheckout(f.as(authz.RoleManager)); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("manager starts checkout: %v, want forbidden", err)
	}
	if _, err := f.uc.OpenBillingPortal(f.as(authz.RoleManager)); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("manager opens the portal: %v, want forbidden", err)
	}
	if len(f.gateway.customers)+len(f.gateway.checkouts)+len(f.gateway.portals) != 0 {
		t.Error("a refused request reached the provider")
	}
}

func TestStartSignupCheckout(t *testing.T) {
	f := newBillingFixture(t)
	url, err := f.uc.StartSignupCheckout(accountstest.InTenant(f.id), billing.SignupCheckoutInput{WorkshopID: f.id, WorkshopName: "Oficina Boa",
		Owner: identity.Identity{ID: "owner-1", Email: "dona@example.com", Name: "Dona Ana"}, Plan: "basic"})
	if err != nil || url != "https://checkout.example/cs_1" {
		t.Fatalf("url %q, %v", url, err)
	}
	if len(f.gateway.customers) != 1 || f.gateway.customers[0].Name != "Dona Ana" || f.gateway.checkouts[0].Plan != billing.PlanBasic {
		t.Errorf("customers %+v, checkouts %+v", f.gateway.customers, f.gateway.checkouts)
	}
	if f.workshop(t).Billing().CustomerID == "" {
		t.Error("the new customer is not linked to the workshop")
	}
}

func TestAWebhookEventIsAppliedOnce(t *testing.T) {
	f := newBillingFixture(t)
	ev := f.subscription("evt_1", "active", 10)
	if !f.deliver(t, ev) {
		t.Fatal("first delivery not applied")
	}
	if got := f.workshop(t).Status(); got != workshop.StatusActive {
		t.Errorf("status = %v, want active", got)
	}
	version := f.workshop(t).Recorder().Version()
	if f.deliver(t, ev) {
		t.Error("the same event was applied twice")
	}
	if f.workshop(t).Recorder().Version() != version {
		t.Error("a duplicate delivery changed the workshop")
	}
}

func TestAnOlderEventArrivingLateIsIgnored(t *testing.T) {
	f := newBillingFixture(t)
	f.deliver(t, f.subscription("evt_new", "past_due", 20))
	if f.deliver(t, f.subscription("evt_old", "active", 10)) {
		t.Error("a stale event was applied")
	}
	if got := f.workshop(t).Status(); got != workshop.StatusPastDue {
		t.Errorf("status = %v, want past_due to stand", got)
	}
}

func TestAnEventNamingOnlyTheCustomerFindsItsWorkshop(t *testing.T) {
	f := newBillingFixture(t)
	f.deliver(t, f.subscription("evt_1", "trialing", 10))
	ev := f.subscription("evt_2", "past_due", 20)
	ev.WorkshopID = ""
	if !f.deliver(t, ev) || f.workshop(t).Status() != workshop.StatusPastDue {
		t.Errorf("status = %v, want past_due", f.workshop(t).Status())
	}
}

func TestEventsThatConcernNoWorkshopAreAcknowledged(t *testing.T) {
	f := newBillingFixture(t)
	unknown := f.subscription("evt_x", "active", 10)
	unknown.WorkshopID, unknown.CustomerID = uuid.NewString(), "cus_other"
	if f.deliver(t, unknown) {
		t.Error("an event of an unknown workshop was applied")
	}
	if f.deliver(t, billing.WebhookEvent{ID: "evt_y", Type: "customer.created", Created: at(1)}) {
		t.Error("an unhandled type was applied")
	}
	if f.ledger.seen["stripe/evt_y"] {
		t.Error("an unhandled type was recorded as processed")
	}
	if f.workshop(t).Status() != workshop.StatusTrialing {
		t.Error("the workshop changed")
	}
}

func TestAFailedEventRunsAgainOnTheProvidersRetry(t *testing.T) {
	f := newBillingFixture(t)
	ev := f.subscription("evt_1", "active", 10)
	f.store.FailAppend = errors.New("database is gone")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := f.uc.HandleBillingEvent(ctx, ev); err == nil {
		t.Fatal("the event was acknowledged although it was not stored")
	}
	f.store.FailAppend = nil
	if !f.deliver(t, ev) || f.workshop(t).Status() != workshop.StatusActive {
		t.Errorf("retry: status %v, want active", f.workshop(t).Status())
	}
}

// Issue 10 item 18: the ledger is written only after the event is applied. A
// failure between the two (the process dies) answers an error, so the
// provider retries, and the retry changes the workshop at most once; recording
// first lost such an event for good.
func TestAnEventIsRecordedOnlyAfterItIsApplied(t *testing.T) {
	f := newBillingFixture(t)
	ev := f.subscription("evt_1", "active", 10)
	f.ledger.fail = errors.New("crash before the ledger write")
	if _, err := f.uc.HandleBillingEvent(context.Background(), ev); err == nil {
		t.Fatal("acknowledged an event the ledger did not record")
	}
	if f.workshop(t).Status() != workshop.StatusActive {
		t.Fatal("the event was recorded before it was applied")
	}
	count := func() int {
		n := 0
		for _, st := range f.store.Streams() {
			n += len(st)
		}
		return n
	}
	before := count()
	f.ledger.fail = nil
	f.deliver(t, ev) // the provider's retry
	if !f.ledger.seen["stripe/evt_1"] {
		t.Error("the retried event is not recorded")
	}
	if after := count(); after != before {
		t.Errorf("the retry changed the workshop again (%d → %d events)", before, after)
	}
	if f.deliver(t, ev) {
		t.Error("a duplicate delivery reports applied")
	}
}
